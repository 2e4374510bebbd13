"""What the engagements hold about a person (see ``core/privacy.py``): the action items
a contact person owns at their company. Their erasure is the registry's (the owner is
anonymised, the item stays); session notes have a retention period of their own."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.core.privacy import PersonalData, Records, RetentionRule

from .models import ActionItem
from .services import session_notes_purge


def collect(address: str) -> Records:
    items = ActionItem.objects.filter(owner_person__email__iexact=address).select_related(
        "engagement__company"
    )
    return [
        {
            _("Typ"): _("Åtgärd"),
            _("Åtgärd"): item.title,
            _("Företag"): item.engagement.company.name,
            _("Klart senast"): item.due_date,
            _("Status"): item.get_status_display(),
        }
        for item in items.order_by("-pk")[:500]
    ]


def erase(address: str) -> int:
    return 0  # the owner is a contact person, anonymised by the registry's source


def notes_retention_days() -> int:
    return int(settings.REDTHREAD_SESSION_NOTES_RETENTION_DAYS)


def apply_notes_retention(today: datetime.date) -> int:
    return session_notes_purge(today=today, retention_days=notes_retention_days())


SOURCE = PersonalData("engagements", gettext_lazy("Åtgärder i uppdrag"), collect, erase, order=40)
RETENTION = RetentionRule(
    "session_notes",
    gettext_lazy("Anteckningar och nästa steg från coachningstillfällen töms"),
    notes_retention_days,
    apply_notes_retention,
    order=30,
)
