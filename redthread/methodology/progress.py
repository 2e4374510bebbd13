"""An initiative's targets against its actuals and its expected path.

Methodology holds the targets and knows nothing of engagements: the engagements app
registers the provider of the actuals (:func:`register_actuals`), as it does for the
coverage matrix's module usage. The expected path is linear over the initiative's period:
halfway through, half of a count target is expected; a share target (the rural share) is
expected in full from the start."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Initiative

#: Within this share of the expected figure, an initiative is on track.
TOLERANCE = 0.1


class TargetStatus(models.TextChoices):
    AHEAD = "ahead", _("Före planen")
    ON_TRACK = "on_track", _("Enligt planen")
    BEHIND = "behind", _("Efter planen")
    NO_TARGET = "none", _("Inget mål satt")


@dataclass(frozen=True)
class Actuals:
    """What an initiative has achieved so far."""

    #: Companies with an engagement that has started (active, paused, completed, withdrawn).
    companies: int
    #: Coach hours logged in its engagements' sessions.
    coach_hours: float
    #: Share (0–1) of those companies in rural municipalities; None when none is known.
    rural_share: float | None


@dataclass(frozen=True)
class TargetProgress:
    label: str
    unit: str
    target: float
    actual: float | None
    #: What the linear path expects by today (a share target: the target itself).
    expected: float | None
    status: TargetStatus

    @property
    def actual_of_target(self) -> float | None:
        """The actual as a share of the target (0–1 and beyond)."""
        if not self.target or self.actual is None:
            return None
        return self.actual / self.target

    @property
    def expected_of_target(self) -> float | None:
        if not self.target or self.expected is None:
            return None
        return self.expected / self.target


_providers: list[Callable[[Initiative], Actuals]] = []


def register_actuals(provider: Callable[[Initiative], Actuals]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def elapsed_share(initiative: Initiative, today: datetime.date) -> float:
    """How much of the initiative's period has passed by ``today`` (0–1)."""
    days = (initiative.end - initiative.start).days
    if days <= 0:
        return 1.0 if today >= initiative.start else 0.0
    return min(1.0, max(0.0, (today - initiative.start).days / days))


def status_for(actual: float | None, expected: float | None, target: float) -> TargetStatus:
    """Ahead, on track or behind: the actual against what is expected by now, within
    :data:`TOLERANCE` of the target (not of the expected figure, which is small early on)."""
    if not target:
        return TargetStatus.NO_TARGET
    if actual is None or expected is None:
        return TargetStatus.BEHIND
    if actual > expected + TOLERANCE * target:
        return TargetStatus.AHEAD
    if actual < expected - TOLERANCE * target:
        return TargetStatus.BEHIND
    return TargetStatus.ON_TRACK


def initiative_progress(initiative: Initiative, today: datetime.date) -> list[TargetProgress]:
    """Each target of the initiative with its actual, the expected figure by ``today`` and
    a status; empty when no provider of actuals is registered."""
    if not _providers:
        return []
    actuals = _providers[0](initiative)
    elapsed = elapsed_share(initiative, today)
    rows = []
    for label, unit, target, actual in (
        (_("Företag"), "", float(initiative.target_companies), float(actuals.companies)),
        (_("Coachtimmar"), "h", float(initiative.target_hours), actuals.coach_hours),
    ):
        expected = target * elapsed
        rows.append(
            TargetProgress(
                str(label), unit, target, actual, expected, status_for(actual, expected, target)
            )
        )
    share_target = float(initiative.target_rural_share_percent)
    share = None if actuals.rural_share is None else 100 * actuals.rural_share
    if share_target:
        # A share is expected in full all along, and being above it is not "ahead": on track.
        status = (
            TargetStatus.ON_TRACK
            if share is not None and share >= share_target * (1 - TOLERANCE)
            else TargetStatus.BEHIND
        )
    else:
        status = TargetStatus.NO_TARGET
    rows.append(
        TargetProgress(
            str(_("Andel på landsbygden")), "%", share_target, share, share_target, status
        )
    )
    return rows
