"""An import job's life, whatever it imports: upload (the first sheet read, the mapping
guessed), mapping (confirmed by the user; another sheet is read and guessed afresh),
check (a dry run that gives every row its verdict), run (the write), report.

The check and the write run as background tasks that take the job's primary key, so a
large file does not hold a request, and the job page shows progress. Every step that
starts work again clears what the last run left: its report, progress and error."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from redthread.core.models import ImportJob, ImportMode, ImportStatus

from .files import ImportFileError, Table, read_table
from .importers import Importer, ImportRun, get_importer

logger = logging.getLogger(__name__)


def _mapping_guess(importer: Importer, headers: list[str]) -> dict[str, str]:
    return {str(k): v for k, v in importer.guess(headers, importer.fields()).items()}


def import_job_start(
    *,
    importer: Importer,
    user: Any,  # the uploader, a User: ImportJob.created_by (accounts sits above core)
    filename: str,
    content: bytes,
    mode: str = ImportMode.ALL_OR_NOTHING,
    options: dict[str, Any] | None = None,
) -> ImportJob:
    """Reads the file's first sheet and guesses the column mapping. Raises ImportFileError
    (nothing saved) when the file cannot be read at all."""
    table = read_table(content, filename)
    return ImportJob.objects.create(
        kind=importer.kind,
        created_by=user,
        filename=filename[:255],
        content=content,
        sheet=table.sheet_names[0] if table.sheet_names else "",
        sheet_names=table.sheet_names,
        headers=table.headers,
        mapping=_mapping_guess(importer, table.headers),
        mode=mode,
        options=options or {},
        progress_total=len(table.rows),
    )


def import_job_list(*, importer: Importer, user: Any) -> QuerySet[ImportJob]:
    """The jobs of the importer's kind that ``user`` may see: their own, and every one
    when the importer says the user sees all (the program office)."""
    jobs = ImportJob.objects.filter(kind=importer.kind).select_related("created_by")
    jobs = jobs.defer("content")
    return jobs if importer.sees_all(user) else jobs.filter(created_by=user)


def import_job_read(job: ImportJob) -> Table:
    return read_table(bytes(job.content), job.filename, sheet=job.sheet or None)


def _clear(job: ImportJob) -> None:
    job.progress_done = 0
    job.report = {}
    job.error = ""
    job.finished = None


def import_job_sheet(*, job: ImportJob, sheet: str) -> ImportJob:
    """Reads another sheet of the file. Its columns are not the old sheet's, so the mapping
    is guessed afresh and shown to be confirmed before anything is checked. Raises
    ImportFileError (nothing changed) when the sheet cannot be read."""
    table = read_table(bytes(job.content), job.filename, sheet=sheet)
    job.sheet = sheet
    job.headers = table.headers
    job.mapping = _mapping_guess(get_importer(job.kind), table.headers)
    job.progress_total = len(table.rows)
    job.status = ImportStatus.UPLOADED
    _clear(job)
    job.save()
    return job


def import_job_map(
    *, job: ImportJob, mapping: dict[int, str], mode: str | None = None
) -> ImportJob:
    """Stores the user's column mapping, then starts the check."""
    if mode:
        job.mode = mode
    job.mapping = {str(k): v for k, v in mapping.items()}
    job.status = ImportStatus.CHECKING
    _clear(job)
    job.save()
    transaction.on_commit(lambda: import_job_check_task.enqueue(job.pk))
    return job


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """Starts the write of a checked job."""
    job.status = ImportStatus.IMPORTING
    job.progress_done = 0
    job.error = ""
    job.save(update_fields=["status", "progress_done", "error"])
    transaction.on_commit(lambda: import_job_write_task.enqueue(job.pk))
    return job


def import_job_progress(job: ImportJob) -> Callable[[int, int], None]:
    """A progress callback that saves to the job row."""

    def report(done: int, total: int) -> None:
        # An UPDATE of its own, outside any write transaction, so the progress page sees it.
        ImportJob.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)

    return report


def import_job_run(job: ImportJob, *, write: bool) -> ImportJob:
    """Runs the job with its kind's importer: reads its file, checks every row and, with
    ``write``, writes (in one transaction of the importer's: a failure half-way leaves
    nothing). The job ends CHECKED, DONE or FAILED with a message in Swedish; an
    unexpected error is logged, never shown. A run starts clean: the error and report of
    an earlier run are gone whatever this one ends as."""
    importer = get_importer(job.kind)
    _clear(job)
    try:
        table = import_job_read(job)
        run = ImportRun(
            table=table,
            mapping={int(k): v for k, v in job.mapping.items() if v},
            options=dict(job.options),
            user=job.created_by,
            all_or_nothing=job.mode == ImportMode.ALL_OR_NOTHING,
            progress=import_job_progress(job),
        )
        result = importer.check(run)
        written = importer.write(result, run) if write else {}
    except ImportFileError as error:
        job.status, job.error = ImportStatus.FAILED, str(error)
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        job.status = ImportStatus.FAILED
        job.error = _(
            "Importen avbröts av ett oväntat fel. Ingenting har sparats. Försök igen, och "
            "kontakta programkontoret om felet kvarstår."
        )
    else:
        job.report = {
            **result.report.as_dict(key_name="orgnr"),
            **importer.summary(result),
            **written,
        }
        job.status = ImportStatus.DONE if write else ImportStatus.CHECKED
        job.progress_done = job.progress_total = len(table.rows)
    job.finished = (
        timezone.now() if job.status in {ImportStatus.DONE, ImportStatus.FAILED} else None
    )
    job.save()
    return job


@task()
def import_job_check_task(job_id: int) -> None:
    import_job_run(ImportJob.objects.get(pk=job_id), write=False)


@task()
def import_job_write_task(job_id: int) -> None:
    import_job_run(ImportJob.objects.get(pk=job_id), write=True)
