"""Background jobs whose worker died: marked failed after a timeout, so a page never
shows "40 %" forever and the job can be run again.

A job (an import or a funder report) is stale when it is still in a running state longer
after it was created than its timeout allows. The pages of a job call
:func:`job_fail_if_stale` before they show it; ``redthread fail_stale_jobs`` (run by cron
beside the task worker) sweeps them all. The mark is a conditional UPDATE, so a worker
that finishes at the same moment wins or loses cleanly, never half.

Limit: the clock starts when the job was created (the jobs record no heartbeat), so the
timeouts are generous; an import that waits long for its columns to be chosen is not
running and is never touched."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: What the user reads on a job that was stopped.
STALE_MESSAGE = _(
    "Jobbet avbröts: bakgrundsprocessen slutade svara. Inget halvfärdigt är sparat. Försök igen."
)


@dataclass(frozen=True)
class JobKind:
    model: str  # "app_label.ModelName"
    running: tuple[str, ...]
    failed: str
    timeout_setting: str


JOB_KINDS = (
    JobKind("core.ImportJob", ("checking", "importing"), "failed", "REDTHREAD_IMPORT_JOB_TIMEOUT"),
    JobKind("outcomes.ReportJob", ("queued", "running"), "failed", "REDTHREAD_REPORT_JOB_TIMEOUT"),
)


def _kind_of(job: models.Model) -> JobKind:
    label = f"{job._meta.app_label}.{job._meta.object_name}"
    return next(kind for kind in JOB_KINDS if kind.model == label)


def _deadline(kind: JobKind, now: datetime.datetime) -> datetime.datetime:
    timeout: datetime.timedelta = getattr(settings, kind.timeout_setting)
    return now - timeout


def _stale(kind: JobKind, now: datetime.datetime) -> models.QuerySet[Any]:
    model = apps.get_model(kind.model)
    stale: models.QuerySet[Any] = model._default_manager.filter(
        status__in=kind.running, created__lt=_deadline(kind, now)
    )
    return stale


def job_fail_if_stale(job: Any, *, now: datetime.datetime | None = None) -> bool:
    """Marks ``job`` failed when it is stale; refreshes it either way it changed.
    Returns whether it was marked."""
    kind = _kind_of(job)
    marked = (
        _stale(kind, now or timezone.now())
        .filter(pk=job.pk)
        .update(status=kind.failed, error=str(STALE_MESSAGE))
    )
    if marked:
        job.refresh_from_db(fields=["status", "error"])
    return bool(marked)


def jobs_fail_stale(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Marks every stale job failed; returns how many of each kind."""
    moment = now or timezone.now()
    return {
        kind.model: _stale(kind, moment).update(status=kind.failed, error=str(STALE_MESSAGE))
        for kind in JOB_KINDS
    }
