"""An engagement's session totals (:class:`~.models.EngagementTotals`): refreshed from its
sessions whenever one is saved or deleted (``connect`` wires the signals, from
``EngagementsConfig.ready``). Bulk writers of sessions send no signals and call
:func:`totals_refresh_all` (or :func:`totals_refresh`) themselves."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.signals import post_delete, post_save

from .models import EngagementTotals, Session


def totals_refresh(engagement_id: int, *, create: bool = True) -> None:
    """Counts the engagement's sessions again (one aggregate and one write). Without
    ``create`` only existing totals are updated: a session deleted with its engagement
    must not bring back the totals that the same deletion removes."""
    figures = Session.objects.filter(engagement_id=engagement_id).aggregate(
        sessions=Count("pk"), minutes=Sum("duration_minutes"), company_hours=Sum("company_hours")
    )
    values = {
        "sessions": figures["sessions"],
        "minutes": figures["minutes"] or 0,
        "company_hours": figures["company_hours"] or Decimal(0),
    }
    if create:
        EngagementTotals.objects.update_or_create(engagement_id=engagement_id, defaults=values)
    else:
        EngagementTotals.objects.filter(engagement_id=engagement_id).update(**values)


def totals_refresh_all() -> int:
    """Counts every engagement's sessions again, in a few grouped queries; returns how
    many engagements have sessions."""
    rows = (
        Session.objects.order_by()
        .values("engagement_id")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"), company=Sum("company_hours"))
    )
    totals = [
        EngagementTotals(
            engagement_id=row["engagement_id"],
            sessions=row["n"],
            minutes=row["minutes"] or 0,
            company_hours=row["company"] or Decimal(0),
        )
        for row in rows
    ]
    EngagementTotals.objects.all().delete()
    EngagementTotals.objects.bulk_create(totals, batch_size=2000)
    return len(totals)


def _session_saved(instance: Session, raw: bool = False, **_kwargs: Any) -> None:
    if not raw:  # loaddata writes the totals of its own fixtures
        totals_refresh(instance.engagement_id)


def _session_deleted(instance: Session, **_kwargs: Any) -> None:
    totals_refresh(instance.engagement_id, create=False)


def connect() -> None:
    post_save.connect(
        _session_saved, sender=Session, dispatch_uid="engagements.totals.save", weak=False
    )
    post_delete.connect(
        _session_deleted, sender=Session, dispatch_uid="engagements.totals.delete", weak=False
    )
