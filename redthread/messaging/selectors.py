from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from redthread.accounts.models import User
from redthread.accounts.typing import RequestUser

from .models import Message, MessageQuerySet, MessageStatus, NoticePreference
from .notices import notice_kinds_for


def outbox_list(*, actor: Any, q: str = "", status: str = "", kind: str = "") -> MessageQuerySet:
    """The outbox as the actor may see it, searched by address, subject or what a message
    is about, and filtered by status and kind."""
    messages = Message.objects.visible_to(actor).select_related("recipient")
    if q:
        messages = messages.filter(
            Q(to_address__icontains=q)
            | Q(subject__icontains=q)
            | Q(about_text__icontains=q)
            | Q(recipient__full_name__icontains=q)
        )
    if status:
        messages = messages.filter(status=status)
    if kind:
        messages = messages.filter(kind=kind)
    return messages


def messages_to(*, user: RequestUser) -> MessageQuerySet:
    """What was sent (or is on its way) to the user."""
    return Message.objects.sent_to(user)


def notice_frequencies(*, user: User) -> dict[str, str]:
    """How often the user gets each kind offered to their role: their choice, or the
    kind's default (one query)."""
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind.code: chosen.get(kind.code, kind.default) for kind in notice_kinds_for(user)}


def messages_sent_about(
    *, kind: str, model: type[models.Model], sent_before: datetime.datetime
) -> MessageQuerySet:
    """The sent messages of ``kind`` about objects of ``model``, sent before a moment, oldest
    first (what a reminder looks back on)."""
    return Message.objects.filter(
        kind=kind,
        about_type=ContentType.objects.get_for_model(model),
        status=MessageStatus.SENT,
        sent_at__lt=sent_before,
    ).order_by("sent_at", "pk")


def messages_about(*, kind: str, model: type[models.Model], ids: Iterable[int]) -> MessageQuerySet:
    """The messages of ``kind`` about the given objects of ``model``, in any status."""
    return Message.objects.filter(
        kind=kind, about_type=ContentType.objects.get_for_model(model), about_id__in=list(ids)
    )
