"""The funder report as an A4 PDF through ``core.pdf``: the same content as the workbook,
with bar charts (``core.charts``) of the companies by NUTS2 region and by urban–rural
group; every figure written by ``core.formats``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from redthread.core import formats
from redthread.core.charts import Series, bars
from redthread.core.pdf import render_pdf

from .figures import (
    Figure,
    FunderReport,
    Number,
    aid_explanation,
    effects_explanation,
    report_date,
    suppression_explanation,
)


def _format(value: Number | None, decimals: int = 0) -> str:
    return formats.number(value, decimals)


def _percent(share: float | None) -> str:
    return formats.percent(share, 1)


def _interval(low: float | None, high: float | None, decimals: int) -> str:
    return formats.interval(low, high, decimals)


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
        "effects_explanation": effects_explanation(),
        "suppression": suppression_explanation(),
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
        "aid_explanation": aid_explanation(report),
        "made": report_date(timezone.localdate(report.created)),
    }


def report_pdf(report: FunderReport) -> bytes:
    """The report as an A4 PDF (WeasyPrint): the same content as the workbook, with bar
    charts of the companies by NUTS2 region and by urban–rural group."""
    return render_pdf("outcomes/report_pdf.html", _pdf_context(report))
