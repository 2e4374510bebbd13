"""Figures as the result pages show them: in the active language's number format, with
as many decimals as the KPI defines."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value: Any, decimals: int = 0) -> str:
    """A number with grouping and the KPI's decimals; "–" for none."""
    if value is None or value == "":
        return "–"
    return str(number_format(value, decimal_pos=int(decimals), use_l10n=True, force_grouping=True))


@register.filter
def signed(value: Any, decimals: int = 0) -> str:
    """A change, with its sign: "+1 234", "−5,5"."""
    if value is None:
        return "–"
    text = figure(abs(value), decimals)
    if round(float(value), int(decimals)) == 0:
        return text
    return ("+" if value > 0 else "−") + text


@register.filter
def percent(value: Any) -> str:
    """A share 0–1 as a whole percentage."""
    if value is None:
        return "–"
    return f"{figure(100 * float(value), 0)} %"
