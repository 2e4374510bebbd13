"""Reads of the academy: the coach profiles a user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from redthread.accounts.typing import RequestUser

from .models import CoachProfile


def coach_profile_list(*, user: RequestUser) -> QuerySet[CoachProfile]:
    """The profiles ``user`` may see, by home partner and name, with what the list shows."""
    return (
        CoachProfile.objects.visible_to(user)
        .select_related("user", "home_partner", "county")
        .prefetch_related("modules")
        .order_by("home_partner__name", "user__full_name")
    )


def coach_profile_get(*, user: RequestUser, pk: int) -> CoachProfile:
    """One profile of those ``user`` may see; ``CoachProfile.DoesNotExist`` for any other."""
    return CoachProfile.objects.visible_to(user).get(pk=pk)
