"""The assessments' panel on the start page: the latest rounds the user may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from redthread.accounts import predicates
from redthread.registry.models import OrganisationKind

from .models import AssessmentRound
from .selectors import round_figures


def latest_rounds(request: HttpRequest) -> dict[str, Any] | None:
    rounds = list(
        round_figures(
            AssessmentRound.objects.visible_to(request.user)
            .select_related("company", "instrument")
            .defer("instrument__definition")
        ).order_by("-date", "-pk")[:5]
    )
    return {"rounds": rounds} if rounds else None


#: The company's home shows its latest results of this many rounds.
RESULTS_SHOWN = 3


def company_results(request: HttpRequest) -> dict[str, Any] | None:
    """The company's latest scored rounds, and how many are still waiting for answers."""
    rounds = AssessmentRound.objects.visible_to(request.user)
    scored = list(
        round_figures(
            rounds.filter(overall__isnull=False)
            .select_related("instrument")
            .defer("instrument__definition")
        ).order_by("-date", "-pk")[:RESULTS_SHOWN]
    )
    waiting = rounds.filter(overall__isnull=True).count()
    if not (scored or waiting):
        return None
    companies = predicates.organisation_ids(request.user, OrganisationKind.COMPANY)
    return {"rounds": scored, "waiting": waiting, "company_id": min(companies, default=None)}
