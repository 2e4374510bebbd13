"""The engagements' panels on the start page: how many are running and what is overdue;
for a company, its next booked session."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from . import selectors
from .calendar import booking_location
from .models import ActionItem, ActionStatus, Engagement, EngagementStatus
from .selectors import booking_next


def my_engagements(request: HttpRequest) -> dict[str, Any] | None:
    engagements = Engagement.objects.visible_to(request.user)
    counts = engagements.aggregate(
        active=Count("pk", filter=Q(status=EngagementStatus.ACTIVE), distinct=True),
        waiting=Count(
            "pk",
            filter=Q(status__in=EngagementStatus.WAITING),
            distinct=True,
        ),
    )
    overdue = list(
        ActionItem.objects.filter(
            engagement__in=engagements.values("pk"),
            status__in=ActionStatus.PENDING,
            due_date__lt=timezone.localdate(),
        )
        .select_related("engagement__company")
        .order_by("due_date")[:5]
    )
    if not (counts["active"] or counts["waiting"] or overdue):
        return None
    return {**counts, "overdue": overdue}


def next_booking(request: HttpRequest) -> dict[str, Any] | None:
    """The company's home: the next session its coaches have booked (none: no panel)."""
    booking = booking_next(user=request.user, today=timezone.localdate())
    if booking is None:
        return None
    return {"booking": booking, "location": booking_location(booking)}


# The company's home: where it is in its program, what it has to do, its documents.


def company_program(request: HttpRequest) -> dict[str, Any] | None:
    program = selectors.company_program(user=request.user)
    return {"program": program} if program is not None else None


#: The home lists this many of the company's action items (the page lists all).
ACTIONS_SHOWN = 5


def company_actions(request: HttpRequest) -> dict[str, Any] | None:
    items = selectors.company_action_item_list(user=request.user, pending_only=True)
    shown = list(items[:ACTIONS_SHOWN])
    if not shown:
        return None
    today = timezone.localdate()
    return {
        "items": shown,
        "overdue": {i.pk for i in shown if i.is_overdue(today)},
        # Counted always, not only when the list is full: one query either way.
        "total": items.count(),
    }


def company_documents(request: HttpRequest) -> dict[str, Any] | None:
    engagement = selectors.company_engagement_list(user=request.user).first()
    if engagement is None:
        return None
    documents = list(selectors.plan_document_list(engagement=engagement)[:ACTIONS_SHOWN])
    return {"engagement": engagement, "documents": documents} if documents else None
