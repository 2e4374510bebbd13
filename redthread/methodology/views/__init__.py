"""The methodology's pages, one module per part: modules (with the coverage matrix),
templates and initiatives. Partner staff read; the office changes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

VIEW = "methodology.view"
CHANGE = "methodology.change"


def published(request: HttpRequest, version: Any) -> None:
    """Tells the user a module or template version is published (and what it means)."""
    messages.success(
        request,
        _(
            "Version %(number)d av %(name)s är publicerad. Pågående program behåller den "
            "version de började med."
        )
        % {"number": version.number, "name": version.name},
    )
