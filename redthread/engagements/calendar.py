"""The coach's calendar: coming plan steps, assessments, booked and logged sessions, on a
page and as an iCalendar feed at a secret, revocable address; and the invitation a booked
session sends (METHOD:REQUEST, an update with a higher SEQUENCE, METHOD:CANCEL)."""

from __future__ import annotations

import datetime
import secrets
import unicodedata
import zoneinfo
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from redthread.accounts.models import User
from redthread.accounts.typing import RequestUser

from .models import (
    BookedSession,
    BookingStatus,
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
    #: A booked session (not yet logged), with its place and invitation sequence.
    booking: BookedSession | None = None

    @property
    def path(self) -> str:
        """The page the event comes from: the booking's, or the engagement's."""
        if self.booking is not None:
            return self.booking.get_absolute_url()
        return self.engagement.get_absolute_url()


ZONE = "Europe/Stockholm"


def booking_title(booking: BookedSession) -> str:
    """The booking's title in the active language, e.g. "Coachning: 5S – Exempel AB"."""
    if booking.plan_step is not None:
        return _("Coachning: %(module)s – %(company)s") % {
            "module": booking.plan_step.module_version.name,
            "company": booking.engagement.company.name,
        }
    return _("Coachning – %(company)s") % {"company": booking.engagement.company.name}


def booking_location(booking: BookedSession) -> str:
    """Where it is: the place, the video link, or both."""
    return ", ".join(part for part in (booking.place, booking.video_link) if part)


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
                f"{point.get_timepoint_display()} – {point.engagement.company.name}",
                point.engagement,
            )
        )
    for booking in BookedSession.objects.filter(
        engagement__in=engagements, status=BookingStatus.BOOKED, date__range=(start, end)
    ).select_related("engagement__company", "plan_step__module_version"):
        events.append(
            Event(
                booking.uid,
                booking.date,
                booking_title(booking),
                booking.engagement,
                booking.start_time,
                booking.duration_minutes,
                booking=booking,
            )
        )
    # A month's sessions are few beside all of a busy coach's: read through the date index,
    # each row's engagement checked (EXISTS), rather than every session of its engagements.
    for session in (
        Session.objects.filter(date__range=(start, end))
        .filter(Exists(engagements.filter(pk=OuterRef("engagement_id"))))
        .select_related("engagement__company")
    ):
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


def _timezones(calendar: icalendar.Calendar, dates: list[datetime.date]) -> None:
    """The VTIMEZONE of Europe/Stockholm for the span of ``dates`` (a year either side), from
    the zone database, so every calendar program reads the local times alike."""
    if dates:
        year = datetime.timedelta(days=366)
        calendar.add_missing_timezones(first_date=min(dates) - year, last_date=max(dates) + year)


def _timed(item: icalendar.Event, date: datetime.date, start: datetime.time, minutes: int) -> None:
    begin = datetime.datetime.combine(date, start, tzinfo=zoneinfo.ZoneInfo(ZONE))
    item.add("dtstart", begin)
    item.add("dtend", begin + datetime.timedelta(minutes=minutes or 60))


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def ical(events: list[Event], *, name: str, url: str = "") -> str:
    """RFC 5545 text, written by the icalendar library (folding and escaping): all-day
    events for plan steps and assessments, timed ones for sessions and booked sessions
    (local Swedish time, with the zone's VTIMEZONE). Each event links to its page; the
    calendar to ``url`` (the calendar page)."""
    stamp = timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Röd tråd//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _plain(name))
    calendar.add("x-wr-timezone", ZONE)
    if url:
        calendar.add("url", url)
    for event in events:
        item = icalendar.Event()
        # A booking's UID is its invitation's, so the two are one event in a calendar.
        item.add("uid", event.uid if event.booking is not None else f"{event.uid}@redthread")
        item.add("dtstamp", stamp)
        item.add("summary", _plain(event.title))
        if event.engagement.pk is not None:
            item.add("url", _absolute(event.path))
        if event.booking is not None:
            item.add("sequence", event.booking.sequence)
            location = booking_location(event.booking)
            if location:
                item.add("location", _plain(location))
        if event.start is not None:
            _timed(item, event.date, event.start, event.minutes)
        else:
            item.add("dtstart", event.date)
            item.add("dtend", event.date + datetime.timedelta(days=1))
        calendar.add_component(item)
    _timezones(calendar, [e.date for e in events if e.start is not None])
    text: str = calendar.to_ical().decode()
    return text


#: The invitation's methods (RFC 5546): a new or changed booking, and a cancelled one.
REQUEST, CANCEL = "REQUEST", "CANCEL"


def booking_ical(
    booking: BookedSession,
    *,
    method: str,
    organizer: User | None,
    attendees: list[tuple[str, str]],
) -> str:
    """The invitation for ``booking`` in the active language: METHOD ``REQUEST`` (new, or
    changed: the caller has raised ``booking.sequence``) or ``CANCEL``, with the booking's
    stable UID, its sequence, the organising coach and ``attendees`` as (name, address)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Röd tråd//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    item = icalendar.Event()
    item.add("uid", booking.uid)
    item.add("sequence", booking.sequence)
    item.add("dtstamp", timezone.now())
    item.add("summary", _plain(booking_title(booking)))
    _timed(item, booking.date, booking.start_time, booking.duration_minutes)
    location = booking_location(booking)
    if location:
        item.add("location", _plain(location))
    description = [booking.get_mode_display()]
    if booking.video_link:
        description.append(_("Videolänk: %(link)s") % {"link": booking.video_link})
    item.add("description", "\n".join(_plain(line) for line in description))
    item.add("url", _absolute(booking.engagement.get_absolute_url()))
    item.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    if organizer is not None:
        item.add(
            "organizer", f"mailto:{organizer.email}", parameters={"cn": _plain(str(organizer))}
        )
    for name, address in attendees:
        item.add(
            "attendee",
            f"mailto:{address}",
            parameters={
                "cn": _plain(name or address),
                "role": "REQ-PARTICIPANT",
                "partstat": "NEEDS-ACTION",
                "rsvp": "FALSE",
            },
        )
    calendar.add_component(item)
    _timezones(calendar, [booking.date])
    text: str = calendar.to_ical().decode()
    return text
