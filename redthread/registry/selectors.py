from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import Organisation, OrganisationQuerySet


def organisation_list(
    *, user: Any, q: str = "", kind: str = "", region: str = ""
) -> OrganisationQuerySet:
    """The organisations ``user`` may see, narrowed by a search text and filters."""
    queryset = Organisation.objects.visible_to(user).select_related("host")
    if q:
        digits = "".join(ch for ch in q if ch.isdigit())
        condition = Q(name__icontains=q) | Q(short_name__icontains=q)
        if len(digits) >= 4:
            condition |= Q(org_number__contains=digits)
        queryset = queryset.filter(condition)
    if kind:
        queryset = queryset.filter(kind=kind)
    if region:
        queryset = queryset.filter(region=region)
    return queryset


def organisation_get(*, user: Any, slug: str) -> Organisation:
    """One organisation by its slug, if ``user`` may see it (else DoesNotExist)."""
    return (
        Organisation.objects.visible_to(user)
        .select_related("host", "responsible_partner")
        .get(slug=slug)
    )
