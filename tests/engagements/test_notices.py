"""Notices of engagements through the real SMTP server (aiosmtpd on the loopback): an
application reaches the office, an approval the company and the coaches, a status change
those concerned; each week's action items reach their owners as one message; each user's
choice (immediately, daily digest, never) is honoured and every message unsubscribes with one
click."""

from __future__ import annotations

import datetime
import re
from email.message import EmailMessage

import pytest
from django.test import Client
from django.urls import reverse

from redthread.accounts.models import User
from redthread.engagements import services
from redthread.engagements.models import ActionStatus
from redthread.engagements.notices import ACTION_ITEMS_WEEK, COACH_WEEK, STATUS
from redthread.messaging import services as messaging
from redthread.messaging.models import Message, Notice, NoticePreference
from redthread.messaging.notices import Frequency
from redthread.methodology.models import MethodModule
from redthread.registry.models import Person

from ..factories import UserFactory
from ..smtp_server import SmtpServer
from .conftest import enrol

pytestmark = pytest.mark.django_db

#: A Wednesday: its week runs from Monday 2 to Sunday 8 March 2026.
WEDNESDAY = datetime.date(2026, 3, 4)


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def _html(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def _to(messages: list[EmailMessage]) -> set[str]:
    return {str(m["To"]) for m in messages}


def _unsubscribe_path(message: EmailMessage) -> str:
    header = str(message["List-Unsubscribe"]).strip()
    match = re.fullmatch(r"<http://[^/]+(/meddelanden/avregistrera/[^>]+/)>", header)
    assert match, header
    return match.group(1)


def _prefer(user: User, kind: str, frequency: Frequency) -> None:
    NoticePreference.objects.update_or_create(
        user=user, kind=kind, defaults={"frequency": frequency}
    )


def _run(capture, today: datetime.date = WEDNESDAY) -> messaging.NoticeRun:
    with capture(execute=True):
        return messaging.notices_run(today=today)


def test_an_application_reaches_the_office(
    methodology, world, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrol(methodology, world)

    [received] = smtp_server.messages
    manager = world.users["program_manager"]
    assert received["To"] == manager.email
    assert str(received["Subject"]).strip() == "Ny ansökan: Testverkstaden AB till Startprogram"
    assert "Testverkstaden AB är anmält till Startprogram" in _text(received)
    assert "väntar på godkännande" in _html(received)
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _unsubscribe_path(received) in _text(received)


def test_the_approval_reaches_the_company_and_the_coaches(
    methodology, world, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    engagement = enrol(methodology, world)
    co_coach = UserFactory.create(role="coach", organisations=[world.partner])
    engagement.coaches.add(co_coach)
    with django_capture_on_commit_callbacks(execute=True):
        services.engagement_status_change(
            engagement=engagement, to_status="approved", actor=world.users["program_manager"]
        )

    approvals = [m for m in smtp_server.messages if str(m["Subject"]).strip().startswith("Godkänt")]
    assert _to(approvals) == {
        world.users["company_user"].email,
        world.users["coach"].email,
        co_coach.email,
    }
    assert all("är godkänt" in _text(m) for m in approvals)
    # The other company's user and the other partner's coach hear nothing.
    assert not _to(smtp_server.messages) & {
        world.users["other_company_user"].email,
        world.users["other_coach"].email,
    }


def test_a_status_change_waits_for_the_daily_digest_by_default_and_reaches_those_concerned(
    methodology, world, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    engagement = enrol(methodology, world)
    office = world.users["program_manager"]
    services.engagement_status_change(engagement=engagement, to_status="approved", actor=office)
    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.engagement_status_change(
            engagement=engagement, to_status="active", actor=office, note="Start i mars."
        )
    assert smtp_server.messages == []  # "daily" is the default for status changes

    run = _run(django_capture_on_commit_callbacks)
    assert run.digests == 3
    digests = [m for m in smtp_server.messages if str(m["Subject"]).strip().startswith("Röd")]
    assert _to(digests) == {
        world.users["company_user"].email,
        world.users["coach"].email,
        world.users["partner_manager"].email,
    }
    digest = digests[0]
    assert str(digest["Subject"]).strip() == "Röd tråd 4 mars: 1 avisering"
    assert "har ändrats från godkänd till pågår" in _text(digest)
    assert "Start i mars." in _html(digest)

    # The same day again: nothing more.
    sent = len(smtp_server.messages)
    assert _run(django_capture_on_commit_callbacks).digests == 0
    assert len(smtp_server.messages) == sent


def _action_items(world, engagement):
    services.action_item_create(
        engagement=engagement,
        title="Märk upp pallplatserna",
        due_date=datetime.date(2026, 2, 20),
        owner_coach=world.users["coach"],
    )
    services.action_item_create(
        engagement=engagement,
        title="Boka 5S-genomgång",
        due_date=datetime.date(2026, 3, 6),
        owner_coach=world.users["coach"],
    )
    # Not this week, done, or cancelled: not in the digest.
    services.action_item_create(
        engagement=engagement,
        title="Nästa månads sak",
        due_date=datetime.date(2026, 3, 20),
        owner_coach=world.users["coach"],
    )
    done = services.action_item_create(
        engagement=engagement,
        title="Redan klar",
        due_date=datetime.date(2026, 3, 3),
        owner_coach=world.users["coach"],
    )
    services.action_item_set_status(item=done, status=ActionStatus.DONE)


def test_the_weeks_action_items_reach_their_owner_as_one_message_in_their_language(
    world, coached, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    coach = world.users["coach"]
    User.objects.filter(pk=coach.pk).update(preferred_language="en")
    _action_items(world, coached)

    run = _run(django_capture_on_commit_callbacks)

    assert run.made[ACTION_ITEMS_WEEK] == 1
    [received] = [m for m in smtp_server.messages if m["To"] == coach.email]
    assert str(received["Subject"]).strip() == "This week's action items: 2 to do, 1 overdue"
    text, html = _text(received), _html(received)
    for body in (text, html):
        assert "Märk upp pallplatserna" in body
        assert "Boka 5S-genomgång" in body
        assert "Nästa månads sak" not in body
        assert "Redan klar" not in body
    assert "Overdue:" in text
    assert "should have been done 20 February" in text
    assert "To be done by Sunday 8 March:" in text
    assert "Friday 6 March" in html
    assert '<html lang="en">' in html
    assert "Unsubscribe from them with one click:" in text

    # Monday to Sunday is one period: a later run in the week sends nothing again.
    _run(django_capture_on_commit_callbacks, WEDNESDAY + datetime.timedelta(days=2))
    assert len([m for m in smtp_server.messages if m["To"] == coach.email]) == 1
    assert Message.objects.filter(kind=ACTION_ITEMS_WEEK).count() == 1


def test_an_owner_at_the_company_is_reached_by_account_or_by_address(
    world, coached, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    company_user = world.users["company_user"]
    with_account = Person.objects.create(
        organisation=world.company,
        first_name="Kim",
        last_name="Konto",
        email=company_user.email.upper(),
    )
    without = Person.objects.create(
        organisation=world.company, first_name="Ada", last_name="Adress", email="ada@example.test"
    )
    nobody = Person.objects.create(organisation=world.company, first_name="Utan", last_name="Epost")
    for person, title in [(with_account, "Kims sak"), (without, "Adas sak"), (nobody, "Ingen")]:
        services.action_item_create(
            engagement=coached,
            title=title,
            due_date=datetime.date(2026, 3, 5),
            owner_person=person,
        )

    _run(django_capture_on_commit_callbacks)

    assert _to(smtp_server.messages) == {company_user.email, "ada@example.test"}
    by_address = {str(m["To"]): m for m in smtp_server.messages}
    assert "Kims sak" in _text(by_address[company_user.email])
    assert Notice.objects.get(to_address="ada@example.test").recipient is None
    assert "Adas sak" in _text(by_address["ada@example.test"])
    # An address without an account unsubscribes, but has no profile to go to.
    assert "/meddelanden/aviseringar/" not in _text(by_address["ada@example.test"])


def test_daily_bundles_several_kinds_into_one_digest_and_never_sends_nothing(
    world, coached, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    coach = world.users["coach"]
    _action_items(world, coached)
    services.plan_step_add(
        engagement=coached,
        module=MethodModule.objects.get(code="coachning"),
        planned_date=WEDNESDAY,
        phase_name="Fas",
    )
    coached.status = "active"
    coached.save()
    _prefer(coach, ACTION_ITEMS_WEEK, Frequency.DAILY)
    _prefer(coach, COACH_WEEK, Frequency.DAILY)

    run = _run(django_capture_on_commit_callbacks)

    assert run.made == {ACTION_ITEMS_WEEK: 1, COACH_WEEK: 1, "respondent_reminder": 0}
    [digest] = smtp_server.messages
    assert str(digest["Subject"]).strip() == "Röd tråd 4 mars: 2 aviseringar"
    text = _text(digest)
    assert "Veckans åtgärder: 2 att göra, 1 försenad" in text
    assert "Din vecka: 1 plansteg" in text
    assert "onsdag 4 mars: Coachning, Testverkstaden AB" in text
    assert text.count("/meddelanden/avregistrera/") == 2  # one per kind in the digest

    # Next week, with both kinds switched off, nothing at all.
    _prefer(coach, ACTION_ITEMS_WEEK, Frequency.NEVER)
    _prefer(coach, COACH_WEEK, Frequency.NEVER)
    run = _run(django_capture_on_commit_callbacks, WEDNESDAY + datetime.timedelta(days=7))
    assert run.made[ACTION_ITEMS_WEEK] == 0
    assert len(smtp_server.messages) == 1


def test_the_one_click_unsubscribe_asks_on_get_and_unsubscribes_on_post(
    world, coached, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    coach = world.users["coach"]
    _action_items(world, coached)
    _run(django_capture_on_commit_callbacks)
    [received] = smtp_server.messages
    path = _unsubscribe_path(received)
    assert f'href="http://127.0.0.1:8000{path}"' in _html(received)

    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Avregistrera dig från aviseringar?" in page.content.decode()
    assert "Veckans åtgärder" in page.content.decode()
    assert not NoticePreference.objects.filter(user=coach).exists()  # GET changes nothing

    # What a mail client sends (RFC 8058): a POST with no session and no CSRF token.
    done = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert done.status_code == 200
    assert "Du är avregistrerad" in done.content.decode()
    assert NoticePreference.objects.get(user=coach, kind=ACTION_ITEMS_WEEK).frequency == "never"

    _run(django_capture_on_commit_callbacks, WEDNESDAY + datetime.timedelta(days=7))
    assert len(smtp_server.messages) == 1  # that kind is not sent again


def test_an_unsubscribe_page_in_english(world):
    token = messaging.unsubscribe_token_make(to=world.users["coach"], kinds=[ACTION_ITEMS_WEEK])
    client = Client()
    client.cookies["redthread_language"] = "en"
    page = client.get(reverse("messaging:unsubscribe", args=[token]))
    assert "Unsubscribe from notices?" in page.content.decode()
    assert "This week&#x27;s action items" in page.content.decode()


@pytest.mark.parametrize(
    "token",
    ["x", "bm90IGEgdG9rZW4:1abc:def", "eyJyIjoidTEiLCJrIjpbXX0:1t:forged", "%00", "a" * 500],
)
def test_a_damaged_or_forged_unsubscribe_link_answers_404(world, token):
    client = Client(raise_request_exception=False)
    assert client.get(f"/meddelanden/avregistrera/{token}/").status_code == 404
    assert client.post(f"/meddelanden/avregistrera/{token}/").status_code == 404
    assert not NoticePreference.objects.exists()


def test_a_token_cannot_be_moved_to_another_recipient(world):
    token = messaging.unsubscribe_token_make(to=world.users["coach"], kinds=[ACTION_ITEMS_WEEK])
    _payload, _sep, signature = token.partition(":")
    other = messaging.unsubscribe_token_make(to=world.users["other_coach"], kinds=[STATUS])
    forged = other.partition(":")[0] + ":" + signature
    assert messaging.unsubscribe_token_read(forged) is None
    found = messaging.unsubscribe_token_read(token)
    assert found is not None
    assert found.user == world.users["coach"]


def test_the_profile_offers_the_kinds_of_the_role_and_saves_the_choice(world):
    coach = world.users["coach"]
    client = world.client("coach")
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Aviseringar" in profile
    assert "Veckans åtgärder" in profile
    assert "Coachens vecka" in profile
    assert "Nya ansökningar" not in profile  # the office's

    saved = client.post(
        reverse("messaging:notice_preferences"),
        {
            "from": "profile",
            ACTION_ITEMS_WEEK: "daily",
            COACH_WEEK: "never",
            "engagement_approved": "immediately",
            STATUS: "never",
            "engagement_applied": "daily",  # not offered to a coach: ignored
        },
    )
    assert saved.status_code == 302
    assert saved["Location"] == reverse("accounts:profile")
    chosen = dict(NoticePreference.objects.filter(user=coach).values_list("kind", "frequency"))
    assert chosen == {
        ACTION_ITEMS_WEEK: "daily",
        COACH_WEEK: "never",
        "engagement_approved": "immediately",
        STATUS: "never",
    }
    page = client.get(reverse("messaging:notice_preferences")).content.decode()
    assert re.search(r'name="coach_week" value="never"[^>]*checked', page)
    assert re.search(r'name="action_items_week" value="daily"[^>]*checked', page)

    office = world.client("program_manager").get(reverse("accounts:profile")).content.decode()
    assert "Nya ansökningar" in office


def test_a_bad_choice_is_refused_without_an_error(world):
    client = world.client("coach")
    page = client.post(reverse("messaging:notice_preferences"), {ACTION_ITEMS_WEEK: "hourly"})
    assert page.status_code == 200
    assert not NoticePreference.objects.exists()


def test_an_inactive_user_gets_nothing(
    world, coached, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=world.users["coach"].pk).update(is_active=False)
    _action_items(world, coached)
    _run(django_capture_on_commit_callbacks)
    assert smtp_server.messages == []


def test_the_coach_s_week_lists_the_sessions_booked_that_week(
    world, coached, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    from redthread.engagements.models import BookedSession, BookingStatus

    coach = world.users["coach"]
    booked = BookedSession.objects.create(
        engagement=coached,
        date=WEDNESDAY,
        start_time=datetime.time(9, 30),
        duration_minutes=120,
        place="Verkstadsvägen 1",
        uid="test-booked@redthread",
    )
    booked.coaches.set([coach])
    cancelled = BookedSession.objects.create(
        engagement=coached,
        date=WEDNESDAY + datetime.timedelta(days=1),
        start_time=datetime.time(13, 0),
        duration_minutes=60,
        place="Inställt",
        status=BookingStatus.CANCELLED,
        uid="test-cancelled@redthread",
    )
    cancelled.coaches.set([coach])
    _prefer(coach, COACH_WEEK, Frequency.IMMEDIATELY)

    run = _run(django_capture_on_commit_callbacks)

    assert run.made[COACH_WEEK] == 1
    [message] = [m for m in smtp_server.messages if str(m["To"]) == coach.email]
    assert str(message["Subject"]).strip().endswith("Din vecka: 0 plansteg, 1 inbokat tillfälle")
    text = _text(message)
    assert "Inbokade tillfällen:" in text
    assert "onsdag 4 mars 09:30: Testverkstaden AB, Verkstadsvägen 1" in text
    assert "Inställt" not in text
    assert "Verkstadsvägen 1" in _html(message)
