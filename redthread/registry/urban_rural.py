"""The urban–rural classification of the municipalities (Tillväxtanalys), loaded from the
file its publisher issues, version by version. Nothing here guesses: a row whose type is
not recognised is reported with its row number and the whole file is refused."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from redthread.core.importing import (
    ImportField,
    ImportReport,
    RowVerdict,
    Table,
    guess_mapping,
    normalise_header,
    validate_mapping,
)
from redthread.core.importing.importers import Importer

from .models import Municipality, MunicipalityType, UrbanRuralClassification, UrbanRuralType

FIELDS = [
    ImportField(
        "municipality_code",
        gettext_lazy("Kommunkod"),
        ("kommunkod", "kommunnr", "kommun nr", "knkod", "kod", "municipality code"),
        required=True,
    ),
    ImportField(
        "type",
        gettext_lazy("Kommuntyp"),
        ("kommuntyp", "typ", "kommungrupp", "klassificering", "stad land", "municipality type"),
        required=True,
    ),
]


@dataclass
class UrbanRuralImport:
    report: ImportReport
    classification: UrbanRuralClassification | None


def _type_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in UrbanRuralType.choices:
        lookup[normalise_header(value)] = value
        lookup[normalise_header(str(label))] = value
    return lookup


@transaction.atomic
def urban_rural_import(
    table: Table, *, version: str, source: str, official: bool
) -> UrbanRuralImport:
    """Loads one version of the classification from ``table``: all of it or nothing. A
    version loaded again is replaced. Every municipality must be classified once."""
    mapping = guess_mapping(table.headers, FIELDS)
    problems = validate_mapping(mapping, FIELDS, headers=table.headers)
    if problems:
        raise ValueError(" ".join(problems))
    column = {key: index for index, key in mapping.items()}
    municipalities = {m.code: m for m in Municipality.objects.all()}
    types = _type_lookup()
    report = ImportReport(rows=[])
    rows: dict[str, tuple[int, str]] = {}
    for source_row in table.rows:
        if source_row.is_blank:
            report.rows.append(RowVerdict(source_row.number, "skipped", _("Tom rad.")))
            continue
        values = source_row.values
        code = (
            values[column["municipality_code"]].strip()
            if column["municipality_code"] < len(values)
            else ""
        )
        code = code.zfill(4) if code.isdigit() and len(code) == 3 else code
        type_text = values[column["type"]].strip() if column["type"] < len(values) else ""
        if code not in municipalities:
            report.rows.append(
                RowVerdict(
                    source_row.number,
                    "error",
                    _("Okänd kommunkod: %(code)s.") % {"code": code},
                    code,
                )
            )
        elif normalise_header(type_text) not in types:
            report.rows.append(
                RowVerdict(
                    source_row.number,
                    "error",
                    _("Okänd kommuntyp: %(type)s.") % {"type": type_text},
                    code,
                )
            )
        elif code in rows:
            report.rows.append(
                RowVerdict(
                    source_row.number,
                    "duplicate",
                    _("Kommunen finns redan på rad %(row)d.") % {"row": rows[code][0]},
                    code,
                )
            )
        else:
            rows[code] = (source_row.number, types[normalise_header(type_text)])
            report.rows.append(RowVerdict(source_row.number, "ok", "", code))
    missing = sorted(set(municipalities) - set(rows))
    if report.rejected or report.duplicates or missing:
        if missing:
            report.rows.append(
                RowVerdict(
                    0,
                    "error",
                    ngettext(
                        "%(count)d kommun saknas i filen: %(codes)s.",
                        "%(count)d kommuner saknas i filen, till exempel %(codes)s.",
                        len(missing),
                    )
                    % {"count": len(missing), "codes": ", ".join(missing[:5])},
                )
            )
        return UrbanRuralImport(report, None)
    UrbanRuralClassification.objects.filter(version=version).delete()
    classification = UrbanRuralClassification.objects.create(
        version=version, source=source, is_official=official
    )
    MunicipalityType.objects.bulk_create(
        MunicipalityType(
            classification=classification, municipality=municipalities[code], type=kind
        )
        for code, (_row, kind) in rows.items()
    )
    return UrbanRuralImport(report, classification)


# --- The command line: ``redthread import urban-rural FILE`` --------------------------------


def _add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--classification", help="urban-rural: the version, e.g. 2014")
    parser.add_argument("--source", help="urban-rural: where the file comes from")
    parser.add_argument(
        "--official",
        action="store_true",
        help="urban-rural: the publisher's own file (else shown as approximate)",
    )


def _command(table: Table, options: Mapping[str, Any], stdout: Any) -> None:
    if not options.get("classification") or not options.get("source"):
        raise CommandError("urban-rural needs --classification VERSION and --source TEXT.")
    try:
        result = urban_rural_import(
            table,
            version=options["classification"],
            source=options["source"],
            official=bool(options.get("official")),
        )
    except ValueError as error:
        raise CommandError(str(error)) from error
    for row in result.report.rows:
        if row.status != "ok":
            stdout.write(f"row {row.row}: {row.status}: {row.reason}")
    if result.classification is None:
        stdout.write("Nothing loaded: the file must classify every municipality once.")
        raise SystemExit(1)
    stdout.write(
        f"Loaded urban-rural classification {result.classification.version} "
        f"({result.report.accepted} municipalities, "
        f"{'official' if result.classification.is_official else 'approximate'})."
    )


def urban_rural_importer() -> Importer:
    """A kind for the command line only: the classification is one table read whole, not
    rows checked into a job."""
    return Importer(
        kind="urban-rural",
        label=gettext_lazy("Importera stad–land-indelning"),
        permission="registry.import_companies",
        add_arguments=_add_arguments,
        command=_command,
    )
