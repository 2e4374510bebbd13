"""The coach's calendar: coming plan steps, assessments and sessions, on a page and as an
iCalendar feed at a secret, revocable address."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from .models import (
    CalendarFeed,
    Engagement,
    EngagementStatus,
    PlanAssessment,
    PlanStep,
    PlanStepStatus,
    Session,
)


@dataclass(frozen=True)
class Event:
    uid: str
    date: datetime.date
    title: str
    engagement: Engagement
    start: datetime.time | None = None
    minutes: int = 0


def calendar_events(*, user: Any, start: datetime.date, end: datetime.date) -> list[Event]:
    """What ``user`` has coming in [start, end] in the engagements it may see."""
    engagements = Engagement.objects.visible_to(user).filter(status__in=EngagementStatus.SCHEDULED)
    events: list[Event] = []
    for step in PlanStep.objects.filter(
        engagement__in=engagements, status=PlanStepStatus.PLANNED, planned_date__range=(start, end)
    ).select_related("engagement__company", "module_version"):
        events.append(
            Event(
                f"step-{step.pk}",
                step.planned_date,
                f"{step.module_version.name} – {step.engagement.company.name}",
                step.engagement,
            )
        )
    for point in PlanAssessment.objects.filter(
        engagement__in=engagements, planned_date__range=(start, end)
    ).select_related("engagement__company"):
        events.append(
            Event(
                f"assessment-{point.pk}",
                point.planned_date,
                f"{point.timepoint} – {point.engagement.company.name}",
                point.engagement,
            )
        )
    for session in Session.objects.filter(
        engagement__in=engagements, date__range=(start, end)
    ).select_related("engagement__company"):
        events.append(
            Event(
                f"session-{session.pk}",
                session.date,
                session.engagement.company.name,
                session.engagement,
                session.start_time,
                session.duration_minutes,
            )
        )
    return sorted(events, key=lambda e: (e.date, e.start or datetime.time.min, e.title))


def calendar_feed_get(*, token: str) -> CalendarFeed | None:
    """The feed at the secret address ``token``, if it is live and its user still active."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )


def calendar_feed_get_or_create(*, user: Any) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


def calendar_feed_revoke(*, user: Any) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = calendar_feed_get_or_create(user=user)
    feed.token = secrets.token_urlsafe(32)
    feed.save(update_fields=["token", "created"])
    return feed


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ical(events: list[Event], *, name: str) -> str:
    """RFC 5545 text: all-day events for plan steps and assessments, timed ones for sessions
    (local Swedish time)."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Röd tråd//SV",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Europe/Stockholm",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}@redthread",
            f"DTSTAMP:{stamp}",
            f"SUMMARY:{_escape(event.title)}",
        ]
        if event.start is not None:
            begin = datetime.datetime.combine(event.date, event.start)
            finish = begin + datetime.timedelta(minutes=event.minutes or 60)
            lines += [
                f"DTSTART;TZID=Europe/Stockholm:{begin:%Y%m%dT%H%M%S}",
                f"DTEND;TZID=Europe/Stockholm:{finish:%Y%m%dT%H%M%S}",
            ]
        else:
            lines += [
                f"DTSTART;VALUE=DATE:{event.date:%Y%m%d}",
                f"DTEND;VALUE=DATE:{event.date + datetime.timedelta(days=1):%Y%m%d}",
            ]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
