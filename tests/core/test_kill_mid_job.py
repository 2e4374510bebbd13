"""kill -9 in the middle of an import or of a report leaves the database as it was: a real
child process (tests/core/killed_job.py) runs the job against this test's database (a
file on SQLite, the server on PostgreSQL), stops at a known point in the middle, is killed
with SIGKILL, and then every table holds the rows it held before; the job, still "running"
as the dead worker left it, is marked failed by the stale-job sweep and runs again."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from stdnum import luhn

from redthread.core.importing import jobs
from redthread.core.importing.importers import get_importer
from redthread.core.jobs import jobs_fail_stale
from redthread.core.models import ImportJob, ImportMode, ImportStatus
from redthread.registry.models import Organisation

CHILD = Path(__file__).with_name("killed_job.py")
COMPANIES = 300


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'])}{password}@/{quote(db['NAME'])}"
        f"?host={quote(db['HOST'] or '')}&port={db['PORT'] or ''}"
    )


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _kill_in_the_middle(kind: str, pk: int, tmp_path: Path) -> str:
    """Runs the child until it reaches its stop, SIGKILLs it; what it saw there."""
    marker = tmp_path / "stopped"
    env = {**os.environ, "DATABASE_URL": _database_url()}
    child = subprocess.Popen(  # noqa: S603 - this interpreter, our own script
        [sys.executable, str(CHILD), kind, str(pk), str(marker)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() or not marker.read_text():
            if child.poll() is not None:
                output = child.stdout.read().decode() if child.stdout else ""
                pytest.fail(f"the child ended before its stop ({child.returncode}):\n{output}")
            if time.monotonic() > deadline:
                pytest.fail("the child did not reach its stop in 120 s")
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout:
            child.stdout.close()
    return marker.read_text()


def _after_the_timeout(setting: str) -> datetime.datetime:
    timeout: datetime.timedelta = getattr(settings, setting)
    return timezone.now() + timeout + datetime.timedelta(minutes=1)


def _companies_file() -> bytes:
    lines = ["Organisationsnummer;Företagsnamn"]
    for number in range(COMPANIES):
        base = f"55690{number:04d}"
        lines.append(f"{base}{luhn.calc_check_digit(base)};Dödat AB {number}")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.django_db(transaction=True)
def test_kill_9_in_the_middle_of_an_import_leaves_the_database_as_it_was(world, tmp_path):
    job = jobs.import_job_start(
        importer=get_importer("companies"),
        user=world.users["program_manager"],
        filename="foretag.csv",
        content=_companies_file(),
        mode=ImportMode.ALL_OR_NOTHING,
        options={"sni_version": "2007"},
    )
    ImportJob.objects.filter(pk=job.pk).update(
        mapping={"0": "org_number", "1": "name"}, status=ImportStatus.IMPORTING
    )
    before = _row_counts()
    companies = before[Organisation._meta.db_table]

    seen = _kill_in_the_middle("import", job.pk, tmp_path)

    # Inside its transaction the child had written every company; none of them is left.
    assert int(seen) == companies + COMPANIES
    assert _row_counts() == before
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING  # as the dead worker left it
    assert jobs_fail_stale(now=_after_the_timeout("REDTHREAD_IMPORT_JOB_TIMEOUT")) == {
        "core.ImportJob": 1,
        "outcomes.ReportJob": 0,
    }
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    # Run again, it writes them all, once.
    done = jobs.import_job_run(job, write=True)
    assert done.status == ImportStatus.DONE, done.error
    assert Organisation.objects.count() == companies + COMPANIES


@pytest.mark.django_db(transaction=True)
def test_kill_9_in_the_middle_of_a_report_leaves_the_database_as_it_was(
    world, methodology, tmp_path
):
    from redthread.outcomes import services
    from redthread.outcomes.models import ReportJob, ReportStatus
    from redthread.outcomes.reports import report_generate

    job = ReportJob.objects.create(
        initiative=methodology["initiative"],
        date_from=datetime.date(2025, 1, 1),
        date_to=datetime.date(2025, 12, 31),
        format="pdf",
        created_by=world.users["program_manager"],
    )
    before = _row_counts()

    seen = _kill_in_the_middle("report", job.pk, tmp_path)

    assert int(seen) > 0  # it had saved its progress
    assert _row_counts() == before
    job.refresh_from_db()
    assert job.status == ReportStatus.RUNNING
    assert job.content is None
    assert jobs_fail_stale(now=_after_the_timeout("REDTHREAD_REPORT_JOB_TIMEOUT")) == {
        "core.ImportJob": 0,
        "outcomes.ReportJob": 1,
    }
    job.refresh_from_db()
    assert job.status == ReportStatus.FAILED
    job = services.report_job_retry(job=job)  # queued; the task is run here by hand
    assert job.status == ReportStatus.QUEUED
    report_generate.call(job.pk)
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE
    assert job.content
    assert bytes(job.content).startswith(b"%PDF")
