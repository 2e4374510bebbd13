"""The two pages of every import: the upload page (with the latest jobs) and the job page
(mapping, progress, the check's verdicts, confirm, the report and its download). An app
routes its URLs here with its importer's ``kind``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.core.exporting import EXPORT_FORMAT_CHOICES, is_export_format
from redthread.core.jobs import job_fail_if_stale
from redthread.core.models import ImportMode, ImportStatus

from . import jobs
from .files import ImportFileError
from .importers import Importer, get_importer
from .mapping import ImportMappingForm
from .report import VERDICT_LABELS, import_report_export

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ImportUploadForm(forms.Form):
    """The file and what to do with rows that fail. An importer's ``upload_form`` subclasses
    it for its own choices."""

    file = forms.FileField(
        label=gettext_lazy("Fil"),
        help_text=gettext_lazy(
            "Excel (.xlsx) eller CSV med komma eller semikolon. Första raden ska vara "
            "kolumnrubriker. Högst 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Om någon rad inte godkänns"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

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


def _importer(request: HttpRequest, kind: str) -> Importer:
    importer = get_importer(kind)
    if not request.user.has_perm(importer.permission):
        raise PermissionDenied
    return importer


def import_start(request: HttpRequest, kind: str) -> HttpResponse:
    importer = _importer(request, kind)
    form_class = importer.upload_form or ImportUploadForm
    form = form_class(request.POST or None, request.FILES or None, request=request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = jobs.import_job_start(
                importer=importer,
                user=request.user,
                filename=upload.name,
                content=upload.read(),
                mode=form.cleaned_data["mode"],
                options=importer.upload_options(form.cleaned_data),
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect(importer.detail_url, pk=job.pk)
    return render(
        request,
        importer.start_template,
        {
            "importer": importer,
            "form": form,
            "jobs": jobs.import_job_list(importer=importer, user=request.user)[:10],
            **importer.start_context(request),
        },
    )


def import_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    importer = _importer(request, kind)
    queryset = jobs.import_job_list(importer=importer, user=request.user).defer(None)
    job = get_object_or_404(queryset, pk=pk)
    job_fail_if_stale(job)
    fields = list(importer.fields())
    mapping_form = None
    action = request.POST.get("action") if request.method == "POST" else None
    if job.status in {ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED}:
        mapping_form = ImportMappingForm(
            request.POST if action == "map" else None,
            job=job,
            fields=fields,
            extra_problems=importer.mapping_problems,
        )
    if action == "map" and mapping_form is not None:
        sheet = request.POST.get("sheet", "")
        if sheet in job.sheet_names and sheet != job.sheet:
            # Another sheet: its columns are not the old sheet's, so they are read and
            # guessed afresh, and shown before anything is checked.
            try:
                jobs.import_job_sheet(job=job, sheet=sheet)
            except ImportFileError as error:
                messages.error(request, str(error))
            else:
                messages.info(
                    request,
                    _(
                        "Bladet ”%(sheet)s” är valt. Kolumnerna är gissade på nytt utifrån "
                        "dess rubriker: kontrollera dem innan filen kontrolleras."
                    )
                    % {"sheet": sheet},
                )
            return redirect(importer.detail_url, pk=job.pk)
        if mapping_form.is_valid():
            jobs.import_job_map(job=job, mapping=mapping_form.mapping)
            return redirect(importer.detail_url, pk=job.pk)
    if action == "confirm" and job.status == ImportStatus.CHECKED:
        jobs.import_job_confirm(job=job)
        return redirect(importer.detail_url, pk=job.pk)
    report = job.report or {}
    export = request.GET.get("format", "")
    if is_export_format(export) and report.get("rows"):
        return import_report_export(
            report, fmt=export, title=importer.report_title or _("Importrapport")
        )
    return render(
        request,
        importer.detail_template,
        {
            "importer": importer,
            "job": job,
            "mapping_form": mapping_form,
            "report": report,
            "problem_rows": [r for r in report.get("rows", []) if r["status"] != "ok"],
            "verdict_labels": VERDICT_LABELS,
            "export_formats": EXPORT_FORMAT_CHOICES,
            **importer.detail_context(job, report),
        },
    )
