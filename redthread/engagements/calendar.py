"""The coach's calendar: coming plan steps, assessments and sessions, on a page and as an
iCalendar feed at a secret, revocable address."""

from __future__ import annotations

import datetime
import secrets
import unicodedata
import zoneinfo
from dataclasses import dataclass

import icalendar
from django.utils import timezone

from redthread.accounts.models import User
from redthread.accounts.typing import RequestUser

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


def calendar_events(*, user: RequestUser, start: datetime.date, end: datetime.date) -> list[Event]:
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


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


def calendar_feed_revoke(*, user: User) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = calendar_feed_get_or_create(user=user)
    feed.token = secrets.token_urlsafe(32)
    feed.save(update_fields=["token", "created"])
    return feed


def _plain(text: str) -> str:
    """``text`` on one line with every control character (a bare CR, a line feed, NUL, a
    form feed…) replaced by a space: nothing in a title or a name can end a property and
    start an injected one, whatever the reading calendar makes of escapes."""
    return " ".join(
        "".join(" " if unicodedata.category(char) == "Cc" else char for char in str(text)).split()
    )


def ical(events: list[Event], *, name: str) -> str:
    """RFC 5545 text, written by the icalendar library (folding and escaping): all-day
    events for plan steps and assessments, timed ones for sessions (local Swedish time)."""
    zone = zoneinfo.ZoneInfo("Europe/Stockholm")
    stamp = timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Röd tråd//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _plain(name))
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    for event in events:
        item = icalendar.Event()
        item.add("uid", f"{event.uid}@redthread")
        item.add("dtstamp", stamp)
        item.add("summary", _plain(event.title))
        if event.start is not None:
            begin = datetime.datetime.combine(event.date, event.start, tzinfo=zone)
            item.add("dtstart", begin)
            item.add("dtend", begin + datetime.timedelta(minutes=event.minutes or 60))
        else:
            item.add("dtstart", event.date)
            item.add("dtend", event.date + datetime.timedelta(days=1))
        calendar.add_component(item)
    text: str = calendar.to_ical().decode()
    return text
