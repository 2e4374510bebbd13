from __future__ import annotations

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from redthread.engagements.models import BookedSession, BookingStatus
from redthread.messaging.models import Message


def test_the_demo_books_sessions_in_the_coming_weeks_once(db):
    call_command("demo", force=True, stdout=io.StringIO())
    bookings = BookedSession.objects.filter(status=BookingStatus.BOOKED)
    count = bookings.count()
    assert count >= 6
    today = timezone.localdate()
    assert all(today < b.date <= today + datetime.timedelta(weeks=6) for b in bookings)
    assert bookings.filter(engagement__lead_coach__email="coach@demo.test").exists()
    assert all(b.date.weekday() < 5 for b in bookings)
    messages = Message.objects.count()
    call_command("demo", force=True, stdout=io.StringIO())
    assert BookedSession.objects.count() == count  # idempotent
    assert Message.objects.count() == messages  # the demo sends no invitations
