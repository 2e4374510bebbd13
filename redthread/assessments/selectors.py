"""Every read of assessments beyond a ``get``: lists, a company's history, peers and
percentiles, the gap between respondent groups, recommendations and spreads."""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from redthread.accounts.typing import RequestUser
from redthread.core.charts import FiveNumbers, five_numbers
from redthread.methodology import selectors as methodology
from redthread.methodology.models import Timepoint
from redthread.registry.models import (
    SIZE_CLASS_BOUNDS,
    Organisation,
    OrganisationKind,
    size_class_for,
)
from redthread.registry.selectors import sni_sections

from .instruments import Definition, Dimension, Scores, combine, dimension_map
from .models import AssessmentRound, InstrumentVersion, Response, ResponseStatus

#: Fewer peers than this and no percentile is shown.
MINIMUM_PEERS = 5

PEER_GROUPS = {
    "all": _("alla företag"),
    "sector": _("samma SNI-avdelning"),
    "size": _("samma storleksklass"),
    "region": _("samma region (NUTS2)"),
}


def instrument_current(code: str) -> InstrumentVersion | None:
    return InstrumentVersion.objects.filter(code=code).order_by("-number").first()


def instruments_current() -> list[InstrumentVersion]:
    latest: dict[str, InstrumentVersion] = {}
    for version in InstrumentVersion.objects.order_by("code", "-number"):
        latest.setdefault(version.code, version)
    return list(latest.values())


def round_list(
    *, user: RequestUser, q: str = "", instrument: str = "", timepoint: str = ""
) -> QuerySet[AssessmentRound]:
    rounds = (
        AssessmentRound.objects.visible_to(user)
        .select_related("company", "instrument", "partner")
        .defer("instrument__definition")
    )
    if q:
        digits = q.replace("-", "").strip()
        rounds = rounds.filter(Q(company__name__icontains=q) | Q(company__org_number=digits))
    if instrument:
        rounds = rounds.filter(instrument__code=instrument)
    if timepoint:
        rounds = rounds.filter(timepoint=timepoint)
    return rounds


def _responses_counted(responses: QuerySet[Response]) -> Any:
    return Coalesce(
        Subquery(
            responses.filter(round=OuterRef("pk"))
            .order_by()
            .values("round")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def round_figures(rounds: QuerySet[AssessmentRound]) -> QuerySet[AssessmentRound]:
    """The list's figures per round, each its own subquery (nothing groups by the rounds'
    columns, their scores JSON among them): its respondents, those who submitted and those
    still to answer (``waiting``: every page showing a round's scores says so)."""
    return rounds.annotate(
        respondents=_responses_counted(Response.objects.all()),
        submitted=_responses_counted(Response.objects.filter(status=ResponseStatus.SUBMITTED)),
        waiting=_responses_counted(Response.objects.exclude(status=ResponseStatus.SUBMITTED)),
    )


def round_get(*, user: RequestUser, pk: int) -> AssessmentRound:
    """One round ``user`` may see (else 404), with the figures of :func:`round_figures`."""
    return get_object_or_404(
        round_figures(
            AssessmentRound.objects.visible_to(user).select_related(
                "company__municipality__county", "instrument", "partner", "created_by"
            )
        ),
        pk=pk,
    )


def rounds_waiting(rounds: QuerySet[AssessmentRound]) -> int:
    """How many of ``rounds`` still wait for a respondent (one query)."""
    return (
        Response.objects.filter(round__in=rounds.values("pk"))
        .exclude(status=ResponseStatus.SUBMITTED)
        .values("round")
        .distinct()
        .count()
    )


def results_company(*, user: RequestUser, pk: int) -> Organisation:
    """The company whose results ``user`` may read: one it may see in the registry (the
    office, its partner's managers, its coaches, its own users), or one with a round the
    user may see (a coach on an ad-hoc round). Else 404, revealing nothing."""
    visible = Organisation.objects.visible_to(user).filter(kind=OrganisationKind.COMPANY)
    rounds = AssessmentRound.objects.visible_to(user).filter(company=OuterRef("pk"))
    return get_object_or_404(
        Organisation.objects.filter(kind=OrganisationKind.COMPANY)
        .filter(Exists(rounds) | Q(pk__in=visible.values("pk")))
        .select_related("municipality__county"),
        pk=pk,
    )


def company_rounds(*, user: RequestUser, company: Organisation) -> list[AssessmentRound]:
    """Every round of ``company`` that ``user`` may see, by instrument and then oldest
    first, with :func:`round_figures`. The few instrument versions are read once rather
    than with every round (a definition is large)."""
    rounds = list(
        round_figures(
            AssessmentRound.objects.visible_to(user)
            .filter(company=company)
            .select_related("company__municipality__county")
        ).order_by("instrument__code", "date", "pk")
    )
    versions = InstrumentVersion.objects.in_bulk({r.instrument_id for r in rounds})
    for round_ in rounds:
        round_.instrument = versions[round_.instrument_id]
    return rounds


def response_get(*, round: AssessmentRound, pk: int) -> Response:
    return get_object_or_404(
        Response.objects.select_related("round__instrument"), round=round, pk=pk
    )


def response_submitted(*, pk: int) -> Response | None:
    """A submitted response with its round, company and instrument, or None. Only for a
    caller that already holds the respondent's proof (the signed value in their session)."""
    return (
        Response.objects.select_related("round__company", "round__instrument")
        .filter(pk=pk, status=ResponseStatus.SUBMITTED)
        .first()
    )


def company_history(*, company: Organisation, code: str) -> list[AssessmentRound]:
    """The company's scored rounds with one instrument, oldest first."""
    return list(
        AssessmentRound.objects.filter(
            company=company, instrument__code=code, overall__isnull=False
        )
        .select_related("instrument")
        .defer("instrument__definition")
        .order_by("date", "pk")
    )


@dataclass(frozen=True)
class Change:
    """One dimension across a company's rounds: the score at each round (None where it
    cannot be compared) and the change from the first to the last."""

    dimension: Dimension
    values: list[float | None]
    change: float | None


def changes(rounds: Sequence[AssessmentRound], definition: Definition) -> list[Change]:
    """Per dimension of ``definition`` (the newest round's), the scores of every round,
    translated through declared version mappings; a round of a version without a mapping
    shows no value rather than a misleading one."""
    result = []
    maps = [
        {new: old for old, new in dimension_map(r.instrument.parsed, definition).items()}
        for r in rounds
    ]
    for dimension in definition.dimensions:
        values = []
        for round_, reverse in zip(rounds, maps, strict=True):
            old = reverse.get(dimension.code)
            values.append(round_.combined.dimensions.get(old) if old else None)
        present = [v for v in values if v is not None]
        change = round(present[-1] - present[0], 1) if len(present) >= 2 else None
        result.append(Change(dimension, values, change))
    return result


@dataclass(frozen=True)
class PeerResult:
    group: str
    peers: int
    overall: float | None
    dimensions: dict[str, float | None]

    @property
    def enough(self) -> bool:
        return self.peers >= MINIMUM_PEERS


def _mid_rank(below: int, tied: int, peers: int) -> float:
    """As ``instruments.percentile``: the share below, ties counted as half, in percent."""
    return round(100 * (below + 0.5 * tied) / peers, 1)


#: How long a peer distribution is kept at most (a company's size, sector or region
#: changing moves it between peer groups without touching its rounds).
PEER_CACHE_SECONDS = 600


@dataclass(frozen=True)
class PeerDistribution:
    """The latest scored round of every company in a peer group: per company its scores
    (``overall`` and per dimension) and, per score, all the values sorted."""

    by_company: dict[int, dict[str, float]]
    sorted_values: dict[str, list[float]]


def _peer_candidates(round: AssessmentRound, group: str) -> QuerySet[AssessmentRound] | None:
    """The scored rounds of the round's instrument version in its peer group (the
    company's own included); ``None`` when the company has no such group."""
    company = round.company
    candidates = AssessmentRound.objects.filter(instrument=round.instrument, overall__isnull=False)
    if group == "size":
        own_size = size_class_for(company.headcount)
        if own_size is None:
            return None
        low, high = SIZE_CLASS_BOUNDS[own_size]
        candidates = candidates.filter(company__headcount__gte=low)
        if high is not None:
            candidates = candidates.filter(company__headcount__lt=high)
    if group == "sector":
        sections = sni_sections()
        own_section = sections.get((company.sni_version, company.sni_code[:2]))
        same = [key for key, section in sections.items() if section == own_section]
        if own_section is None or not same:
            return None
        condition = Q()
        for version, division in same:
            condition |= Q(company__sni_version=version, company__sni_code__startswith=division)
        candidates = candidates.filter(condition)
    if group == "region":
        own_region = company.municipality.county.nuts_id if company.municipality else None
        if own_region is None:
            return None
        candidates = candidates.filter(company__municipality__county__nuts_id=own_region)
    return candidates


def _peer_distribution(candidates: QuerySet[AssessmentRound], *, key: str) -> PeerDistribution:
    """The distribution of the latest round per company among ``candidates``, kept in the
    cache under ``key`` as long as no round of the instrument version changes (their count
    and last change are part of the key), for at most :data:`PEER_CACHE_SECONDS`."""
    cached = cache.get(key)
    if isinstance(cached, PeerDistribution):
        return cached
    latest = candidates.annotate(
        newest=Window(
            RowNumber(),
            partition_by=[F("company_id")],
            order_by=[F("date").desc(), F("pk").desc()],
        )
    ).filter(newest=1)
    by_company: dict[int, dict[str, float]] = {}
    values: dict[str, list[float]] = defaultdict(list)
    for company_id, overall, scores in AssessmentRound.objects.filter(
        pk__in=latest.values("pk")
    ).values_list("company_id", "overall", "scores"):
        own = {"": float(overall or 0.0)} | {
            code: float(value)
            for code, value in (scores or {}).get("dimensions", {}).items()
            if value is not None
        }
        by_company[company_id] = own
        for code, value in own.items():
            values[code].append(value)
    distribution = PeerDistribution(by_company, {k: sorted(v) for k, v in values.items()})
    cache.set(key, distribution, PEER_CACHE_SECONDS)
    return distribution


def peer_percentiles(round: AssessmentRound, *, group: str = "all") -> PeerResult:
    """Where the round stands among peers: each other company's latest scored round with
    the same instrument version (at any timepoint), within the chosen peer group.

    The peer group's distribution (every company's latest round, picked by a window
    function in the database) is read once and kept, sorted, until a round of the
    instrument version changes; each page then counts by bisection, its own company's
    latest round taken out. Two queries when kept: the fingerprint and the company."""
    candidates = _peer_candidates(round, group)
    if candidates is None:
        return PeerResult(group, 0, None, {})
    company = round.company
    fingerprint = AssessmentRound.objects.filter(instrument=round.instrument).aggregate(
        n=Count("pk"), last=Max("modified")
    )
    group_key = {
        "size": size_class_for(company.headcount),
        "sector": sni_sections().get((company.sni_version, company.sni_code[:2])),
        "region": company.municipality.county.nuts_id if company.municipality else None,
    }.get(group)
    key = (
        "assessments.peers:"
        + hashlib.sha256(
            repr(
                (round.instrument_id, group, group_key, fingerprint["n"], str(fingerprint["last"]))
            ).encode()
        ).hexdigest()
    )
    distribution = _peer_distribution(candidates, key=key)
    own = distribution.by_company.get(company.pk, {})
    scores = round.combined
    fields = {"": scores.overall} | dict(scores.dimensions)

    def share(code: str, value: float | None) -> float | None:
        ordered = distribution.sorted_values.get(code, [])
        mine = own.get(code)
        present = len(ordered) - (mine is not None)
        if value is None or present < MINIMUM_PEERS:
            return None
        # Ties within 1e-6, as ``instruments.percentile`` compares.
        below = bisect_left(ordered, value - 1e-6)
        tied = bisect_right(ordered, value + 1e-6) - below
        if mine is not None:
            if mine < value - 1e-6:
                below -= 1
            elif mine <= value + 1e-6:
                tied -= 1
        return _mid_rank(below, tied, present)

    peers = len(distribution.by_company) - (company.pk in distribution.by_company)
    overall = share("", fields.pop(""))
    dimensions: dict[str, float | None] = {
        code: share(code, value) for code, value in fields.items()
    }
    return PeerResult(group, peers, overall, dimensions)


@dataclass(frozen=True)
class GroupScores:
    group: str
    label: str
    respondents: int
    scores: Scores


def group_scores(round: AssessmentRound) -> list[GroupScores]:
    """The submitted responses' combined scores per respondent group."""
    definition = round.instrument.parsed
    by_group: dict[str, list[Response]] = defaultdict(list)
    for response in round.responses.filter(status=ResponseStatus.SUBMITTED):
        by_group[response.group].append(response)
    return [
        GroupScores(
            group,
            str(responses[0].get_group_display()),
            len(responses),
            combine(definition, (definition.score(r.answers) for r in responses)),
        )
        for group, responses in sorted(by_group.items())
    ]


@dataclass(frozen=True)
class Recommendation:
    dimension: Dimension
    score: float
    modules: list[Any]


def recommendations(round: AssessmentRound, *, count: int = 3) -> list[Recommendation]:
    """The weakest dimensions, each with the method modules that improve it (matched by
    the dimension's tag in the modules' published versions)."""
    definition = round.instrument.parsed
    scored = [
        (value, definition.dimension(code))
        for code, value in round.combined.dimensions.items()
        if value is not None
    ]
    weakest = sorted(scored, key=lambda pair: (pair[0], pair[1].code))[:count]
    modules = methodology.modules_improving(tags=[d.tag for _v, d in weakest])
    return [
        Recommendation(dimension, value, modules.get(dimension.tag, []))
        for value, dimension in weakest
    ]


@dataclass(frozen=True)
class DimensionSpread:
    dimension: Dimension
    by_timepoint: dict[str, FiveNumbers | None]


def spread(rounds: Iterable[AssessmentRound], definition: Definition) -> list[DimensionSpread]:
    """Per dimension of ``definition``, the five-number summary of the rounds' scores at
    each timepoint (rounds of other versions only through a declared mapping)."""
    values: dict[tuple[str, str], list[float]] = defaultdict(list)
    timepoints: list[str] = []
    maps: dict[int, dict[str, str]] = {}
    for round_ in rounds:
        instrument = round_.instrument
        if instrument.pk not in maps:
            maps[instrument.pk] = dimension_map(instrument.parsed, definition)
        if round_.timepoint not in timepoints:
            timepoints.append(round_.timepoint)
        for old, new in maps[instrument.pk].items():
            value = round_.combined.dimensions.get(old)
            if value is not None:
                values[(new, round_.timepoint)].append(value)
    order = sorted(timepoints, key=lambda t: (t == Timepoint.AD_HOC, t))
    return [
        DimensionSpread(
            dimension,
            {t: five_numbers(values.get((dimension.code, t), [])) for t in order},
        )
        for dimension in definition.dimensions
    ]
