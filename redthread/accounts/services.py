"""Every write to users and memberships."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .hooks import account_mail_sender
from .models import Membership, Role, User
from .predicates import forget_organisations


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
