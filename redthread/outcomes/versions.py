"""The data version of the results pages: read in one query per request, bumped after
every write they rest on (``connect`` wires the signals, from ``OutcomesConfig.ready``).

Bulk writes send no signals: a bulk writer the results rest on calls :func:`bump`
itself, and stored results are recomputed after ``selectors.RESULTS_MAX_AGE`` anyway."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import ResultsDataVersion

_ROW = 1


def current() -> int:
    version = ResultsDataVersion.objects.filter(pk=_ROW).values_list("version", flat=True).first()
    return version or 0


def bump(**_kwargs: Any) -> None:
    """One more version: every kept result is stale from now on."""
    if not ResultsDataVersion.objects.filter(pk=_ROW).update(version=F("version") + 1):
        ResultsDataVersion.objects.get_or_create(pk=_ROW, defaults={"version": 1})


def _m2m_bump(action: str = "", **_kwargs: Any) -> None:
    if action.startswith("post_"):
        bump()


def connect() -> None:
    from redthread.assessments.models import AssessmentRound, Response
    from redthread.engagements.models import Engagement, Session
    from redthread.registry.models import Organisation

    from .models import ComparisonGroup, KpiDefinition, Measurement

    for model in (
        Measurement,
        Engagement,
        Session,
        AssessmentRound,
        Response,  # the maturity spread counts the rounds still waiting
        ComparisonGroup,
        KpiDefinition,
        Organisation,
    ):
        uid = f"outcomes.results_version.{model._meta.label_lower}"
        post_save.connect(bump, sender=model, dispatch_uid=uid + ".save", weak=False)
        post_delete.connect(bump, sender=model, dispatch_uid=uid + ".delete", weak=False)
    m2m_changed.connect(
        _m2m_bump,
        sender=ComparisonGroup.companies.through,
        dispatch_uid="outcomes.results_version.members",
        weak=False,
    )
