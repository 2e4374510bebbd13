"""The outbox against a real SMTP server (aiosmtpd on the loopback, see conftest.py)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from redthread.accounts.models import User
from redthread.messaging import services
from redthread.messaging.models import Message, MessageStatus

from ..smtp_server import SmtpServer

pytestmark = pytest.mark.django_db

INVITATION = {
    "email": "x@example.test",
    "domain": "testserver",
    "protocol": "http",
    "uid": "MQ",
    "token": "abc-123",
}


def send(to: Any, capture: Any, **kwargs: Any) -> Message:
    with capture(execute=True):
        message = services.message_send(
            to=to,
            kind="invitation",
            template="messaging/email/invitation",
            context=INVITATION,
            **kwargs,
        )
    message.refresh_from_db()
    return message


def test_a_message_arrives_with_its_text_and_html(
    world, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    coach = world.users["coach"]
    message = send(coach, django_capture_on_commit_callbacks, about=world.company)

    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.about == world.company
    assert message.about_text == str(world.company)
    [received] = smtp_server.messages
    assert received["To"] == coach.email
    assert received["Subject"] == "Välkommen till Röd tråd"
    text = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    link = "http://testserver/losenord/aterstall/MQ/abc-123/"
    assert "Du har fått ett konto i Röd tråd." in text.get_content()
    assert link in text.get_content()
    assert f'href="{link}"' in html.get_content()
    assert "<html" in html.get_content()


def test_the_recipients_language_is_used(
    world, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    coach = world.users["coach"]
    User.objects.filter(pk=coach.pk).update(preferred_language="en")
    coach.refresh_from_db()
    message = send(coach, django_capture_on_commit_callbacks)
    assert message.language == "en"
    assert smtp_server.messages[0]["Subject"] == "Welcome to Röd tråd"


def test_an_address_without_an_account(
    world, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    message = send("ny@example.test", django_capture_on_commit_callbacks, about="Enkät T0")
    assert message.recipient is None
    assert message.language == "sv"
    assert message.about_text == "Enkät T0"
    assert smtp_server.messages[0]["To"] == "ny@example.test"


def test_nothing_is_sent_before_the_commit(world, smtp_server: SmtpServer):
    message = services.message_send(
        to=world.users["coach"],
        kind="invitation",
        template="messaging/email/invitation",
        context=INVITATION,
    )
    assert message.status == MessageStatus.QUEUED
    assert smtp_server.messages == []


def test_smtp_down_leaves_the_message_failed_and_it_is_sent_when_the_server_returns(
    world, smtp: SmtpServer, django_capture_on_commit_callbacks
):
    message = send(world.users["coach"], django_capture_on_commit_callbacks)

    assert message.status == MessageStatus.FAILED
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at is not None
    first_retry = message.next_attempt_at

    # Not due yet: nothing happens, even with the server up.
    smtp.start()
    assert services.messages_retry_due(now=first_retry - datetime.timedelta(seconds=1)) == 0
    assert smtp.messages == []

    assert services.messages_retry_due(now=first_retry + datetime.timedelta(seconds=1)) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert len(smtp.messages) == 1


def test_a_retry_run_twice_never_sends_twice(
    world, smtp: SmtpServer, django_capture_on_commit_callbacks
):
    message = send(world.users["coach"], django_capture_on_commit_callbacks)
    assert message.status == MessageStatus.FAILED
    smtp.start()
    later = timezone.now() + datetime.timedelta(hours=1)

    assert services.messages_retry_due(now=later) == 1
    assert services.messages_retry_due(now=later) == 0
    assert services.message_deliver(message_id=message.pk) is False
    assert len(smtp.messages) == 1


def test_a_message_claimed_by_another_worker_is_not_sent_again(world, smtp_server: SmtpServer):
    message = services.message_send(
        to=world.users["coach"],
        kind="invitation",
        template="messaging/email/invitation",
        context=INVITATION,
    )
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING)
    assert services.message_deliver(message_id=message.pk) is False
    assert smtp_server.messages == []


def test_back_off_doubles_up_to_a_ceiling_and_stops_after_the_last_attempt(
    world, smtp: SmtpServer, django_capture_on_commit_callbacks
):
    assert [services.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert services.retry_delay(30) == services.RETRY_MAX_DELAY

    message = send(world.users["coach"], django_capture_on_commit_callbacks)
    Message.objects.filter(pk=message.pk).update(
        attempts=services.MAX_ATTEMPTS - 1, next_attempt_at=timezone.now()
    )
    services.messages_retry_due(now=timezone.now() + datetime.timedelta(seconds=1))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == services.MAX_ATTEMPTS
    assert message.next_attempt_at is None  # given up: the office can still resend


def test_a_message_left_sending_by_a_stopped_worker_becomes_failed(world, smtp_server):
    message = services.message_send(
        to=world.users["coach"],
        kind="invitation",
        template="messaging/email/invitation",
        context=INVITATION,
    )
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING,
        attempts=1,
        last_attempt_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert services.messages_retry_due() == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "stopped while sending" in message.last_error
    assert smtp_server.messages == []


def test_the_office_resends_a_failed_message(
    world, smtp: SmtpServer, django_capture_on_commit_callbacks
):
    message = send(world.users["coach"], django_capture_on_commit_callbacks)
    assert message.status == MessageStatus.FAILED
    smtp.start()
    office = world.client("program_manager")
    url = reverse("messaging:message_resend", kwargs={"pk": message.pk})

    page = office.get(url)
    assert page.status_code == 200
    assert smtp.messages == []  # a GET only asks
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(url)
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(smtp.messages) == 1

    # Sent now: a second POST does not send it again.
    with django_capture_on_commit_callbacks(execute=True):
        office.post(url)
    assert len(smtp.messages) == 1


def test_a_password_reset_with_smtp_down_is_no_server_error(
    world, client, smtp: SmtpServer, django_capture_on_commit_callbacks
):
    coach = world.users["coach"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": coach.email})
    assert response.status_code == 302
    message = Message.objects.get(recipient=coach)
    assert message.kind == "password_reset"
    assert message.status == MessageStatus.FAILED


def test_a_password_reset_arrives_through_the_outbox(
    world, client, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    coach = world.users["coach"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": coach.email})
    [received] = smtp_server.messages
    assert received["Subject"] == "Nytt lösenord till Röd tråd"
    html = received.get_body(preferencelist=("html",))
    assert html is not None
    assert "/losenord/aterstall/" in html.get_content()


def test_the_outbox_is_searched_and_filtered(world):
    coach, other = world.users["coach"], world.users["other_coach"]
    for user, status in ((coach, MessageStatus.SENT), (other, MessageStatus.FAILED)):
        Message.objects.create(
            recipient=user,
            to_address=user.email,
            subject="Ämne",
            kind="invitation",
            language="sv",
            status=status,
            body_text="Hej!",
        )
    office = world.client("program_manager")
    listed = office.get(reverse("messaging:outbox"), {"status": "failed"}).context["listing"]
    assert [m.to_address for m in listed.page.object_list] == [other.email]
    listed = office.get(reverse("messaging:outbox"), {"q": coach.email}).context["listing"]
    assert [m.to_address for m in listed.page.object_list] == [coach.email]


def test_each_user_sees_only_what_was_sent_to_them(world):
    coach, other = world.users["coach"], world.users["other_coach"]
    mine = Message.objects.create(
        recipient=coach,
        to_address=coach.email,
        subject="Till coachen",
        kind="invitation",
        language="sv",
        body_text="Hej!",
    )
    Message.objects.create(
        to_address=other.email, subject="Till den andra", kind="x", language="sv", body_text="-"
    )
    page = world.client("coach").get(reverse("messaging:my_messages"))
    assert [m.pk for m in page.context["listing"].page.object_list] == [mine.pk]
    detail = world.client("coach").get(reverse("messaging:my_message", kwargs={"pk": mine.pk}))
    assert "Hej!" in detail.content.decode()
    assert "Skicka igen" not in detail.content.decode()


def test_a_queued_message_whose_task_was_lost_is_sent_by_the_retry_run(
    world, smtp_server: SmtpServer
):
    message = services.message_send(
        to=world.users["coach"],
        kind="invitation",
        template="messaging/email/invitation",
        context=INVITATION,
    )  # never committed here, so its task never runs: as if the queue lost it
    assert services.messages_retry_due() == 0  # too fresh: its task may still come
    later = timezone.now() + services.QUEUED_LOST_AFTER + datetime.timedelta(seconds=1)
    assert services.messages_retry_due(now=later) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(smtp_server.messages) == 1
