"""Every write to users and memberships."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .hooks import account_mail_sender
from .models import Membership, Role, User
from .predicates import MANAGED, forget_organisations, is_company_user, organisation_ids
from .selectors import company_users


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str = "",
    role: Role | str,
    password: str | None = None,
    organisation_ids: Iterable[int] = (),
    preferred_language: str = "sv",
    is_active: bool = True,
) -> User:
    """Creates a user with the given memberships. Without a password the account cannot be
    used until its owner sets one through the e-mailed link (:func:`user_invite`)."""
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        role=Role(role),
        preferred_language=preferred_language,
        is_active=is_active,
        # Django's admin is an operator's tool: only the admin role reaches it.
        is_staff=Role(role) == Role.ADMIN,
        is_superuser=Role(role) == Role.ADMIN,
    )
    membership_set(user=user, organisation_ids=organisation_ids)
    return user


@transaction.atomic
def user_update(
    *, user: User, organisation_ids: Iterable[int] | None = None, **fields: Any
) -> User:
    """Changes the given fields; with ``organisation_ids`` also replaces the memberships."""
    allowed = {"email", "full_name", "role", "preferred_language", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"user_update cannot change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(user, name, value)
    user.is_staff = user.is_superuser = user.role == Role.ADMIN
    user.save()
    if organisation_ids is not None:
        membership_set(user=user, organisation_ids=organisation_ids)
    return user


@transaction.atomic
def membership_set(*, user: User, organisation_ids: Iterable[int]) -> None:
    """Makes the user's memberships exactly ``organisation_ids``, keeping unchanged ones."""
    wanted = set(organisation_ids)
    current = set(user.memberships.values_list("organisation_id", flat=True))
    for membership in user.memberships.filter(organisation_id__in=current - wanted):
        membership.delete()  # one by one, so the audit trail records each removal
    for organisation_id in sorted(wanted - current):
        Membership.objects.create(user=user, organisation_id=organisation_id)
    forget_organisations(user)


@transaction.atomic
def membership_set_manager(*, user: User, organisation_ids: Iterable[int]) -> None:
    """Makes the user the manager of exactly those of its organisations in
    ``organisation_ids`` (the others lose the flag); each change is audited."""
    wanted = set(organisation_ids)
    for membership in user.memberships.all():
        manager = membership.organisation_id in wanted
        if membership.is_manager != manager:
            membership.is_manager = manager
            membership.save(update_fields=["is_manager"])
    forget_organisations(user)


def company_user_room(*, organisation_id: int) -> int:
    """How many more company users the office's rule (``REDTHREAD_COMPANY_USERS_MAX``
    active accounts per company) lets the company's manager invite; never below 0."""
    used = company_users(organisation_id=organisation_id).count()
    return max(0, settings.REDTHREAD_COMPANY_USERS_MAX - used)


def _managed_by(actor: Any, organisation_id: int) -> None:
    if not (is_company_user(actor) and organisation_id in organisation_ids(actor, MANAGED)):
        raise ValidationError(_("Bara företagets ansvariga kan ändra företagets användare."))


@transaction.atomic
def company_user_invite(
    *,
    actor: User,
    organisation_id: int,
    email: str,
    full_name: str,
    preferred_language: str = "sv",
    request: HttpRequest,
) -> User:
    """A company's manager (``actor``) makes a colleague a company user of its company and
    e-mails them the link to choose a password (through the outbox). Refused with a
    ValidationError when ``actor`` does not manage that company, when the office's limit is
    reached, or when the address already has an account (another company's, say: accounts
    are never moved between organisations from here)."""
    _managed_by(actor, organisation_id)
    if company_user_room(organisation_id=organisation_id) <= 0:
        raise ValidationError(
            _(
                "Företaget har redan så många användare som programkontoret tillåter "
                "(%(max)d). Ta bort någon först eller kontakta programkontoret."
            )
            % {"max": settings.REDTHREAD_COMPANY_USERS_MAX},
            code="limit",
        )
    if User.objects.filter(email__iexact=email.strip()).exists():
        raise ValidationError(
            _("Det finns redan ett konto med den e-postadressen. Kontakta programkontoret."),
            code="exists",
        )
    user = user_create(
        email=email,
        full_name=full_name,
        role=Role.COMPANY_USER,
        organisation_ids=[organisation_id],
        preferred_language=preferred_language,
    )
    user_invite(user=user, request=request)
    return user


@transaction.atomic
def company_user_remove(*, actor: User, organisation_id: int, user: User) -> User:
    """A company's manager closes a colleague's account: the membership goes and the
    account is switched off (a company user belongs to one company; its history stays).
    A manager cannot remove itself, nor anyone outside its company."""
    _managed_by(actor, organisation_id)
    if user.pk == actor.pk:
        raise ValidationError(_("Du kan inte ta bort ditt eget konto."), code="self")
    if not (
        user.role == Role.COMPANY_USER
        and user.memberships.filter(organisation_id=organisation_id).exists()
    ):
        raise ValidationError(_("Användaren hör inte till företaget."), code="outside")
    membership_set(user=user, organisation_ids=[])
    return user_deactivate(user=user)


def user_invite(*, user: User, request: HttpRequest) -> None:
    """E-mails the user, in their language, a link to choose a password. Works for an
    account that has no password yet (Django's reset form skips those). Goes through the
    outbox when one is registered (see :mod:`.hooks`): then it is sent after the commit."""
    context = {
        "email": user.email,
        "domain": request.get_host(),
        "site_name": "Röd tråd",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
    }
    sender = account_mail_sender()
    if sender is not None:
        sender(user=user, kind="invitation", context=context)
        return
    with translation.override(user.preferred_language):
        PasswordResetForm().send_mail(
            "registration/invite_subject.txt",
            "registration/invite_email.txt",
            context,
            from_email=None,
            to_email=user.email,
        )


def user_deactivate(*, user: User) -> User:
    """Closes an account without deleting it: its history and authorship remain."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def anonymised_address(user: User) -> str:
    """The address an erased account keeps: unique, and never deliverable (``.invalid``)."""
    return f"borttagen-{user.pk}@anonym.invalid"


@transaction.atomic
def user_anonymise(*, user: User) -> User:
    """Erases a person's account (GDPR article 17): name and address are replaced, the
    password and every signed-in session end, membership titles are blanked, and the audit
    trail's copies are rewritten the same way. The closed account stays as the author of
    what it did, so counts and history keep their meaning."""
    from .user_sessions import session_revoke_others

    session_revoke_others(user=user, keep=None)
    user.email = anonymised_address(user)
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.history.all().update(email=user.email, full_name="")
    user.memberships.update(title="")
    Membership.history.filter(user_id=user.pk).update(title="")
    return user
