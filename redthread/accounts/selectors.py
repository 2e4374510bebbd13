from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import ApiToken, Role, User
from .predicates import is_admin


def user_list(*, actor: Any, q: str = "", role: str = "", active: str = "") -> QuerySet[User]:
    """Users ``actor`` may manage (admins: all), narrowed by search and filters."""
    if not is_admin(actor):
        return User.objects.none()
    queryset = User.objects.all()
    if q:
        queryset = queryset.filter(Q(email__icontains=q) | Q(full_name__icontains=q))
    if role:
        queryset = queryset.filter(role=role)
    if active in {"0", "1"}:
        queryset = queryset.filter(is_active=active == "1")
    return queryset


def company_users(*, organisation_id: int) -> QuerySet[User]:
    """The active company users of one organisation, by name (what its manager sees)."""
    return (
        User.objects.filter(
            role=Role.COMPANY_USER, is_active=True, memberships__organisation_id=organisation_id
        )
        .prefetch_related("memberships")
        .order_by("full_name", "email")
    )


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (revoked and expired ones too: the profile
    shows them as such)."""
    return ApiToken.objects.filter(user=user)
