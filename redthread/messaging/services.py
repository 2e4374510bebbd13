"""The outbox: every e-mail the platform sends goes through :func:`message_send`.

A message is rendered and stored first, then sent by a background task after the
transaction commits. Sending never raises into the caller: a refused or unreachable SMTP
server leaves the message failed with its reason and a time for the next attempt, and
:func:`messages_retry_due` (``redthread messages_retry_due``, run by the worker host's cron)
tries again with exponential back-off. A status compare-and-set before each attempt means
two workers, or a retry run twice, never send one message twice.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from redthread.accounts.models import User

from .models import Message, MessageAttachment, MessageStatus

logger = logging.getLogger(__name__)

#: Attempts before the outbox stops retrying by itself (the office can still resend).
MAX_ATTEMPTS = 8
#: The first retry waits this long; each next one twice as long, up to RETRY_MAX_DELAY.
RETRY_FIRST_DELAY = datetime.timedelta(minutes=1)
RETRY_MAX_DELAY = datetime.timedelta(hours=6)
#: A message "sending" for longer than this was left by a worker that stopped mid-send.
SENDING_STALE_AFTER = datetime.timedelta(minutes=15)
#: A message still queued this long after it was made lost its task; the retry run sends it.
QUEUED_LOST_AFTER = datetime.timedelta(minutes=10)
#: Stored in English: the office reads it beside SMTP's own (English) errors.
STALE_ERROR = "The worker stopped while sending; it may or may not have left. Resend if needed."


@dataclass(frozen=True)
class Attachment:
    """A text file to send with a message: ``content_type`` may carry parameters
    (``text/calendar; method=REQUEST``), which calendar programs read."""

    filename: str
    content_type: str
    content: str


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failed attempt (1, 2, 4, … minutes)."""
    delay: datetime.timedelta = RETRY_FIRST_DELAY * (2 ** max(attempts - 1, 0))
    return min(delay, RETRY_MAX_DELAY)


def message_build(
    *,
    to: Any,
    kind: str,
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    about: models.Model | str | None = None,
) -> Message:
    """The message :func:`message_send` stores, rendered but not saved (the demo saves
    such messages with the statuses it shows)."""
    recipient = None if isinstance(to, str) else to
    address = to if isinstance(to, str) else to.email
    language = language or getattr(recipient, "preferred_language", "") or settings.LANGUAGE_CODE
    full_context = {**context, "site_url": settings.SITE_URL, "recipient": recipient}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", full_context).split())
        body_text = render_to_string(f"{template}.txt", full_context).strip() + "\n"
        body_html = render_to_string(f"{template}.html", full_context)
    message = Message(
        recipient=recipient,
        to_address=address,
        subject=subject[:255],
        kind=kind,
        language=language,
        body_text=body_text,
        body_html=body_html,
    )
    if isinstance(about, models.Model):
        message.about_type = ContentType.objects.get_for_model(about)
        message.about_id = about.pk
        message.about_text = str(about)[:200]
    elif about:
        message.about_text = about[:200]
    return message


def message_send(
    *,
    to: Any,
    kind: str,
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    about: models.Model | str | None = None,
    attachments: Sequence[Attachment] = (),
) -> Message:
    """Renders ``template`` (``<template>_subject.txt``, ``<template>.txt`` and
    ``<template>.html``, the latter two extending ``messaging/email/base.*``) in the
    recipient's language, stores the message and queues its sending for after the commit.

    ``to`` is a user (their address and preferred language are used) or an address.
    ``about`` is the object the message concerns, or a short text. ``attachments`` are
    stored with the message and sent with every attempt. Returns the stored message, status
    queued; it is never sent before the caller's transaction commits."""
    message = message_build(
        to=to, kind=kind, template=template, context=context, language=language, about=about
    )
    message.save()
    MessageAttachment.objects.bulk_create(
        MessageAttachment(
            message=message,
            filename=a.filename,
            content_type=a.content_type,
            content=a.content,
        )
        for a in attachments
    )
    _enqueue(message.pk)
    return message


def _enqueue(message_id: int) -> None:
    transaction.on_commit(lambda: message_deliver_task.enqueue(message_id))


def message_deliver(*, message_id: int, now: datetime.datetime | None = None) -> bool:
    """One attempt to send a queued or due failed message. Returns True if it was sent.

    The status is moved to "sending" by a compare-and-set first; if another worker got
    there (or the message was sent already), nothing happens. Never raises on a send
    failure: the message is left failed with the error and a time for the next attempt.
    ``now`` is the moment a failed message must be due by (the retry run's)."""
    now = now or timezone.now()
    claimed = (
        Message.objects.filter(pk=message_id)
        .filter(
            models.Q(status=MessageStatus.QUEUED)
            | models.Q(status=MessageStatus.FAILED, next_attempt_at__lte=now)
        )
        .update(
            status=MessageStatus.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=None,
            last_attempt_at=now,
        )
    )
    if not claimed:
        return False
    message = Message.objects.get(pk=message_id)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_address],
        headers={"X-Redthread-Message": str(message.pk)},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        for attachment in message.attachments.all():
            email.attach(_mime_part(attachment))
        email.send()
    except Exception as error:
        logger.warning("Message %s not sent (attempt %s): %s", message.pk, message.attempts, error)
        message.status = MessageStatus.FAILED
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.next_attempt_at = (
            timezone.now() + retry_delay(message.attempts)
            if message.attempts < MAX_ATTEMPTS
            else None
        )
        message.save(update_fields=["status", "last_error", "next_attempt_at"])
        return False
    message.status = MessageStatus.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "sent_at", "last_error"])
    return True


def _mime_part(attachment: MessageAttachment) -> MIMEText:
    """The attachment as a MIME part that keeps its type's parameters (Django's
    ``attach(filename, content, mimetype)`` would drop ``method=…``)."""
    main_type, _slash, rest = attachment.content_type.partition("/")
    subtype, *parameters = (part.strip() for part in rest.split(";"))
    if main_type != "text":
        raise ValueError(f"Only text attachments are stored, not {attachment.content_type}")
    part = MIMEText(attachment.content, subtype, "utf-8")
    for parameter in parameters:
        name, _equals, value = parameter.partition("=")
        part.set_param(name.strip(), value.strip().strip('"'))
    part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
    return part


@task()
def message_deliver_task(message_id: int) -> None:
    """The background half of :func:`message_send`; never raises."""
    try:
        message_deliver(message_id=message_id)
    except Exception:  # a bug, not a send failure: log it, the retry run picks it up
        logger.exception("Delivering message %s failed", message_id)


def messages_retry_due(*, now: datetime.datetime | None = None) -> int:
    """Sends the failed messages whose next attempt is due (and queued ones whose task was
    lost), and marks those a stopped worker left "sending" as failed (they may or may not
    have left: the office decides whether to resend). Returns how many were sent. Safe to
    run concurrently: each message is claimed by a compare-and-set before it is sent."""
    now = now or timezone.now()
    Message.objects.filter(
        status=MessageStatus.SENDING, last_attempt_at__lt=now - SENDING_STALE_AFTER
    ).update(status=MessageStatus.FAILED, last_error=STALE_ERROR)
    due = list(
        Message.objects.filter(
            models.Q(status=MessageStatus.FAILED, next_attempt_at__lte=now)
            # Queued long ago and never tried: its task was lost (a worker's queue wiped).
            | models.Q(status=MessageStatus.QUEUED, created__lt=now - QUEUED_LOST_AFTER)
        )
        .order_by("created", "pk")
        .values_list("pk", flat=True)
    )
    return sum(message_deliver(message_id=pk, now=now) for pk in due)


def message_resend(*, message: Message) -> Message:
    """Queues a failed message again (the office's "Skicka igen"); sent after the commit.
    A message in any other status is returned unchanged."""
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
            status=MessageStatus.QUEUED, next_attempt_at=None
        )
        if updated:
            _enqueue(message.pk)
    message.refresh_from_db()
    return message


def account_mail_send(*, user: User, kind: str, context: dict[str, Any]) -> None:
    """The sender accounts uses for invitations and password resets."""
    message_send(
        to=user,
        kind=kind,
        template=f"messaging/email/{kind}",
        context=context,
        about=user.email,
    )
