"""Every write to outcomes: the shipped KPI definitions, measurements, comparison groups
and funder report jobs."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from redthread.accounts import predicates
from redthread.accounts.models import User
from redthread.accounts.typing import RequestUser
from redthread.core.demo import DATA_DIR
from redthread.registry.identifiers import org_number_or_none
from redthread.registry.models import Organisation, OrganisationKind

from .bounds import measurement_value_problem
from .models import (
    ComparisonGroup,
    KpiDefinition,
    Measurement,
    MeasurementSource,
    ReportJob,
    ReportStatus,
)
from .selectors import measurements_fingerprint

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
    """Stores (or with ``value`` None removes) one company's KPI for one year. A value
    outside the KPI's plausible bounds (``bounds.kpi_bounds``) raises ``ValidationError``
    and stores nothing."""
    if value is None:
        Measurement.objects.filter(company=company, kpi=kpi, year=year).delete()
        return None
    problem = measurement_value_problem(kpi, value)
    if problem:
        raise ValidationError(problem, code="out_of_bounds")
    measurement, _created = Measurement.objects.update_or_create(
        company=company,
        kpi=kpi,
        year=year,
        defaults={"value": value, "source": source, "entered_by": entered_by},
    )
    return measurement


class StaleMeasurements(Exception):
    """The company's figures changed after the table was loaded: nothing was saved."""


@transaction.atomic
def measurements_set(
    *,
    company: Organisation,
    values: Mapping[tuple[int, int], Decimal | None],
    fingerprint: str,
    user: RequestUser,
) -> int:
    """Saves a company's KPI table. ``values`` maps (KPI id, year) to a value; None removes
    the figure, a cell not in ``values`` is left as it is, and a value equal to the stored
    one is not written again (no history entry).

    ``fingerprint`` is ``selectors.measurements_fingerprint`` of the figures the table showed.
    If anyone has saved the company's figures since, nothing is saved and
    ``StaleMeasurements`` is raised. The company's row and figures are locked from the
    check to the last write, so of two saves of the same table at the same moment one is
    saved and the other refused. The source is the company when a company user saves, the
    coach otherwise. Returns how many figures changed."""
    Organisation.objects.select_for_update().get(pk=company.pk)
    stored = {
        (m.kpi_id, m.year): m
        for m in Measurement.objects.visible_to(user)
        .select_for_update(of=("self",))
        .filter(company=company)
    }
    if fingerprint != measurements_fingerprint(stored):
        raise StaleMeasurements
    kpis = KpiDefinition.objects.in_bulk({kpi_id for kpi_id, _year in values})
    unknown = sorted({kpi_id for kpi_id, _year in values} - set(kpis))
    if unknown:
        raise ValueError(f"unknown KPI ids {unknown}")
    source = (
        MeasurementSource.COMPANY if predicates.is_company_user(user) else MeasurementSource.COACH
    )
    changed = 0
    for (kpi_id, year), value in sorted(values.items()):
        old = stored.get((kpi_id, year))
        if (old.value if old else None) == value:
            continue
        measurement_set(
            company=company,
            kpi=kpis[kpi_id],
            year=year,
            value=value,
            source=source,
            entered_by=user,
        )
        changed += 1
    return changed


def comparison_group_create(
    *, name: str, description: str = "", initiative: Any = None
) -> ComparisonGroup:
    """A comparison group without companies yet (they are added by organisation number)."""
    group = ComparisonGroup(name=name, description=description, initiative=initiative)
    group.full_clean()
    group.save()
    return group


def comparison_group_member_remove(*, group: ComparisonGroup, company_id: int) -> None:
    """Takes a company out of the group; a company that is not in it changes nothing."""
    group.companies.remove(company_id)


def comparison_group_delete(*, group: ComparisonGroup) -> None:
    """Removes the group; its companies and their figures stay."""
    group.delete()


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
        digits = org_number_or_none(raw)
        if digits is None:
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
    *, initiative: Any, date_from: Any, date_to: Any, format: str, user: User
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


@transaction.atomic
def report_job_retry(*, job: ReportJob) -> ReportJob:
    """Queues a failed report again, from the start; a report in any other state is left
    as it is."""
    from .reports import report_generate

    updated = ReportJob.objects.filter(pk=job.pk, status=ReportStatus.FAILED).update(
        status=ReportStatus.QUEUED, progress=0, error="", content=None
    )
    if updated:
        transaction.on_commit(lambda: report_generate.enqueue(job.pk))
    job.refresh_from_db()
    return job
