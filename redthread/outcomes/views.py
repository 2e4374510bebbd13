from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from redthread.accounts import predicates
from redthread.core.charts import Series, bars
from redthread.registry.models import Organisation
from redthread.registry.selectors import company_get, company_list

from . import impact, selectors, services
from .forms import (
    ComparisonGroupForm,
    DashboardFilterForm,
    MemberImportForm,
    ReportForm,
    parse_value,
)
from .models import ComparisonGroup, ReportJob, ReportStatus
from .templatetags.outcomes import figure

YEARS_SHOWN = 7


def _counts_chart(counts: dict[str, int], *, title: str, suppress: bool) -> dict[str, Any]:
    """A bar chart of company counts and the same numbers as rows for the table beside it;
    for funders, counts under 5 are neither drawn nor shown."""
    rows = sorted(counts.items())
    shown = [
        (label, None if suppress and count < impact.SUPPRESS_BELOW else count)
        for label, count in rows
    ]
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


#: Effects are recomputed when the data they rest on changes, and at the latest after this.
RESULTS_CACHE_SECONDS = 300


def _data_version() -> str:
    """A fingerprint of everything the results rest on: when any of it is added, changed or
    removed, the cached results are stale."""
    from django.db.models import Count, Max

    from redthread.assessments.models import AssessmentRound
    from redthread.engagements.models import Engagement, Session

    from .models import ComparisonGroup, KpiDefinition, Measurement

    parts = [
        model.objects.aggregate(n=Count("pk"), last=Max("modified"))
        for model in (Measurement, Engagement, Session, AssessmentRound, ComparisonGroup)
    ]
    parts.append(
        {
            "members": ComparisonGroup.companies.through.objects.count(),
            "kpis": list(KpiDefinition.objects.values_list("pk", "direction")),
            "companies": Organisation.objects.aggregate(last=Max("modified"))["last"],
        }
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _results(
    *, engagements: Any, initiatives: list[int], funder: bool, breakdown: str, kpi: Any
) -> dict[str, Any]:
    listed = list(impact.started(engagements).select_related("initiative"))
    reach = impact.reach(listed)
    units = impact.units(listed)
    kpis = list(selectors.kpi_list())
    results: dict[str, Any] = {
        "reach": reach,
        "effects": impact.kpi_effects(units, kpis, initiatives=initiatives, suppress=funder),
        "scores": impact.score_effects(units, suppress=funder),
    }
    if breakdown and kpi is not None:
        results["breakdown"] = {
            "label": impact.BREAKDOWNS[breakdown],
            "kpi": kpi,
            "groups": impact.kpi_effect_by(units, kpi, breakdown, suppress=funder),
        }
    return results


@permission_required("outcomes.dashboard", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Reach and effects of the engagements in view: the office sees all initiatives, a
    partner its own engagements, a funder the initiatives it funds (aggregated only)."""
    funder = bool(predicates.is_funder_viewer(request.user))
    initiatives = selectors.initiatives_in_scope(user=request.user)
    form = DashboardFilterForm(request.GET or None, initiatives=initiatives, allow_coach=not funder)
    filters = form.cleaned_data if form.is_valid() else {}
    engagements = selectors.engagements_in_scope(user=request.user)
    chosen = filters.get("initiative")
    if chosen is not None:
        engagements = engagements.filter(initiative=chosen)
    in_view = [chosen.pk] if chosen is not None else list(initiatives.values_list("pk", flat=True))
    breakdown = filters.get("breakdown") or ""
    kpi = filters.get("kpi") or selectors.kpi_list().first()
    # The bootstrap over every KPI is the costly part: the results are kept per scope and
    # choice, and recomputed when the data changes.
    role = getattr(request.user, "role", "")
    orgs = sorted(predicates.organisation_ids(request.user))
    scope = "office" if predicates.is_program_office(request.user) else f"{role}:{orgs}"
    key = (
        "outcomes:"
        + hashlib.sha256(
            repr(
                (
                    scope,
                    chosen.pk if chosen else None,
                    breakdown,
                    kpi.pk if kpi else None,
                    _data_version(),
                    get_language(),
                )
            ).encode()
        ).hexdigest()
    )
    results = cache.get(key)
    if results is None:
        results = _results(
            engagements=engagements,
            initiatives=in_view,
            funder=funder,
            breakdown=breakdown,
            kpi=kpi,
        )
        cache.set(key, results, RESULTS_CACHE_SECONDS)
    reach = results["reach"]
    context: dict[str, Any] = {
        **results,
        "form": form,
        "funder": funder,
        "charts": [
            _counts_chart(reach.by_region, title=_("Företag per region (NUTS2)"), suppress=funder),
            _counts_chart(
                reach.by_urban_rural,
                title=_("Företag per kommungrupp (stad–land)"),
                suppress=funder,
            ),
        ],
        "suppress_below": impact.SUPPRESS_BELOW,
    }
    return render(request, "outcomes/dashboard.html", context)


@permission_required("outcomes.dashboard", raise_exception=True)
def method(request: HttpRequest) -> HttpResponse:
    return render(request, "outcomes/method.html", {"suppress_below": impact.SUPPRESS_BELOW})


@permission_required("outcomes.measure", raise_exception=True)
def company_list_view(request: HttpRequest) -> HttpResponse:
    companies = company_list(user=request.user)
    if predicates.is_company_user(request.user):
        own = companies.first()
        if own is None:
            raise Http404
        return redirect("outcomes:company_kpis", pk=own.pk)
    q = request.GET.get("q", "").strip()
    if q:
        companies = company_list(user=request.user, q=q)
    return render(
        request,
        "outcomes/company_list.html",
        {"companies": companies.order_by("name")[:50], "q": q},
    )


def _fingerprint(stored: dict[tuple[int, int], Any]) -> str:
    values = {f"{k}:{y}": str(m.value) for (k, y), m in sorted(stored.items())}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]


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
        if request.POST.get("fingerprint") != _fingerprint(stored):
            conflict = True
        else:
            parsed: dict[tuple[int, int], Any] = {}
            for kpi in kpis:
                for year in years:
                    name = f"v-{kpi.pk}-{year}"
                    if name not in request.POST:
                        continue  # not on the page that was sent: left as it is
                    try:
                        parsed[(kpi.pk, year)] = parse_value(request.POST[name])
                    except ValueError as error:
                        errors[name] = str(error)
            if not errors:
                source = "company" if predicates.is_company_user(request.user) else "coach"
                with transaction.atomic():
                    for kpi in kpis:
                        for year in years:
                            if (kpi.pk, year) not in parsed:
                                continue
                            value = parsed[(kpi.pk, year)]
                            old = stored.get((kpi.pk, year))
                            if (old.value if old else None) == value:
                                continue
                            services.measurement_set(
                                company=company,
                                kpi=kpi,
                                year=year,
                                value=value,
                                source=source,
                                entered_by=request.user,
                            )
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
                value = figure(measurement.value, kpi.decimals) if measurement else ""
            cells.append({"name": name, "year": year, "value": value, "error": errors.get(name)})
        rows.append({"kpi": kpi, "cells": cells})
    return render(
        request,
        "outcomes/company_kpis.html",
        {
            "company": company,
            "years": years,
            "rows": rows,
            "fingerprint": _fingerprint(stored),
            "conflict": conflict,
            "has_errors": bool(errors),
        },
        status=409 if conflict else (422 if errors else 200),
    )


@permission_required("outcomes.manage", raise_exception=True)
def comparison_groups(request: HttpRequest) -> HttpResponse:
    form = ComparisonGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = form.save()
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
            group.companies.remove(int(raw) if raw.isdigit() else 0)
            messages.success(request, _("Företaget är borttaget ur gruppen."))
            return redirect("outcomes:comparison_group", pk=group.pk)
        elif action == "delete":
            group.delete()
            messages.success(request, _("Jämförelsegruppen är borttagen."))
            return redirect("outcomes:comparison_groups")
    return render(
        request,
        "outcomes/comparison_group.html",
        {
            "group": group,
            "form": form,
            "result": result,
            "companies": group.companies.order_by("name"),
        },
    )


def _jobs(request: HttpRequest) -> Any:
    jobs = ReportJob.objects.select_related("initiative").defer("content")
    if predicates.is_program_office(request.user):
        return jobs
    return jobs.filter(created_by_id=request.user.pk)


@permission_required("outcomes.report", raise_exception=True)
def reports(request: HttpRequest) -> HttpResponse:
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
    return render(request, "outcomes/reports.html", {"form": form, "jobs": _jobs(request)[:20]})


@permission_required("outcomes.report", raise_exception=True)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_jobs(request), pk=pk)
    running = job.status in {ReportStatus.QUEUED, ReportStatus.RUNNING}
    return render(request, "outcomes/report_detail.html", {"job": job, "running": running})


@permission_required("outcomes.report", raise_exception=True)
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(
        ReportJob.objects.filter(pk__in=_jobs(request).values("pk")),
        pk=pk,
        status=ReportStatus.DONE,
    )
    content_type = (
        "application/pdf"
        if job.format == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(bytes(job.content or b""), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
