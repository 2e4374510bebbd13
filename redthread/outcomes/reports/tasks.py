"""The funder report made in the background: ``report_generate`` takes a ``ReportJob``'s
primary key, saves its progress on the row and stores the file (or a message) there;
``report_file`` makes the same file at once (the ``report`` command)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from redthread.methodology.models import Initiative

from ..models import ReportFormat, ReportJob, ReportStatus
from .figures import report_build
from .pdf import report_pdf
from .workbook import report_xlsx

logger = logging.getLogger(__name__)


def report_file(
    *, initiative: Initiative, date_from: datetime.date, date_to: datetime.date, format: str
) -> bytes:
    """The finished file in ``format`` ("xlsx" or "pdf")."""
    if format not in ReportFormat.values:
        raise ValueError(f"Unknown report format {format!r}; expected one of {ReportFormat.values}")
    report = report_build(initiative=initiative, date_from=date_from, date_to=date_to)
    return report_xlsx(report) if format == ReportFormat.XLSX else report_pdf(report)


@task()
def report_generate(job_id: int) -> None:
    """Makes the file of a ReportJob: progress on the row as it goes, then the file, or
    on any error a message (the traceback goes to the log). Never raises."""
    job = ReportJob.objects.select_related("initiative", "created_by").filter(pk=job_id).first()
    if job is None:
        logger.warning("Report job %s no longer exists", job_id)
        return
    language = getattr(job.created_by, "preferred_language", "") or settings.LANGUAGE_CODE
    ReportJob.objects.filter(pk=job.pk).update(status=ReportStatus.RUNNING, progress=0, error="")

    def progress(percent: int) -> None:
        # An UPDATE of its own, so a page polling the job sees it while the work goes on.
        ReportJob.objects.filter(pk=job.pk).update(progress=max(0, min(percent, 100)))

    with translation.override(language):
        try:
            report = report_build(
                initiative=job.initiative,
                date_from=job.date_from,
                date_to=job.date_to,
                progress=progress,
            )
            content = report_xlsx(report) if job.format == ReportFormat.XLSX else report_pdf(report)
        except Exception:
            logger.exception("Report job %s failed", job.pk)
            job.status = ReportStatus.FAILED
            job.content = None
            job.error = _(
                "Rapporten kunde inte tas fram på grund av ett oväntat fel. Försök igen, och "
                "kontakta programkontoret om felet kvarstår."
            )
            job.progress = 0
        else:
            job.status = ReportStatus.DONE
            job.content = content
            job.error = ""
            job.progress = 100
    job.finished = timezone.now()
    job.save(update_fields=["status", "content", "error", "progress", "finished"])
