"""The outcomes' panel on the start page: the reach of the engagements in view, counted
cheaply (the effects are on the results page)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum
from django.http import HttpRequest

from redthread.engagements.models import EngagementStatus, Session

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
