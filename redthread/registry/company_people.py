"""The company's people, managed by the company itself: its manager (``Membership.is_manager``,
set by the office) invites colleagues as company users and removes them, within the
office's rule (``REDTHREAD_COMPANY_USERS_MAX`` active accounts per company). An invited
colleague is also a contact person of the company, so that action items can be given to
them. The office manages every account on its own pages (``accounts:user_list``)."""

from __future__ import annotations

from typing import Any

import rules
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.accounts import predicates
from redthread.accounts import selectors as account_selectors
from redthread.accounts import services as account_services
from redthread.accounts.models import User
from redthread.accounts.typing import RequestUser

from .models import Organisation, Person


class ColleagueInviteForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("E-postadress"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    preferred_language = forms.ChoiceField(
        label=gettext_lazy("Språk i mejlen"),
        choices=[("sv", "Svenska"), ("en", "English")],
        initial="sv",
    )


def managed_company(*, user: RequestUser) -> Organisation | None:
    """The company ``user`` manages (a company user whose membership says so), if any."""
    ids = predicates.organisation_ids(user, predicates.MANAGED)
    return Organisation.objects.filter(pk__in=ids, kind="company").order_by("pk").first()


@transaction.atomic
def colleague_invite(
    *, actor: User, company: Organisation, email: str, full_name: str, language: str, request: Any
) -> User:
    """Invites a colleague as a company user (``accounts.company_user_invite``: the
    manager's company only, within the office's limit) and makes them a contact person of
    the company unless one with that address exists."""
    user = account_services.company_user_invite(
        actor=actor,
        organisation_id=company.pk,
        email=email,
        full_name=full_name,
        preferred_language=language,
        request=request,
    )
    if not Person.objects.filter(organisation=company, email__iexact=user.email).exists():
        first, _sep, last = full_name.strip().partition(" ")
        Person.objects.create(
            organisation=company, first_name=first, last_name=last or "–", email=user.email
        )
    return user


def _company(request: HttpRequest) -> Organisation:
    # The company's own page: the rule alone (a superuser's blanket permission would let
    # the office in, and it has its own user pages).
    if not rules.has_perm("accounts.manage_company_users", request.user):
        raise PermissionDenied
    company = managed_company(user=request.user)
    if company is None:
        raise Http404
    return company


def company_users(request: HttpRequest) -> HttpResponse:
    company = _company(request)
    assert isinstance(request.user, User)
    form = ColleagueInviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = colleague_invite(
                    actor=request.user,
                    company=company,
                    email=data["email"],
                    full_name=data["full_name"],
                    language=data["preferred_language"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(email)s är inbjuden och får ett mejl för att välja lösenord.")
                    % {"email": user.email},
                )
                return redirect("registry:company_users")
        status = 422
    users = list(account_selectors.company_users(organisation_id=company.pk))
    managers = {
        u.pk
        for u in users
        if any(m.is_manager and m.organisation_id == company.pk for m in u.memberships.all())
    }
    return render(
        request,
        "registry/company_users.html",
        {
            "company": company,
            "users": users,
            "managers": managers,
            "form": form,
            "room": account_services.company_user_room(organisation_id=company.pk),
            "limit": settings.REDTHREAD_COMPANY_USERS_MAX,
        },
        status=status,
    )


def company_user_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks before removing a colleague; the POST closes their account."""
    company = _company(request)
    assert isinstance(request.user, User)
    subject = next(
        (u for u in account_selectors.company_users(organisation_id=company.pk) if u.pk == pk),
        None,
    )
    if subject is None:
        raise Http404
    if request.method == "POST":
        try:
            account_services.company_user_remove(
                actor=request.user, organisation_id=company.pk, user=subject
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s kan inte längre logga in.") % {"name": subject},
            )
        return redirect("registry:company_users")
    return render(
        request, "registry/company_user_remove.html", {"company": company, "subject": subject}
    )
