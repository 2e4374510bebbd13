"""The assessments' panel on the start page: the latest rounds the user may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

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
