"""What the public forms hold about a person (see ``core/privacy.py``): the applications and
messages sent from their address. Erasure removes them (an application's enrolment and
contact person stay, under the registry's and the engagements' own rules); they are kept
for ``REDTHREAD_INQUIRY_RETENTION_DAYS`` (default 365) and then removed."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.core.privacy import PersonalData, Records, RetentionRule

from .models import Inquiry


def collect(address: str) -> Records:
    return [
        {
            _("Typ"): inquiry.get_kind_display(),
            _("Skapat"): inquiry.created,
            _("Namn"): inquiry.name,
            _("E-postadress"): inquiry.email,
            _("Företag eller organisation"): inquiry.organisation_name,
            _("Meddelande"): inquiry.message,
        }
        for inquiry in Inquiry.objects.filter(email__iexact=address).order_by("-created")[:500]
    ]


def erase(address: str) -> int:
    deleted, _by_model = Inquiry.objects.filter(email__iexact=address).delete()
    return deleted


def _retention_days() -> int:
    return int(getattr(settings, "REDTHREAD_INQUIRY_RETENTION_DAYS", 365))


def _retention_apply(today: datetime.date) -> int:
    start = datetime.datetime.combine(
        today - datetime.timedelta(days=_retention_days()),
        datetime.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    deleted, _by_model = Inquiry.objects.filter(created__lt=start).delete()
    return deleted


SOURCE = PersonalData(
    "journal", gettext_lazy("Ansökningar och meddelanden via webbplatsen"), collect, erase, order=45
)
RETENTION = RetentionRule(
    "journal_inquiries",
    gettext_lazy("Ansökningar och meddelanden via webbplatsen tas bort"),
    _retention_days,
    _retention_apply,
    order=60,
)
