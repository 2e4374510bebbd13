"""Panels on each role's start page. Apps register theirs in ``AppConfig.ready``, as they do
their navigation, so the core knows no app above it; a panel shows to those who hold its
permission and have something to see (its context function returns None otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from .navigation import allowed


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    permission: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 50
    #: Shown only to those the permission's rule names (see ``navigation.allowed``).
    audience_only: bool = False


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _panels[panel.name] = panel


def panels_for(request: HttpRequest) -> list[dict[str, Any]]:
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        if not allowed(request.user, panel.permission, audience_only=panel.audience_only):
            continue
        context = panel.context(request)
        if context is not None:
            shown.append({"template": panel.template, **context})
    return shown
