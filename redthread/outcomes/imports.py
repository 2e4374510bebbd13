"""KPI measurements from Excel and CSV files: the outcomes app's importer (kind ``kpis``) in
the core import pipeline, registered in :class:`~redthread.outcomes.apps.OutcomesConfig`.

Two layouts are read, and the column mapping says which one a file has:

* long: one row per company, KPI and year, with columns for the organisation number, the
  KPI (its code, or its Swedish or English name), the year and the value;
* wide, as offices often keep figures in Excel: one row per company and year, with one
  column per KPI (headed by the KPI's name or code).

Every row gets a verdict (ok, error, duplicate, skipped) with a reason in plain Swedish and
the row number a spreadsheet shows. The same company, KPI and year twice in the file: the
later row is a duplicate. A value already stored is replaced, and the row's reason says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.accounts.typing import RequestUser
from redthread.core import formats
from redthread.core.importing import (
    ImportField,
    ImportReport,
    RowVerdict,
    Table,
    guess_mapping,
    normalise_header,
    parse_int,
    parse_number,
    validate_mapping,
)
from redthread.core.importing.importers import Importer, ImportRun
from redthread.registry.identifiers import (
    org_number_display,
    org_number_normalise,
    org_number_or_none,
)
from redthread.registry.imports import ORG_NUMBER_FIELD
from redthread.registry.models import Organisation, OrganisationKind

from .bounds import measurement_value_problem
from .models import KpiDefinition, Measurement, MeasurementSource
from .services import measurement_set

#: The first year a measurement may be for; the last is next year.
FIRST_YEAR = 1990
#: Measurement.value is Decimal(18, 4): at most 14 digits before the decimal point.
_VALUE_LIMIT = Decimal(10) ** 14
_VALUE_QUANTUM = Decimal("0.0001")
#: Field keys of the wide layout: this prefix and the KPI's code.
KPI_COLUMN_PREFIX = "kpi:"

ORG_NUMBER = ORG_NUMBER_FIELD
KPI = ImportField(
    "kpi",
    gettext_lazy("Nyckeltal"),
    ("kpi", "mått", "nyckeltalskod", "kpi kod", "kpi code", "indikator", "indicator", "measure"),
)
YEAR = ImportField(
    "year",
    gettext_lazy("År"),
    ("år", "year", "årtal", "räkenskapsår", "verksamhetsår", "fiscal year"),
    required=True,
)
VALUE = ImportField("value", gettext_lazy("Värde"), ("värde", "value", "utfall", "amount"))
#: The fields of the long layout. :func:`measurement_fields` adds one per KPI for the wide.
BASE_FIELDS: list[ImportField] = [ORG_NUMBER, KPI, YEAR, VALUE]


def _kpi_name(kpi: KpiDefinition) -> str:
    return kpi.name  # Swedish or English, as the active language is when shown


_lazy_kpi_name = lazy(_kpi_name, str)


def measurement_fields(kpis: Iterable[KpiDefinition] | None = None) -> list[ImportField]:
    """The fields a measurement file may fill: the long layout's four, then one column per
    KPI for the wide layout (key ``kpi:<code>``, matched by the KPI's Swedish or English
    name or its code)."""
    definitions = list(KpiDefinition.objects.all() if kpis is None else kpis)
    return [
        *BASE_FIELDS,
        *(
            ImportField(
                f"{KPI_COLUMN_PREFIX}{kpi.code}",
                _lazy_kpi_name(kpi),
                (kpi.code, kpi.name_sv, kpi.name_en),
            )
            for kpi in definitions
        ),
    ]


def measurement_mapping_guess(
    headers: Sequence[str], fields: Sequence[ImportField]
) -> dict[int, str]:
    """:func:`~redthread.core.importing.guess_mapping` with the KPI columns tried first, so
    that "Value added per employee (SEK)" goes to its KPI before the field "Värde" (value)
    can take it by its first letters."""
    kpi_first = sorted(fields, key=lambda f: not f.key.startswith(KPI_COLUMN_PREFIX))
    return guess_mapping(headers, kpi_first)


def is_wide(mapping: Mapping[int, str]) -> bool:
    """The mapping reads one column per KPI (the wide layout)."""
    return any(key.startswith(KPI_COLUMN_PREFIX) for key in mapping.values())


def mapping_layout_problems(mapping: Mapping[int, str]) -> list[str]:
    """Swedish messages for a mapping that is neither layout: the long one needs a KPI and
    a value column, the wide one at least one KPI column, and the two cannot be mixed."""
    keys = {key for key in mapping.values() if key}
    long_keys = keys & {KPI.key, VALUE.key}
    if is_wide(mapping) and long_keys:
        return [
            _(
                "Välj ett av två sätt: antingen en kolumn för nyckeltal och en för värde, "
                "eller en kolumn per nyckeltal – inte båda."
            )
        ]
    if is_wide(mapping):
        return []
    if not long_keys:
        return [
            _(
                "Koppla en kolumn till ”%(kpi)s” och en till ”%(value)s”, eller en kolumn "
                "till varje nyckeltal som filen har."
            )
            % {"kpi": KPI.label, "value": VALUE.label}
        ]
    return [
        _("Fältet ”%(field)s” måste kopplas till en kolumn.") % {"field": field.label}
        for field in (KPI, VALUE)
        if field.key not in keys
    ]


def mapping_problems(
    mapping: Mapping[int, str],
    fields: Sequence[ImportField],
    *,
    headers: Sequence[str] | None = None,
) -> list[str]:
    """Everything wrong with a confirmed mapping: the framework's checks, then the layout."""
    problems = validate_mapping(mapping, fields, headers=headers)
    return problems or mapping_layout_problems(mapping)


# --- Checking rows --------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingMeasurement:
    """One value ready to store, from the row ``row`` of the file."""

    row: int
    company: Organisation
    kpi: KpiDefinition
    year: int
    value: Decimal


@dataclass
class MeasurementImportResult:
    report: ImportReport
    #: The values ready to write, by row number (only rows with status ok).
    measurements: dict[int, list[PendingMeasurement]] = field(default_factory=dict)
    #: Of those: values not stored before, values that replace a stored one, and values
    #: equal to the stored one (left as they are).
    new: int = 0
    replaced: int = 0
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        return {"new": self.new, "replaced": self.replaced, "unchanged": self.unchanged}


@dataclass
class MeasurementWriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _value_shown(value: Decimal) -> str:
    """A value as the reader writes it, with all its decimals: 12 345,5 (Swedish)."""
    exponent = value.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return formats.number(value, decimals)


class _Lookups:
    """Reference data read once per import, not once per row."""

    def __init__(self, table: Table, mapping: Mapping[int, str]) -> None:
        self.kpis = list(KpiDefinition.objects.all())
        self.kpi_by_code = {kpi.code: kpi for kpi in self.kpis}
        self.kpi_by_name: dict[str, KpiDefinition] = {}
        for kpi in self.kpis:
            for name in (kpi.code, kpi.name_sv, kpi.name_en):
                self.kpi_by_name.setdefault(normalise_header(name), kpi)
        self.companies = {
            company.org_number: company
            for company in Organisation.objects.filter(kind=OrganisationKind.COMPANY)
            .exclude(org_number="")
            .only("pk", "org_number", "name")
        }
        # The stored values of the companies in the file, in batches (a long IN list is
        # more than some databases take).
        columns = [index for index, key in mapping.items() if key == ORG_NUMBER.key]
        numbers = {
            org_number_or_none(row.values[index])
            for index in columns
            for row in table.rows
            if index < len(row.values)
        }
        ids = sorted(self.companies[n].pk for n in numbers if n and n in self.companies)
        self.stored: dict[tuple[int, int, int], Decimal] = {}
        for start in range(0, len(ids), 500):
            for company_id, kpi_id, year, value in Measurement.objects.filter(
                company_id__in=ids[start : start + 500]
            ).values_list("company_id", "kpi_id", "year", "value"):
                self.stored[(company_id, kpi_id, year)] = value
        self.last_year = timezone.localdate().year + 1

    def kpi(self, text: str) -> KpiDefinition | None:
        return self.kpi_by_name.get(normalise_header(text)) if text.strip() else None


def _org_number(text: str) -> tuple[str, str]:
    """The organisation number as its 10 digits and "", or "" and the Swedish reason."""
    try:
        return org_number_normalise(text), ""
    except ValidationError as error:
        return "", " ".join(error.messages)


def _year(text: str, last_year: int) -> tuple[int | None, str]:
    if not text:
        return None, _("År saknas.")
    try:
        year = parse_int(text)
    except ValueError:
        return None, _("”%(value)s” är inte ett årtal.") % {"value": text}
    if not FIRST_YEAR <= year <= last_year:
        return None, _("Året %(year)s ligger utanför %(first)s–%(last)s.") % {
            "year": year,
            "first": FIRST_YEAR,
            "last": last_year,
        }
    return year, ""


def _value(text: str, kpi: KpiDefinition) -> tuple[Decimal | None, str]:
    """The value in ``text`` for ``kpi``, or None and the Swedish reason (without the
    KPI's name)."""
    if not text:
        return None, _("Värde saknas.")
    if kpi.unit_sv.strip() == "%" and text.rstrip().endswith("%"):
        text = text.rstrip()[:-1]  # "12,5 %" in a KPI measured in per cent
    try:
        value = parse_number(text)
    except ValueError as error:
        return None, str(error)
    if abs(value) >= _VALUE_LIMIT:
        return None, _("Värdet %(value)s är för stort.") % {"value": text.strip()}
    problem = measurement_value_problem(kpi, value)  # the KPI's plausible bounds
    if problem:
        return None, problem
    return value.quantize(_VALUE_QUANTUM), ""


def _row_values(values: list[str], mapping: Mapping[int, str]) -> dict[str, str]:
    return {
        key: values[index].strip() if index < len(values) else "" for index, key in mapping.items()
    }


def measurement_rows_check(
    table: Table,
    mapping: Mapping[int, str],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> MeasurementImportResult:
    """Checks every row and collects the values of the good ones. Writes nothing.

    ``mapping`` (column index → field key of :func:`measurement_fields`) decides the
    layout: KPI columns (``kpi:<code>``) mean the wide layout, else the long one."""
    mapping = {index: key for index, key in mapping.items() if key}
    lookups = _Lookups(table, mapping)
    wide = is_wide(mapping)
    kpi_columns = {
        key: lookups.kpi_by_code.get(key.removeprefix(KPI_COLUMN_PREFIX))
        for key in mapping.values()
        if key.startswith(KPI_COLUMN_PREFIX)
    }
    result = MeasurementImportResult(report=ImportReport(rows=[]))
    seen: dict[tuple[int, int, int], int] = {}
    total = len(table.rows)
    for position, source in enumerate(table.rows, start=1):
        if progress and position % 200 == 0:
            progress(position, total)
        if source.is_blank:
            result.report.rows.append(RowVerdict(source.number, "skipped", _("Tom rad.")))
            continue
        values = _row_values(source.values, mapping)
        raw_number = values.get(ORG_NUMBER.key, "")
        number, problem = _org_number(raw_number)
        problems = [problem] if problem else []
        company = lookups.companies.get(number) if number else None
        if number and company is None:
            problems.append(
                _(
                    "Organisationsnumret %(number)s är giltigt, men företaget finns inte i "
                    "registret. Lägg in företaget först."
                )
                % {"number": org_number_display(number)}
            )
        year, problem = _year(values.get(YEAR.key, ""), lookups.last_year)
        if problem:
            problems.append(problem)
        # (KPI, the text of its value) for each value the row holds.
        cells: list[tuple[KpiDefinition, str]] = []
        if wide:
            for key, kpi in kpi_columns.items():
                if kpi is None:  # a KPI removed since the mapping was made
                    problems.append(
                        _("Okänt nyckeltal: %(code)s.")
                        % {"code": key.removeprefix(KPI_COLUMN_PREFIX)}
                    )
                elif values.get(key, ""):
                    cells.append((kpi, values[key]))
        else:
            kpi_text = values.get(KPI.key, "")
            kpi = lookups.kpi(kpi_text)
            if kpi is not None:
                cells.append((kpi, values.get(VALUE.key, "")))
            elif kpi_text:
                problems.append(
                    _(
                        "Okänt nyckeltal: ”%(value)s”. Skriv nyckeltalets kod eller namn, "
                        "till exempel ”%(example)s”."
                    )
                    % {
                        "value": kpi_text,
                        "example": lookups.kpis[0].name if lookups.kpis else "",
                    }
                )
            else:
                problems.append(_("Nyckeltal saknas."))
        key_text = number or raw_number
        if problems or company is None or year is None:  # (without problems, both are known)
            result.report.rows.append(
                RowVerdict(source.number, "error", " ".join(problems), key_text)
            )
            continue
        if not cells:  # the wide layout: a company and year without any figure
            result.report.rows.append(
                RowVerdict(
                    source.number, "skipped", _("Raden har inga värden för nyckeltalen."), number
                )
            )
            continue
        earlier = [
            (kpi, seen[(company.pk, kpi.pk, year)])
            for kpi, _text in cells
            if (company.pk, kpi.pk, year) in seen
        ]
        for kpi, _text in cells:
            seen.setdefault((company.pk, kpi.pk, year), source.number)
        if earlier:
            result.report.rows.append(
                RowVerdict(
                    source.number,
                    "duplicate",
                    " ".join(
                        _("%(kpi)s %(year)s för företaget finns redan på rad %(row)d i filen.")
                        % {"kpi": kpi.name, "year": year, "row": row}
                        for kpi, row in earlier
                    ),
                    number,
                )
            )
            continue
        pending: list[PendingMeasurement] = []
        notes: list[str] = []
        for kpi, text in cells:
            value, problem = _value(text, kpi)
            if value is None:
                problems.append(f"{kpi.name}: {problem}" if wide else problem)
                continue
            pending.append(PendingMeasurement(source.number, company, kpi, year, value))
            stored = lookups.stored.get((company.pk, kpi.pk, year))
            if stored is not None and stored != value:
                notes.append(
                    _("Ersätter tidigare värde %(old)s för %(kpi)s %(year)s.")
                    % {"old": _value_shown(stored), "kpi": kpi.name, "year": year}
                )
            elif stored is not None:
                notes.append(
                    _("Samma värde finns redan för %(kpi)s %(year)s.")
                    % {"kpi": kpi.name, "year": year}
                )
        if problems:
            result.report.rows.append(
                RowVerdict(source.number, "error", " ".join(problems), number)
            )
            continue
        for measurement in pending:
            stored = lookups.stored.get((company.pk, measurement.kpi.pk, year))
            if stored is None:
                result.new += 1
            elif stored != measurement.value:
                result.replaced += 1
            else:
                result.unchanged += 1
        result.report.rows.append(RowVerdict(source.number, "ok", " ".join(notes), number))
        result.measurements[source.number] = pending
    if progress:
        progress(total, total)
    return result


# --- Writing --------------------------------------------------------------------------------


@transaction.atomic
def measurement_rows_write(
    result: MeasurementImportResult, *, all_or_nothing: bool, user: RequestUser | None = None
) -> MeasurementWriteResult:
    """Writes the good rows' values in one transaction: all of them or none. In
    all-or-nothing mode a single rejected row writes nothing. A stored value is replaced;
    one equal to the new value is left as it is (with its source and who entered it)."""
    written = MeasurementWriteResult()
    if all_or_nothing and result.report.rejected:
        return written
    pending = [m for row in sorted(result.measurements) for m in result.measurements[row]]
    # Read again inside the transaction: someone may have entered values since the check.
    company_ids = sorted({m.company.pk for m in pending})
    stored: dict[tuple[int, int, int], Decimal] = {}
    for start in range(0, len(company_ids), 500):
        for company_id, kpi_id, year, value in Measurement.objects.filter(
            company_id__in=company_ids[start : start + 500]
        ).values_list("company_id", "kpi_id", "year", "value"):
            stored[(company_id, kpi_id, year)] = value
    for measurement in pending:
        before = stored.get((measurement.company.pk, measurement.kpi.pk, measurement.year))
        if before is not None and before == measurement.value:
            written.unchanged += 1
            continue
        measurement_set(
            company=measurement.company,
            kpi=measurement.kpi,
            year=measurement.year,
            value=measurement.value,
            source=MeasurementSource.IMPORT,
            entered_by=user,
        )
        if before is None:
            written.created += 1
        else:
            written.updated += 1
    return written


# --- The registration in the import pipeline ----------------------------------------------


def _check(run: ImportRun) -> MeasurementImportResult:
    return measurement_rows_check(run.table, run.mapping, progress=run.progress)


def _write(result: MeasurementImportResult, run: ImportRun) -> dict[str, int]:
    written = measurement_rows_write(result, all_or_nothing=run.all_or_nothing, user=run.user)
    return {"created": written.created, "updated": written.updated, "unchanged": written.unchanged}


def _start_context(request: Any) -> dict[str, Any]:
    return {
        "kpis": KpiDefinition.objects.all(),
        # Text: a year shown as a number would get a thousands separator.
        "first_year": str(FIRST_YEAR),
        "last_year": str(timezone.localdate().year + 1),
    }


def _detail_context(job: Any, report: dict[str, Any]) -> dict[str, Any]:
    """How many values the confirmed import will add and replace (none when the mode is all
    or nothing and a row has failed), and which layout the mapping reads."""
    from redthread.core.models import ImportMode

    would_write = {"new": 0, "replaced": 0, "total": 0}
    if report and not (job.mode == ImportMode.ALL_OR_NOTHING and report.get("rejected")):
        new, replaced = int(report.get("new", 0)), int(report.get("replaced", 0))
        would_write = {"new": new, "replaced": replaced, "total": new + replaced}
    mapping = {int(k): v for k, v in job.mapping.items()}
    return {"would_write": would_write, "wide": is_wide(mapping)}


def _command_summary(report: Mapping[str, Any], dry_run: bool) -> str:
    if dry_run:
        return (
            f"new {report.get('new', 0)}, replaced {report.get('replaced', 0)}, "
            f"unchanged {report.get('unchanged', 0)} (dry run: nothing written)"
        )
    return (
        f"created {report.get('created', 0)}, updated {report.get('updated', 0)}, "
        f"unchanged {report.get('unchanged', 0)}"
    )


def measurement_importer() -> Importer:
    from redthread.accounts.predicates import is_program_office

    from .forms import MeasurementUploadForm

    return Importer(
        kind="kpis",
        label=gettext_lazy("Importera nyckeltal"),
        permission="outcomes.manage",
        fields=measurement_fields,
        check=_check,
        write=_write,
        summary=lambda result: result.counts(),
        guess=measurement_mapping_guess,
        mapping_problems=mapping_layout_problems,
        report_title=gettext_lazy("Importrapport nyckeltal"),
        start_url="outcomes:measurement_import_start",
        detail_url="outcomes:measurement_import_detail",
        start_template="outcomes/import_start.html",
        detail_template="outcomes/import_detail.html",
        upload_form=MeasurementUploadForm,
        start_context=_start_context,
        detail_context=_detail_context,
        command_summary=_command_summary,
        sees_all=is_program_office,
    )
