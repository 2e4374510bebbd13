"""The header navigation. Apps register their entries in ``AppConfig.ready``, so the core
knows no app above it; each entry is shown to those who hold its permission."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from redthread.core.typing import Asker


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    permission: str
    order: int = 50


_items: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _items[item.url_name] = item


def items_for(user: Asker, current_path: str) -> list[dict[str, Any]]:
    entries = []
    for item in sorted(_items.values(), key=lambda i: (i.order, str(i.label))):
        if not user.has_perm(item.permission):
            continue
        url = reverse(item.url_name)
        current = current_path == url or (url != "/" and current_path.startswith(url))
        entries.append({"url": url, "label": item.label, "current": current})
    return entries
