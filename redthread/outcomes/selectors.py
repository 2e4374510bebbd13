"""Reads of outcomes: what a user may see of engagements and initiatives in aggregate,
KPIs, a company's measurements."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from redthread.accounts import predicates
from redthread.accounts.models import User
from redthread.accounts.typing import RequestUser
from redthread.engagements.models import Engagement
from redthread.methodology.models import Initiative
from redthread.registry.models import Organisation, OrganisationKind

from . import impact, results_codec, versions
from .models import (
    ComparisonGroup,
    KpiDefinition,
    Measurement,
    ReportJob,
    ReportStatus,
    StoredResult,
)


def engagements_in_scope(*, user: RequestUser) -> QuerySet[Engagement]:
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


def initiatives_in_scope(*, user: RequestUser) -> QuerySet[Initiative]:
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


def kpi_names_by_code(codes: list[str]) -> dict[str, str]:
    """The names of the key figures ``codes`` in the user's language (the methodology's
    template page asks through ``methodology.hooks.kpi_names``); unknown codes are left out.
    The template files write a code with underscores where the key figures' file has
    hyphens ("value_added_per_employee", "value-added-per-employee"): both are one figure."""
    spelt = {**{code.replace("_", "-"): code for code in codes}, **{code: code for code in codes}}
    return {spelt[kpi.code]: kpi.name for kpi in KpiDefinition.objects.filter(code__in=spelt)}


def company_measurements(
    *, user: RequestUser, company: Organisation
) -> dict[tuple[int, int], Measurement]:
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


def report_job_list(*, user: RequestUser) -> QuerySet[ReportJob]:
    """The reports ``user`` may see, newest first, without their files."""
    return ReportJob.objects.visible_to(user).select_related("initiative").defer("content")


def report_job_file(*, user: RequestUser, pk: int) -> ReportJob:
    """A finished report of those ``user`` may see, with its file; ``DoesNotExist`` for any
    other."""
    return (
        ReportJob.objects.visible_to(user)
        .select_related("initiative")
        .get(pk=pk, status=ReportStatus.DONE)
    )


#: Stored results are recomputed when the data they rest on changes (the data version),
#: and at the latest after this: a bulk write sends no signal.
RESULTS_MAX_AGE = datetime.timedelta(hours=1)


def _scope(user: RequestUser) -> str:
    # Users with the same role and memberships see the same engagements: they share results.
    if predicates.is_program_office(user):
        return "office"
    return f"{getattr(user, 'role', '')}:{sorted(predicates.organisation_ids(user))}"


def results_key(
    *,
    user: RequestUser,
    initiative: Initiative | None,
    breakdown: str,
    kpi: KpiDefinition | None,
    suppress: bool,
    language: str | None = None,
) -> str:
    """The key of a results page's stored figures: who may see them, what was chosen, in
    which language (labels in the figures are translated)."""
    return hashlib.sha256(
        repr(
            (
                _scope(user),
                initiative.pk if initiative else None,
                breakdown,
                kpi.pk if kpi else None,
                suppress,
                language or get_language(),
            )
        ).encode()
    ).hexdigest()


def results_compute(
    *,
    user: RequestUser,
    initiative: Initiative | None,
    breakdown: str,
    kpi: KpiDefinition | None,
    suppress: bool,
) -> dict[str, Any]:
    """The reach and effects of the engagements ``user`` may see in aggregate (one
    initiative's, or all in scope): ``reach``, ``effects`` per KPI, ``scores`` per
    instrument, and with a ``breakdown`` and a ``kpi`` the ``breakdown`` of that KPI's
    effect. With ``suppress`` (funders), figures about too few companies are withheld.
    The bootstrap over every KPI is costly: the task worker runs this, never a page."""
    engagements = engagements_in_scope(user=user)
    if initiative is not None:
        engagements = engagements.filter(initiative=initiative)
        in_view = [initiative.pk]
    else:
        in_view = list(initiatives_in_scope(user=user).values_list("pk", flat=True))
    listed = list(impact.started(engagements).select_related("initiative"))
    units = impact.units(listed)
    results: dict[str, Any] = {
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
    return results


def _stored_decoded(pk: int) -> dict[str, Any] | None:
    payload = StoredResult.objects.values_list("results", flat=True).get(pk=pk)
    try:
        return results_codec.results_decode(payload)
    except results_codec.StaleFormat:
        return None


def stored_figures(*, key: str, user: User, params: dict[str, Any]) -> dict[str, Any]:
    """Figures the task worker computes and stores under ``key`` (``params`` say what:
    see :func:`~redthread.outcomes.tasks.results_store`), with ``computed_at`` and
    ``stale`` (the data changed since: a recomputation is queued, once per data version).
    On a first visit nothing is stored yet: the computation is queued and the result is
    ``{"computing": True}``."""
    from .tasks import results_store

    version = versions.current()
    stored = StoredResult.objects.filter(key=key).defer("results").first()
    if stored is None:
        stored, _created = StoredResult.objects.get_or_create(
            key=key, defaults={"user": user, "params": {**params, "language": get_language()}}
        )
    old = stored.computed_at is not None and stored.computed_at < timezone.now() - RESULTS_MAX_AGE
    if old and stored.queued <= stored.version:
        version = max(version, stored.version + 1)  # asks for one recomputation
    if stored.computed_at is None or stored.version < version:
        if stored.queued < version:
            StoredResult.objects.filter(pk=stored.pk).update(queued=version)
            # Nothing of this request needs to commit first: queued now. (With the
            # immediate backend, as in development and tests, it has run on return.)
            results_store.enqueue(stored.pk)
        stored = StoredResult.objects.defer("results").get(pk=stored.pk)
    if stored.computed_at is None:
        return {"computing": True}
    results = _stored_decoded(stored.pk)
    if results is None:
        # Stored in an older format (a pickle before 0005) or damaged: never read, but
        # computed again now (on return with the immediate backend, as in development).
        StoredResult.objects.filter(pk=stored.pk).update(
            computed_at=None, results=None, queued=version
        )
        results_store.enqueue(stored.pk)
        stored = StoredResult.objects.defer("results").get(pk=stored.pk)
        results = _stored_decoded(stored.pk) if stored.computed_at is not None else None
        if results is None:
            return {"computing": True}
    results["computed_at"] = stored.computed_at
    results["stale"] = stored.version < version
    return results


def dashboard_results(
    *,
    user: User,
    initiative: Initiative | None,
    breakdown: str,
    kpi: KpiDefinition | None,
    suppress: bool,
) -> dict[str, Any]:
    """A results page's figures as stored by the task worker (:func:`results_compute`;
    see :func:`stored_figures`)."""
    return stored_figures(
        key=results_key(
            user=user, initiative=initiative, breakdown=breakdown, kpi=kpi, suppress=suppress
        ),
        user=user,
        params={
            "initiative": initiative.pk if initiative else None,
            "breakdown": breakdown,
            "kpi": kpi.pk if kpi else None,
            "suppress": suppress,
        },
    )


def maturity_key(*, user: RequestUser, params: dict[str, Any]) -> str:
    """The key of the maturity spread's stored figures: who may see them (the
    engagements in view), what was chosen, in which language."""
    return hashlib.sha256(
        repr(("maturity", _scope(user), sorted(params.items()), get_language())).encode()
    ).hexdigest()


def maturity_compute(*, user: RequestUser, params: dict[str, Any]) -> dict[str, Any]:
    """The spread of scores per dimension across the engagements ``user`` may see, per
    planned timepoint (``rows``: the dimension's name and a five-number summary per
    timepoint), how many rounds it rests on (``count``) and how many of them still wait
    for a respondent (``waiting``). Reading every round's scores is costly at national
    size: the task worker runs this, never a page."""
    from redthread.assessments import selectors as assessment_selectors
    from redthread.engagements import selectors as engagement_selectors
    from redthread.methodology.models import Timepoint

    instrument = assessment_selectors.instrument_current(params.get("instrument") or "")
    if instrument is None:
        return {"count": 0, "waiting": 0, "rows": [], "timepoints": []}
    rounds = engagement_selectors.maturity_rounds(
        user=user,
        instrument=instrument,
        initiative=Initiative.objects.filter(pk=params.get("initiative") or 0).first(),
        partner=Organisation.objects.filter(pk=params.get("partner") or 0).first(),
        cohort=params.get("cohort"),
    )
    listed = list(rounds)
    spread = assessment_selectors.spread(listed, instrument.parsed) if listed else []
    labels = dict(Timepoint.choices)
    timepoints = list(spread[0].by_timepoint) if spread else []
    return {
        "count": len(listed),
        "waiting": assessment_selectors.rounds_waiting(rounds) if listed else 0,
        "timepoints": [(t, str(labels.get(t, t))) for t in timepoints],
        "rows": [(str(row.dimension.name), row.by_timepoint) for row in spread],
    }


def maturity_results(*, user: User, params: dict[str, Any]) -> dict[str, Any]:
    """The maturity spread as stored by the task worker (:func:`maturity_compute`; see
    :func:`stored_figures`)."""
    params = {**params, "kind": "maturity"}
    return stored_figures(key=maturity_key(user=user, params=params), user=user, params=params)


@dataclass(frozen=True)
class LatestFigure:
    """A KPI's latest yearly value for one company, with the year before it (if any)."""

    kpi: KpiDefinition
    year: int
    value: Decimal
    previous: Decimal | None
    #: The change since the previous year is for the better (None: no previous or no change).
    better: bool | None


def company_latest_figures(*, user: RequestUser) -> list[LatestFigure]:
    """The latest value per KPI of the company ``user`` belongs to (a company user), as
    measurements it may see; KPIs in their order. Two queries whatever the history."""
    company_ids = predicates.organisation_ids(user, OrganisationKind.COMPANY)
    if not company_ids:
        return []
    latest: dict[int, list[Measurement]] = {}
    for measurement in (
        Measurement.objects.visible_to(user)
        .filter(company=min(company_ids))
        .order_by("kpi_id", "-year")
    ):
        pair = latest.setdefault(measurement.kpi_id, [])
        if len(pair) < 2:
            pair.append(measurement)
    figures = []
    for kpi in kpi_list().filter(pk__in=latest):
        last, *before = latest[kpi.pk]
        previous = before[0].value if before and before[0].year == last.year - 1 else None
        better = None
        if previous is not None and previous != last.value:
            better = (last.value > previous) == kpi.higher_is_better
        figures.append(LatestFigure(kpi, last.year, last.value, previous, better))
    return figures
