"""The pages of the measurement import: upload, map columns, check, confirm. The same
flow and forms as the company import (``registry.views.import_start``/``import_detail``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rules.contrib.views import permission_required

from redthread.core.exporting import (
    EXPORT_FORMAT_CHOICES,
    VERDICT_LABELS,
    import_report_export,
    is_export_format,
)
from redthread.core.importing import ImportFileError
from redthread.core.jobs import job_fail_if_stale
from redthread.core.models import ImportJob, ImportMode, ImportStatus
from redthread.registry.forms import MAX_IMPORT_BYTES, ImportMappingForm

from . import import_jobs
from .imports import FIRST_YEAR, is_wide, mapping_layout_problems, measurement_fields
from .models import KpiDefinition


class MeasurementUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil"),
        help_text=gettext_lazy(
            "Excel (.xlsx) eller CSV med komma eller semikolon. Första raden ska vara "
            "kolumnrubriker: organisationsnummer, år och antingen en kolumn för nyckeltal och "
            "en för värde, eller en kolumn per nyckeltal. Högst 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Om någon rad inte godkänns"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("Filen är för stor (%(size)s MB). Högst 20 MB går att importera; dela upp den.")
                % {"size": round(upload.size / 1024 / 1024, 1)}
            )
        if upload.size == 0:
            raise ValidationError(_("Filen är tom."))
        return upload


class MeasurementMappingForm(ImportMappingForm):
    """The company import's mapping form, plus the check that the mapping is one of the
    two layouts (a KPI and a value column, or a column per KPI)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.non_field_errors():
            for problem in mapping_layout_problems(self.mapping):
                self.add_error(None, problem)
        return cleaned


@permission_required("outcomes.manage", raise_exception=True)
def measurement_import_start(request: HttpRequest) -> HttpResponse:
    form = MeasurementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_jobs.import_job_start(
                user=request.user,
                filename=upload.name,
                content=upload.read(),
                mode=form.cleaned_data["mode"],
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("outcomes:measurement_import_detail", pk=job.pk)
    jobs = import_jobs.import_job_list(user=request.user)[:10]
    return render(
        request,
        "outcomes/import_start.html",
        {
            "form": form,
            "jobs": jobs,
            "kpis": KpiDefinition.objects.all(),
            # Text: a year shown as a number would get a thousands separator.
            "first_year": str(FIRST_YEAR),
            "last_year": str(timezone.localdate().year + 1),
        },
    )


@permission_required("outcomes.manage", raise_exception=True)
def measurement_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(import_jobs.import_job_list(user=request.user).defer(None), pk=pk)
    job_fail_if_stale(job)
    fields = measurement_fields()
    mapping_form = None
    if job.status in {ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED}:
        mapping_form = MeasurementMappingForm(
            request.POST if request.POST.get("action") == "map" else None,
            job=job,
            fields=fields,
        )
    if request.method == "POST":
        action = request.POST.get("action")
        sheet = request.POST.get("sheet", "")
        # Another sheet: its columns are read and guessed first, whatever the mapping of
        # the old sheet's columns said.
        other_sheet = sheet in job.sheet_names and sheet != job.sheet
        if action == "map" and mapping_form is not None and other_sheet:
            try:
                import_jobs.import_job_sheet(job=job, sheet=sheet)
            except ImportFileError as error:
                messages.error(request, str(error))
            return redirect("outcomes:measurement_import_detail", pk=job.pk)
        if action == "map" and mapping_form is not None and mapping_form.is_valid():
            try:
                import_jobs.import_job_map(
                    job=job,
                    mapping=mapping_form.mapping,
                    sheet=mapping_form.cleaned_data.get("sheet", ""),
                )
            except ImportFileError as error:
                messages.error(request, str(error))
            return redirect("outcomes:measurement_import_detail", pk=job.pk)
        if action == "confirm" and job.status == ImportStatus.CHECKED:
            import_jobs.import_job_confirm(job=job)
            return redirect("outcomes:measurement_import_detail", pk=job.pk)
    report = job.report or {}
    export = request.GET.get("format", "")
    if is_export_format(export) and report.get("rows"):
        return import_report_export(report, fmt=export, title=_("Importrapport nyckeltal"))
    problem_rows = [r for r in report.get("rows", []) if r["status"] != "ok"]
    mapping = {int(k): v for k, v in job.mapping.items()}
    return render(
        request,
        "outcomes/import_detail.html",
        {
            "job": job,
            "mapping_form": mapping_form,
            "report": report,
            "problem_rows": problem_rows,
            "verdict_labels": VERDICT_LABELS,
            "export_formats": EXPORT_FORMAT_CHOICES,
            "would_write": _would_write(job, report),
            "wide": is_wide(mapping),
        },
    )


def _would_write(job: ImportJob, report: dict[str, Any]) -> dict[str, int]:
    """How many values the confirmed import will add and replace (none when the mode is all
    or nothing and a row has failed)."""
    if not report or (job.mode == ImportMode.ALL_OR_NOTHING and report.get("rejected")):
        return {"new": 0, "replaced": 0, "total": 0}
    new, replaced = int(report.get("new", 0)), int(report.get("replaced", 0))
    return {"new": new, "replaced": replaced, "total": new + replaced}
