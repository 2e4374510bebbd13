"""Respondents who have not answered are reminded once, a set number of days after their link
was e-mailed, through the real SMTP server (aiosmtpd on the loopback)."""

from __future__ import annotations

import datetime
import re
from email.message import EmailMessage

import pytest
from django.test import Client
from django.utils import timezone, translation

from redthread.assessments import services
from redthread.assessments.notices import RESPONDENT_REMINDER
from redthread.messaging import services as messaging
from redthread.messaging.models import Message, MessageStatus

from ..smtp_server import SmtpServer
from .conftest import answer_all

pytestmark = pytest.mark.django_db


def _email_link(round_, capture, address: str, *, language: str = "sv", days_ago: int = 8):
    response = services.response_add(round=round_, mode="self")
    token = services.response_issue_link(response=response)
    with capture(execute=True), translation.override(language):
        message = services.response_link_send(
            response=response,
            token=token,
            url=f"http://testserver/sjalvskattning/{token}/1/",
            email=address,
        )
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    Message.objects.filter(pk=message.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return response, token


def _run(capture) -> messaging.NoticeRun:
    with capture(execute=True):
        return messaging.notices_run()


def _body(message: EmailMessage, kind: str) -> str:
    part = message.get_body(preferencelist=(kind,))
    assert part is not None
    return str(part.get_content())


def _reminders(smtp: SmtpServer) -> list[EmailMessage]:
    return [m for m in smtp.messages if str(m["Subject"]).strip().startswith(("Påmin", "Remind"))]


def test_a_respondent_who_has_not_answered_is_reminded_once_after_the_set_days(
    settings, round_, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    settings.REDTHREAD_RESPONDENT_REMINDER_DAYS = 7
    response, old_token = _email_link(
        round_, django_capture_on_commit_callbacks, "lager@example.test", days_ago=6
    )
    expires = response.token_expires
    assert _run(django_capture_on_commit_callbacks).made[RESPONDENT_REMINDER] == 0  # too soon

    Message.objects.filter(kind="respondent_link").update(
        sent_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    assert _run(django_capture_on_commit_callbacks).made[RESPONDENT_REMINDER] == 1

    [reminder] = _reminders(smtp_server)
    assert reminder["To"] == "lager@example.test"
    assert str(reminder["Subject"]).strip() == "Påminnelse: självskattning för Testverkstaden AB"
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = _body(reminder, "plain")
    html = _body(reminder, "html")
    assert "För 7 dagar sedan fick du en inbjudan" in text
    [url] = re.findall(r"http://127\.0\.0\.1:8000/sjalvskattning/[^/\s]+/1/", text)
    assert f'href="{url}"' in html
    # The reminder's link works, keeps the first link's date; the first link no longer does.
    new_token = url.split("/")[-3]
    assert services.response_by_token(new_token) == response
    response.refresh_from_db()
    assert response.token_expires == expires
    with pytest.raises(services.TokenError):
        services.response_by_token(old_token)
    assert Client().get(url).status_code == 200

    # Never twice: not the next day, not after the link is sent again.
    assert _run(django_capture_on_commit_callbacks).made[RESPONDENT_REMINDER] == 0
    assert len(_reminders(smtp_server)) == 1


def test_a_reminder_is_in_the_language_of_the_link(
    settings, round_, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    settings.REDTHREAD_RESPONDENT_REMINDER_DAYS = 7
    _email_link(round_, django_capture_on_commit_callbacks, "shop@example.test", language="en")
    _run(django_capture_on_commit_callbacks)
    [reminder] = _reminders(smtp_server)
    assert str(reminder["Subject"]).strip() == "Reminder: self-assessment for Testverkstaden AB"
    text = _body(reminder, "plain")
    assert "7 days ago you were invited" in text
    assert "Unsubscribe from them with one click:" in text


def test_no_reminder_for_an_answered_or_unsubscribed_respondent_or_with_reminders_off(
    settings, round_, smtp_server: SmtpServer, django_capture_on_commit_callbacks
):
    settings.REDTHREAD_RESPONDENT_REMINDER_DAYS = 7
    answered, _token = _email_link(round_, django_capture_on_commit_callbacks, "a@example.test")
    answer_all(answered)
    _email_link(round_, django_capture_on_commit_callbacks, "b@example.test")
    token = messaging.unsubscribe_token_make(to="b@example.test", kinds=[RESPONDENT_REMINDER])
    assert Client().post(f"/meddelanden/avregistrera/{token}/").status_code == 200
    settings.REDTHREAD_RESPONDENT_REMINDER_DAYS = 0
    _email_link(round_, django_capture_on_commit_callbacks, "c@example.test")
    assert _run(django_capture_on_commit_callbacks).made[RESPONDENT_REMINDER] == 0

    settings.REDTHREAD_RESPONDENT_REMINDER_DAYS = 7
    run = _run(django_capture_on_commit_callbacks)
    assert run.made[RESPONDENT_REMINDER] == 1
    assert [m["To"] for m in _reminders(smtp_server)] == ["c@example.test"]
