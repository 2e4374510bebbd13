"""The disclosure rule (disclosure.py) applied to what funders see: the dashboard's
breakdowns and the funder report's data, before either is rendered. Rendering (pages,
xlsx, PDF) prints what it is given; nothing withheld reaches it.

The report is handled as data: :func:`report_disclosed` takes the built report and gives
it back with every figure about fewer than five companies withheld (its reason in the
note), each breakdown's small groups merged into one row that says why, and the state
aid with no company named (the report has no reader who granted the aid: the office and
the funders both read it; a granting authority sees its own aid on the state-aid pages).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from . import disclosure

if TYPE_CHECKING:  # reports builds on this module; only the type is needed here
    from .reports.figures import FunderReport


def withheld_reason() -> str:
    """What a reader sees where a figure is withheld."""
    return _("redovisas inte: färre än %(n)s företag") % {"n": disclosure.THRESHOLD}


def merged_label() -> str:
    return _("Övriga grupper (var och en färre än %(n)s företag, sammanslagna)") % {
        "n": disclosure.THRESHOLD
    }


def counts_disclosed(counts: Mapping[str, int]) -> list[tuple[str, int | None]]:
    """A breakdown of company counts for a page: (label, count, or None where withheld),
    by label, with primary and secondary suppression."""
    shown, _total = disclosure.one_way(dict(sorted(counts.items())))
    return shown


def report_disclosed(report: FunderReport) -> FunderReport:
    """The funder report (reports.FunderReport) as a funder may see it. Funding amounts
    (about the funders, not the companies) stay."""
    companies = report.reach.companies
    enough = disclosure.enough(companies)
    reason = withheld_reason()

    def withhold(figure: Any) -> Any:
        return dataclasses.replace(figure, value=None, note=reason)

    funding = len(report.funders) + 1  # each funder's amount, and their sum, come first
    figures = report.figures[:funding] + [
        figure if enough else withhold(figure) for figure in report.figures[funding:]
    ]
    sizes = dict(report.reach.by_size)
    by_size = dict(disclosure.one_way(sizes)[0]) if enough else {}
    eu_indicators = []
    for figure in report.eu_indicators:
        # The size classes' counts are one breakdown with its total: suppressed together,
        # so that no small class follows from the others.
        small = (
            figure.kind == "count"
            and figure.value is not None
            and (not disclosure.enough(int(figure.value)) or _size_withheld(figure, sizes, by_size))
        )
        if not enough or small:
            figure = withhold(figure)
        eu_indicators.append(figure)
    breakdowns = []
    for breakdown in report.breakdowns:
        rows = disclosure.collapsed(breakdown.rows, other_label=merged_label())
        note = breakdown.note
        if rows != list(breakdown.rows):
            note = "; ".join(part for part in (note, reason) if part)
        breakdowns.append(dataclasses.replace(breakdown, rows=rows, note=note))
    state_aid = []
    if enough and report.state_aid:
        aid = report.state_aid
        state_aid = [
            dataclasses.replace(
                aid[0],
                company=_("Samtliga %(n)s företag") % {"n": len(aid)},
                org_number="",
                coach_hours=round(sum(row.coach_hours for row in aid), 2),
                period_sek=sum(row.period_sek for row in aid),
                de_minimis_sek=None,
                de_minimis_eur=None,
                note=_(
                    "företag namnges inte och deras samlade stöd av mindre betydelse redovisas "
                    "inte för finansiärer"
                ),
            )
        ]
    return dataclasses.replace(
        report,
        figures=figures,
        eu_indicators=eu_indicators,
        breakdowns=breakdowns,
        state_aid=state_aid,
    )


def _size_withheld(figure: Any, sizes: dict[str, int], shown: dict[str, int | None]) -> bool:
    """Whether the EU indicator ``figure`` ("of which micro", …) is a withheld size class."""
    return any(
        label.casefold() in figure.label.casefold() and shown.get(label) is None for label in sizes
    )
