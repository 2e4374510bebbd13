"""Demo KPI series: every demo company's yearly figures, with a business cycle all share,
noise of their own, and a modest planted effect for those that took part, so that the
effects the pages show are real computations on data with a known answer. Companies that
never took part form a reference group."""

from __future__ import annotations

import random
from decimal import Decimal
from io import TextIOBase

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from redthread.core.demo import step
from redthread.engagements.models import Engagement
from redthread.registry.models import Organisation, OrganisationKind

from . import services
from .models import ComparisonGroup, KpiDefinition, Measurement, MeasurementSource

SEED = 2028
FIRST_YEAR = 2018
#: The economy, as a yearly change every company shares.
CYCLE = {
    2018: 0.0,
    2019: 0.02,
    2020: -0.07,
    2021: 0.06,
    2022: 0.04,
    2023: -0.01,
    2024: 0.01,
    2025: 0.02,
}
#: Financial figures come from annual accounts for every company; operational ones only
#: from companies a coach works with.
FINANCIAL = {
    "value-added-per-employee",
    "turnover-per-employee",
    "headcount",
    "profit-margin",
    "equity-ratio",
}
#: The planted effect once a program has run (relative for money, points for shares).
EFFECT = {
    "value-added-per-employee": 0.05,
    "turnover-per-employee": 0.03,
    "headcount": 0.04,
    "profit-margin": 0.8,
    "equity-ratio": 0.0,
    "inventory-turnover": 0.10,
    "lead-time": -0.12,
    "delivery-precision": 5.0,
    "oee": 4.0,
    "sick-leave": -0.4,
    "scrap-rate": -0.5,
}
REFERENCE_GROUP = "Referensföretag (demo)"


@step("KPI definitions", order=12)
def load_kpis(out: TextIOBase) -> None:
    out.write(f"  {services.kpis_load_shipped()} new KPI definitions\n")


def _series(
    code: str, rng: random.Random, headcount: int, years: list[int], start: int | None
) -> dict[int, float]:
    level = {
        "value-added-per-employee": rng.gauss(680_000, 110_000),
        "turnover-per-employee": rng.gauss(1_700_000, 350_000),
        "headcount": float(max(3, headcount)),
        "profit-margin": rng.gauss(6.0, 3.0),
        "equity-ratio": rng.gauss(38.0, 10.0),
        "inventory-turnover": max(1.5, rng.gauss(5.0, 1.5)),
        "lead-time": max(3.0, rng.gauss(24.0, 8.0)),
        "delivery-precision": min(99.0, rng.gauss(82.0, 7.0)),
        "oee": min(90.0, rng.gauss(52.0, 9.0)),
        "sick-leave": max(1.0, rng.gauss(5.0, 1.5)),
        "scrap-rate": max(0.3, rng.gauss(3.0, 1.0)),
    }[code]
    relative = code in {
        "value-added-per-employee",
        "turnover-per-employee",
        "headcount",
        "inventory-turnover",
        "lead-time",
    }
    series: dict[int, float] = {}
    trend = 1.0
    for year in years:
        trend *= 1 + CYCLE.get(year, 0.01) * (1 if code != "lead-time" else -0.5)
        noise = rng.gauss(0, 0.03)
        dose = 0.0 if start is None or year < start else (0.5 if year == start else 1.0)
        if relative:
            value = level * trend * (1 + noise) * (1 + EFFECT[code] * dose)
        else:
            value = (
                level
                + 40 * (trend - 1) * (1 if code in {"profit-margin"} else 0)
                + noise * 20
                + EFFECT[code] * dose
            )
        series[year] = value
    return series


@step("KPI series and reference group", order=50)
def load_measurements(out: TextIOBase) -> None:
    if Measurement.objects.exists():
        out.write("  KPI series exist already\n")
        return
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data  # nosec B311
    years = list(range(FIRST_YEAR, timezone.localdate().year))
    kpis = list(KpiDefinition.objects.all())
    starts = dict(
        Engagement.objects.values("company_id")
        .annotate(first=Min("start_date"))
        .values_list("company_id", "first")
    )
    companies = list(
        Organisation.objects.filter(kind=OrganisationKind.COMPANY)
        .exclude(org_number="")
        .order_by("org_number")
    )
    rows = []
    for company in companies:
        first = starts.get(company.pk)
        for kpi in kpis:
            if kpi.code not in FINANCIAL and first is None:
                continue
            series = _series(
                kpi.code, rng, company.headcount or 20, years, first.year if first else None
            )
            for year, value in series.items():
                if first is not None and kpi.code not in FINANCIAL and year < first.year - 1:
                    continue  # operational figures start with the baseline
                rows.append(
                    Measurement(
                        company=company,
                        kpi=kpi,
                        year=year,
                        value=Decimal(str(round(value, 4 if kpi.decimals else 0))),
                        source=MeasurementSource.DEMO,
                    )
                )
    with transaction.atomic():
        Measurement.objects.bulk_create(rows, batch_size=2000)
        group, _new = ComparisonGroup.objects.get_or_create(
            name=REFERENCE_GROUP,
            defaults={
                "description": (
                    "Demoföretag som aldrig deltagit, med samma årliga nyckeltal ur "
                    "årsredovisningarna."
                )
            },
        )
        group.companies.set([c for c in companies if c.pk not in starts][:120])
    out.write(
        f"  {len(rows)} measurements; reference group of {group.companies.count()} companies\n"
    )


# The demo company's own chain, after the series above (see demo_company.py).
from . import demo_company  # noqa: E402, F401
