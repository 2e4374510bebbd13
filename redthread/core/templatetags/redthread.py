"""Template helpers of the page shell."""

from __future__ import annotations

import datetime
from typing import Any

import markdown as markdown_lib
import nh3
from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

from redthread.core import formats

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


# --- figures and dates, through redthread.core.formats (the one way to write them) -------


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping[key]``, or "" when it has no such key (templates cannot index by a
    variable)."""
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return ""


@register.filter
def number(value: Any, decimals: int = 0) -> str:
    """A number with grouping and ``decimals`` decimals: "1 234,5"; "–" for none. A
    negative ``decimals`` (as in ``floatformat``) means at most that many, trailing zeros
    dropped: 1.5|number:-2 is "1,5", 2.0|number:-2 is "2"."""
    places = int(decimals)
    return formats.number(value, abs(places), trim=places < 0)


@register.filter
def signed(value: Any, decimals: int = 0) -> str:
    """A change, with its sign: "+1 234", "−5,5"; "–" for none."""
    return formats.signed(value, int(decimals))


@register.filter
def percent(share: Any, decimals: int = 0) -> str:
    """A share 0–1 as a percentage: "46 %"; "–" for none."""
    return formats.percent(share, int(decimals))


@register.filter
def sek(value: Any, decimals: int = 0) -> str:
    """An amount in Swedish kronor in the active language's format: "12 345 kr" in
    Swedish (non-breaking spaces), "SEK 12,345" in English. Empty for no value."""
    return formats.sek(value, int(decimals))


@register.filter(expects_localtime=True)
def date_short(value: datetime.date | None) -> str:
    """A date in a table: "2026-12-02"."""
    return formats.date_short(value)


@register.filter(expects_localtime=True)
def date_medium(value: datetime.date | None) -> str:
    """A date in a sentence: "2 dec. 2026", "2 Dec 2026"."""
    return formats.date_medium(value)


@register.filter(expects_localtime=True)
def datetime_medium(value: datetime.datetime | None) -> str:
    """A moment in a sentence: "2 dec. 2026 14:05"."""
    return formats.datetime_medium(value)


@register.filter(expects_localtime=True)
def month(value: datetime.date | None) -> str:
    """A month: "december 2026"."""
    return formats.month(value)


#: What Markdown written by staff may become: text structure and links, never script,
#: styles or embedded content.
MARKDOWN_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown rendered and then cleaned with nh3, so whatever was typed cannot inject
    markup; headings start at h2, under the page's own h1."""
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=MARKDOWN_TAGS,
        attributes={"a": {"href", "title"}},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - cleaned by nh3 just above  # nosec B308 B703
