from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from redthread.accounts.typing import AuthenticatedRequest
from redthread.core import formats
from redthread.core.charts import Series, bars
from redthread.core.charts import spread as spread_chart
from redthread.core.jobs import job_fail_if_stale
from redthread.engagements.forms import MaturityFilterForm
from redthread.registry.models import Organisation
from redthread.registry.selectors import company_get, company_list

from . import disclosure, funder_outputs, impact, selectors, services
from .bounds import measurement_value_problem
from .forms import (
    ComparisonGroupForm,
    DashboardFilterForm,
    MemberImportForm,
    ReportForm,
    parse_value,
)
from .models import ComparisonGroup, KpiDefinition, ReportJob, ReportStatus

YEARS_SHOWN = 7


def _counts_chart(counts: dict[str, int], *, title: str, suppress: bool) -> dict[str, Any]:
    """A bar chart of company counts and the same numbers as rows for the table beside it;
    for funders, counts under 5 are neither drawn nor shown, nor any count that would
    give one away (funder_outputs: primary and secondary suppression)."""
    shown: list[tuple[str, int | None]] = (
        funder_outputs.counts_disclosed(counts) if suppress else sorted(counts.items())
    )
    return {
        "title": title,
        "rows": shown,
        "svg": bars(
            [label for label, _count in shown],
            [Series(_("Företag"), [float(c) if c is not None else None for _l, c in shown])],
            title=title,
            description=_("Antal företag; samma siffror finns i tabellen."),
        ),
    }


@permission_required("outcomes.dashboard", raise_exception=True)
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """Reach and effects of the engagements in view: the office sees all initiatives, a
    partner its own engagements, a funder the initiatives it funds (aggregated only)."""
    suppress = not request.user.has_perm("outcomes.view_small_counts")
    form = DashboardFilterForm(
        request.GET or None,
        initiatives=selectors.initiatives_in_scope(user=request.user),
        allow_coach=not suppress,
    )
    filters = form.cleaned_data if form.is_valid() else {}
    results = selectors.dashboard_results(
        user=request.user,
        initiative=filters.get("initiative"),
        breakdown=filters.get("breakdown") or "",
        kpi=filters.get("kpi") or selectors.kpi_list().first(),
        suppress=suppress,
    )
    if results.get("computing"):
        return render(
            request,
            "outcomes/dashboard.html",
            {"computing": True, "form": form, "funder": suppress},
        )
    reach = results["reach"]
    context: dict[str, Any] = {
        **results,
        "form": form,
        "funder": suppress,
        "charts": [
            _counts_chart(
                reach.by_region, title=_("Företag per region (NUTS2)"), suppress=suppress
            ),
            _counts_chart(
                reach.by_urban_rural,
                title=_("Företag per kommungrupp (stad–land)"),
                suppress=suppress,
            ),
        ],
        "suppress_below": impact.SUPPRESS_BELOW,
        # A funder sees no figure of the reach when it is about fewer than five companies.
        "reach_withheld": suppress and not disclosure.enough(reach.companies),
        "employment_withheld": suppress and not disclosure.enough(reach.employment_companies),
    }
    return render(request, "outcomes/dashboard.html", context)


@permission_required("outcomes.dashboard", raise_exception=True)
def method(request: HttpRequest) -> HttpResponse:
    return render(request, "outcomes/method.html", {"suppress_below": impact.SUPPRESS_BELOW})


@permission_required("outcomes.measure", raise_exception=True)
def company_list_view(request: HttpRequest) -> HttpResponse:
    companies = company_list(user=request.user)
    if not request.user.has_perm("outcomes.choose_company"):
        own = companies.first()
        if own is None:
            raise Http404
        return redirect("outcomes:company_kpis", pk=own.pk)
    # A NUL cannot be in a PostgreSQL string: it could never match, so it is dropped.
    q = request.GET.get("q", "").replace("\x00", "").strip()
    if q:
        companies = company_list(user=request.user, q=q)
    return render(
        request,
        "outcomes/company_list.html",
        {"companies": companies.order_by("name")[:50], "q": q},
    )


def _typed(
    data: QueryDict, kpis: list[KpiDefinition], years: list[int]
) -> tuple[dict[tuple[int, int], Decimal | None], dict[str, str]]:
    """The table's cells as sent: (KPI id, year) → value, and the field name → message of
    each cell that is not a number. A cell not on the page that was sent is left out."""
    values: dict[tuple[int, int], Decimal | None] = {}
    errors: dict[str, str] = {}
    for kpi in kpis:
        for year in years:
            name = f"v-{kpi.pk}-{year}"
            if name not in data:
                continue
            try:
                value = parse_value(data.get(name, ""))
            except ValueError as error:
                errors[name] = str(error)
                continue
            problem = measurement_value_problem(kpi, value) if value is not None else ""
            if problem:
                errors[name] = problem
            else:
                values[(kpi.pk, year)] = value
    return values, errors


@permission_required("outcomes.measure", raise_exception=True)
def company_kpis(request: HttpRequest, pk: int) -> HttpResponse:
    """A company's figures, KPI by year, in one table: typed like a spreadsheet, saved
    together, and refused (keeping what was typed) when someone else saved meanwhile."""
    try:
        company: Organisation = company_get(user=request.user, pk=pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    if not company.is_company:
        raise Http404
    kpis = list(selectors.kpi_list())
    this_year = timezone.localdate().year
    stored = selectors.company_measurements(user=request.user, company=company)
    years = sorted({y for _k, y in stored} | set(range(this_year - YEARS_SHOWN + 1, this_year + 1)))
    years = years[-max(YEARS_SHOWN, len({y for _k, y in stored})) :]
    errors: dict[str, str] = {}
    conflict = False
    if request.method == "POST":
        values, errors = _typed(request.POST, kpis, years)
        if not errors:
            try:
                services.measurements_set(
                    company=company,
                    values=values,
                    fingerprint=request.POST.get("fingerprint", ""),
                    user=request.user,
                )
            except services.StaleMeasurements:
                conflict = True
            else:
                messages.success(request, _("Nyckeltalen är sparade."))
                return redirect("outcomes:company_kpis", pk=company.pk)
    rows = []
    for kpi in kpis:
        cells = []
        for year in years:
            name = f"v-{kpi.pk}-{year}"
            measurement = stored.get((kpi.pk, year))
            if request.method == "POST":
                value = request.POST.get(name, "")
            else:
                value = formats.number(measurement.value, kpi.decimals) if measurement else ""
                problem = measurement_value_problem(kpi, measurement.value) if measurement else ""
                if problem:
                    # Stored before the bounds were checked: shown, marked, not a 500.
                    errors[name] = problem
            cells.append({"name": name, "year": year, "value": value, "error": errors.get(name)})
        rows.append({"kpi": kpi, "cells": cells})
    return render(
        request,
        "outcomes/company_kpis.html",
        {
            "company": company,
            "years": years,
            "rows": rows,
            "fingerprint": selectors.measurements_fingerprint(stored),
            "conflict": conflict,
            "has_errors": request.method == "POST" and bool(errors),
            "has_stored_errors": bool(errors),
        },
        status=409 if conflict else (422 if request.method == "POST" and errors else 200),
    )


@permission_required("outcomes.manage", raise_exception=True)
def comparison_groups(request: HttpRequest) -> HttpResponse:
    form = ComparisonGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = services.comparison_group_create(**form.cleaned_data)
        messages.success(request, _("Jämförelsegruppen är skapad. Lägg till företag."))
        return redirect("outcomes:comparison_group", pk=group.pk)
    return render(
        request,
        "outcomes/comparison_groups.html",
        {"groups": selectors.comparison_group_list(), "form": form},
    )


@permission_required("outcomes.manage", raise_exception=True)
def comparison_group(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(ComparisonGroup, pk=pk)
    form = MemberImportForm(request.POST if request.POST.get("action") == "import" else None)
    result = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "import" and form.is_valid():
            result = services.comparison_group_import(
                group=group, text=form.cleaned_data["numbers"]
            )
            form = MemberImportForm()
        elif action == "remove":
            raw = request.POST.get("company", "")
            services.comparison_group_member_remove(
                group=group, company_id=int(raw) if raw.isdigit() else 0
            )
            messages.success(request, _("Företaget är borttaget ur gruppen."))
            return redirect("outcomes:comparison_group", pk=group.pk)
        elif action == "delete":
            services.comparison_group_delete(group=group)
            messages.success(request, _("Jämförelsegruppen är borttagen."))
            return redirect("outcomes:comparison_groups")
    return render(
        request,
        "outcomes/comparison_group.html",
        {
            "group": group,
            "form": form,
            "result": result,
            "companies": selectors.comparison_group_member_list(group=group),
        },
    )


@permission_required("outcomes.report", raise_exception=True)
def reports(request: AuthenticatedRequest) -> HttpResponse:
    initiatives = selectors.initiatives_in_scope(user=request.user)
    form = ReportForm(request.POST or None, initiatives=initiatives)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = services.report_job_start(
            initiative=data["initiative"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            format=data["format"],
            user=request.user,
        )
        return redirect(job)
    return render(
        request,
        "outcomes/reports.html",
        {"form": form, "jobs": selectors.report_job_list(user=request.user)[:20]},
    )


@permission_required("outcomes.report", raise_exception=True)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report's progress, its file, or why it failed; a POST runs a failed one again."""
    job = get_object_or_404(selectors.report_job_list(user=request.user), pk=pk)
    job_fail_if_stale(job)
    if request.method == "POST" and job.status == ReportStatus.FAILED:
        services.report_job_retry(job=job)
        return redirect(job)
    running = job.status in {ReportStatus.QUEUED, ReportStatus.RUNNING}
    return render(request, "outcomes/report_detail.html", {"job": job, "running": running})


@permission_required("outcomes.report", raise_exception=True)
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        job = selectors.report_job_file(user=request.user, pk=pk)
    except ReportJob.DoesNotExist as exc:
        raise Http404 from exc
    content_type = (
        "application/pdf"
        if job.format == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(bytes(job.content or b""), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


@permission_required("engagements.overview", raise_exception=True)
def maturity(request: AuthenticatedRequest) -> HttpResponse:
    """The spread of scores per dimension across the engagements in view, per planned
    timepoint: figures the task worker computes and keeps (``selectors.maturity_results``)."""
    form = MaturityFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    initiative, partner = filters.get("initiative"), filters.get("partner")
    params = {
        "instrument": filters.get("instrument") or form.fields["instrument"].initial or "",
        "initiative": initiative.pk if initiative else None,
        "partner": partner.pk if partner else None,
        "cohort": filters.get("cohort"),
    }
    results = selectors.maturity_results(user=request.user, params=params)
    context: dict[str, Any] = {"form": form, **results}
    rows = results.get("rows") or []
    if rows:
        timepoints = results["timepoints"]
        context["chart"] = spread_chart(
            [name for name, _by in rows],
            [(label, [by[code] for _name, by in rows]) for code, label in timepoints],
            title=_("Spridning per dimension"),
            description=_("Lådagram per dimension och mättillfälle: min, kvartiler, median, max."),
        )
        context["table"] = [
            (name, [(label, by[code]) for code, label in timepoints]) for name, by in rows
        ]
    return render(request, "outcomes/maturity.html", context)
