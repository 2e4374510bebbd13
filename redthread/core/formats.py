"""Numbers, amounts, shares, changes, intervals, dates and months as a person reads them, in
the active language: the one place that writes a figure for the pages, the PDFs, the charts'
labels and the workbooks' number formats.

Swedish: "1 234,5" (a non-breaking space groups the digits, so a figure never breaks over a
line), "12 345 kr", "45 %", "+1,5", "2 dec. 2026". English: "1,234.5", "SEK 12,345",
"45 %", "+1.5", "2 Dec 2026". Dates are never written "12/2/2026": which of the two is the
month depends on the reader. The separators and date formats live in
``core/locale_formats/{sv,en}/formats.py`` (``FORMAT_MODULE_PATH``), so Django's ``date``
filter and its number rendering in templates say the same as this module.

Rounding is half away from zero on the decimal value ("0,25" to one decimal is "0,3"), never
the truncation Django's ``number_format`` does to a float, and a value that rounds to zero is
"0", never "-0".

Machine values are never written here: SVG coordinates (``charts.svg.coordinate``), CSV for
machines, JSON and form values keep a decimal point and no grouping whatever the language.
"""

from __future__ import annotations

import datetime
import math
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from django.utils import formats as django_formats
from django.utils import timezone
from django.utils.translation import get_language

__all__ = [
    "EMPTY",
    "XLSX_INTEGER",
    "XLSX_SHARE",
    "XLSX_TRIMMED_DECIMAL",
    "date_medium",
    "date_short",
    "interval",
    "month",
    "number",
    "percent",
    "sek",
    "signed",
    "xlsx_decimals",
]

#: What stands for no value in a table cell or a sentence.
EMPTY = "–"
_NBSP = "\xa0"
_MINUS = "\u2212"  # a real minus sign for changes: as wide as the plus, never a hyphen

#: Excel's number formats are written in its own neutral notation ("," groups, "." is the
#: decimal point) and shown by Excel in the reader's locale, so one string serves both
#: languages. Every workbook takes its formats from here.
XLSX_INTEGER = "#,##0"
XLSX_SHARE = "0.0 %"
XLSX_TRIMMED_DECIMAL = "#,##0.0#"


def xlsx_decimals(decimals: int) -> str:
    """Excel's format for a number with grouping and exactly ``decimals`` decimals."""
    return XLSX_INTEGER + ("." + "0" * decimals if decimals > 0 else "")


Number = int | float | Decimal


def _rounded(value: Any, decimals: int) -> Decimal:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"Cannot format {value!r} as a number.")
        exact = Decimal(repr(value))
    else:
        exact = Decimal(value)
        if not exact.is_finite():
            raise ValueError(f"Cannot format {value!r} as a number.")
    context = Context(prec=400)  # enough digits for any float
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=context)
    return abs(rounded) if rounded == 0 else rounded  # never "-0"


def number(value: Any, decimals: int = 0, *, trim: bool = False, empty: str = EMPTY) -> str:
    """``value`` with grouped digits and ``decimals`` decimals in the active language:
    1234.5 → "1 234,5" (Swedish) or "1,234.5" (English). ``trim`` drops trailing zeros
    of the decimals (12.50 → "12,5", 12.0 → "12"). ``None`` or "" is ``empty``."""
    if value is None or value == "":
        return empty
    decimals = int(decimals)
    rounded = _rounded(value, decimals)
    places = decimals
    if trim:
        if rounded == rounded.to_integral_value():
            places = 0
        else:
            places = len(f"{rounded:f}".partition(".")[2].rstrip("0"))
    return str(
        django_formats.number_format(
            rounded, decimal_pos=places, use_l10n=True, force_grouping=True
        )
    )


def signed(value: Any, decimals: int = 0, *, empty: str = EMPTY) -> str:
    """A change with its sign: "+1 234", "−5,5" (a minus sign, not a hyphen); one that
    rounds to zero has none: "0"."""
    if value is None or value == "":
        return empty
    rounded = _rounded(value, int(decimals))
    text = number(abs(rounded), decimals)
    if rounded == 0:
        return text
    return ("+" if rounded > 0 else _MINUS) + text


def percent(share: Any, decimals: int = 0, *, empty: str = EMPTY) -> str:
    """A share from 0 to 1 as a percentage: 0.456 → "46 %" (a non-breaking space before
    the sign, as Swedish and the SI write it)."""
    if share is None or share == "":
        return empty
    exact = Decimal(repr(share)) if isinstance(share, float) else Decimal(share)
    return f"{number(100 * exact, decimals)}{_NBSP}%"


def sek(value: Any, decimals: int = 0, *, empty: str = "") -> str:
    """An amount in Swedish kronor: "12 345 kr" in Swedish, "SEK 12,345" in English."""
    if value is None or value == "":
        return empty
    amount = number(value, decimals)
    if get_language() == "en":
        return f"SEK {amount}"
    return f"{amount}{_NBSP}kr"


def interval(low: Any, high: Any, decimals: int = 0, *, sign: bool = False) -> str:
    """An interval "low – high"; ``sign`` writes both ends as changes ("−1,5 – +2,0").
    "–" when either end is missing."""
    if low is None or high is None:
        return EMPTY
    write = signed if sign else number
    return f"{write(low, decimals)} – {write(high, decimals)}"


def date_short(value: datetime.date | None) -> str:
    """A date in a table: "2026-12-02" in both languages (sortable, never ambiguous)."""
    if value is None:
        return EMPTY
    return django_formats.date_format(value, "SHORT_DATE_FORMAT")


def date_medium(value: datetime.date | None) -> str:
    """A date in a sentence: "2 dec. 2026" in Swedish, "2 Dec 2026" in English."""
    if value is None:
        return EMPTY
    return django_formats.date_format(value, "DATE_FORMAT")


def datetime_medium(value: datetime.datetime | None) -> str:
    """A moment in a sentence, in local time: "2 dec. 2026 14:05", "2 Dec 2026 14:05"."""
    if value is None:
        return EMPTY
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{date_medium(value)} {django_formats.time_format(value, 'H:i')}"


def month(value: datetime.date | None) -> str:
    """A month: "december 2026" in Swedish, "December 2026" in English."""
    if value is None:
        return EMPTY
    return django_formats.date_format(value, "YEAR_MONTH_FORMAT")
