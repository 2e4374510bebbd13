"""The funder report as an Excel workbook, through ``core.exporting``'s exporter: a summary
sheet, a sheet per breakdown, state aid, the KPI effects and the maturity effects. Numbers
are stored as numbers, with the number formats of ``core.formats``."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from redthread.core import formats
from redthread.core.exporting import Sheet, export_workbook

from .figures import (
    Breakdown,
    Figure,
    FunderReport,
    aid_explanation,
    effects_explanation,
    report_date,
    suppression_explanation,
)


def _figure_format(figure: Figure) -> str | None:
    return {
        "share": formats.XLSX_SHARE,
        "decimal": formats.XLSX_TRIMMED_DECIMAL,
        "sek": formats.XLSX_INTEGER,
        "count": formats.XLSX_INTEGER,
    }.get(figure.kind)


def report_xlsx(report: FunderReport) -> bytes:
    """The report as a workbook: a summary sheet, a sheet per breakdown, state aid, the
    KPI effects and the maturity effects. Numbers are stored as numbers."""
    title = _("Rapport till finansiär: %(title)s") % {"title": report.title}
    sheets = [
        _xlsx_summary(report, title),
        *(_xlsx_breakdown(breakdown, title) for breakdown in report.breakdowns),
        _xlsx_state_aid(report, title),
        _xlsx_effects(report, title),
        _xlsx_maturity(report, title),
    ]
    return export_workbook(sheets=sheets, title=title).content


def _xlsx_summary(report: FunderReport, title: str) -> Sheet:
    made = _("Framtagen %(date)s ur Röd tråd.") % {
        "date": report_date(timezone.localdate(report.created))
    }
    sheet = Sheet(
        name=_("Sammanfattning"),
        title=title,
        subtitle=made,
        headers=[_("Uppgift"), _("Värde"), _("Enhet"), _("Anmärkning")],
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
    return sheet


def _xlsx_breakdown(breakdown: Breakdown, title: str) -> Sheet:
    sheet = Sheet(
        name=breakdown.sheet,
        title=title,
        subtitle=breakdown.heading,
        headers=[breakdown.column, _("Företag"), _("Andel")],
    )
    cell_formats = [None, formats.XLSX_INTEGER, formats.XLSX_SHARE]
    total = breakdown.total
    for label, count in breakdown.rows:
        sheet.append([label, count, count / total if total else None], cell_formats)
    sheet.append([_("Totalt"), total, 1.0 if total else None], cell_formats, bold=True)
    if breakdown.note:
        sheet.append([])
        sheet.text(breakdown.note)
    return sheet


def _xlsx_state_aid(report: FunderReport, title: str) -> Sheet:
    sheet = Sheet(
        name=_("Statsstöd"),
        title=title,
        subtitle=_("Stöd av mindre betydelse (de minimis) per företag"),
        headers=[
            _("Företag"),
            _("Organisationsnummer"),
            _("Coachtimmar i perioden"),
            _("Stöd i perioden (kr)"),
            _("Stöd av mindre betydelse, tre år till och med %(date)s (kr)")
            % {"date": report_date(report.date_to)},
            _("Stöd av mindre betydelse, tre år (euro)"),
            _("Anmärkning"),
        ],
    )
    cell_formats = [
        None,
        None,
        formats.xlsx_decimals(2),
        formats.XLSX_INTEGER,
        formats.XLSX_INTEGER,
        formats.XLSX_INTEGER,
    ]
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
            cell_formats,
        )
    sheet.append(
        [
            _("Totalt"),
            None,
            round(sum(row.coach_hours for row in report.state_aid), 2),
            sum(row.period_sek for row in report.state_aid),
        ],
        cell_formats,
        bold=True,
    )
    sheet.append([])
    sheet.text(aid_explanation(report))
    return sheet


def _xlsx_effects(report: FunderReport, title: str) -> Sheet:
    sheet = Sheet(
        name=_("Effekter"),
        title=title,
        subtitle=_("Nyckeltal före och efter, med 95 % konfidensintervall och jämförelsegrupp"),
        headers=[
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
        value = formats.xlsx_decimals(row.decimals)
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
            [
                None,
                None,
                formats.XLSX_INTEGER,
                *[value] * 5,
                formats.XLSX_SHARE,
                *[value] * 3,
                formats.XLSX_INTEGER,
            ],
        )
    sheet.append([])
    for line in effects_explanation():
        sheet.text(line)
    return sheet


def _xlsx_maturity(report: FunderReport, title: str) -> Sheet:
    sheet = Sheet(
        name=_("Mognad"),
        title=title,
        subtitle=_("Mognadsmätningens totalresultat (0–100 %) vid T0 och T1"),
        headers=[
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
    one = formats.xlsx_decimals(1)
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
            [None, formats.XLSX_INTEGER, *[one] * 5, formats.XLSX_SHARE],
        )
    if not report.maturity:
        sheet.text(_("Inga mognadsmätningar vid både T0 och T1."))
    sheet.append([])
    sheet.text(suppression_explanation())
    return sheet
