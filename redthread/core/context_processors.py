from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .navigation import items_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's header needs: the navigation of the user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": items_for(user, request.path)}
