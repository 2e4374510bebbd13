"""How accounts sends its e-mails (an invitation, a password reset). The outbox lives in
the messaging app, above accounts: it registers a sender here when it loads, so accounts
imports nothing from above. Without one (an app setup without messaging), Django's mail is
used directly."""

from __future__ import annotations

from typing import Any, Protocol

from .models import User


class AccountMailSender(Protocol):
    def __call__(self, *, user: User, kind: str, context: dict[str, Any]) -> None: ...


_senders: list[AccountMailSender] = []


def register_account_mail(sender: AccountMailSender) -> None:
    _senders[:] = [sender]


def account_mail_sender() -> AccountMailSender | None:
    return _senders[0] if _senders else None


class ProfileSection(Protocol):
    """A part of the profile page that an app above accounts adds (the notice choices of
    messaging): its template, and what the template gets as ``section``."""

    template: str

    def context(self, user: User) -> Any: ...


_profile_sections: dict[str, ProfileSection] = {}


def register_profile_section(name: str, section: ProfileSection) -> None:
    _profile_sections[name] = section


def profile_sections(user: User) -> list[dict[str, Any]]:
    return [
        {"template": s.template, "context": s.context(user)} for s in _profile_sections.values()
    ]
