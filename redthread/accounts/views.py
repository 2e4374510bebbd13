from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from rules.contrib.views import permission_required

from redthread.core.forms import concurrent_edit
from redthread.core.listing import Column, Listing

from . import api_tokens, hooks, selectors, services, twofactor, user_sessions
from .forms import ApiTokenForm, LoginForm, PasswordResetForm, TokenForm, UserFilterForm, UserForm
from .models import Membership, Role, User


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        """Signs in, or, for a user with a confirmed TOTP device, opens the second step
        (the code) without signing in yet."""
        user = form.get_user()
        if twofactor.twofactor_enabled(user):
            twofactor.login_pending_set(self.request, user=user)
            target = reverse("accounts:login_otp")
            next_url = self.get_redirect_url()
            return redirect(f"{target}?next={next_url}" if next_url else target)
        response = super().form_valid(form)
        return _language_cookie_set(self.request, response, user)


def _language_cookie_set(request: HttpRequest, response: HttpResponse, user: User) -> HttpResponse:
    """A browser that has not chosen a language yet gets the one the user chose in their
    profile; a choice made in this browser (the switch) is kept."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.preferred_language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        # A str from settings; the stubs want the literal "Lax", "Strict" or "None".
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


@login_not_required
def login_otp(request: HttpRequest) -> HttpResponse:
    """The second step of a two-factor login: the code from the app."""
    pending = twofactor.login_pending_get(request)
    if pending is None:
        messages.info(request, _("Logga in med e-postadress och lösenord först."))
        return redirect("accounts:login")
    user, backend = pending
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.totp_verify(user=user, token=form.cleaned_data["token"])
        if device is not None:
            twofactor.login_pending_clear(request)
            user.otp_device = device  # type: ignore[attr-defined]  # django-otp reads it at login
            auth_login(request, user, backend=backend)
            next_url = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                next_url = reverse(settings.LOGIN_REDIRECT_URL)
            return _language_cookie_set(request, redirect(next_url), user)
        form.add_error("token", _("Koden stämmer inte. Vänta på nästa kod och försök igen."))
    return render(request, "accounts/login_otp.html", {"form": form}, status=200)


def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own page: two-factor login and the sessions signed in."""
    user = request.user
    assert isinstance(user, User)
    return render(
        request,
        "accounts/profile.html",
        {
            "twofactor_enabled": twofactor.twofactor_enabled(user),
            "twofactor_required": twofactor.twofactor_required(user),
            "sessions": user_sessions.session_list(user=user),
            "current_session_key": request.session.session_key,
            "sections": hooks.profile_sections(user),
            "api_tokens": selectors.api_token_list(user=user),
            "api_token_form": _api_token_form(None),
        },
    )


def _api_token_form(data: Any) -> ApiTokenForm:
    default_end = timezone.localdate() + datetime.timedelta(days=90)
    return ApiTokenForm(data, initial={"expires_on": default_end})


def profile_api_token_create(request: HttpRequest) -> HttpResponse:
    """Makes a personal access token and shows its secret, this once: the page is not
    cached and the secret is stored nowhere but in the owner's copy."""
    user = request.user
    assert isinstance(user, User)
    form = _api_token_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, secret = api_tokens.api_token_create(user=user, **form.cleaned_data)
        response = render(
            request, "accounts/profile_api_token_created.html", {"token": token, "secret": secret}
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "accounts/profile_api_token_form.html", {"form": form})


@require_POST
def profile_api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if api_tokens.api_token_revoke(user=user, token_id=pk):
        messages.success(request, _("API-nyckeln är återkallad."))
    else:
        messages.error(request, _("API-nyckeln finns inte eller är redan återkallad."))
    return redirect("accounts:profile")


def profile_totp_enrol(request: HttpRequest) -> HttpResponse:
    """Shows a new key as a QR code; a correct code from the app turns it on."""
    user = request.user
    assert isinstance(user, User)
    if twofactor.twofactor_enabled(user):
        return redirect("accounts:profile")
    device = twofactor.totp_enrol_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.totp_enrol_confirm(user=user, token=form.cleaned_data["token"]):
            device.refresh_from_db()
            user.otp_device = device  # type: ignore[attr-defined]  # django-otp's attribute
            otp_login(request, device)
            messages.success(request, _("Tvåstegsinloggning är påslagen."))
            return redirect("accounts:profile")
        form.add_error(
            "token", _("Koden stämmer inte. Kontrollera att klockan i telefonen går rätt.")
        )
    return render(
        request,
        "accounts/profile_totp_enrol.html",
        {
            "form": form,
            "qr": twofactor.totp_qr_data_uri(device),
            "secret": twofactor.totp_secret_display(device),
        },
    )


@require_POST
def profile_totp_disable(request: HttpRequest) -> HttpResponse:
    """Turns two-factor login off, with a current code as proof; not for roles that must
    keep it."""
    user = request.user
    assert isinstance(user, User)
    if twofactor.twofactor_required(user):
        messages.error(request, _("Din roll måste använda tvåstegsinloggning."))
        return redirect("accounts:profile")
    form = TokenForm(request.POST)
    if form.is_valid() and twofactor.totp_verify(user=user, token=form.cleaned_data["token"]):
        twofactor.totp_disable(user=user)
        messages.success(request, _("Tvåstegsinloggning är avstängd."))
    else:
        messages.error(request, _("Koden stämmer inte. Tvåstegsinloggningen är kvar."))
    return redirect("accounts:profile")


@require_POST
def profile_session_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user_sessions.session_revoke(user=user, session_id=pk):
        messages.success(request, _("Inloggningen är avslutad."))
    else:
        messages.error(request, _("Inloggningen finns inte längre."))
    return redirect("accounts:profile")


@require_POST
def profile_sessions_revoke_others(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    count = user_sessions.session_revoke_others(user=user, keep=request.session.session_key)
    messages.success(request, _("Andra inloggningar avslutade: %(count)s.") % {"count": count})
    return redirect("accounts:profile")


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


def _manager_set(user: User, data: dict[str, Any]) -> None:
    """A company user ticked as its company's manager manages the companies it belongs
    to; any other role manages none."""
    manages = data["is_company_manager"] and user.role == Role.COMPANY_USER
    services.membership_set_manager(
        user=user,
        organisation_ids=[o.pk for o in data["organisations"] if o.is_company] if manages else [],
    )


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
        _manager_set(user, data)
        services.user_invite(user=user, request=request)
        messages.success(
            request,
            _("Användaren %(email)s är skapad och har fått en länk för att välja lösenord.")
            % {"email": user.email},
        )
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@permission_required("accounts.manage_users", raise_exception=True)
@concurrent_edit
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
        _manager_set(user, data)
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
