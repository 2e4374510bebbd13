"""Template helpers of the page shell."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


@register.filter
def described_widget(field: BoundField) -> SafeString:
    """The widget, linked to its help text and its error message for screen readers."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs: dict[str, Any] = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def sek(value: Any, decimals: int = 0) -> str:
    """An amount in Swedish kronor in the active language's format: "12 345 kr" in
    Swedish (non-breaking spaces), "SEK 12,345" in English. Empty for no value."""
    if value is None or value == "":
        return ""
    amount = number_format(value, decimal_pos=decimals, force_grouping=True)
    if get_language() == "en":
        return f"SEK {amount}"
    return f"{amount}\xa0kr"
