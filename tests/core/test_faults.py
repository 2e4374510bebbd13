"""Faults heal: a database that cannot serve gives a 503 page and /healthz says so with a
write check; a job whose worker died is marked failed and can be run again; the iCal feed
and CSV output carry no control character that could start a new record."""

from __future__ import annotations

import datetime

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from redthread.core.exporting import neutralise
from redthread.core.jobs import job_fail_if_stale, jobs_fail_stale
from redthread.core.models import ImportJob, ImportStatus


def test_a_locked_database_gives_the_503_page_not_a_500(world, monkeypatch):
    def locked(request):
        raise OperationalError("database is locked")

    monkeypatch.setattr("redthread.core.panels.panels_for", locked)
    client = Client(raise_request_exception=False)
    client.force_login(world.users["coach"])
    page = client.get(reverse("core:dashboard"))
    assert page.status_code == 503
    body = page.content.decode()
    assert "tillfälligt otillgänglig" in body
    assert "temporarily unavailable" in body
    assert page["Retry-After"] == "30"
    monkeypatch.undo()
    assert client.get(reverse("core:dashboard")).status_code == 200  # healed by itself


def test_a_bug_is_still_a_500(world):
    from redthread.core.middleware import DatabaseUnavailableMiddleware

    # No request is needed to decide that a ValueError is not the database's fault.
    middleware = DatabaseUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    # The same: the request is not read.
    assert middleware.process_exception(None, ValueError("a bug")) is None  # type: ignore[arg-type]


def test_the_500_handler_answers_503_for_a_database_fault_outside_a_view():
    from redthread.core.views import error_500

    try:
        raise OperationalError("attempt to write a readonly database")
    except OperationalError:
        # The handler answers without reading the request.
        response = error_500(None)  # type: ignore[arg-type]
    assert response.status_code == 503


@pytest.mark.django_db(transaction=True)
def test_healthz_writes_and_says_read_only_when_it_cannot(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    from redthread.core.models import Heartbeat

    assert Heartbeat.objects.filter(pk=1).exists()
    # The database itself refuses writes: SQLite's query_only, PostgreSQL's read-only
    # transactions (as on a standby). The read still works, so only the write check fails.
    read_only, writable = {
        "sqlite": ("PRAGMA query_only = ON", "PRAGMA query_only = OFF"),
        "postgresql": (
            "SET default_transaction_read_only = on",
            "SET default_transaction_read_only = off",
        ),
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(read_only)
    try:
        response = client.get("/healthz")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(writable)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "read-only"}
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def _import_job(world, status: str, age_minutes: int) -> ImportJob:
    job = ImportJob.objects.create(
        kind="kpis",
        created_by=world.users["program_manager"],
        filename="x.csv",
        content=b"a;b\n",
        status=status,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        created=timezone.now() - datetime.timedelta(minutes=age_minutes)
    )
    job.refresh_from_db()
    return job


def test_an_import_whose_worker_died_is_marked_failed_and_can_be_mapped_again(world):
    stuck = _import_job(world, ImportStatus.IMPORTING, age_minutes=120)
    fresh = _import_job(world, ImportStatus.IMPORTING, age_minutes=5)
    waiting = _import_job(world, ImportStatus.UPLOADED, age_minutes=600)
    assert job_fail_if_stale(stuck)
    assert stuck.status == ImportStatus.FAILED
    assert "bakgrundsprocessen" in stuck.error
    assert not job_fail_if_stale(fresh)
    assert not job_fail_if_stale(waiting)
    page = world.client("program_manager").get(
        reverse("outcomes:measurement_import_detail", kwargs={"pk": stuck.pk})
    )
    assert page.status_code == 200
    assert page.context["mapping_form"] is not None  # the way to run it again


def test_the_command_sweeps_stale_jobs(world):
    from django.core.management import call_command

    stuck = _import_job(world, ImportStatus.CHECKING, age_minutes=120)
    assert jobs_fail_stale()["core.ImportJob"] == 1
    stuck.refresh_from_db()
    assert stuck.status == ImportStatus.FAILED
    call_command("fail_stale_jobs")


def test_a_stale_report_is_failed_and_retried(world, methodology, settings):
    from redthread.outcomes.models import ReportJob, ReportStatus

    job = ReportJob.objects.create(
        initiative=methodology["initiative"],
        date_from=datetime.date(2025, 1, 1),
        date_to=datetime.date(2025, 12, 31),
        format="xlsx",
        created_by=world.users["program_manager"],
        status=ReportStatus.RUNNING,
        progress=40,
    )
    ReportJob.objects.filter(pk=job.pk).update(created=timezone.now() - datetime.timedelta(hours=2))
    client = world.client("program_manager")
    url = reverse("outcomes:report_detail", kwargs={"pk": job.pk})
    page = client.get(url)
    assert "Försök igen" in page.content.decode()
    job.refresh_from_db()
    assert job.status == ReportStatus.FAILED
    client.post(url)
    job.refresh_from_db()
    assert job.status == ReportStatus.QUEUED  # the task runs once the request commits
    assert job.error == ""
    assert job.progress == 0


def test_a_bare_carriage_return_cannot_inject_an_ical_event(world):
    from redthread.engagements.calendar import Event, ical
    from redthread.engagements.models import Engagement

    engagement = Engagement(company=world.company)
    name = "Evil AB\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Injected\x00\x0b"
    text = ical(
        [Event("session-1", datetime.date(2026, 12, 2), name, engagement, datetime.time(9), 60)],
        name="Kalender\r\nX-EVIL:1",
    )
    lines = text.split("\r\n")
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 1
    assert not any(line.startswith(("SUMMARY:Injected", "X-EVIL")) for line in lines)
    assert "\r" not in text.replace("\r\n", "")
    assert "\x00" not in text
    assert "\x0b" not in text


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x0b", "\x1b", "\x7f", "\x85", "\x9b"])
def test_csv_cells_hold_no_control_character(bad):
    assert bad not in neutralise(f"Företag{bad}AB")
