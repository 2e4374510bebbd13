from __future__ import annotations

import os

from django.core.management import call_command

from redthread.messaging.models import Message, MessageStatus, Notice, NoticePreference


def test_the_demo_outbox_holds_sent_failed_and_queued_messages(db):
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    statuses = set(Message.objects.values_list("status", flat=True))
    assert statuses == {MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.QUEUED}
    failed = Message.objects.filter(status=MessageStatus.FAILED)
    assert all(m.last_error for m in failed)
    assert Message.objects.filter(kind="respondent_link", recipient=None).exists()
    assert all(m.body_text and m.body_html for m in Message.objects.all())


def test_the_demo_users_have_different_notice_settings_and_loading_again_changes_nothing(db):
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    choices = set(NoticePreference.objects.values_list("user__email", "kind", "frequency"))
    assert ("coach@demo.test", "action_items_week", "daily") in choices
    assert ("foretag@demo.test", "engagement_status", "never") in choices
    assert {frequency for _user, _kind, frequency in choices} == {
        "immediately",
        "daily",
        "never",
    }
    # The demo's years of history notified nobody.
    assert not Notice.objects.exists()
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert set(NoticePreference.objects.values_list("user__email", "kind", "frequency")) == choices
