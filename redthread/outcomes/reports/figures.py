"""The funder report's data: what one initiative reached and achieved in one period
(``report_build``), and the sentences that explain its figures, shared by the workbook and
the PDF."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from redthread.core import formats
from redthread.engagements.models import Engagement, Session
from redthread.engagements.state_aid import de_minimis_many
from redthread.methodology.models import Initiative, Instrument
from redthread.registry.models import (
    County,
    NutsArea,
    SizeClass,
    SniCode,
    UrbanRuralGroup,
)
from redthread.registry.selectors import urban_rural_classification_current

from .. import funder_outputs, impact
from ..models import KpiDefinition

Progress = Callable[[int], None]
Number = int | float


# --- what a report holds ---------------------------------------------------------------


@dataclass(frozen=True)
class Funding:
    funder: str
    amount_sek: int


@dataclass(frozen=True)
class Figure:
    """One labelled figure of the summary: a count, an amount, a share (0–1) or text."""

    label: str
    value: Number | str | None
    unit: str = ""
    note: str = ""
    #: "count", "decimal", "share", "sek" or "text": how the figure is written out.
    kind: str = "count"


@dataclass(frozen=True)
class Breakdown:
    """Companies reached per group of one kind (size class, SNI section, county, …)."""

    key: str
    heading: str
    sheet: str
    column: str
    rows: list[tuple[str, int]]
    note: str = ""

    @property
    def total(self) -> int:
        return sum(count for _label, count in self.rows)


@dataclass(frozen=True)
class StateAidRow:
    """One company's support: coaching in the period valued at the initiative's rate, and
    its de minimis total over the three years up to the period's end."""

    company: str
    org_number: str
    coach_hours: float
    period_sek: int
    de_minimis_sek: int | None
    #: ``None`` when a year in the three lacks an exchange rate (see ``note``).
    de_minimis_eur: int | None
    note: str = ""


@dataclass(frozen=True)
class EffectRow:
    """One KPI's or instrument's effect as the report shows it: every number ``None`` when
    it is suppressed."""

    label: str
    unit: str
    decimals: int
    n: int | None
    before: float | None
    after: float | None
    change: float | None
    low: float | None
    high: float | None
    share_improved: float | None
    did_effect: float | None = None
    did_low: float | None = None
    did_high: float | None = None
    n_comparison: int | None = None
    comparison: str = ""
    suppressed: bool = False
    note: str = ""


@dataclass
class FunderReport:
    initiative: Initiative
    date_from: datetime.date
    date_to: datetime.date
    funders: list[Funding]
    reach: impact.Reach
    #: Key figures (reach, hours, participants, completion, state aid in the period).
    figures: list[Figure]
    #: The EU regional fund's indicators.
    eu_indicators: list[Figure]
    breakdowns: list[Breakdown]
    state_aid: list[StateAidRow]
    kpi_effects: list[impact.KpiEffect]
    score_effects: list[impact.ScoreEffect]
    effects: list[EffectRow]
    maturity: list[EffectRow]
    #: The urban–rural classification is not the publisher's own (or there is none).
    urban_rural_approximate: bool
    created: datetime.datetime = field(default_factory=timezone.now)

    @property
    def period(self) -> str:
        return f"{report_date(self.date_from)}–{report_date(self.date_to)}"

    @property
    def title(self) -> str:
        return f"{self.initiative.name}, {self.period}"

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)


# --- building it -----------------------------------------------------------------------


def report_date(value: datetime.date) -> str:
    """A date as the report writes it (a table's short date)."""
    return formats.date_short(value)


def _fewer_than() -> str:
    return _("färre än %(n)s företag") % {"n": impact.SUPPRESS_BELOW}


def report_engagements(
    *, initiative: Initiative, date_from: datetime.date, date_to: datetime.date
) -> list[Engagement]:
    """The initiative's started engagements whose plan overlaps the period."""
    candidates = impact.started(
        Engagement.objects.filter(initiative=initiative, start_date__lte=date_to)
    )
    return [
        e
        for e in candidates
        if e.start_date + datetime.timedelta(weeks=e.template_version.duration_weeks) >= date_from
    ]


def report_build(
    *,
    initiative: Initiative,
    date_from: datetime.date,
    date_to: datetime.date,
    progress: Progress | None = None,
) -> FunderReport:
    """Everything a funder report says about ``initiative`` from ``date_from`` to
    ``date_to`` (both included). Raises ValueError when the period runs backwards."""
    if date_from > date_to:
        raise ValueError(f"date_from {date_from} is after date_to {date_to}")

    def step(percent: int) -> None:
        if progress is not None:
            progress(percent)

    step(5)
    engagements = report_engagements(initiative=initiative, date_from=date_from, date_to=date_to)
    # Already read through impact.started: reach counts them without reading them again.
    reach = impact.reach(engagements, period=(date_from, date_to))
    step(25)
    funders = [
        Funding(funding.funder.name, funding.amount_sek)
        for funding in initiative.fundings.select_related("funder")
    ]
    # A funder report never shows de minimis totals (funder_outputs drops them): not read.
    state_aid = _state_aid(engagements, initiative, date_from, date_to, de_minimis_totals=False)
    step(40)
    units = impact.units(engagements)
    kpis = list(KpiDefinition.objects.all())
    kpi_effects = impact.kpi_effects(units, kpis, initiatives=[initiative], suppress=True)
    step(70)
    score_effects = impact.score_effects(units, suppress=True)
    step(85)
    classification = urban_rural_classification_current()
    approximate = classification is None or not classification.is_official
    report = FunderReport(
        initiative=initiative,
        date_from=date_from,
        date_to=date_to,
        funders=funders,
        reach=reach,
        figures=_figures(reach, funders, state_aid),
        eu_indicators=_eu_indicators(reach),
        breakdowns=_breakdowns(reach, approximate=approximate),
        state_aid=state_aid,
        kpi_effects=kpi_effects,
        score_effects=score_effects,
        effects=[_kpi_row(effect) for effect in kpi_effects],
        maturity=[_score_row(effect) for effect in score_effects],
        urban_rural_approximate=approximate,
    )
    step(90)
    return funder_outputs.report_disclosed(report)


def _state_aid(
    engagements: Sequence[Engagement],
    initiative: Initiative,
    date_from: datetime.date,
    date_to: datetime.date,
    *,
    de_minimis_totals: bool = True,
) -> list[StateAidRow]:
    minutes = dict(
        Session.objects.filter(
            engagement__in=[e.pk for e in engagements], date__range=(date_from, date_to)
        )
        .values("engagement__company")
        .annotate(minutes=Sum("duration_minutes"))
        .values_list("engagement__company", "minutes")
    )
    companies = {e.company_id: e.company for e in engagements}
    statements = de_minimis_many(companies.values(), on=date_to) if de_minimis_totals else {}
    rows = []
    for company_id, company in companies.items():
        hours = Decimal(minutes.get(company_id) or 0) / 60
        statement = statements.get(company_id)
        note = ""
        if statement is not None and statement.missing_rates:
            note = _("växelkurs saknas för %(years)s") % {
                "years": ", ".join(str(y) for y in sorted(statement.missing_rates))
            }
        rows.append(
            StateAidRow(
                company=company.name,
                org_number=company.org_number_display,
                coach_hours=float(hours.quantize(Decimal("0.01"))),
                period_sek=int((hours * initiative.coach_hour_rate_sek).quantize(Decimal(1))),
                de_minimis_sek=None if statement is None else int(statement.total_sek),
                de_minimis_eur=(
                    None
                    if statement is None or statement.missing_rates
                    else int(statement.total_eur)
                ),
                note=note,
            )
        )
    return sorted(rows, key=lambda row: (row.company.casefold(), row.org_number))


def _figures(
    reach: impact.Reach, funders: Sequence[Funding], state_aid: Sequence[StateAidRow]
) -> list[Figure]:
    participants = reach.women + reach.men + reach.other
    per_session = _("summa över tillfällena: en person räknas vid varje tillfälle")
    figures = [
        Figure(
            _("Finansiering: %(funder)s") % {"funder": f.funder}, f.amount_sek, _("kr"), kind="sek"
        )
        for f in funders
    ]
    figures += [
        Figure(_("Finansiering totalt"), sum(f.amount_sek for f in funders), _("kr"), kind="sek"),
        Figure(_("Företag (unika)"), reach.companies, _("företag")),
        Figure(_("Uppdrag"), reach.engagements, _("uppdrag")),
        Figure(_("Avslutade uppdrag"), reach.completed, _("uppdrag")),
        Figure(_("Avbrutna uppdrag"), reach.withdrawn, _("uppdrag")),
        Figure(
            _("Genomförandegrad"),
            reach.completion,
            note=_("andel av de avslutade och avbrutna uppdragen som avslutades"),
            kind="share",
        ),
        Figure(
            _("Coachtimmar i perioden"),
            float(reach.coach_hours.quantize(Decimal("0.01"))),
            _("timmar"),
            kind="decimal",
        ),
        Figure(
            _("Företagens egna timmar i perioden"),
            float(reach.company_hours.quantize(Decimal("0.01"))),
            _("timmar"),
            note=_("medfinansiering i form av arbetstid"),
            kind="decimal",
        ),
        Figure(_("Deltagare, kvinnor"), reach.women, _("deltagare"), note=per_session),
        Figure(_("Deltagare, män"), reach.men, _("deltagare"), note=per_session),
        Figure(_("Deltagare, annat"), reach.other, _("deltagare"), note=per_session),
        Figure(_("Deltagare, totalt"), participants, _("deltagare"), note=per_session),
        Figure(
            _("Statsstöd i perioden"),
            sum(row.period_sek for row in state_aid),
            _("kr"),
            note=_("coachtimmar i perioden gånger satsningens timvärde"),
            kind="sek",
        ),
    ]
    return figures


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _eu_indicators(reach: impact.Reach) -> list[Figure]:
    by_size = reach.by_size
    indicators = [Figure(_("Stödmottagande företag"), reach.companies, _("företag"))]
    indicators += [
        Figure(
            _("varav %(size)s") % {"size": _lower_first(str(size.label))},
            by_size.get(str(size.label), 0),
            _("företag"),
        )
        for size in SizeClass
    ]
    unknown = by_size.get(_("okänd"), 0)
    if unknown:
        indicators.append(
            Figure(
                _("varav storlek okänd"), unknown, _("företag"), note=_("antal anställda saknas")
            )
        )
    indicators.append(
        Figure(
            _("Företag som fått icke-finansiellt stöd"),
            reach.companies,
            _("företag"),
            note=_("allt stöd i satsningen är coachning"),
        )
    )
    enough = reach.employment_companies >= impact.SUPPRESS_BELOW
    indicators += [
        Figure(
            _("Sysselsättningsförändring i stödda företag"),
            reach.employment_change if enough else None,
            _("anställda"),
            note=(
                _("antal anställda det år planen slutar jämfört med året före start")
                if enough
                else _("redovisas inte: %(reason)s") % {"reason": _fewer_than()}
            ),
            kind="decimal",
        ),
        Figure(
            _("Företag med uppgift om antal anställda före och efter"),
            reach.employment_companies,
            _("företag"),
        ),
    ]
    return indicators


def _ordered(counts: dict[str, int], order: Sequence[str]) -> list[tuple[str, int]]:
    """``counts`` in ``order`` (labels not in it after, alphabetically; unknown last)."""
    unknown = str(_("okänd"))
    position = {label: index for index, label in enumerate(order)}
    return sorted(
        counts.items(),
        key=lambda item: (item[0] == unknown, position.get(item[0], len(order)), item[0]),
    )


def _breakdowns(reach: impact.Reach, *, approximate: bool) -> list[Breakdown]:
    sections = dict(
        SniCode.objects.filter(level="section").order_by("version").values_list("section", "label")
    )
    by_section: dict[str, int] = {}
    for letter, count in reach.by_section.items():
        label = f"{letter} {sections[letter]}" if letter in sections else letter
        by_section[label] = by_section.get(label, 0) + count
    nuts = dict(NutsArea.objects.values_list("name", "code"))
    counties = dict(County.objects.values_list("name", "code"))
    regions = {
        (f"{nuts[name]} {name}" if name in nuts else name): count
        for name, count in reach.by_region.items()
    }
    return [
        Breakdown(
            "size",
            _("Företag per storleksklass"),
            _("Storleksklass"),
            _("Storleksklass"),
            _ordered(reach.by_size, [str(s.label) for s in SizeClass]),
            note=_("EU:s storleksklasser efter antal anställda"),
        ),
        Breakdown(
            "section",
            _("Företag per SNI-avdelning"),
            _("SNI-avdelning"),
            _("SNI-avdelning"),
            _ordered(by_section, sorted(by_section)),
        ),
        Breakdown(
            "county",
            _("Företag per län"),
            _("Län"),
            _("Län"),
            _ordered(reach.by_county, sorted(counties, key=lambda name: counties[name])),
        ),
        Breakdown(
            "region",
            _("Företag per riksområde (NUTS2)"),
            _("NUTS2"),
            _("Riksområde (NUTS2)"),
            _ordered(regions, sorted(regions)),
        ),
        Breakdown(
            "urban_rural",
            _("Företag per kommuntyp (stad–land)"),
            _("Stad–land"),
            _("Kommungrupp"),
            _ordered(reach.by_urban_rural, [str(g.label) for g in UrbanRuralGroup]),
            note=(
                _("Ungefärlig indelning: ingen officiell stad–land-klassificering är inläst.")
                if approximate
                else _("Tillväxtanalys indelning i stad och land.")
            ),
        ),
    ]


def _notes(*notes: str) -> str:
    return "; ".join(note for note in notes if note)


def _small(n: int) -> str:
    from ..statistics import SMALL_GROUP

    if 0 < n < SMALL_GROUP:
        return _("litet underlag (färre än %(n)s företag): tolka med försiktighet") % {
            "n": SMALL_GROUP
        }
    return ""


def _kpi_row(effect: impact.KpiEffect) -> EffectRow:
    kpi, change, did = effect.kpi, effect.change, effect.did
    if effect.suppressed:
        return EffectRow(
            label=kpi.name,
            unit=kpi.unit,
            decimals=kpi.decimals,
            n=None,  # how many companies is itself a figure about fewer than five
            before=None,
            after=None,
            change=None,
            low=None,
            high=None,
            share_improved=None,
            comparison=effect.comparison,
            suppressed=True,
            note=_fewer_than(),
        )
    did_note = ""
    if effect.comparison_withheld or (did is not None and did.n_comparison < impact.SUPPRESS_BELOW):
        # The comparison group's change would be one or a few companies' own figures.
        did, did_note = None, _("jämförelsegruppen har %(reason)s") % {"reason": _fewer_than()}
    elif did is None:
        did_note = _("ingen jämförelsegrupp med mätningar")
    return EffectRow(
        label=kpi.name,
        unit=kpi.unit,
        decimals=kpi.decimals,
        n=change.n,
        before=change.mean_before,
        after=change.mean_after,
        change=change.mean_change,
        low=change.interval.low if change.interval else None,
        high=change.interval.high if change.interval else None,
        share_improved=change.share_improved,
        did_effect=did.effect if did else None,
        did_low=did.interval.low if did and did.interval else None,
        did_high=did.interval.high if did and did.interval else None,
        n_comparison=did.n_comparison if did else None,
        comparison=effect.comparison,
        note=_notes(
            _("inga företag med mätning före och efter") if change.n == 0 else _small(change.n),
            did_note,
        ),
    )


def _instrument_label(code: str, name: str) -> str:
    return str(Instrument(code).label) if code in Instrument.values else name


def _score_row(effect: impact.ScoreEffect) -> EffectRow:
    change = effect.change
    shown = not effect.suppressed
    return EffectRow(
        label=_instrument_label(effect.instrument, effect.label),
        unit=_("procentenheter"),
        decimals=1,
        n=change.n if shown else None,
        before=change.mean_before if shown else None,
        after=change.mean_after if shown else None,
        change=change.mean_change if shown else None,
        low=change.interval.low if shown and change.interval else None,
        high=change.interval.high if shown and change.interval else None,
        share_improved=change.share_improved if shown else None,
        suppressed=effect.suppressed,
        note=_fewer_than() if effect.suppressed else _small(change.n),
    )


# --- what the figures mean, in words ----------------------------------------------------


def suppression_explanation() -> str:
    return _("Effekter som bygger på färre än %(n)s företag redovisas inte.") % {
        "n": impact.SUPPRESS_BELOW
    }


def effects_explanation() -> list[str]:
    return [
        _(
            "Före är kalenderåret före uppdragets start, efter är året då uppdragets plan "
            "slutar. Varje företag jämförs med sig självt och räknas en gång; alla som "
            "började räknas, också de som avbröt."
        ),
        _(
            "Intervallet är ett 95 % bootstrapintervall för medelförändringen. Skillnaden mot "
            "jämförelsegruppen är företagens förändring minus jämförelsegruppens förändring "
            "under samma år; den förutsätter att grupperna annars hade utvecklats lika."
        ),
        suppression_explanation(),
    ]


def aid_explanation(report: FunderReport) -> str:
    return _(
        "Stödets värde är coachtimmarna gånger satsningens värde per coachtimme (%(rate)s kr). "
        "Stöd av mindre betydelse summerar allt sådant stöd till företaget i Röd tråd under de "
        "tre åren fram till periodens slut; taket är 300 000 euro."
    ) % {"rate": formats.number(report.initiative.coach_hour_rate_sek)}
