"""The reminder assessments sends through the outbox: a respondent whose e-mailed
self-assessment link is still unanswered ``REDTHREAD_RESPONDENT_REMINDER_DAYS`` after it was
sent (the last time) gets one reminder, never a second.

The stored link is only a hash, so the reminder carries a new link to the same response
(answers given so far stay; the earlier link stops working; the expiry date is kept).
Registered with messaging in ``AssessmentsConfig.ready``; ``redthread notices_run`` makes
the reminders each day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from functools import partial
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from redthread.messaging.models import MessageStatus
from redthread.messaging.notices import Delivery, NoticeKind, register_notice
from redthread.messaging.selectors import messages_about

from .models import Response, ResponseMode, ResponseStatus

RESPONDENT_REMINDER = "respondent_reminder"


def _reminder_context(response: Response, days: int) -> dict[str, Any]:
    from .services import response_issue_link

    token = response_issue_link(response=response, expires=response.token_expires)
    round_ = response.round
    return {
        "url": settings.SITE_URL.rstrip("/") + reverse("assessments:self_page", args=[token, 1]),
        "company": round_.company,
        "instrument": round_.instrument.parsed.name,
        "expires": response.token_expires,
        "days": days,
    }


def respondent_reminders(today: datetime.date) -> Iterator[Delivery]:
    """The reminders due: unanswered self-assessments with a working link whose last link
    e-mail was sent at least the set number of days ago."""
    days: int = settings.REDTHREAD_RESPONDENT_REMINDER_DAYS
    if days <= 0:
        return
    now = timezone.now()
    waiting = {
        response.pk: response
        for response in Response.objects.filter(
            mode=ResponseMode.SELF, status=ResponseStatus.DRAFT, token_expires__gt=now
        ).select_related("round__company", "round__instrument")
    }
    latest = {}
    for message in (
        messages_about(kind="respondent_link", model=Response, ids=waiting)
        .filter(status=MessageStatus.SENT)
        .order_by("sent_at", "pk")
    ):
        latest[message.about_id] = message  # the last link sent is the one that counts
    cutoff = now - datetime.timedelta(days=days)
    for response_id, message in latest.items():
        if message.sent_at is None or message.sent_at > cutoff or response_id is None:
            continue
        response = waiting[response_id]
        yield Delivery(
            to=message.to_address,
            period=f"response:{response.pk}",
            context=partial(_reminder_context, response, days),
            about=str(response.round),
            language=message.language,
        )


def notices_register() -> None:
    register_notice(
        NoticeKind(
            RESPONDENT_REMINDER,
            _("Påminnelser om självskattningar"),
            _("En påminnelse till den som inte har svarat på en självskattning."),
            "assessments/email/respondent_reminder",
            producer=respondent_reminders,
            order=30,
        )
    )
