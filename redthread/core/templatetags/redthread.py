"""Template helpers of the page shell."""

from __future__ import annotations

from typing import Any

import markdown as markdown_lib
import nh3
from django import template
from django.forms import BoundField
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
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
    return mark_safe(clean)  # noqa: S308 - cleaned by nh3 just above
