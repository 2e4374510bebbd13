"""The coach's calendar: a secret, revocable feed and the events it lists."""

from __future__ import annotations

import datetime

from django.urls import reverse

from redthread.engagements import services

from .conftest import START


def test_the_coachs_calendar_feed_is_secret_and_revocable(enrolled, world, client):
    from redthread.engagements.calendar import calendar_feed_get_or_create

    services.engagement_status_change(engagement=enrolled, to_status="approved", actor=None)
    feed = calendar_feed_get_or_create(user=world.users["coach"])
    url = reverse("engagements:calendar_feed", kwargs={"token": feed.token})
    with_dates = client.get(url)
    # The plan starts in February 2026; the feed covers a year ahead of "today", so only
    # check what it is, not which events fall inside the window.
    assert with_dates.status_code == 200
    assert with_dates["Content-Type"].startswith("text/calendar")
    text = with_dates.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.rstrip().endswith("END:VCALENDAR")
    world.client("coach").post(reverse("engagements:calendar"))
    assert client.get(url).status_code == 404  # the old address no longer works


def test_calendar_events_list_steps_assessments_and_sessions(enrolled, world):
    from redthread.engagements.calendar import calendar_events, ical

    services.engagement_status_change(engagement=enrolled, to_status="approved", actor=None)
    services.session_log(
        engagement=enrolled,
        actor=world.users["coach"],
        date=START,
        start_time=datetime.time(9),
        duration_minutes=120,
        coaches=[world.users["coach"]],
    )
    events = calendar_events(
        user=world.users["coach"], start=START, end=START + datetime.timedelta(weeks=10)
    )
    kinds = sorted(e.uid.split("-")[0] for e in events)
    assert kinds == ["assessment", "session", "step", "step"]
    assert (
        calendar_events(
            user=world.users["other_coach"], start=START, end=START + datetime.timedelta(weeks=10)
        )
        == []
    )
    text = ical(events, name="Test")
    assert "DTSTART;TZID=Europe/Stockholm:20260202T090000" in text
    assert "DTEND;TZID=Europe/Stockholm:20260202T110000" in text
    assert f"DTSTART;VALUE=DATE:{START:%Y%m%d}" in text
