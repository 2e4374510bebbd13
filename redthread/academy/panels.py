"""The academy's panel on a partner manager's start page: how many of its coaches are
certified (the funder's view of the same figures, under disclosure control, is in
``outcomes``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from redthread.accounts import predicates

from . import selectors


def certified_share(request: HttpRequest) -> dict[str, Any] | None:
    shares = selectors.certified_share_by_partner(
        partner_ids=predicates.organisation_ids(request.user)
    )
    return {"shares": shares} if shares else None
