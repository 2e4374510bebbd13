"""The demo's coach course: two cohorts, participants from several partners, one cohort
completed with certificates and one under way."""

from __future__ import annotations

import io

from django.core.management import call_command

from redthread.academy.models import Certificate, Cohort, Participant


def test_the_demo_has_a_completed_and_a_running_cohort_of_the_coach_course(db):
    call_command("demo", force=True, stdout=io.StringIO())
    done, running = Cohort.objects.order_by("start_date")
    assert done.participants.filter(completed_on__isnull=False).count() == done.participants.count()
    assert Certificate.objects.filter(participant__cohort=done).count() == done.participants.count()
    assert done.participants.values("partner").distinct().count() >= 3
    assert not running.participants.filter(completed_on__isnull=False).exists()
    assert running.participants.values("partner").distinct().count() >= 3
    count = Participant.objects.count()
    call_command("demo", force=True, stdout=io.StringIO())
    assert Participant.objects.count() == count  # idempotent
