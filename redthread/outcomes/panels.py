"""The outcomes' panel on the start page: the reach of the engagements in view, counted
cheaply (the effects are on the results page)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum
from django.http import HttpRequest

from redthread.academy.selectors import certified_share_by_partner
from redthread.accounts import predicates
from redthread.engagements.models import EngagementStatus, Session
from redthread.methodology.models import Initiative

from . import disclosure, selectors


def reach_summary(request: HttpRequest) -> dict[str, Any] | None:
    engagements = selectors.engagements_in_scope(user=request.user).filter(
        status__in=EngagementStatus.STARTED
    )
    companies = engagements.aggregate(n=Count("company", distinct=True))["n"]
    if not companies:
        return None
    if not request.user.has_perm("outcomes.view_small_counts") and not disclosure.enough(companies):
        # A funder sees no figure about fewer than five companies (disclosure.py).
        return {"companies": None, "coach_hours": None, "withheld": disclosure.THRESHOLD}
    minutes = Session.objects.filter(engagement__in=engagements.values("pk")).aggregate(
        m=Sum("duration_minutes")
    )["m"]
    return {"companies": companies, "coach_hours": (minutes or 0) / 60}


def company_figures(request: HttpRequest) -> dict[str, Any] | None:
    """The company's key figures: the latest value of each KPI and its change."""
    figures = selectors.company_latest_figures(user=request.user)
    return {"figures": figures} if figures else None


def coach_certification(request: HttpRequest) -> dict[str, Any] | None:
    """For a funder: per partner of the initiatives it funds, how many coaches it has and
    how many are certified, and the share; counts only, no person named. The coaches are
    counted as :mod:`disclosure` counts companies: a figure about fewer than five coaches
    is withheld, with secondary suppression so that no withheld figure can be derived from
    a row's or the column's total (certified plus not certified is each partner's total)."""
    partner_ids = set(
        Initiative.objects.filter(fundings__funder__in=predicates.organisation_ids(request.user))
        .exclude(partners=None)
        .values_list("partners", flat=True)
    )
    shares = certified_share_by_partner(partner_ids=partner_ids)
    if not shares:
        return None
    certified, other = "certified", "other"
    table = disclosure.suppress(
        disclosure.Table(
            rows=[s.partner_id for s in shares],
            columns=[certified, other],
            counts={
                **{(s.partner_id, certified): s.certified for s in shares},
                **{(s.partner_id, other): s.coaches - s.certified for s in shares},
            },
        )
    )

    def line(label: str, row: int | None) -> dict[str, Any]:
        coaches = table.shown(row, None)
        n = table.shown(row, certified)
        percent = round(100 * n / coaches) if coaches and n is not None else None
        return {"label": label, "coaches": coaches, "certified": n, "percent": percent}

    return {
        "rows": [line(s.partner_name, s.partner_id) for s in shares],
        "total": line("", None),
        "withheld": bool(table.withheld),
        "threshold": disclosure.THRESHOLD,
    }
