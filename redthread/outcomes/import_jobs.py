"""The import of KPI measurements as a user meets it: upload, map columns, check (a dry run
that shows every row's verdict), then write. The same flow as the company import
(``registry/import_jobs.py``): the work runs as background tasks that take the job's
primary key, so a large file does not hold a request, and the page shows progress."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task

from redthread.accounts.predicates import is_program_office
from redthread.core.importing import Table, import_job_run, read_table
from redthread.core.models import ImportJob, ImportMode, ImportStatus

from .imports import (
    measurement_fields,
    measurement_mapping_guess,
    measurement_rows_check,
    measurement_rows_write,
)

KIND = "kpis"


def _guess(headers: list[str]) -> dict[str, str]:
    return {str(k): v for k, v in measurement_mapping_guess(headers, measurement_fields()).items()}


def import_job_start(
    *,
    user: Any,
    filename: str,
    content: bytes,
    mode: str = ImportMode.ALL_OR_NOTHING,
) -> ImportJob:
    """Reads the file's first sheet and guesses the column mapping. Raises ImportFileError
    (nothing saved) when the file cannot be read at all."""
    table = read_table(content, filename)
    return ImportJob.objects.create(
        kind=KIND,
        created_by=user,
        filename=filename[:255],
        content=content,
        sheet=table.sheet_names[0] if table.sheet_names else "",
        sheet_names=table.sheet_names,
        headers=table.headers,
        mapping=_guess(table.headers),
        mode=mode,
        progress_total=len(table.rows),
    )


def import_job_list(*, user: Any) -> Any:
    """The measurement imports ``user`` may see: their own, and all for the program office."""
    jobs = ImportJob.objects.filter(kind=KIND).select_related("created_by").defer("content")
    return jobs if is_program_office(user) else jobs.filter(created_by=user)


def import_job_read(job: ImportJob) -> Table:
    return read_table(bytes(job.content), job.filename, sheet=job.sheet or None)


def import_job_sheet(*, job: ImportJob, sheet: str) -> ImportJob:
    """Reads another sheet of the file. Its columns are not the old sheet's, so the mapping
    is guessed afresh and shown to be confirmed before anything is checked. Raises
    ImportFileError (nothing changed) when the sheet cannot be read."""
    table = read_table(bytes(job.content), job.filename, sheet=sheet)
    job.sheet = sheet
    job.headers = table.headers
    job.mapping = _guess(table.headers)
    job.progress_total = len(table.rows)
    job.progress_done = 0
    job.status = ImportStatus.UPLOADED
    job.report = {}
    job.error = ""
    job.save()
    return job


def import_job_map(
    *,
    job: ImportJob,
    mapping: dict[int, str],
    sheet: str = "",
    mode: str | None = None,
) -> ImportJob:
    """Stores the user's column mapping, then starts the check. With another ``sheet``
    than the job's, reads that sheet instead (see :func:`import_job_sheet`): the mapping
    was made for the old sheet's columns."""
    if mode:
        job.mode = mode
    if sheet and sheet != job.sheet:
        return import_job_sheet(job=job, sheet=sheet)
    job.mapping = {str(k): v for k, v in mapping.items()}
    job.status = ImportStatus.CHECKING
    job.progress_done = 0
    job.report = {}
    job.error = ""
    job.save()
    transaction.on_commit(lambda: measurement_import_check.enqueue(job.pk))
    return job


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """Starts the write of a checked job."""
    job.status = ImportStatus.IMPORTING
    job.progress_done = 0
    job.save(update_fields=["status", "progress_done"])
    transaction.on_commit(lambda: measurement_import_write.enqueue(job.pk))
    return job


def _written(job: ImportJob, result: Any) -> dict[str, Any]:
    written = measurement_rows_write(
        result, all_or_nothing=job.mode == ImportMode.ALL_OR_NOTHING, user=job.created_by
    )
    return {"created": written.created, "updated": written.updated, "unchanged": written.unchanged}


def import_job_check(job: ImportJob, *, write: bool) -> ImportJob:
    """Checks every row; with ``write`` also writes the values (all or nothing, or the
    good rows, as the job says), in one transaction: a failure half-way leaves nothing."""
    return import_job_run(
        job,
        write=write,
        check=lambda table, mapping, progress: measurement_rows_check(
            table, mapping, progress=progress
        ),
        write_rows=lambda result: _written(job, result),
        summary=lambda result: result.counts(),
    )


@task()
def measurement_import_check(job_id: int) -> None:
    import_job_check(ImportJob.objects.get(pk=job_id), write=False)


@task()
def measurement_import_write(job_id: int) -> None:
    import_job_check(ImportJob.objects.get(pk=job_id), write=True)
