"""Reads of outcomes: what a user may see of engagements and initiatives in aggregate,
KPIs, a company's measurements."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from redthread.accounts import predicates
from redthread.engagements.models import Engagement
from redthread.methodology.models import Initiative
from redthread.registry.models import Organisation

from . import impact, versions
from .models import ComparisonGroup, KpiDefinition, Measurement, ReportJob, ReportStatus


def engagements_in_scope(*, user: Any) -> QuerySet[Engagement]:
    """The engagements whose results ``user`` may see in aggregate: all for the office, a
    partner's for its managers, those of the initiatives a funder funds for the funder."""
    if predicates.is_program_office(user):
        return Engagement.objects.all()
    if predicates.is_partner_manager(user):
        return Engagement.objects.filter(partner__in=predicates.organisation_ids(user))
    if predicates.is_funder_viewer(user):
        return Engagement.objects.filter(
            initiative__fundings__funder__in=predicates.organisation_ids(user)
        ).distinct()
    return Engagement.objects.none()


def initiatives_in_scope(*, user: Any) -> QuerySet[Initiative]:
    if predicates.is_program_office(user):
        return Initiative.objects.all()
    if predicates.is_partner_manager(user):
        return Initiative.objects.filter(
            engagements__partner__in=predicates.organisation_ids(user)
        ).distinct()
    if predicates.is_funder_viewer(user):
        return Initiative.objects.filter(
            fundings__funder__in=predicates.organisation_ids(user)
        ).distinct()
    return Initiative.objects.none()


def kpi_list() -> QuerySet[KpiDefinition]:
    return KpiDefinition.objects.all()


def company_measurements(*, user: Any, company: Organisation) -> dict[tuple[int, int], Measurement]:
    """(kpi id, year) → measurement, of the company, as ``user`` may see them."""
    return {
        (m.kpi_id, m.year): m for m in Measurement.objects.visible_to(user).filter(company=company)
    }


def measurements_fingerprint(stored: dict[tuple[int, int], Measurement]) -> str:
    """A short fingerprint of a company's figures (``company_measurements``): the KPI table
    carries it, and a save over a changed table is refused."""
    values = {f"{k}:{y}": str(m.value) for (k, y), m in sorted(stored.items())}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]


def comparison_group_list() -> QuerySet[ComparisonGroup]:
    return ComparisonGroup.objects.select_related("initiative").annotate(size=Count("companies"))


def comparison_group_member_list(*, group: ComparisonGroup) -> QuerySet[Organisation]:
    return group.companies.order_by("name")


def report_job_list(*, user: Any) -> QuerySet[ReportJob]:
    """The reports ``user`` may see, newest first, without their files."""
    return ReportJob.objects.visible_to(user).select_related("initiative").defer("content")


def report_job_file(*, user: Any, pk: int) -> ReportJob:
    """A finished report of those ``user`` may see, with its file; ``DoesNotExist`` for any
    other."""
    return (
        ReportJob.objects.visible_to(user)
        .select_related("initiative")
        .get(pk=pk, status=ReportStatus.DONE)
    )


#: Effects are recomputed when the data they rest on changes, and at the latest after this.
RESULTS_CACHE_SECONDS = 300


def _data_version() -> int:
    """The version of everything the results rest on (one query): any write to it makes
    the kept results stale (see :mod:`.versions`)."""
    return versions.current()


def _scope(user: Any) -> str:
    # Users with the same role and memberships see the same engagements: they share results.
    if predicates.is_program_office(user):
        return "office"
    return f"{getattr(user, 'role', '')}:{sorted(predicates.organisation_ids(user))}"


def dashboard_results(
    *,
    user: Any,
    initiative: Initiative | None,
    breakdown: str,
    kpi: KpiDefinition | None,
    suppress: bool,
) -> dict[str, Any]:
    """The reach and effects of the engagements ``user`` may see in aggregate (one
    initiative's, or all in scope): ``reach``, ``effects`` per KPI, ``scores`` per
    instrument, and with a ``breakdown`` and a ``kpi`` the ``breakdown`` of that KPI's
    effect. With ``suppress`` (funders), figures about too few companies are withheld.

    The bootstrap over every KPI is the costly part: the results are kept in the cache per
    scope, choice and language, and recomputed as soon as any data they rest on changes."""
    key = (
        "outcomes:"
        + hashlib.sha256(
            repr(
                (
                    _scope(user),
                    initiative.pk if initiative else None,
                    breakdown,
                    kpi.pk if kpi else None,
                    suppress,
                    _data_version(),
                    get_language(),
                )
            ).encode()
        ).hexdigest()
    )
    results: dict[str, Any] | None = cache.get(key)
    if results is not None:
        return results
    engagements = engagements_in_scope(user=user)
    if initiative is not None:
        engagements = engagements.filter(initiative=initiative)
        in_view = [initiative.pk]
    else:
        in_view = list(initiatives_in_scope(user=user).values_list("pk", flat=True))
    listed = list(impact.started(engagements).select_related("initiative"))
    units = impact.units(listed)
    results = {
        "reach": impact.reach(listed),
        "effects": impact.kpi_effects(
            units, list(kpi_list()), initiatives=in_view, suppress=suppress
        ),
        "scores": impact.score_effects(units, suppress=suppress),
    }
    if breakdown and kpi is not None:
        results["breakdown"] = {
            "label": impact.BREAKDOWNS[breakdown],
            "kpi": kpi,
            "groups": impact.kpi_effect_by(units, kpi, breakdown, suppress=suppress),
        }
    results["computed_at"] = timezone.now()
    cache.set(key, results, RESULTS_CACHE_SECONDS)
    return results
