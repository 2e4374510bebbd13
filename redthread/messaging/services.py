"""The outbox: every e-mail the platform sends goes through :func:`message_send`.

A message is rendered and stored first, then sent by a background task after the
transaction commits. Sending never raises into the caller: a refused or unreachable SMTP
server leaves the message failed with its reason and a time for the next attempt, and
:func:`messages_retry_due` (``redthread messages_retry_due``, run by the worker host's cron)
tries again with exponential back-off. A status compare-and-set before each attempt means
two workers, or a retry run twice, never send one message twice.

Notices and reminders (the kinds the apps above register in ``notices.py``) go through
:func:`notice_send`: once per recipient, kind and period, sent as the recipient chose (at
once, in the daily digest, never), each with a signed one-click unsubscribe link.
:func:`notices_run` (``redthread notices_run``, daily) makes the scheduled ones and the digests.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from redthread.accounts.models import User

from .models import (
    AddressOptOut,
    Message,
    MessageAttachment,
    MessageStatus,
    Notice,
    NoticePreference,
    recipient_key,
)
from .notices import Frequency, NoticeKind, notice_kind, notice_kinds, notice_kinds_for

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
    about_text: str = "",
    idempotency_key: str | None = None,
    unsubscribe_url: str = "",
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
        idempotency_key=idempotency_key,
        unsubscribe_url=unsubscribe_url,
    )
    if isinstance(about, models.Model):
        message.about_type = ContentType.objects.get_for_model(about)
        message.about_id = about.pk
        message.about_text = (about_text or str(about))[:200]
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
    about_text: str = "",
    idempotency_key: str | None = None,
    unsubscribe_url: str = "",
) -> Message:
    """Renders ``template`` (``<template>_subject.txt``, ``<template>.txt`` and
    ``<template>.html``, the latter two extending ``messaging/email/base.*``) in the
    recipient's language, stores the message and queues its sending for after the commit.

    ``to`` is a user (their address and preferred language are used) or an address.
    ``about`` is the object the message concerns, or a short text. ``attachments`` are
    stored with the message and sent with every attempt. Returns the stored message, status
    queued; it is never sent before the caller's transaction commits.

    With ``idempotency_key``, a second call with the same key stores and sends nothing and
    returns the first message. ``unsubscribe_url`` becomes the List-Unsubscribe header."""
    if idempotency_key:
        existing = Message.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    message = message_build(
        to=to,
        kind=kind,
        template=template,
        context=context,
        language=language,
        about=about,
        about_text=about_text,
        idempotency_key=idempotency_key,
        unsubscribe_url=unsubscribe_url,
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # Another run stored the same key between the look-up and the save.
        return Message.objects.get(idempotency_key=idempotency_key)
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
    headers = {"X-Redthread-Message": str(message.pk)}
    if message.unsubscribe_url:
        # RFC 2369 and RFC 8058: a mail client may unsubscribe with one POST, no page.
        headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_address],
        headers=headers,
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


# Notices and reminders ---------------------------------------------------------------
#
# The apps above register their kinds (notices.py) and call notice_send when something
# happens; scheduled kinds are made by their producers when notices_run runs (cron, daily).
# A notice is made once per recipient, kind and period (a unique row), so a run repeated,
# or two at once, never sends one twice.

UNSUBSCRIBE_SALT = "redthread.messaging.unsubscribe"

_suppressed: contextvars.ContextVar[bool] = contextvars.ContextVar("notices_off", default=False)


@contextlib.contextmanager
def notices_suppressed() -> Iterator[None]:
    """No notice is made inside the block: for the demo, whose fabricated history (years of
    enrolments and status changes) must not mail anyone."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


@dataclass(frozen=True)
class Unsubscribe:
    """What a valid unsubscribe link stands for: a recipient and the kinds it names."""

    recipient_key: str
    kinds: tuple[NoticeKind, ...]
    user: User | None
    address: str


def unsubscribe_token_make(*, to: User | str, kinds: Iterable[str]) -> str:
    """A signed token naming the recipient and the kinds: the link works without login and
    cannot be changed to another recipient. It does not expire (RFC 8058 asks links to keep
    working for a long time)."""
    return signing.dumps({"r": recipient_key(to), "k": sorted(set(kinds))}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(*, to: User | str, kinds: Iterable[str]) -> str:
    token = unsubscribe_token_make(to=to, kinds=kinds)
    return settings.SITE_URL.rstrip("/") + reverse("messaging:unsubscribe", args=[token])


def unsubscribe_token_read(token: str) -> Unsubscribe | None:
    """The link's recipient and kinds, or None for a token that is forged, damaged, names
    a user who no longer exists or no kind that is registered."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    key, codes = data.get("r"), data.get("k")
    if not isinstance(key, str) or not isinstance(codes, list):
        return None
    registered = {kind.code: kind for kind in notice_kinds()}
    kinds = tuple(registered[c] for c in codes if isinstance(c, str) and c in registered)
    if not kinds:
        return None
    if key.startswith("a:"):
        return Unsubscribe(key, kinds, None, key[2:])
    user = User.objects.filter(pk=int(key[1:])).first() if key[1:].isdigit() else None
    if user is None:
        return None
    return Unsubscribe(key, kinds, user, user.email)


def notice_unsubscribe(*, unsubscribe: Unsubscribe) -> None:
    """Switches the link's kinds off for its recipient: nothing of them is sent again, and
    what waited for the day's digest is dropped."""
    codes = [kind.code for kind in unsubscribe.kinds]
    with transaction.atomic():
        for code in codes:
            if unsubscribe.user is not None:
                NoticePreference.objects.update_or_create(
                    user=unsubscribe.user, kind=code, defaults={"frequency": Frequency.NEVER}
                )
            else:
                AddressOptOut.objects.get_or_create(address=unsubscribe.address, kind=code)
        _pending_drop(key=unsubscribe.recipient_key, codes=codes)


def _pending_drop(*, key: str, codes: Iterable[str]) -> None:
    Notice.objects.filter(
        recipient_key=key, kind__in=list(codes), message__isnull=True, frequency=Frequency.DAILY
    ).update(frequency=Frequency.NEVER)


def notice_preferences_set(*, user: User, choices: dict[str, str]) -> None:
    """Stores the user's choice for each kind (immediately, daily, never); kinds their role
    is not offered and unknown frequencies are ignored. Switching a kind off drops what
    waited for the digest."""
    offered = {kind.code for kind in notice_kinds_for(user)}
    with transaction.atomic():
        for code, frequency in choices.items():
            if code not in offered or frequency not in Frequency.values:
                continue
            NoticePreference.objects.update_or_create(
                user=user, kind=code, defaults={"frequency": frequency}
            )
        off = [c for c, f in choices.items() if c in offered and f == Frequency.NEVER]
        _pending_drop(key=recipient_key(user), codes=off)


def notice_frequency(*, to: User | str, kind: str) -> Frequency:
    """How often ``to`` gets ``kind``: a user's own choice or the kind's default; an address
    gets each notice at once unless it unsubscribed."""
    default = notice_kind(kind).default
    if isinstance(to, User):
        chosen = NoticePreference.objects.filter(user=to, kind=kind).values_list(
            "frequency", flat=True
        )
        return Frequency(chosen[0]) if chosen else default
    if AddressOptOut.objects.filter(address__iexact=to.strip(), kind=kind).exists():
        return Frequency.NEVER
    return Frequency.NEVER if default == Frequency.NEVER else Frequency.IMMEDIATELY


def notice_send(
    *,
    kind: str,
    to: User | str,
    period: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
    about: models.Model | str | None = None,
    language: str | None = None,
) -> Notice | None:
    """Makes the notice ``kind`` for ``to`` once for ``period`` and sends it as the
    recipient chose: in its own message now, in the next daily digest, or not at all.

    Returns the notice, or None when nothing was made: the recipient switched the kind off,
    is an inactive user, or already has this kind for this period (so calling it twice, or
    from two runs at once, sends one). ``context`` may be a callable, called only when the
    notice is made. Sent after the caller's transaction commits, like every message."""
    notice_kind_ = notice_kind(kind)
    user = to if isinstance(to, User) else None
    if _suppressed.get() or (user is not None and not user.is_active):
        return None
    key = recipient_key(to)
    if Notice.objects.filter(kind=kind, recipient_key=key, period=period).exists():
        return None
    frequency = notice_frequency(to=to, kind=kind)
    if frequency == Frequency.NEVER:
        return None
    language = language or getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    with transaction.atomic():
        try:
            with transaction.atomic():
                notice = Notice.objects.create(
                    kind=kind,
                    recipient_key=key,
                    recipient=user,
                    to_address=user.email if user is not None else str(to).strip(),
                    period=period,
                    language=language,
                    frequency=frequency,
                )
        except IntegrityError:
            return None  # another run made it first
        values = context() if callable(context) else context
        full_context = {**values, "site_url": settings.SITE_URL, "recipient": user}
        template = notice_kind_.template
        with translation.override(language):
            notice.subject = " ".join(
                render_to_string(f"{template}_subject.txt", full_context).split()
            )[:255]
            notice.body_text = render_to_string(f"{template}_body.txt", full_context).strip()
            notice.body_html = render_to_string(f"{template}_body.html", full_context)
        if isinstance(about, models.Model):
            notice.about_text = str(about)[:200]
        elif about:
            notice.about_text = about[:200]
        notice.save()
        if frequency == Frequency.IMMEDIATELY:
            link = unsubscribe_url(to=to, kinds=[kind])
            notice.message = message_send(
                to=to,
                kind=kind,
                template="messaging/email/notice",
                context={"notice": notice, "kind": notice_kind_, "unsubscribe_url": link},
                language=language,
                about=about,
                idempotency_key=f"notice:{notice.pk}",
                unsubscribe_url=link,
            )
            notice.save(update_fields=["message"])
    return notice


def notice_digests_send(*, today: datetime.date) -> int:
    """Sends each recipient one digest of the notices that waited for it (those made
    "daily"), at most one a day: a second run the same day sends nothing, and what came
    after the day's digest waits for the next. Returns how many digests were made."""
    pending = list(
        Notice.objects.filter(message__isnull=True, frequency=Frequency.DAILY)
        .select_related("recipient")
        .order_by("recipient_key", "created", "pk")
    )
    registered = {kind.code: kind for kind in notice_kinds()}
    groups: dict[str, list[Notice]] = {}
    for notice in pending:
        if notice.kind in registered:
            groups.setdefault(notice.recipient_key, []).append(notice)
    made = 0
    for key, notices in groups.items():
        idempotency_key = f"digest:{key}:{today.isoformat()}"
        if Message.objects.filter(idempotency_key=idempotency_key).exists():
            continue
        first = notices[0]
        to: User | str = first.recipient if first.recipient is not None else first.to_address
        if isinstance(to, User) and not to.is_active:
            continue
        sections = [
            {
                "notice": n,
                "kind": registered[n.kind],
                "unsubscribe_url": unsubscribe_url(to=to, kinds=[n.kind]),
            }
            for n in notices
        ]
        language = getattr(to, "preferred_language", "") or first.language
        with transaction.atomic():
            message = message_send(
                to=to,
                kind="digest",
                template="messaging/email/digest",
                context={"sections": sections, "today": today},
                language=language,
                about=_("Sammanställning %(day)s") % {"day": today.isoformat()},
                idempotency_key=idempotency_key,
                unsubscribe_url=unsubscribe_url(to=to, kinds={n.kind for n in notices}),
            )
            Notice.objects.filter(pk__in=[n.pk for n in notices], message__isnull=True).update(
                message=message
            )
        made += 1
    return made


@dataclass
class NoticeRun:
    made: dict[str, int]
    digests: int
    failed: list[str]


def notices_run(*, today: datetime.date | None = None) -> NoticeRun:
    """What ``redthread notices_run`` does (run it daily from cron, in the morning): each
    scheduled kind's producer makes the notices due today (each once per its period), then
    the day's digests go out. A producer that fails is logged and the others still run.
    Safe to run again the same day: nothing is sent twice."""
    today = today or timezone.localdate()
    made: dict[str, int] = {}
    failed: list[str] = []
    for kind in notice_kinds():
        if kind.producer is None:
            continue
        try:
            count = 0
            for delivery in kind.producer(today):
                notice = notice_send(
                    kind=kind.code,
                    to=delivery.to,
                    period=delivery.period,
                    context=delivery.context,
                    about=delivery.about,
                    language=delivery.language,
                )
                count += notice is not None
            made[kind.code] = count
        except Exception:
            logger.exception("Making the notices %s failed", kind.code)
            failed.append(kind.code)
    return NoticeRun(made, notice_digests_send(today=today), failed)
