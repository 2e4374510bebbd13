"""The demo outbox: messages sent, failed and still queued, so the office's outbox and each
person's own messages have something to show (rendered from the real templates), and demo
users with different notice choices."""

from __future__ import annotations

import datetime
from io import TextIOBase
from typing import Any

from django.utils import timezone

from redthread.accounts.models import User
from redthread.core.demo import step

from .models import Message, MessageStatus, NoticePreference
from .notices import Frequency, notice_kinds
from .services import message_build, retry_delay

#: The token in the demo's sample password-reset link: published, demo only.
DEMO_LINK_TOKEN = "demo-lank"  # noqa: S105 - published, demo only  # nosec B105

#: (recipient, kind, status, days ago, the error for a failed one).
DEMO_MESSAGES: list[tuple[str, str, MessageStatus, int, str]] = [
    ("coach@demo.test", "invitation", MessageStatus.SENT, 30, ""),
    ("foretag@demo.test", "invitation", MessageStatus.SENT, 21, ""),
    ("partner@demo.test", "invitation", MessageStatus.SENT, 20, ""),
    ("coach@demo.test", "password_reset", MessageStatus.SENT, 3, ""),
    (
        "inkopare@exempelverkstaden.invalid",
        "respondent_link",
        MessageStatus.FAILED,
        2,
        "SMTPRecipientsRefused: {'inkopare@exempelverkstaden.invalid': "
        "(550, b'5.1.1 <inkopare@exempelverkstaden.invalid>: Recipient address rejected: "
        "User unknown')}",
    ),
    (
        "finansiar@demo.test",
        "invitation",
        MessageStatus.FAILED,
        0,
        "ConnectionRefusedError: [Errno 111] Connection refused",
    ),
    ("foretag@demo.test", "password_reset", MessageStatus.QUEUED, 0, ""),
]


def _context(kind: str, address: str) -> dict[str, Any]:
    if kind == "respondent_link":
        return {
            "url": "http://127.0.0.1:8000/sjalvskattning/demo-lank/1/",
            "company": {"name": "Exempelverkstaden AB"},
            "instrument": "Lean-mognad",
            "expires": timezone.now() + datetime.timedelta(days=19),
        }
    return {
        "email": address,
        "domain": "127.0.0.1:8000",
        "protocol": "http",
        "uid": "ZGVtbw",
        "token": DEMO_LINK_TOKEN,
    }


@step("outbox", order=60)
def load_outbox(out: TextIOBase) -> None:
    if Message.objects.filter(to_address__endswith="@demo.test").exists():
        out.write("  outbox already loaded\n")
        return
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.test")}
    now = timezone.now()
    for address, kind, status, days_ago, error in DEMO_MESSAGES:
        user = users.get(address)
        template = (
            "assessments/email/respondent_link"
            if kind == "respondent_link"
            else f"messaging/email/{kind}"
        )
        message = message_build(
            to=user or address,
            kind=kind,
            template=template,
            context=_context(kind, address),
            about="Exempelverkstaden AB T0" if kind == "respondent_link" else address,
        )
        message.status = status
        if status == MessageStatus.SENT:
            message.attempts, message.sent_at = 1, now - datetime.timedelta(days=days_ago)
        elif status == MessageStatus.FAILED:
            message.attempts, message.last_error = 3, error
            message.last_attempt_at = now - datetime.timedelta(hours=1)
            # The unknown address is given up on; the refused connection is retried.
            if "Connection refused" in error:
                message.next_attempt_at = now + retry_delay(3)
        message.save()
        # The creation time is set by the database; move it back to when it was "sent".
        Message.objects.filter(pk=message.pk).update(
            created=now - datetime.timedelta(days=days_ago, minutes=5)
        )
    out.write(f"  {len(DEMO_MESSAGES)} messages in the outbox\n")


#: Each demo user's notice choices, so the profile page shows them different: the office
#: hears of applications at once, the coach gets the week's action items in the daily digest,
#: the company no status changes at all (the kinds not named keep their defaults).
DEMO_NOTICE_SETTINGS: dict[str, dict[str, Frequency]] = {
    "programledare@demo.test": {"engagement_applied": Frequency.IMMEDIATELY},
    "coach@demo.test": {
        "engagement_status": Frequency.IMMEDIATELY,
        "action_items_week": Frequency.DAILY,
        "coach_week": Frequency.IMMEDIATELY,
    },
    "partner@demo.test": {
        "engagement_status": Frequency.DAILY,
        "action_items_week": Frequency.NEVER,
    },
    "foretag@demo.test": {
        "engagement_approved": Frequency.IMMEDIATELY,
        "engagement_status": Frequency.NEVER,
        "action_items_week": Frequency.DAILY,
    },
}


@step("notice settings", order=61)
def load_notice_settings(out: TextIOBase) -> None:
    registered = {kind.code for kind in notice_kinds()}
    users = {u.email: u for u in User.objects.filter(email__in=DEMO_NOTICE_SETTINGS)}
    count = 0
    for address, choices in DEMO_NOTICE_SETTINGS.items():
        user = users.get(address)
        if user is None:
            continue
        for kind, frequency in choices.items():
            if kind in registered:
                NoticePreference.objects.update_or_create(
                    user=user, kind=kind, defaults={"frequency": frequency}
                )
                count += 1
    out.write(f"  {count} notice choices for {len(users)} users\n")
