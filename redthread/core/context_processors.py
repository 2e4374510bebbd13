from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .navigation import footer_items, items_for, public_items


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's header needs: the navigation of the user's role (an anonymous
    visitor's is the public site's), and the public site's links for the footer (with the
    footer's own: about, the accessibility statement)."""
    public = public_items(request.path)
    footer = footer_items(request.path)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": public, "public_links": public, "footer_links": footer}
    return {
        "nav_items": items_for(user, request.path),
        "public_links": public,
        "footer_links": footer,
    }
