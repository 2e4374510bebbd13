"""Every write to outcomes: the shipped KPI definitions, measurements, comparison groups
and funder report jobs."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as OrgNumberError
from stdnum.se import orgnr

from redthread.core.demo import DATA_DIR
from redthread.registry.models import Organisation, OrganisationKind

from .models import ComparisonGroup, KpiDefinition, Measurement, MeasurementSource, ReportJob

KPI_FILE = DATA_DIR / "outcomes" / "kpis.toml"


@transaction.atomic
def kpis_load_shipped() -> int:
    """Creates the shipped KPI definitions that are missing; changes none. Returns how many
    were created."""
    with KPI_FILE.open("rb") as handle:
        entries = tomllib.load(handle).get("kpi", [])
    created = 0
    for order, entry in enumerate(entries, start=1):
        _kpi, new = KpiDefinition.objects.get_or_create(
            code=entry["code"],
            defaults={
                "name_sv": entry["name"]["sv"],
                "name_en": entry["name"]["en"],
                "unit_sv": entry["unit"]["sv"],
                "unit_en": entry["unit"]["en"],
                "direction": entry["direction"],
                "decimals": entry.get("decimals", 0),
                "source_sv": entry.get("source", {}).get("sv", ""),
                "source_en": entry.get("source", {}).get("en", ""),
                "assumed": entry.get("assumed", False),
                "order": order,
            },
        )
        created += new
    return created


def measurement_set(
    *,
    company: Organisation,
    kpi: KpiDefinition,
    year: int,
    value: Decimal | None,
    source: str = MeasurementSource.COACH,
    entered_by: Any = None,
) -> Measurement | None:
    """Stores (or with ``value`` None removes) one company's KPI for one year."""
    if value is None:
        Measurement.objects.filter(company=company, kpi=kpi, year=year).delete()
        return None
    measurement, _created = Measurement.objects.update_or_create(
        company=company,
        kpi=kpi,
        year=year,
        defaults={"value": value, "source": source, "entered_by": entered_by},
    )
    return measurement


@dataclass
class MemberImport:
    added: int = 0
    already: int = 0
    #: (line number, the line, why) for every line that was not added.
    rejected: list[tuple[int, str, str]] = field(default_factory=list)


@transaction.atomic
def comparison_group_import(*, group: ComparisonGroup, text: str) -> MemberImport:
    """Adds companies to a comparison group from organisation numbers, one per line (with
    or without hyphen; anything after the number on the line is ignored). Every line that
    cannot be added is reported with its number and reason; the rest are added."""
    result = MemberImport()
    members = set(group.companies.values_list("pk", flat=True))
    for number, line in enumerate(text.splitlines(), start=1):
        raw = line.strip().split(";")[0].split(",")[0].split("\t")[0].strip()
        if not raw:
            continue
        try:
            digits = orgnr.validate(raw).replace("-", "")
        except OrgNumberError:
            result.rejected.append((number, raw, _("inte ett giltigt organisationsnummer")))
            continue
        company = Organisation.objects.filter(
            org_number=digits, kind=OrganisationKind.COMPANY
        ).first()
        if company is None:
            result.rejected.append(
                (number, raw, _("företaget finns inte i registret: importera det först"))
            )
            continue
        if company.pk in members:
            result.already += 1
            continue
        group.companies.add(company)
        members.add(company.pk)
        result.added += 1
    return result


def report_job_start(
    *, initiative: Any, date_from: Any, date_to: Any, format: str, user: Any
) -> ReportJob:
    """Queues a funder report; the background task makes the file after the transaction
    commits."""
    from .reports import report_generate

    job = ReportJob.objects.create(
        initiative=initiative,
        date_from=date_from,
        date_to=date_to,
        format=format,
        created_by=user,
    )
    transaction.on_commit(lambda: report_generate.enqueue(job.pk))
    return job
