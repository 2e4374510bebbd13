"""The company import as a user meets it: upload, map columns, check (a dry run that shows
every row's verdict), then write. The work runs as background tasks that take the job's
primary key, so a large file does not hold a request, and the page shows progress."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task

from redthread.accounts.predicates import is_program_office, organisation_ids
from redthread.core.importing import Table, guess_mapping, import_job_run, read_table
from redthread.core.models import ImportJob, ImportMode, ImportStatus

from .imports import FIELDS, CompanyImportOptions, company_rows_check, company_rows_write
from .models import Organisation, OrganisationKind, SniVersion

KIND = "companies"


def import_job_start(
    *,
    user: Any,
    filename: str,
    content: bytes,
    mode: str = ImportMode.ALL_OR_NOTHING,
    sni_version: str = SniVersion.SNI2007,
    default_partner: Organisation | None = None,
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
        mapping={str(k): v for k, v in guess_mapping(table.headers, FIELDS).items()},
        mode=mode,
        options={
            "sni_version": sni_version,
            "default_partner": default_partner.pk if default_partner else None,
        },
        progress_total=len(table.rows),
    )


def import_job_list(*, user: Any) -> Any:
    """The company imports ``user`` may see: their own, and all for the program office."""
    jobs = ImportJob.objects.filter(kind=KIND).select_related("created_by").defer("content")
    return jobs if is_program_office(user) else jobs.filter(created_by=user)


def import_job_read(job: ImportJob) -> Table:
    return read_table(bytes(job.content), job.filename, sheet=job.sheet or None)


def import_job_map(
    *,
    job: ImportJob,
    mapping: dict[int, str],
    sheet: str = "",
    mode: str | None = None,
    sni_version: str | None = None,
) -> ImportJob:
    """Stores the user's column mapping (and sheet), then starts the check."""
    if sheet and sheet != job.sheet:
        job.sheet = sheet
        table = import_job_read(job)
        job.headers = table.headers
        job.progress_total = len(table.rows)
    job.mapping = {str(k): v for k, v in mapping.items()}
    if mode:
        job.mode = mode
    if sni_version:
        job.options = {**job.options, "sni_version": sni_version}
    job.status = ImportStatus.CHECKING
    job.progress_done = 0
    job.report = {}
    job.save()
    transaction.on_commit(lambda: company_import_check.enqueue(job.pk))
    return job


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """Starts the write of a checked job."""
    job.status = ImportStatus.IMPORTING
    job.progress_done = 0
    job.save(update_fields=["status", "progress_done"])
    transaction.on_commit(lambda: company_import_write.enqueue(job.pk))
    return job


def _options(job: ImportJob) -> CompanyImportOptions:
    user = job.created_by
    partner_id = job.options.get("default_partner")
    partners = Organisation.objects.filter(kind=OrganisationKind.PARTNER)
    allowed = None
    if not is_program_office(user):
        allowed = list(partners.filter(pk__in=organisation_ids(user, OrganisationKind.PARTNER)))
    default = partners.filter(pk=partner_id).first() if partner_id else None
    if default is None and allowed is not None and len(allowed) == 1:
        default = allowed[0]
    return CompanyImportOptions(
        sni_version=job.options.get("sni_version", SniVersion.SNI2007),
        default_partner=default,
        allowed_partners=allowed,
        importer=user,
    )


def import_job_check(job: ImportJob, *, write: bool) -> ImportJob:
    """Checks every row; with ``write`` also writes them (all or nothing, or the good rows,
    as the job says), in one transaction: a failure half-way leaves nothing behind."""
    return import_job_run(
        job,
        write=write,
        check=lambda table, mapping, progress: company_rows_check(
            table, mapping, _options(job), progress=progress
        ),
        write_rows=lambda result: {
            "created": company_rows_write(
                result, all_or_nothing=job.mode == ImportMode.ALL_OR_NOTHING
            )
        },
        summary=lambda result: {"created": 0},
    )


@task()
def company_import_check(job_id: int) -> None:
    import_job_check(ImportJob.objects.get(pk=job_id), write=False)


@task()
def company_import_write(job_id: int) -> None:
    import_job_check(ImportJob.objects.get(pk=job_id), write=True)
