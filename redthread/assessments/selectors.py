"""Every read of assessments beyond a ``get``: lists, a company's history, peers and
percentiles, the gap between respondent groups, recommendations and spreads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Window
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


def peer_percentiles(round: AssessmentRound, *, group: str = "all") -> PeerResult:
    """Where the round stands among peers: each other company's latest scored round with
    the same instrument version (at any timepoint), within the chosen peer group.

    One query: the peer group is a filter on the companies, each company's latest round is
    picked by a window function in the database, and only the scores are read."""
    company = round.company
    candidates = AssessmentRound.objects.filter(
        instrument=round.instrument, overall__isnull=False
    ).exclude(company=company)
    own_size = size_class_for(company.headcount)
    if group == "size":
        if own_size is None:
            candidates = candidates.none()
        else:
            low, high = SIZE_CLASS_BOUNDS[own_size]
            candidates = candidates.filter(company__headcount__gte=low)
            if high is not None:
                candidates = candidates.filter(company__headcount__lt=high)
    if group == "sector":
        sections = sni_sections()
        own_section = sections.get((company.sni_version, company.sni_code[:2]))
        same = [key for key, section in sections.items() if section == own_section]
        if own_section is None or not same:
            candidates = candidates.none()
        else:
            condition = Q()
            for version, division in same:
                condition |= Q(company__sni_version=version, company__sni_code__startswith=division)
            candidates = candidates.filter(condition)
    if group == "region":
        own_region = company.municipality.county.nuts_id if company.municipality else None
        if own_region is None:
            candidates = candidates.none()
        else:
            candidates = candidates.filter(company__municipality__county__nuts_id=own_region)
    latest = candidates.annotate(
        newest=Window(
            RowNumber(),
            partition_by=[F("company_id")],
            order_by=[F("date").desc(), F("pk").desc()],
        )
    ).filter(newest=1)
    # The percentiles are counted in the same query: how many peers have a score, how many
    # lie below and how many tie (within 1e-6, as ``percentile`` compares).
    scores = round.combined
    fields = {"overall": scores.overall} | {
        f"scores__dimensions__{code}": value for code, value in scores.dimensions.items()
    }
    counts: dict[str, Any] = {}
    for n, (path, value) in enumerate(fields.items()):
        counts[f"n{n}"] = Count("pk", filter=Q(**{f"{path}__isnull": False}))
        if value is not None:
            counts[f"below{n}"] = Count("pk", filter=Q(**{f"{path}__lt": value - 1e-6}))
            counts[f"tie{n}"] = Count(
                "pk",
                filter=Q(**{f"{path}__gte": value - 1e-6, f"{path}__lte": value + 1e-6}),
            )
    row = AssessmentRound.objects.filter(pk__in=latest.values("pk")).aggregate(
        peers=Count("pk"), **counts
    )

    def share(n: int, value: float | None) -> float | None:
        present = row[f"n{n}"]
        if value is None or present < MINIMUM_PEERS:
            return None
        return _mid_rank(row[f"below{n}"], row[f"tie{n}"], present)

    overall = share(0, scores.overall)
    dimensions: dict[str, float | None] = {
        code: share(n + 1, value) for n, (code, value) in enumerate(scores.dimensions.items())
    }
    return PeerResult(group, row["peers"], overall, dimensions)


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
