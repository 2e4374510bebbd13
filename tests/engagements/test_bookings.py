"""Booked sessions: the invitation through a real SMTP server (aiosmtpd on the loopback),
its .ics read back with icalendar (REQUEST, an update with SEQUENCE + 1, CANCEL), the
calendar and the feed, the company's panel, and never a booked hour counted as delivered."""

from __future__ import annotations

import datetime
from email.message import EmailMessage
from typing import Any

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from redthread.accounts.models import User
from redthread.engagements import selectors, services
from redthread.engagements.calendar import calendar_events, calendar_feed_get_or_create, ical
from redthread.engagements.models import BookedSession, BookingStatus, Engagement
from redthread.engagements.state_aid import de_minimis
from redthread.messaging.models import Message, MessageStatus
from redthread.registry.models import Person

from ..smtp_server import SmtpServer

pytestmark = pytest.mark.django_db


def _coming(days: int = 7) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def contact(world) -> Person:
    return Person.objects.create(
        organisation=world.company, first_name="Karin", last_name="Ek", email="karin@example.test"
    )


def book(engagement: Engagement, world, capture: Any, **kwargs: Any) -> BookedSession:
    facts: dict[str, Any] = {
        "engagement": engagement,
        "actor": world.users["coach"],
        "date": _coming(),
        "start_time": datetime.time(9, 30),
        "duration_minutes": 180,
        "coaches": [world.users["coach"]],
        "place": "Verkstadsvägen 1, Ljungby",
        "company_users": [world.users["company_user"]],
        **kwargs,
    }
    with capture(execute=True):
        return services.booking_create(**facts)


def ics_of(message: EmailMessage) -> tuple[icalendar.Calendar, Any, Any]:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(part.get_content())
    [event] = calendar.walk("VEVENT")
    return calendar, event, part


def by_address(smtp: SmtpServer) -> dict[str, EmailMessage]:
    return {m["To"]: m for m in smtp.messages}


def test_a_booking_invites_the_companys_contacts_with_a_calendar_request(
    enrolled, world, contact, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    no_address = Person.objects.create(organisation=world.company, first_name="Utan", last_name="E")
    company_user = world.users["company_user"]
    User.objects.filter(pk=company_user.pk).update(preferred_language="en")
    company_user.refresh_from_db()
    booking = book(
        enrolled,
        world,
        django_capture_on_commit_callbacks,
        people=[contact, no_address],
        company_users=[company_user],
        video_link="https://meet.example.test/abc",
    )

    received = by_address(smtp_server)
    assert set(received) == {contact.email, company_user.email}  # no address: not invited
    swedish, english = received[contact.email], received[company_user.email]
    assert swedish["Subject"].strip().startswith("Inbjudan: coachning")
    assert english["Subject"].strip().startswith("Invitation: coaching")
    text = swedish.get_body(preferencelist=("plain",))
    html = swedish.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert world.company.name in text.get_content()
    assert "Verkstadsvägen 1, Ljungby" in text.get_content()
    assert 'href="https://meet.example.test/abc"' in html.get_content()
    # Only the company user, who has an account, gets the link to the engagement.
    assert enrolled.get_absolute_url() not in text.get_content()
    english_text = english.get_body(preferencelist=("plain",))
    assert english_text is not None
    assert enrolled.get_absolute_url() in english_text.get_content()

    calendar, event, part = ics_of(swedish)
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "inbjudan.ics"
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == booking.uid
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == datetime.datetime.combine(
        booking.date, datetime.time(9, 30), tzinfo=event.decoded("DTSTART").tzinfo
    )
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(hours=3)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert "Verkstadsvägen 1" in str(event["LOCATION"])
    assert str(event["ORGANIZER"]) == f"mailto:{world.users['coach'].email}"
    attendees = sorted(str(a) for a in event.get("ATTENDEE"))
    assert attendees == sorted(f"mailto:{a}" for a in (contact.email, company_user.email))
    _calendar, english_event, _part = ics_of(english)
    assert str(english_event["SUMMARY"]).startswith("Coaching")
    assert str(event["SUMMARY"]).startswith("Coachning")
    assert Message.objects.filter(status=MessageStatus.SENT, kind="booking_invitation").count() == 2


def test_a_change_sends_an_update_with_a_higher_sequence_and_cancels_for_one_dropped(
    enrolled, world, contact, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    booking = book(enrolled, world, django_capture_on_commit_callbacks, people=[contact])
    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_update(
            booking=booking,
            coaches=[world.users["coach"]],
            people=[],
            company_users=[world.users["company_user"]],
            start_time=datetime.time(13),
        )
    received = by_address(smtp_server)
    assert set(received) == {contact.email, world.users["company_user"].email}
    calendar, event, _part = ics_of(received[world.users["company_user"].email])
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == booking.uid
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART").time() == datetime.time(13)
    assert received[world.users["company_user"].email]["Subject"].strip().startswith("Ändrat:")
    dropped, dropped_event, part = ics_of(received[contact.email])
    assert dropped["METHOD"] == "CANCEL"
    assert part.get_param("method") == "CANCEL"
    assert str(dropped_event["UID"]) == booking.uid
    assert received[contact.email]["Subject"].strip().startswith("Inställt:")

    # Saved again without a change: nothing is sent, the sequence stays.
    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        same = services.booking_update(
            booking=booking,
            coaches=[world.users["coach"]],
            people=[],
            company_users=[world.users["company_user"]],
            start_time=datetime.time(13),
        )
    assert same.sequence == 1
    assert smtp_server.messages == []


def test_a_cancellation_sends_method_cancel(
    enrolled, world, contact, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    booking = book(enrolled, world, django_capture_on_commit_callbacks, people=[contact])
    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking, actor=world.users["coach"])
    assert len(smtp_server.messages) == 2
    for message in smtp_server.messages:
        calendar, event, part = ics_of(message)
        assert calendar["METHOD"] == "CANCEL"
        assert part.get_param("method") == "CANCEL"
        assert str(event["UID"]) == booking.uid
        assert event["SEQUENCE"] == 1
        assert event["STATUS"] == "CANCELLED"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, actor=world.users["coach"])


def test_an_invitation_waits_for_a_server_that_is_down(
    enrolled, world, contact, smtp: SmtpServer, django_capture_on_commit_callbacks
):
    from redthread.messaging.services import messages_retry_due

    book(enrolled, world, django_capture_on_commit_callbacks, people=[contact])
    invitations = Message.objects.filter(kind="booking_invitation")
    assert set(invitations.values_list("status", flat=True)) == {MessageStatus.FAILED}
    smtp.start()
    # The enrolment's notice to the office may wait beside them and is sent too.
    assert messages_retry_due(now=timezone.now() + datetime.timedelta(hours=1)) >= 2
    assert set(invitations.values_list("status", flat=True)) == {MessageStatus.SENT}
    calendar, _event, _part = ics_of(by_address(smtp)[contact.email])
    assert calendar["METHOD"] == "REQUEST"  # the same attachment, kept with the message


def test_a_booked_session_never_counts_as_hours(
    enrolled, world, django_capture_on_commit_callbacks
):
    services.engagement_status_change(engagement=enrolled, to_status="approved", actor=None)
    services.engagement_status_change(engagement=enrolled, to_status="active", actor=None)
    enrolled.initiative.coach_hour_rate_sek = 1000
    enrolled.initiative.save()
    booking = book(enrolled, world, django_capture_on_commit_callbacks, date=timezone.localdate())

    def figures() -> tuple[Any, ...]:
        # The figures are annotations, unknown to the model's type.
        row: Any = selectors.engagement_figures(Engagement.objects.filter(pk=enrolled.pk)).get()
        board = selectors.overview(user=world.users["program_manager"], today=timezone.localdate())
        return (
            row.session_minutes or 0,
            board.coach_hours,
            board.session_count,
            de_minimis(company=world.company).total_sek,
        )

    assert figures() == (0, 0, 0, 0)
    session = services.booking_log(
        booking=booking,
        actor=world.users["coach"],
        **services.booking_session_defaults(booking=booking)
        | {"coaches": [world.users["coach"]], "plan_step": None},
    )
    assert figures() == (180, 3, 1, 3000)  # counted once, when logged
    booking.refresh_from_db()
    assert (booking.status, booking.session) == (BookingStatus.LOGGED, session)
    with pytest.raises(ValidationError):
        services.booking_log(booking=booking, actor=world.users["coach"], **_defaults(booking))


def _defaults(booking: BookedSession) -> dict[str, Any]:
    facts = services.booking_session_defaults(booking=booking)
    facts["coaches"] = list(booking.coaches.all())
    facts["plan_step"] = booking.plan_step
    return facts


def test_a_booking_is_logged_from_its_day_with_its_defaults(
    enrolled, world, django_capture_on_commit_callbacks
):
    step = enrolled.plan_steps.order_by("order").first()
    booking = book(
        enrolled, world, django_capture_on_commit_callbacks, plan_step=step, mode="remote"
    )
    with pytest.raises(ValidationError, match="från och med sin dag"):
        services.booking_log(booking=booking, actor=world.users["coach"], **_defaults(booking))
    BookedSession.objects.filter(pk=booking.pk).update(date=timezone.localdate())
    client = world.client("coach")
    url = reverse("engagements:booking_log", kwargs={"pk": enrolled.pk, "booking_pk": booking.pk})
    form = client.get(url).context["form"]
    assert form.initial["date"] == timezone.localdate()
    assert form.initial["start_time"] == datetime.time(9, 30)
    assert form.initial["duration_minutes"] == 180
    assert form.initial["mode"] == "remote"
    assert form.initial["coaches"] == [world.users["coach"].pk]
    assert form.initial["plan_step"] == step.pk
    response = client.post(
        url,
        {
            "date": timezone.localdate().isoformat(),
            "start_time": "09:30",
            "duration_minutes": "180",
            "mode": "remote",
            "coaches": [world.users["coach"].pk],
            "plan_step": step.pk,
            "step_done": "on",
            "women": "2",
            "men": "3",
            "other": "0",
            "company_hours": "7,5",
            "notes": "",
            "next_steps": "",
        },
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.LOGGED
    assert booking.session is not None
    assert (booking.session.duration_minutes, booking.session.mode) == (180, "remote")
    step.refresh_from_db()
    assert step.status == "done"
    # Logged: the booking can no longer be changed, cancelled or logged again.
    for name in ("booking_edit", "booking_cancel", "booking_log"):
        again = client.get(
            reverse(f"engagements:{name}", kwargs={"pk": enrolled.pk, "booking_pk": booking.pk})
        )
        assert again.status_code == 302


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"date": datetime.date(2020, 1, 1)}, "bakåt i tiden"),
        ({"place": "", "video_link": ""}, "plats eller en videolänk"),
        ({"duration_minutes": 50}, "hela kvartar"),
        ({"coaches": []}, "minst en coach"),
    ],
)
def test_a_booking_is_refused_with_its_reason(
    enrolled, world, django_capture_on_commit_callbacks, change, reason
):
    with pytest.raises(ValidationError, match=reason):
        book(enrolled, world, django_capture_on_commit_callbacks, **change)
    assert not BookedSession.objects.exists()
    assert not Message.objects.filter(kind="booking_invitation").exists()


def test_invitees_and_coaches_of_others_are_refused(
    enrolled, world, django_capture_on_commit_callbacks
):
    stranger = Person.objects.create(
        organisation=world.other_company, first_name="A", last_name="B", email="a@b.test"
    )
    with pytest.raises(ValidationError, match="arbetar inte på företaget"):
        book(enrolled, world, django_capture_on_commit_callbacks, people=[stranger])
    with pytest.raises(ValidationError, match="hör inte till företaget"):
        book(
            enrolled,
            world,
            django_capture_on_commit_callbacks,
            company_users=[world.users["other_company_user"]],
        )
    with pytest.raises(ValidationError, match="Inte coach i uppdraget"):
        book(
            enrolled,
            world,
            django_capture_on_commit_callbacks,
            coaches=[world.users["other_coach"]],
        )


def test_the_booking_form_books_and_bad_input_comes_back_with_errors(
    enrolled, world, contact, django_capture_on_commit_callbacks
):
    client = world.client("coach")
    url = reverse("engagements:booking_create", kwargs={"pk": enrolled.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["company_users"] == [world.users["company_user"].pk]
    payload = {
        "date": _coming().isoformat(),
        "start_time": "10:00",
        "duration_minutes": "120",
        "mode": "onsite",
        "place": "Hallen",
        "video_link": "",
        "coaches": [world.users["coach"].pk],
        "people": [contact.pk],
        "company_users": [world.users["company_user"].pk],
    }
    for bad in (
        {"date": "31.02.2026"},
        {"start_time": "25:99"},
        {"video_link": "javascript:alert(1)"},
        {"people": ["99999999999999999999999"]},
        {"coaches": ["x"]},
        {"duration_minutes": "7"},
    ):
        response = client.post(url, {**payload, **bad})
        assert response.status_code == 200, bad
        assert response.context["form"].errors, bad
    assert not BookedSession.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, payload)
    assert response.status_code == 302
    booking = BookedSession.objects.get()
    assert booking.place == "Hallen"
    assert Message.objects.filter(kind="booking_invitation").count() == 2
    detail = client.get(enrolled.get_absolute_url())
    assert "Inbokade tillfällen" in detail.content.decode()
    assert (
        reverse("engagements:booking_cancel", kwargs={"pk": enrolled.pk, "booking_pk": booking.pk})
        in detail.content.decode()
    )
    # The company sees it, without the coach's links.
    company_page = world.client("company_user").get(enrolled.get_absolute_url())
    assert "Hallen" in company_page.content.decode()
    assert "stall-in" not in company_page.content.decode()


def test_two_edits_of_one_booking_do_not_overwrite_each_other(
    enrolled, world, django_capture_on_commit_callbacks
):
    booking = book(enrolled, world, django_capture_on_commit_callbacks)
    url = reverse("engagements:booking_edit", kwargs={"pk": enrolled.pk, "booking_pk": booking.pk})
    first, second = world.client("coach"), world.client("partner_manager")
    tokens = [c.get(url).context["form"].initial["edit_token"] for c in (first, second)]
    payload = {
        "date": booking.date.isoformat(),
        "start_time": "09:30",
        "duration_minutes": "180",
        "mode": "onsite",
        "place": "Verkstadsvägen 1, Ljungby",
        "video_link": "",
        "coaches": [world.users["coach"].pk],
        "company_users": [world.users["company_user"].pk],
    }
    with django_capture_on_commit_callbacks(execute=True):
        saved = first.post(url, {**payload, "start_time": "11:00", "edit_token": tokens[0]})
    assert saved.status_code == 302
    refused = second.post(url, {**payload, "place": "Kontoret", "edit_token": tokens[1]})
    assert refused.status_code == 200
    assert "Någon annan har sparat ändringar" in refused.content.decode()
    booking.refresh_from_db()
    assert (booking.start_time, booking.place, booking.sequence) == (
        datetime.time(11),
        "Verkstadsvägen 1, Ljungby",
        1,
    )


def test_a_cancellation_is_asked_first_and_refused_after_a_change(
    enrolled, world, django_capture_on_commit_callbacks
):
    booking = book(enrolled, world, django_capture_on_commit_callbacks)
    url = reverse(
        "engagements:booking_cancel", kwargs={"pk": enrolled.pk, "booking_pk": booking.pk}
    )
    client = world.client("coach")
    question = client.get(url)
    assert question.status_code == 200
    assert "Ställ in tillfället?" in question.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED  # asking changes nothing
    token = question.context["form"].initial["edit_token"]
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_update(
            booking=booking,
            coaches=[world.users["coach"]],
            people=[],
            company_users=[world.users["company_user"]],
            place="Annan plats",
        )
    stale = client.post(url, {"edit_token": token})
    assert stale.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    fresh = client.get(url).context["form"].initial["edit_token"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"edit_token": fresh}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert Message.objects.filter(kind="booking_cancellation").count() == 1


def test_booked_sessions_are_on_the_calendar_and_in_the_feed(
    enrolled, world, django_capture_on_commit_callbacks
):
    services.engagement_status_change(engagement=enrolled, to_status="approved", actor=None)
    booking = book(enrolled, world, django_capture_on_commit_callbacks, place="Hall\r\nB;C")
    coach = world.users["coach"]
    events = calendar_events(user=coach, start=timezone.localdate(), end=_coming(30))
    [event] = [e for e in events if e.booking is not None]
    assert event.uid == booking.uid
    page = world.client("coach").get(reverse("engagements:calendar"))
    assert booking.get_absolute_url() in page.content.decode()
    assert "inbokat" in page.content.decode()

    feed = calendar_feed_get_or_create(user=coach)
    text = (
        world.client("anonymous")
        .get(reverse("engagements:calendar_feed", kwargs={"token": feed.token}))
        .content.decode()
    )
    calendar = icalendar.Calendar.from_ical(text)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert str(calendar["URL"]).endswith(reverse("engagements:calendar"))
    [item] = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == booking.uid]
    assert str(item["URL"]).endswith(booking.get_absolute_url())
    assert item["SEQUENCE"] == 0
    assert item["DTSTART"].params["TZID"] == "Europe/Stockholm"
    # A control character in the place cannot end the property and start another.
    assert str(item["LOCATION"]) == "Hall B;C"
    assert "\r\nB;C" not in text
    assert all(str(e["URL"]).startswith("http") for e in calendar.walk("VEVENT"))

    services.booking_cancel(booking=booking, actor=coach)
    events = calendar_events(user=coach, start=timezone.localdate(), end=_coming(30))
    assert [e for e in events if e.booking is not None] == []
    others = calendar_events(
        user=world.users["other_coach"], start=timezone.localdate(), end=_coming(30)
    )
    assert others == []
    assert "VTIMEZONE" not in ical([], name="Tom")  # no timed event, no zone needed


def test_the_companys_home_shows_its_next_booked_session(
    enrolled, world, django_capture_on_commit_callbacks
):
    dashboard = reverse("core:dashboard")
    assert (
        "Nästa inbokade tillfälle"
        not in world.client("company_user").get(dashboard).content.decode()
    )
    later = book(enrolled, world, django_capture_on_commit_callbacks, date=_coming(14))
    sooner = book(
        enrolled, world, django_capture_on_commit_callbacks, date=_coming(3), place="Målarverkstan"
    )
    page = world.client("company_user").get(dashboard).content.decode()
    assert "Nästa inbokade tillfälle" in page
    assert "Målarverkstan" in page
    assert later.place not in page
    services.booking_cancel(booking=sooner, actor=world.users["coach"])
    assert later.place in world.client("company_user").get(dashboard).content.decode()
    for who in ("coach", "other_company_user"):
        assert "Nästa inbokade tillfälle" not in world.client(who).get(dashboard).content.decode()


def test_an_erased_contact_leaves_no_invitation_naming_them(
    enrolled, world, contact, django_capture_on_commit_callbacks
):
    from redthread.core.privacy import subject_erase
    from redthread.messaging.models import MessageAttachment

    book(enrolled, world, django_capture_on_commit_callbacks, people=[contact])
    # The company user's invitation lists the contact as an attendee too.
    assert MessageAttachment.objects.filter(content__icontains=contact.email).count() == 2
    subject_erase(address=contact.email)
    assert not MessageAttachment.objects.filter(content__icontains=contact.email).exists()
    assert not MessageAttachment.objects.filter(content__icontains="Karin").exists()
