"""Reads of outcomes: what a user may see of engagements and initiatives in aggregate,
KPIs, a company's measurements."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from redthread.accounts import predicates
from redthread.engagements.models import Engagement
from redthread.methodology.models import Initiative
from redthread.registry.models import Organisation

from .models import ComparisonGroup, KpiDefinition, Measurement


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


def comparison_group_list() -> QuerySet[ComparisonGroup]:
    from django.db.models import Count

    return ComparisonGroup.objects.select_related("initiative").annotate(size=Count("companies"))
