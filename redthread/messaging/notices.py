"""The notice kinds the apps above register, and what each recipient chose for them.

The outbox knows no app above it: engagements and assessments register their notices and
reminders here in ``AppConfig.ready`` (a kind's code, its name and description on the profile
page, its templates, the roles that may choose it, and for scheduled kinds a producer that
``redthread notices_run`` calls). Sending goes through :func:`services.notice_send`.

A kind's templates are fragments: ``<template>_subject.txt``, ``<template>_body.txt`` and
``<template>_body.html``. The outbox wraps a fragment in ``messaging/email/notice`` when it
is sent on its own, or puts several in one ``messaging/email/digest``, each with its own
unsubscribe link.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from redthread.accounts.models import User


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Direkt")
    DAILY = "daily", _("Samlat en gång om dagen")
    NEVER = "never", _("Aldrig")


@dataclass(frozen=True)
class Delivery:
    """One notice a producer wants sent: to a user or an address, once per ``period`` (the
    idempotency key with the kind and the recipient). ``context`` may be a callable: it is
    called only when the notice is really made (not already sent, not switched off)."""

    to: User | str
    period: str
    context: dict[str, Any] | Callable[[], dict[str, Any]]
    about: models.Model | str | None = None
    language: str | None = None


#: A scheduled kind's producer: the deliveries due on a day (run by ``notices_run``).
Producer = Callable[[datetime.date], Iterable[Delivery]]


@dataclass(frozen=True)
class NoticeKind:
    code: str
    label: str | Promise
    description: str | Promise
    template: str
    #: The roles offered the choice on their profile; empty for notices to addresses only.
    roles: frozenset[str] = field(default_factory=frozenset)
    default: Frequency = Frequency.IMMEDIATELY
    producer: Producer | None = None
    order: int = 50


_kinds: dict[str, NoticeKind] = {}


def register_notice(kind: NoticeKind) -> None:
    _kinds[kind.code] = kind


def notice_kind(code: str) -> NoticeKind:
    """The registered kind; KeyError for a code nobody registered."""
    return _kinds[code]


def notice_kinds() -> list[NoticeKind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.code))


def notice_kinds_for(user: User) -> list[NoticeKind]:
    """The kinds a user may choose on their profile (by role)."""
    return [kind for kind in notice_kinds() if user.role in kind.roles]
