from __future__ import annotations

from typing import Any

from django.db.models import Q

from redthread.accounts.typing import RequestUser

from .models import Message, MessageQuerySet


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
