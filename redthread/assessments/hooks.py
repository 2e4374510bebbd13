"""Where a recommendation can go. The assessment app knows nothing of engagements: an app
above it registers a provider that offers, for a round and a user, the places (an
engagement's action items or plan) that a recommended module can be added to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from redthread.accounts.typing import RequestUser

from .models import AssessmentRound


@dataclass(frozen=True)
class RecommendationTarget:
    label: str
    #: Receives a POST with ``round``, ``module`` (code), ``dimension`` (code) and ``kind``
    #: (``action`` or ``step``); for an action also ``owner`` (one of ``owners``) and ``due``.
    url: str
    #: Module code → how the target's plan has it already ("Planerat", "Genomfört"): such a
    #: module is not offered as a plan step again.
    planned: dict[str, str] = field(default_factory=dict)
    #: Codes of the modules this round's recommendations already made an action of.
    actions: frozenset[str] = frozenset()
    #: Who can own an action: (value, label), and the due date proposed.
    owners: list[tuple[str, str]] = field(default_factory=list)
    due: str = ""


Provider = Callable[[AssessmentRound, Any], list[RecommendationTarget]]
_providers: list[Provider] = []


def register_recommendation_targets(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def recommendation_targets(round: AssessmentRound, user: RequestUser) -> list[RecommendationTarget]:
    return [target for provider in _providers for target in provider(round, user)]
