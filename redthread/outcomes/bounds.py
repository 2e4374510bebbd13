"""How large a key figure may plausibly be, so that a slip of the keyboard (10^15, 5,000
digits, "1e309") is refused where it is typed or imported instead of breaking the KPI page
and every mean that includes it.

Two limits apply, the narrower wins: the KPI's plausible range from its definition
(``bounds`` in ``data/outcomes/kpis.toml``; a KPI added by the office without one has
none), and what the column holds (``Measurement.value`` is Decimal(18, 4): less than
10^14 either way). A value stored before these checks that lies outside is shown as an
error on its page (:func:`measurement_value_problem`), never used in a figure."""

from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.utils.translation import gettext as _

from redthread.core import formats
from redthread.core.demo import DATA_DIR

#: Measurement.value is Decimal(18, 4): at most 14 digits before the decimal point.
COLUMN_LIMIT = Decimal(10) ** 14


@cache
def _shipped_bounds() -> dict[str, tuple[Decimal, Decimal]]:
    with (DATA_DIR / "outcomes" / "kpis.toml").open("rb") as handle:
        entries = tomllib.load(handle).get("kpi", [])
    return {
        entry["code"]: (Decimal(str(entry["bounds"]["min"])), Decimal(str(entry["bounds"]["max"])))
        for entry in entries
        if "bounds" in entry
    }


def kpi_bounds(kpi: Any) -> tuple[Decimal, Decimal]:
    """The smallest and largest value ``kpi`` (a KpiDefinition or its code) accepts."""
    code = kpi if isinstance(kpi, str) else kpi.code
    low, high = _shipped_bounds().get(code, (-COLUMN_LIMIT, COLUMN_LIMIT))
    return max(low, -COLUMN_LIMIT + 1), min(high, COLUMN_LIMIT - 1)


def measurement_value_problem(kpi: Any, value: Any) -> str:
    """Why ``value`` cannot be a figure of ``kpi`` (in the active language), or ``""``.
    Not a finite number (NaN, infinity) and outside :func:`kpi_bounds` are problems."""
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError, TypeError):
        return _("Värdet är inte ett tal.")
    if not number.is_finite():
        return _("Värdet är inte ett ändligt tal.")
    low, high = kpi_bounds(kpi)
    if not low <= number <= high:
        return _("Värdet ligger utanför det rimliga intervallet %(low)s till %(high)s.") % {
            "low": formats.number(low, 2, trim=True),
            "high": formats.number(high, 2, trim=True),
        }
    return ""
