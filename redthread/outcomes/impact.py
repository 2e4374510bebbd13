"""What a set of engagements achieved: its reach (companies counted once, hours,
participants) and its effects (KPIs and maturity scores, before against after, with their
intervals and against a comparison group). Pages, the funder report and the command line
all read it from here.

Years: a company's "before" is the calendar year before its engagement started, its
"after" the year the engagement's plan ends. A company in several engagements of the group
counts once, with its first engagement. Everyone who started counts (also those who left
early): an estimate for those who completed alone would flatter the program.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import FloatField, Min, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from redthread.engagements.models import Engagement, EngagementStatus, Session
from redthread.methodology.models import Instrument, Timepoint
from redthread.registry.models import (
    URBAN_RURAL_GROUP,
    MunicipalityType,
    Organisation,
    UrbanRuralGroup,
    UrbanRuralType,
    size_class_for,
)
from redthread.registry.selectors import sni_sections, urban_rural_classification_current

from . import bounds
from .models import ComparisonGroup, KpiDefinition, Measurement
from .statistics import (
    DifferenceInDifferences,
    PairedChange,
    difference_in_differences,
    paired_change,
)

#: Funders never see a figure about fewer companies than this.
SUPPRESS_BELOW = 5

BREAKDOWNS = {
    "initiative": _("Satsning"),
    "template": _("Program"),
    "cohort": _("Kohort (startår)"),
    "partner": _("Partner"),
    "urban_rural": _("Kommuntyp (stad–land)"),
    "coach": _("Huvudcoach"),
}


@dataclass(frozen=True)
class Unit:
    """One company in the group, with the engagement it counts with."""

    company_id: int
    engagement: Engagement
    before: int
    after: int


def units(engagements: Iterable[Engagement]) -> list[Unit]:
    """The companies of ``engagements`` once each (their first engagement) with their
    before and after years."""
    first: dict[int, Engagement] = {}
    for engagement in sorted(engagements, key=lambda e: (e.start_date, e.pk)):
        first.setdefault(engagement.company_id, engagement)
    result = []
    for company_id, engagement in first.items():
        end = engagement.start_date + datetime.timedelta(
            weeks=engagement.template_version.duration_weeks
        )
        result.append(Unit(company_id, engagement, engagement.start_date.year - 1, end.year))
    return result


def started(engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
    return engagements.filter(status__in=EngagementStatus.STARTED).select_related(
        "template_version", "company__municipality__county__nuts", "partner", "lead_coach"
    )


@dataclass(frozen=True)
class KpiEffect:
    kpi: KpiDefinition
    change: PairedChange
    did: DifferenceInDifferences | None
    comparison: str
    suppressed: bool = False
    #: For funders: the comparison group had fewer than 5 companies with figures.
    comparison_withheld: bool = False


@dataclass(frozen=True)
class ScoreEffect:
    instrument: str
    label: str
    change: PairedChange
    suppressed: bool = False


Values = dict[tuple[int, int, int], float]


def _values(
    company_ids: Iterable[int], kpis: Sequence[KpiDefinition], units_: Sequence[Unit] = ()
) -> Values:
    """(company, kpi, year) → value, in one query. (Filtering on the years ``units_``
    compare was measured slower: it steers SQLite off the (company, kpi, year) index.)"""
    # Read as floats by the database: building a Decimal per value cost a third of the time.
    measurements = (
        Measurement.objects.filter(company_id__in=list(company_ids), kpi__in=kpis)
        .annotate(number=Cast("value", FloatField()))
        .values_list("company_id", "kpi_id", "year", "number")
    )
    # A value stored before the bounds were checked and outside them (bounds.py) is left
    # out of every mean: it is shown as an error on the company's KPI page instead.
    limits = {kpi.pk: tuple(map(float, bounds.kpi_bounds(kpi))) for kpi in kpis}
    return {
        (company, kpi, year): value
        for company, kpi, year, value in measurements
        if value is not None and limits[kpi][0] <= value <= limits[kpi][1]
    }


def comparison_companies(
    units_: Sequence[Unit], initiatives: Iterable[Any]
) -> tuple[list[int], str]:
    """Who stands for "what would have happened anyway": the comparison group imported for
    the initiative, else a general one, else companies that had not yet started then (their
    first engagement began after the group's usual "after" year)."""
    treated = {u.company_id for u in units_}
    groups = list(
        ComparisonGroup.objects.filter(initiative__in=list(initiatives)).prefetch_related(
            "companies"
        )
    ) or list(ComparisonGroup.objects.filter(initiative__isnull=True).prefetch_related("companies"))
    if groups:
        ids = {c.pk for g in groups for c in g.companies.all()} - treated
        return sorted(ids), ", ".join(g.name for g in groups)
    if not units_:
        return [], ""
    after = Counter(u.after for u in units_).most_common(1)[0][0]
    waiting = (
        Engagement.objects.values("company_id")
        .annotate(first=Min("start_date"))
        .filter(first__year__gt=after)
        .values_list("company_id", flat=True)
    )
    return sorted(set(waiting) - treated), str(_("företag som ännu inte börjat"))


def kpi_effects(
    units_: Sequence[Unit],
    kpis: Sequence[KpiDefinition],
    *,
    initiatives: Iterable[Any] = (),
    suppress: bool = False,
    comparison_group: tuple[list[int], str] | None = None,
    values: Values | None = None,
) -> list[KpiEffect]:
    """Per KPI: the paired change before → after of the group's companies with a bootstrap
    interval, and the difference against the comparison group's change over the group's
    most common before and after years. A caller that computes several groups passes the
    comparison group and the values it has read already."""
    comparison, comparison_name = comparison_group or comparison_companies(units_, initiatives)
    if values is None:
        values = _values([u.company_id for u in units_] + comparison, kpis, units_)
    effects = []
    for kpi in kpis:
        before = [values.get((u.company_id, kpi.pk, u.before)) for u in units_]
        after = [values.get((u.company_id, kpi.pk, u.after)) for u in units_]
        change = paired_change(before, after, higher_is_better=kpi.higher_is_better)
        # The comparison is measured over the years most of the measured companies have.
        measured = [
            (u.before, u.after)
            for u, b, a in zip(units_, before, after, strict=True)
            if b is not None and a is not None
        ]
        window = Counter(measured).most_common(1)[0][0] if measured else None
        did = None
        withheld = False
        if window is not None and comparison:
            c_before = [values.get((c, kpi.pk, window[0])) for c in comparison]
            c_after = [values.get((c, kpi.pk, window[1])) for c in comparison]
            did = difference_in_differences(before, after, c_before, c_after)
            # An empty comparison says nothing; for funders, a comparison of fewer than 5
            # companies would let one of them be worked out from the figures.
            if suppress and 0 < did.n_comparison < SUPPRESS_BELOW:
                withheld = True
            if did.n_comparison == 0 or withheld:
                did = None
        effects.append(
            KpiEffect(
                kpi,
                change,
                did,
                comparison_name,
                suppressed=suppress and change.n < SUPPRESS_BELOW,
                comparison_withheld=withheld,
            )
        )
    return effects


def score_effects(units_: Sequence[Unit], *, suppress: bool = False) -> list[ScoreEffect]:
    """The overall maturity score T0 → T1 of the group's engagements, per instrument."""
    from redthread.assessments.models import AssessmentRound

    engagement_ids = [u.engagement.pk for u in units_]
    rounds = AssessmentRound.objects.filter(
        plan_assessment__engagement_id__in=engagement_ids,
        timepoint__in=[Timepoint.T0, Timepoint.T1],
        overall__isnull=False,
    ).values_list(
        "plan_assessment__engagement_id",
        "instrument__code",
        "instrument__number",
        "timepoint",
        "overall",
    )
    # Scores of different versions are on different scales: T0 and T1 pair only within one.
    scores: dict[tuple[str, int], dict[int, dict[str, float]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for engagement_id, code, number, timepoint, overall in rounds:
        if overall is not None:
            scores[(code, number)][engagement_id][timepoint] = overall
    labels = dict(Instrument.choices)
    versions = Counter(code for code, _number in scores)
    effects = []
    for (code, number), by_engagement in sorted(scores.items()):
        name = str(labels.get(code, code))
        if versions[code] > 1:
            name = f"{name} (v{number})"
        pairs = list(by_engagement.values())
        change = paired_change(
            [p.get(Timepoint.T0) for p in pairs], [p.get(Timepoint.T1) for p in pairs]
        )
        effects.append(
            ScoreEffect(code, name, change, suppressed=suppress and change.n < SUPPRESS_BELOW)
        )
    return effects


@dataclass
class Reach:
    companies: int = 0
    engagements: int = 0
    completed: int = 0
    withdrawn: int = 0
    coach_hours: Decimal = Decimal(0)
    company_hours: Decimal = Decimal(0)
    women: int = 0
    men: int = 0
    other: int = 0
    by_region: dict[str, int] = field(default_factory=dict)
    by_urban_rural: dict[str, int] = field(default_factory=dict)
    by_size: dict[str, int] = field(default_factory=dict)
    by_section: dict[str, int] = field(default_factory=dict)
    by_county: dict[str, int] = field(default_factory=dict)
    employment_change: float | None = None
    employment_companies: int = 0

    @property
    def completion(self) -> float | None:
        ended = self.completed + self.withdrawn
        return self.completed / ended if ended else None


def urban_rural_types(company_ids: Iterable[int]) -> dict[int, str]:
    classification = urban_rural_classification_current()
    if classification is None:
        return {}
    by_municipality = dict(
        MunicipalityType.objects.filter(classification=classification).values_list(
            "municipality_id", "type"
        )
    )
    return {
        pk: by_municipality[municipality]
        for pk, municipality in Organisation.objects.filter(pk__in=list(company_ids)).values_list(
            "pk", "municipality_id"
        )
        if municipality in by_municipality
    }


def reach(
    engagements: QuerySet[Engagement] | list[Engagement],
    *,
    period: tuple[datetime.date, datetime.date] | None = None,
) -> Reach:
    """Companies reached (once each, however many engagements), hours, participants, the
    breakdowns funders ask for, and the employment change of the companies measured.
    ``engagements``: a queryset, or the list :func:`started` gave (read once by a caller
    that needs it for effects too)."""
    result = Reach()
    listed = list(started(engagements)) if isinstance(engagements, QuerySet) else engagements
    result.engagements = len(listed)
    result.completed = sum(1 for e in listed if e.status == EngagementStatus.COMPLETED)
    result.withdrawn = sum(1 for e in listed if e.status == EngagementStatus.WITHDRAWN)
    companies = {e.company_id: e.company for e in listed}
    result.companies = len(companies)
    sessions = Session.objects.filter(engagement__in=[e.pk for e in listed])
    if period is not None:
        sessions = sessions.filter(date__range=period)
    totals = sessions.aggregate(
        minutes=Sum("duration_minutes"),
        company_hours=Sum("company_hours"),
        women=Sum("women"),
        men=Sum("men"),
        other=Sum("other"),
    )
    result.coach_hours = Decimal(totals["minutes"] or 0) / 60
    result.company_hours = Decimal(totals["company_hours"] or 0)
    result.women, result.men, result.other = (
        totals["women"] or 0,
        totals["men"] or 0,
        totals["other"] or 0,
    )
    sections = sni_sections()
    types = urban_rural_types(companies)
    for pk, company in companies.items():
        municipality = company.municipality
        region = municipality.county.nuts.name if municipality else str(_("okänd"))
        county = municipality.county.name if municipality else str(_("okänd"))
        size = size_class_for(company.headcount)
        section = sections.get((company.sni_version, company.sni_code[:2]), "")
        kind = types.get(pk)
        group = str(UrbanRuralGroup(URBAN_RURAL_GROUP[kind]).label) if kind else str(_("okänd"))
        for bucket, key in (
            (result.by_region, region),
            (result.by_county, county),
            (result.by_size, str(size.label) if size else str(_("okänd"))),
            (result.by_section, section or str(_("okänd"))),
            (result.by_urban_rural, group),
        ):
            bucket[key] = bucket.get(key, 0) + 1
    headcount = KpiDefinition.objects.filter(code="headcount").first()
    if headcount is not None:
        units_ = units(listed)
        values = _values([u.company_id for u in units_], [headcount], units_)
        pairs = [
            (
                values.get((u.company_id, headcount.pk, u.before)),
                values.get((u.company_id, headcount.pk, u.after)),
            )
            for u in units_
        ]
        complete = [(b, a) for b, a in pairs if b is not None and a is not None]
        result.employment_companies = len(complete)
        result.employment_change = sum(a - b for b, a in complete) if complete else None
    return result


def breakdown_key(unit: Unit, kind: str, types: dict[int, str]) -> tuple[str, str]:
    """The group a unit belongs to in a breakdown: (key, label)."""
    engagement = unit.engagement
    if kind == "initiative":
        return str(engagement.initiative_id), engagement.initiative.name
    if kind == "template":
        return str(engagement.template_version.template_id), engagement.template_version.name
    if kind == "cohort":
        return str(engagement.start_date.year), str(engagement.start_date.year)
    if kind == "partner":
        return str(engagement.partner_id), engagement.partner.name
    if kind == "coach":
        coach = engagement.lead_coach
        return (str(coach.pk), str(coach)) if coach else ("", str(_("ingen")))
    kind_ = types.get(unit.company_id)
    return (kind_ or "", str(UrbanRuralType(kind_).label) if kind_ else str(_("okänd")))


@dataclass(frozen=True)
class GroupEffect:
    key: str
    label: str
    effect: KpiEffect


def kpi_effect_by(
    units_: Sequence[Unit], kpi: KpiDefinition, kind: str, *, suppress: bool = False
) -> list[GroupEffect]:
    """One KPI's effect per group of a breakdown (initiative, template, cohort, partner,
    urban–rural group or coach). Small groups are flagged; for funders those under 5
    companies are suppressed."""
    types = urban_rural_types(u.company_id for u in units_) if kind == "urban_rural" else {}
    groups: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for unit in units_:
        groups[breakdown_key(unit, kind, types)].append(unit)
    # Groups of the same initiatives share their comparison group; the values of everyone
    # involved are read once.
    comparisons: dict[frozenset[int], tuple[list[int], str]] = {}
    for members in groups.values():
        initiatives = frozenset(m.engagement.initiative_id for m in members)
        if initiatives not in comparisons:
            comparisons[initiatives] = comparison_companies(members, initiatives)
    everyone = {u.company_id for u in units_} | {
        c for ids, _name in comparisons.values() for c in ids
    }
    values = _values(everyone, [kpi], units_)
    result = []
    for (key, label), members in sorted(groups.items(), key=lambda item: item[0][1]):
        initiatives = frozenset(m.engagement.initiative_id for m in members)
        effect = kpi_effects(
            members,
            [kpi],
            suppress=suppress,
            comparison_group=comparisons[initiatives],
            values=values,
        )[0]
        result.append(GroupEffect(key, label, effect))
    return result
