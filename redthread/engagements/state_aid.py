"""State aid: coaching is support to a company, valued at coach hours × the initiative's
rate, and summed per company over three rolling years against the de minimis ceiling
(EUR 300,000 since 2024, Commission Regulation (EU) 2023/2831)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from redthread.core import formats
from redthread.registry.models import Organisation

from .models import Engagement, ExchangeRate, Session

CEILING_EUR = Decimal(300_000)
YEARS = 3


@dataclass
class AidRow:
    engagement: Engagement
    year: int
    hours: Decimal
    value_sek: Decimal
    value_eur: Decimal | None


@dataclass
class DeMinimis:
    company: Organisation
    on: datetime.date
    since: datetime.date
    rows: list[AidRow] = field(default_factory=list)
    #: Years with support but no exchange rate: their EUR values are unknown.
    missing_rates: list[int] = field(default_factory=list)

    @property
    def total_sek(self) -> Decimal:
        return sum((r.value_sek for r in self.rows), Decimal(0))

    @property
    def total_eur(self) -> Decimal:
        return sum((r.value_eur or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def remaining_eur(self) -> Decimal:
        return CEILING_EUR - self.total_eur

    @property
    def ceiling_eur(self) -> Decimal:
        return CEILING_EUR


def _three_years_before(on: datetime.date) -> datetime.date:
    try:
        return on.replace(year=on.year - YEARS)
    except ValueError:  # 29 February
        return on.replace(year=on.year - YEARS, day=28)


def de_minimis(*, company: Organisation, on: datetime.date | None = None) -> DeMinimis:
    """The support ``company`` has had in the three years up to ``on`` (today), per
    engagement and year, in SEK and EUR (at each year's rate)."""
    return de_minimis_many([company], on=on)[company.pk]


def de_minimis_many(
    companies: Iterable[Organisation], *, on: datetime.date | None = None
) -> dict[int, DeMinimis]:
    """:func:`de_minimis` of each of ``companies`` (by primary key) in three queries
    whatever their number (a funder report asks for thousands)."""
    on = on or timezone.localdate()
    since = _three_years_before(on)
    rates = dict(ExchangeRate.objects.values_list("year", "sek_per_eur"))
    results = {c.pk: DeMinimis(company=c, on=on, since=since) for c in companies}
    if not results:
        return results
    ids = list(results)
    sums = (
        Session.objects.filter(engagement__company__in=ids, date__gt=since, date__lte=on)
        .values("engagement", "date__year")
        .annotate(minutes=Sum("duration_minutes"))
        .order_by("date__year", "engagement")
    )
    engagements = {
        e.pk: e
        for e in Engagement.objects.filter(company__in=ids).select_related(
            "initiative", "template_version"
        )
    }
    for row in sums:
        engagement = engagements[row["engagement"]]
        result = results[engagement.company_id]
        hours = Decimal(row["minutes"]) / 60
        value = hours * engagement.initiative.coach_hour_rate_sek
        rate = rates.get(row["date__year"])
        if rate is None and row["date__year"] not in result.missing_rates:
            result.missing_rates.append(row["date__year"])
        result.rows.append(
            AidRow(
                engagement=engagement,
                year=row["date__year"],
                hours=hours.quantize(Decimal("0.01")),
                value_sek=value.quantize(Decimal("1")),
                value_eur=(value / rate).quantize(Decimal("1")) if rate else None,
            )
        )
    return results


def planned_aid_sek(*, engagement_hours: int, rate_sek: int) -> Decimal:
    return Decimal(engagement_hours) * rate_sek


def ceiling_warning(
    *, company: Organisation, planned_hours: int, rate_sek: int, start: datetime.date
) -> str | None:
    """A warning (in Swedish) when a new engagement would take the company past the ceiling,
    counting its planned coach hours at the initiative's rate and the latest exchange rate."""
    current = de_minimis(company=company, on=start)
    rate = ExchangeRate.objects.order_by("-year").values_list("sek_per_eur", flat=True).first()
    if not rate or not rate_sek:
        return None
    planned_eur = planned_aid_sek(engagement_hours=planned_hours, rate_sek=rate_sek) / rate
    if current.total_eur + planned_eur <= CEILING_EUR:
        return None
    return _(
        "Varning: med det här programmet (cirka %(planned)s euro) kommer företagets stöd de "
        "senaste tre åren att överstiga taket för stöd av mindre betydelse (%(ceiling)s euro). "
        "Redan mottaget: %(current)s euro."
    ) % {
        "planned": formats.number(planned_eur),
        "ceiling": formats.number(CEILING_EUR),
        "current": formats.number(current.total_eur),
    }
