from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rules.contrib.views import permission_required

from redthread.core.listing import Column, Listing

from . import selectors, services
from .forms import LoginForm, PasswordResetForm, UserFilterForm, UserForm
from .models import Membership


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        """Signs in. A browser that has not chosen a language yet gets the one the user
        chose in their profile; a choice made in this browser (the switch) is kept."""
        response = super().form_valid(form)
        if settings.LANGUAGE_COOKIE_NAME in self.request.COOKIES:
            return response
        language = form.get_user().preferred_language
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        return response


def lockout(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """What django-axes shows after too many failed logins: the login page, with why."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm(request, data=None)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_out": True, "cooloff_minutes": minutes},
        status=429,
    )


def _organisation_choices() -> Any:
    # The registry's organisations, reached through the membership relation: accounts sits
    # below the registry and imports nothing from it.
    organisation_model = Membership._meta.get_field("organisation").related_model
    return organisation_model._default_manager.order_by("kind", "name")


@permission_required("accounts.manage_users", raise_exception=True)
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    listing = Listing(
        request,
        selectors.user_list(actor=request.user, **{k: v for k, v in filters.items() if v}),
        columns=[
            Column("email", gettext_lazy("E-postadress"), "email"),
            Column("full_name", gettext_lazy("Namn"), "full_name"),
            Column("role", gettext_lazy("Roll"), "role"),
            Column("is_active", gettext_lazy("Status"), "is_active"),
            Column("last_login", gettext_lazy("Senast inloggad"), "last_login"),
        ],
        default_sort="email",
        filter_form=form,
    )
    return render(request, "accounts/user_list.html", {"listing": listing})


@permission_required("accounts.manage_users", raise_exception=True)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None, organisation_queryset=_organisation_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
            preferred_language=data["preferred_language"],
            is_active=data["is_active"],
            organisation_ids=[o.pk for o in data["organisations"]],
        )
        services.user_invite(user=user, request=request)
        messages.success(
            request,
            _("Användaren %(email)s är skapad och har fått en länk för att välja lösenord.")
            % {"email": user.email},
        )
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@permission_required("accounts.manage_users", raise_exception=True)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(selectors.user_list(actor=request.user), pk=pk)
    form = UserForm(
        request.POST or None, instance=user, organisation_queryset=_organisation_choices()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.user_update(
            user=user,
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
            preferred_language=data["preferred_language"],
            is_active=data["is_active"],
            organisation_ids=[o.pk for o in data["organisations"]],
        )
        messages.success(request, _("Ändringarna är sparade."))
        return redirect("accounts:user_list")
    return render(
        request, "accounts/user_form.html", {"form": form, "creating": False, "subject": user}
    )


@permission_required("accounts.manage_users", raise_exception=True)
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks before closing an account; the POST closes it."""
    subject = get_object_or_404(selectors.user_list(actor=request.user), pk=pk)
    if subject == request.user:
        messages.error(request, _("Du kan inte stänga av ditt eget konto."))
        return redirect("accounts:user_list")
    if request.method == "POST":
        services.user_deactivate(user=subject)
        messages.success(request, _("Kontot %(email)s är avstängt.") % {"email": subject.email})
        return redirect("accounts:user_list")
    return render(request, "accounts/user_confirm_deactivate.html", {"subject": subject})


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
