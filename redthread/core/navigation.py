"""The header navigation. Apps register their entries in ``AppConfig.ready``, so the core
knows no app above it; each entry is shown to those who hold its permission."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.urls import reverse
from django.utils.functional import Promise

from redthread.core.typing import Asker


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    permission: str
    order: int = 50
    #: Shown only to those the permission's rule names, not to a superuser by its blanket
    #: permission: entries made for one audience (the company's own pages).
    audience_only: bool = False
    #: The address for this user, where it depends on who asks (the company's own page);
    #: ``None`` from it leaves the entry out. Without it, ``url_name`` reversed.
    url_for: Callable[[Any], str | None] | None = None


# Keyed by address and permission: one page may be entered under two names, for two
# audiences (the engagements are "Uppdrag" to a coach and "Program" to the company).
_items: dict[tuple[str, str], NavItem] = {}


def register(item: NavItem) -> None:
    _items[(item.url_name, item.permission)] = item


def allowed(user: Any, permission: str, *, audience_only: bool = False) -> bool:
    """Whether ``user`` holds ``permission``; with ``audience_only``, by its rule alone
    (Django gives a superuser every permission, which would show the office the company's
    own entries)."""
    if audience_only:
        return bool(rules.has_perm(permission, user))
    return bool(user.has_perm(permission))


def items_for(user: Asker, current_path: str) -> list[dict[str, Any]]:
    entries = []
    for item in sorted(_items.values(), key=lambda i: (i.order, str(i.label))):
        if not allowed(user, item.permission, audience_only=item.audience_only):
            continue
        url = item.url_for(user) if item.url_for else reverse(item.url_name)
        if url is None:
            continue
        current = current_path == url or (url != "/" and current_path.startswith(url))
        entries.append({"url": url, "label": item.label, "current": current})
    # One entry is the current page: the one whose address matches the most of the path
    # (the company's "Åtgärder" lies under its "Program").
    matches = [e for e in entries if e["current"]]
    for entry in matches:
        entry["current"] = entry is max(matches, key=lambda e: len(str(e["url"])))
    return entries


# The public site's links (the log, the initiatives, the partners …): the header of an
# anonymous visitor and everyone's footer. Registered by the app that serves the pages.
_public: dict[str, NavItem] = {}
# The footer's own links (about, the accessibility statement): every page's footer only.
_footer: dict[str, NavItem] = {}


def register_public(
    url_name: str, label: str | Promise, order: int = 50, *, footer_only: bool = False
) -> None:
    item = NavItem(url_name, label, permission="", order=order)
    (_footer if footer_only else _public)[url_name] = item


def _entries(items: dict[str, NavItem], current_path: str) -> list[dict[str, Any]]:
    entries = []
    for item in sorted(items.values(), key=lambda i: (i.order, str(i.label))):
        url = reverse(item.url_name)
        entries.append({"url": url, "label": item.label, "current": current_path.startswith(url)})
    return entries


def public_items(current_path: str) -> list[dict[str, Any]]:
    return _entries(_public, current_path)


def footer_items(current_path: str) -> list[dict[str, Any]]:
    return _entries(_footer, current_path)
