"""Funder reports: what one initiative reached and achieved in one period, as an Excel
workbook and a PDF for Tillväxtverket, Vinnova and the EU regional fund.

What goes in (``report_build``): the initiative's engagements that started (active, paused,
completed or withdrawn) and whose plan overlaps the period (start on or before its end,
planned end on or after its start). Companies are counted once, by organisation number,
however many engagements they had. Hours and participants are those of the sessions in
the period. Effects (KPIs and maturity) are for every company of those engagements, before
against after (see ``impact``), and any effect about fewer than ``SUPPRESS_BELOW`` companies
is left out and says so; so is a comparison with a comparison group of fewer companies.

What never goes in: people. Companies are legal entities (the registry refuses personal
identity numbers, so no sole traders); contacts, coaches and users are never named, and
participants are counts by gender only.

The file is made by ``report_generate``, a background task that takes a ``ReportJob``'s
primary key, saves its progress on the row and stores the file (or a message) there.
"""

from __future__ import annotations

import datetime
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django_tasks import task

from redthread.core.charts import Series, bars
from redthread.core.exporting import neutralise, sheet_title
from redthread.engagements.models import Engagement, Session
from redthread.engagements.state_aid import de_minimis
from redthread.methodology.models import Initiative, Instrument
from redthread.registry.models import (
    County,
    NutsArea,
    SizeClass,
    SniCode,
    UrbanRuralGroup,
)
from redthread.registry.selectors import urban_rural_classification_current

from . import funder_outputs, impact
from .models import KpiDefinition, ReportFormat, ReportJob, ReportStatus

logger = logging.getLogger(__name__)

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
    #: ``None`` in what funders see (funder_outputs): a company's total is not theirs.
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
    n: int
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
        return f"{_date(self.date_from)}–{_date(self.date_to)}"

    @property
    def title(self) -> str:
        return f"{self.initiative.name}, {self.period}"

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)


# --- building it -----------------------------------------------------------------------


def _date(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


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
    queryset = Engagement.objects.filter(pk__in=[e.pk for e in engagements])
    reach = impact.reach(queryset, period=(date_from, date_to))
    step(25)
    funders = [
        Funding(funding.funder.name, funding.amount_sek)
        for funding in initiative.fundings.select_related("funder")
    ]
    state_aid = _state_aid(engagements, initiative, date_from, date_to)
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
    # What a funder may see of it: disclosure control on the data, before any rendering.
    return funder_outputs.report_disclosed(report)


def _state_aid(
    engagements: Sequence[Engagement],
    initiative: Initiative,
    date_from: datetime.date,
    date_to: datetime.date,
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
    rows = []
    for company_id, company in companies.items():
        hours = Decimal(minutes.get(company_id) or 0) / 60
        statement = de_minimis(company=company, on=date_to)
        note = ""
        if statement.missing_rates:
            note = _("växelkurs saknas för %(years)s") % {
                "years": ", ".join(str(y) for y in sorted(statement.missing_rates))
            }
        rows.append(
            StateAidRow(
                company=company.name,
                org_number=company.org_number_display,
                coach_hours=float(hours.quantize(Decimal("0.01"))),
                period_sek=int((hours * initiative.coach_hour_rate_sek).quantize(Decimal(1))),
                de_minimis_sek=int(statement.total_sek),
                de_minimis_eur=None if statement.missing_rates else int(statement.total_eur),
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
    from .statistics import SMALL_GROUP

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
            n=change.n,
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
        n=change.n,
        before=change.mean_before if shown else None,
        after=change.mean_after if shown else None,
        change=change.mean_change if shown else None,
        low=change.interval.low if shown and change.interval else None,
        high=change.interval.high if shown and change.interval else None,
        share_improved=change.share_improved if shown else None,
        suppressed=effect.suppressed,
        note=_fewer_than() if effect.suppressed else _small(change.n),
    )


# --- Excel -----------------------------------------------------------------------------

_XLSX_INTEGER = "#,##0"
_XLSX_SHARE = "0.0 %"


def _decimals_format(decimals: int) -> str:
    return _XLSX_INTEGER + ("." + "0" * decimals if decimals else "")


def _number(value: Any) -> Any:
    """A cell value: Decimals as floats (numbers stay numbers), text neutralised."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return neutralise(value)
    return value


class _Sheet:
    """One sheet: a title cell (initiative and period), a subtitle, then a table with a
    bold header row. Column widths follow the content."""

    def __init__(self, workbook: Any, name: str, title: str, subtitle: str, headers: Sequence[str]):
        from openpyxl.styles import Font

        self.sheet = workbook.create_sheet(title=sheet_title(name))
        self.sheet["A1"] = neutralise(title)
        self.sheet["A1"].font = Font(bold=True, size=14)
        self.sheet["A2"] = neutralise(subtitle)
        self.sheet["A2"].font = Font(italic=True)
        self.header_row = 4
        self.widths = [len(h) for h in headers]
        bold = Font(bold=True)
        for column, header in enumerate(headers, start=1):
            cell = self.sheet.cell(row=self.header_row, column=column, value=neutralise(header))
            cell.font = bold
        self.sheet.freeze_panes = self.sheet.cell(row=self.header_row + 1, column=1)
        self.row = self.header_row

    def append(
        self, values: Sequence[Any], formats: Sequence[str | None] = (), *, bold: bool = False
    ) -> None:
        from openpyxl.styles import Font

        self.row += 1
        for column, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.row, column=column, value=_number(value))
            number_format = formats[column - 1] if column - 1 < len(formats) else None
            if number_format and isinstance(cell.value, int | float):
                cell.number_format = number_format
            if bold:
                cell.font = Font(bold=True)
            if column > len(self.widths):
                self.widths.append(0)
            shown = (
                f"{value:,.2f}"
                if isinstance(value, float)
                else str(value if value is not None else "")
            )
            self.widths[column - 1] = max(self.widths[column - 1], len(shown))

    def text(self, text: str) -> None:
        """A line of text under the table (notes), in the first column."""
        self.row += 1
        self.sheet.cell(row=self.row, column=1, value=neutralise(text))

    def finish(self) -> None:
        from openpyxl.utils import get_column_letter

        for column, width in enumerate(self.widths, start=1):
            self.sheet.column_dimensions[get_column_letter(column)].width = min(
                max(width + 2, 10), 60
            )


def _figure_format(figure: Figure) -> str | None:
    return {
        "share": _XLSX_SHARE,
        "decimal": "#,##0.0#",
        "sek": _XLSX_INTEGER,
        "count": _XLSX_INTEGER,
    }.get(figure.kind)


def report_xlsx(report: FunderReport) -> bytes:
    """The report as a workbook: a summary sheet, a sheet per breakdown, state aid, the
    KPI effects and the maturity effects. Numbers are stored as numbers."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    title = _("Rapport till finansiär: %(title)s") % {"title": report.title}
    _xlsx_summary(workbook, report, title)
    for breakdown in report.breakdowns:
        _xlsx_breakdown(workbook, breakdown, title)
    _xlsx_state_aid(workbook, report, title)
    _xlsx_effects(workbook, report, title)
    _xlsx_maturity(workbook, report, title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_summary(workbook: Any, report: FunderReport, title: str) -> None:
    made = _("Framtagen %(date)s ur Röd tråd.") % {
        "date": _date(timezone.localdate(report.created))
    }
    sheet = _Sheet(
        workbook,
        _("Sammanfattning"),
        title,
        made,
        [_("Uppgift"), _("Värde"), _("Enhet"), _("Anmärkning")],
    )
    sheet.append([_("Satsning"), report.initiative.name])
    sheet.append([_("Period"), report.period])
    for figure in report.figures:
        sheet.append(
            [figure.label, figure.value, figure.unit, figure.note], [None, _figure_format(figure)]
        )
    sheet.append([])
    sheet.append([_("Nyckeltal för EU:s regionalfond")], bold=True)
    for figure in report.eu_indicators:
        sheet.append(
            [figure.label, figure.value, figure.unit, figure.note], [None, _figure_format(figure)]
        )
    sheet.finish()


def _xlsx_breakdown(workbook: Any, breakdown: Breakdown, title: str) -> None:
    sheet = _Sheet(
        workbook,
        breakdown.sheet,
        title,
        breakdown.heading,
        [breakdown.column, _("Företag"), _("Andel")],
    )
    formats = [None, _XLSX_INTEGER, _XLSX_SHARE]
    total = breakdown.total
    for label, count in breakdown.rows:
        sheet.append([label, count, count / total if total else None], formats)
    sheet.append([_("Totalt"), total, 1.0 if total else None], formats, bold=True)
    if breakdown.note:
        sheet.append([])
        sheet.text(breakdown.note)
    sheet.finish()


def _xlsx_state_aid(workbook: Any, report: FunderReport, title: str) -> None:
    sheet = _Sheet(
        workbook,
        _("Statsstöd"),
        title,
        _("Stöd av mindre betydelse (de minimis) per företag"),
        [
            _("Företag"),
            _("Organisationsnummer"),
            _("Coachtimmar i perioden"),
            _("Stöd i perioden (kr)"),
            _("Stöd av mindre betydelse, tre år till och med %(date)s (kr)")
            % {"date": _date(report.date_to)},
            _("Stöd av mindre betydelse, tre år (euro)"),
            _("Anmärkning"),
        ],
    )
    formats = [None, None, "#,##0.00", _XLSX_INTEGER, _XLSX_INTEGER, _XLSX_INTEGER]
    for row in report.state_aid:
        sheet.append(
            [
                row.company,
                row.org_number,
                row.coach_hours,
                row.period_sek,
                row.de_minimis_sek,
                row.de_minimis_eur,
                row.note,
            ],
            formats,
        )
    sheet.append(
        [
            _("Totalt"),
            None,
            round(sum(row.coach_hours for row in report.state_aid), 2),
            sum(row.period_sek for row in report.state_aid),
        ],
        formats,
        bold=True,
    )
    sheet.append([])
    sheet.text(_aid_explanation(report))
    sheet.finish()


def _xlsx_effects(workbook: Any, report: FunderReport, title: str) -> None:
    sheet = _Sheet(
        workbook,
        _("Effekter"),
        title,
        _("Nyckeltal före och efter, med 95 % konfidensintervall och jämförelsegrupp"),
        [
            _("Nyckeltal"),
            _("Enhet"),
            _("Antal företag (n)"),
            _("Före (medelvärde)"),
            _("Efter (medelvärde)"),
            _("Förändring (medelvärde)"),
            _("95 % intervall, lägre"),
            _("95 % intervall, övre"),
            _("Andel förbättrade"),
            _("Skillnad mot jämförelsegrupp"),
            _("Skillnad, 95 % intervall, lägre"),
            _("Skillnad, 95 % intervall, övre"),
            _("Antal företag i jämförelsegruppen"),
            _("Jämförelsegrupp"),
            _("Anmärkning"),
        ],
    )
    for row in report.effects:
        value = _decimals_format(row.decimals)
        sheet.append(
            [
                row.label,
                row.unit,
                row.n,
                row.before,
                row.after,
                row.change,
                row.low,
                row.high,
                row.share_improved,
                row.did_effect,
                row.did_low,
                row.did_high,
                row.n_comparison,
                row.comparison,
                row.note,
            ],
            [None, None, _XLSX_INTEGER, *[value] * 5, _XLSX_SHARE, *[value] * 3, _XLSX_INTEGER],
        )
    sheet.append([])
    for line in _effects_explanation():
        sheet.text(line)
    sheet.finish()


def _xlsx_maturity(workbook: Any, report: FunderReport, title: str) -> None:
    sheet = _Sheet(
        workbook,
        _("Mognad"),
        title,
        _("Mognadsmätningens totalresultat (0–100 %) vid T0 och T1"),
        [
            _("Instrument"),
            _("Antal företag (n)"),
            _("Före, T0 (%)"),
            _("Efter, T1 (%)"),
            _("Förändring (procentenheter)"),
            _("95 % intervall, lägre"),
            _("95 % intervall, övre"),
            _("Andel förbättrade"),
            _("Anmärkning"),
        ],
    )
    one = _decimals_format(1)
    for row in report.maturity:
        sheet.append(
            [
                row.label,
                row.n,
                row.before,
                row.after,
                row.change,
                row.low,
                row.high,
                row.share_improved,
                row.note,
            ],
            [None, _XLSX_INTEGER, *[one] * 5, _XLSX_SHARE],
        )
    if not report.maturity:
        sheet.text(_("Inga mognadsmätningar vid både T0 och T1."))
    sheet.append([])
    sheet.text(_suppression_explanation())
    sheet.finish()


def _suppression_explanation() -> str:
    return _("Effekter som bygger på färre än %(n)s företag redovisas inte.") % {
        "n": impact.SUPPRESS_BELOW
    }


def _effects_explanation() -> list[str]:
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
        _suppression_explanation(),
    ]


def _aid_explanation(report: FunderReport) -> str:
    return _(
        "Stödets värde är coachtimmarna gånger satsningens värde per coachtimme (%(rate)s kr). "
        "Stöd av mindre betydelse summerar allt sådant stöd till företaget i Röd tråd under de "
        "tre åren fram till periodens slut; taket är 300 000 euro."
    ) % {"rate": number_format(report.initiative.coach_hour_rate_sek, force_grouping=True)}


# --- PDF -------------------------------------------------------------------------------


def _format(value: Number | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    return number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{_format(share * 100, 1)}\u00a0%"


def _interval(low: float | None, high: float | None, decimals: int) -> str:
    if low is None or high is None:
        return "–"
    return f"{_format(low, decimals)} – {_format(high, decimals)}"


def _figure_text(figure: Figure) -> str:
    value = figure.value
    if isinstance(value, str):
        return value
    if figure.kind == "share":
        return _percent(value)
    text = _format(value, 1 if figure.kind == "decimal" else 0)
    return f"{text}\u00a0{figure.unit}" if figure.unit and value is not None else text


def _pdf_context(report: FunderReport) -> dict[str, Any]:
    breakdowns = []
    for breakdown in report.breakdowns:
        total = breakdown.total
        chart = None
        if breakdown.key in {"region", "urban_rural"} and breakdown.rows:
            chart = bars(
                [label for label, _count in breakdown.rows],
                [Series(_("Företag"), [count for _label, count in breakdown.rows])],
                title=breakdown.heading,
                description=_("Antal företag som nåtts, %(period)s.") % {"period": report.period},
            )
        breakdowns.append(
            {
                "heading": breakdown.heading,
                "column": breakdown.column,
                "note": breakdown.note,
                "chart": chart,
                "rows": [
                    (label, _format(count), _percent(count / total if total else None))
                    for label, count in breakdown.rows
                ],
                "total": _format(total),
            }
        )
    effects = [
        {
            "label": row.label,
            "unit": row.unit,
            "n": row.n,
            "before": _format(row.before, row.decimals),
            "after": _format(row.after, row.decimals),
            "change": _format(row.change, row.decimals),
            "interval": _interval(row.low, row.high, row.decimals),
            "improved": _percent(row.share_improved),
            "did": _format(row.did_effect, row.decimals),
            "did_interval": _interval(row.did_low, row.did_high, row.decimals),
            "suppressed": row.suppressed,
            "note": row.note,
        }
        for row in [*report.effects, *report.maturity]
    ]
    comparisons = sorted({row.comparison for row in report.effects if row.comparison})
    return {
        "report": report,
        "funders": [(f.funder, _format(f.amount_sek)) for f in report.funders],
        "figures": [(f.label, _figure_text(f), f.note) for f in report.figures],
        "eu_indicators": [(f.label, _figure_text(f), f.note) for f in report.eu_indicators],
        "breakdowns": breakdowns,
        "effects": effects[: len(report.effects)],
        "maturity": effects[len(report.effects) :],
        "comparisons": comparisons,
        "effects_explanation": _effects_explanation(),
        "suppression": _suppression_explanation(),
        "state_aid": [
            (
                row.company,
                row.org_number,
                _format(row.coach_hours, 2),
                _format(row.period_sek),
                _format(row.de_minimis_sek),
                _format(row.de_minimis_eur),
                row.note,
            )
            for row in report.state_aid
        ],
        "state_aid_total": _format(sum(row.period_sek for row in report.state_aid)),
        "aid_explanation": _aid_explanation(report),
        "made": _date(timezone.localdate(report.created)),
    }


def report_pdf(report: FunderReport) -> bytes:
    """The report as an A4 PDF (WeasyPrint): the same content as the workbook, with bar
    charts of the companies by NUTS2 region and by urban–rural group."""
    from weasyprint import HTML

    html = render_to_string("outcomes/report_pdf.html", _pdf_context(report))
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf


def report_file(
    *, initiative: Initiative, date_from: datetime.date, date_to: datetime.date, format: str
) -> bytes:
    """The finished file in ``format`` ("xlsx" or "pdf")."""
    if format not in ReportFormat.values:
        raise ValueError(f"Unknown report format {format!r}; expected one of {ReportFormat.values}")
    report = report_build(initiative=initiative, date_from=date_from, date_to=date_to)
    return report_xlsx(report) if format == ReportFormat.XLSX else report_pdf(report)


# --- in the background -----------------------------------------------------------------


@task()
def report_generate(job_id: int) -> None:
    """Makes the file of a ReportJob: progress on the row as it goes, then the file, or
    on any error a message (the traceback goes to the log). Never raises."""
    job = ReportJob.objects.select_related("initiative", "created_by").filter(pk=job_id).first()
    if job is None:
        logger.warning("Report job %s no longer exists", job_id)
        return
    language = getattr(job.created_by, "preferred_language", "") or settings.LANGUAGE_CODE
    ReportJob.objects.filter(pk=job.pk).update(status=ReportStatus.RUNNING, progress=0, error="")

    def progress(percent: int) -> None:
        # An UPDATE of its own, so a page polling the job sees it while the work goes on.
        ReportJob.objects.filter(pk=job.pk).update(progress=max(0, min(percent, 100)))

    with translation.override(language):
        try:
            report = report_build(
                initiative=job.initiative,
                date_from=job.date_from,
                date_to=job.date_to,
                progress=progress,
            )
            content = report_xlsx(report) if job.format == ReportFormat.XLSX else report_pdf(report)
        except Exception:
            logger.exception("Report job %s failed", job.pk)
            job.status = ReportStatus.FAILED
            job.content = None
            job.error = _(
                "Rapporten kunde inte tas fram på grund av ett oväntat fel. Försök igen, och "
                "kontakta programkontoret om felet kvarstår."
            )
            job.progress = 0
        else:
            job.status = ReportStatus.DONE
            job.content = content
            job.error = ""
            job.progress = 100
    job.finished = timezone.now()
    job.save(update_fields=["status", "content", "error", "progress", "finished"])
