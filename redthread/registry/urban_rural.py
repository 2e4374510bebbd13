"""The urban–rural classification of the municipalities (Tillväxtanalys), loaded from the
file its publisher issues, version by version. Nothing here guesses: a row whose type is
not recognised is reported with its row number and the whole file is refused."""

from __future__ import annotations

from dataclasses import dataclass

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
