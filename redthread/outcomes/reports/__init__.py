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

The package: ``figures`` (the report's data), ``workbook`` (xlsx through
``core.exporting``), ``pdf`` (through ``core.pdf``) and ``tasks`` (the background task).
"""

from __future__ import annotations

from .figures import (
    Breakdown,
    EffectRow,
    Figure,
    FunderReport,
    Funding,
    StateAidRow,
    report_build,
    report_engagements,
)
from .pdf import report_pdf
from .tasks import report_file, report_generate
from .workbook import report_xlsx

__all__ = [
    "Breakdown",
    "EffectRow",
    "Figure",
    "FunderReport",
    "Funding",
    "StateAidRow",
    "report_build",
    "report_engagements",
    "report_file",
    "report_generate",
    "report_pdf",
    "report_xlsx",
]
