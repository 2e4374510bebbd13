"""Numbers written the Swedish or the English way, as a spreadsheet cell holds them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

# Normal, non-breaking, narrow non-breaking, thin and figure space all group thousands.
_SPACES = str.maketrans(dict.fromkeys("\u00a0\u202f\u2009\u2007", " "))
# Unicode minus and the en dash Word puts in for a typed hyphen both mean minus.
_MINUSES = str.maketrans(dict.fromkeys("\u2212\u2013", "-"))
# Only words that mean plain kronor. "tkr" and "mkr" mean thousands and millions: they are
# refused rather than silently read 1 000 or 1 000 000 times too small.
_CURRENCY_PREFIXES = ("sek", "kr.", "kr")
_CURRENCY_SUFFIXES = (":-", ",-", "sek", "kr.", "kr")
_DIGITS = re.compile(r"[0-9]*")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[ .,][0-9]{3})*")


@dataclass(frozen=True)
class _Number:
    value: Decimal
    digits: str  # every digit, in order, without separators
    fraction: str  # the digits after the decimal separator
    #: A lone separator followed by exactly three digits ("1,234", "1.234"): also the way
    #: another convention writes a whole number.
    ambiguous: bool


def _number_error(text: str) -> ValueError:
    shown = text.strip()
    if len(shown) > 40:
        shown = shown[:40] + "…"
    return ValueError(
        _("”%(value)s” är inte ett tal. Skriv till exempel 12 345 eller 12 345,50.")
        % {"value": shown}
    )


def _parse(text: str) -> _Number:
    s = text.translate(_SPACES).translate(_MINUSES).strip()
    if not s:
        raise ValueError(_("Ett tal saknas."))
    sign = ""
    currency = False
    for _round in range(2):  # "-12 kr", "SEK -12", "kr 12": sign and currency in any order
        if s and s[0] in "+-" and not sign:
            sign, s = s[0], s[1:].lstrip()
        lowered = s.casefold()
        for prefix in _CURRENCY_PREFIXES:
            if not currency and lowered.startswith(prefix):
                s, currency = s[len(prefix) :].lstrip(), True
                break
    lowered = s.casefold()
    for suffix in _CURRENCY_SUFFIXES:
        if not currency and lowered.endswith(suffix):
            s, currency = s[: -len(suffix)].rstrip(), True
            break
    if not s or not set(s) <= set("0123456789 .,"):
        raise _number_error(text)

    commas, dots = s.count(","), s.count(".")
    decimal_sep: str | None
    if commas and dots:
        # Both: the one that comes last separates the decimals, the other groups thousands
        # ("1.234.567,89", "1,234,567.89").
        decimal_sep = "," if s.rfind(",") > s.rfind(".") else "."
        if s.count(decimal_sep) > 1:
            raise _number_error(text)
    elif commas == 1 or dots == 1:
        # A lone separator is a decimal one: "12,5", "12.5" and, Swedish first, "1,234".
        decimal_sep = "," if commas else "."
    else:
        decimal_sep = None  # no separator, or one repeated: "1,234,567", "1.234.567"
    integer, _sep, fraction = s.partition(decimal_sep) if decimal_sep else (s, "", "")
    separators = {c for c in integer if c in " .,"}
    if len(separators) > 1 or (separators and not _GROUPED.fullmatch(integer)):
        raise _number_error(text)  # mixed grouping, or groups that are not of three digits
    integer_digits = "".join(c for c in integer if c.isdigit())
    if not _DIGITS.fullmatch(fraction) or (decimal_sep and not fraction):
        raise _number_error(text)
    if not integer_digits and not fraction:
        raise _number_error(text)
    # The constructor is exact at any length; arithmetic would round to the context.
    value = Decimal(f"{sign}{integer_digits or '0'}" + (f".{fraction}" if fraction else ""))
    ambiguous = (
        decimal_sep is not None
        and not separators
        and commas + dots == 1
        and len(fraction) == 3
        and 1 <= len(integer_digits) <= 3
        and not integer_digits.startswith("0")
    )
    return _Number(value, integer_digits + fraction, fraction, ambiguous)


def parse_number(text: str) -> Decimal:
    """A number written the Swedish or the English way, as a :class:`~decimal.Decimal`.

    Accepted: thousands grouped by spaces (normal, non-breaking U+00A0, narrow U+202F),
    by dots ("1.234.567,89") or by commas ("1,234,567.89"); a decimal comma or point;
    a leading "+" or "-" (also the Unicode minus "−"); and the currency words "kr", "SEK"
    and the price endings ":-" and ",-" before or after the number ("12 345 kr",
    "SEK 12 345", "495:-"). Not accepted: "tkr"/"mkr" (a different unit), exponents,
    per cent signs, and groups of other than three digits; these raise ``ValueError``
    with a Swedish message for the user.

    Ambiguity: a lone comma or dot followed by exactly three digits ("1,234", "1.234") is
    a *decimal* separator, so both are 1.234. Our users are Swedish, and in a Swedish file
    "1,234" is one point two three four; a comma that groups thousands is recognised only
    when there are two or more ("1,234,567") or a decimal point follows ("1,234.5").
    "SEK 12,345" is therefore 12.345. :func:`parse_int` refuses these forms instead of
    guessing."""
    return _parse(text).value


def parse_int(text: str) -> int:
    """A whole number written as :func:`parse_number` accepts it ("12 345", "1,234,567",
    "12,0"). Raises ``ValueError`` with a Swedish message for anything else, including a
    value with decimals and the ambiguous "1,234" (1.234 or 1234?), which an integer column
    must not guess about."""
    number = _parse(text)
    shown = text.strip()
    if number.ambiguous:
        raise ValueError(
            _(
                "”%(value)s” är inte ett entydigt heltal. Om du menar %(number)s, skriv "
                "det utan komma och punkt."
            )
            % {"value": shown, "number": number.digits}
        )
    if number.value != number.value.to_integral_value():
        raise ValueError(_("”%(value)s” är inte ett heltal.") % {"value": shown})
    return int(number.value)
