"""Every write to the registry's reference data (the Swedish lookup tables)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from redthread.core.demo import read_data_csv

from .models import County, Municipality, NutsArea, SniCode, SniLevel, SniVersion

#: The shipped reference files, relative to ``redthread/data/``.
MUNICIPALITIES_FILE = "reference/municipalities.csv"
SNI2025_SECTIONS_FILE = "reference/sni2025_sections.csv"
SNI2025_CODES_FILE = "reference/sni2025_codes.csv"
SNI2007_DIVISIONS_FILE = "reference/sni2007_divisions_C.csv"


class ReferenceDataError(ValueError):
    """A reference file contradicts itself (e.g. a municipality outside its county)."""


@dataclass(frozen=True)
class TableCount:
    """One table after a load: rows in the files, and how many were created or changed."""

    total: int
    created: int
    updated: int


@dataclass(frozen=True)
class ReferenceDataCounts:
    nuts_areas: TableCount
    counties: TableCount
    municipalities: TableCount
    sni_codes: TableCount

    def as_dict(self) -> dict[str, TableCount]:
        return {
            "nuts_areas": self.nuts_areas,
            "counties": self.counties,
            "municipalities": self.municipalities,
            "sni_codes": self.sni_codes,
        }


@transaction.atomic
def reference_data_load() -> ReferenceDataCounts:
    """Loads the reference files under ``redthread/data/reference/`` into the lookup tables
    (NUTS2 areas, counties, municipalities, SNI 2025 sections and five-digit codes, SNI 2007
    manufacturing divisions).

    Callers may rely on this: it is idempotent (a second run creates and changes nothing,
    and writes no row); a row is matched by its code (SNI: version and code), so ids stay
    put and a changed name or label is updated in place; rows the files no longer hold are
    left alone, never deleted; it runs in one transaction; codes are stored as text with
    their leading zeros. It never touches the urban–rural classification, which comes only
    from importing the official file. Raises :class:`ReferenceDataError`, writing nothing,
    when the municipality file contradicts itself."""
    municipality_rows = list(read_data_csv(MUNICIPALITIES_FILE))
    nuts_names: dict[str, str] = {}
    counties: dict[str, tuple[str, str]] = {}
    for row in municipality_rows:
        code, county_code, nuts_code = row["kommunkod"], row["lanskod"], row["nuts2"]
        if not code.startswith(county_code):
            raise ReferenceDataError(f"Municipality {code} is not in county {county_code}.")
        if counties.setdefault(county_code, (row["lan"], nuts_code)) != (row["lan"], nuts_code):
            raise ReferenceDataError(f"County {county_code} has two names or NUTS2 regions.")
        if nuts_names.setdefault(nuts_code, row["nuts2_namn"]) != row["nuts2_namn"]:
            raise ReferenceDataError(f"NUTS2 region {nuts_code} has two names.")

    nuts_count = _upsert(
        NutsArea, key=("code",), rows=[{"code": c, "name": n} for c, n in nuts_names.items()]
    )
    nuts_ids = dict(NutsArea.objects.values_list("code", "id"))
    county_count = _upsert(
        County,
        key=("code",),
        rows=[
            {"code": code, "name": name, "nuts_id": nuts_ids[nuts]}
            for code, (name, nuts) in counties.items()
        ],
    )
    county_ids = dict(County.objects.values_list("code", "id"))
    municipality_count = _upsert(
        Municipality,
        key=("code",),
        rows=[
            {
                "code": row["kommunkod"],
                "name": row["kommun"],
                "county_id": county_ids[row["lanskod"]],
            }
            for row in municipality_rows
        ],
    )
    sni_count = _upsert(SniCode, key=("version", "code"), rows=_sni_rows())
    return ReferenceDataCounts(
        nuts_areas=nuts_count,
        counties=county_count,
        municipalities=municipality_count,
        sni_codes=sni_count,
    )


def _sni_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {
            "version": SniVersion.SNI2025,
            "code": row["section"],
            "label": row["label"],
            "level": SniLevel.SECTION,
            "section": row["section"],
            "division": "",
        }
        for row in read_data_csv(SNI2025_SECTIONS_FILE)
    ]
    rows += [
        {
            "version": SniVersion.SNI2025,
            "code": row["code"],
            "label": row["label"],
            "level": SniLevel.SUBCLASS,
            "section": row["section"],
            "division": row["division"],
        }
        for row in read_data_csv(SNI2025_CODES_FILE)
    ]
    rows += [
        {
            "version": SniVersion.SNI2007,
            "code": row["division"],
            "label": row["label"],
            "level": SniLevel.DIVISION,
            "section": row["section"],
            "division": row["division"],
        }
        for row in read_data_csv(SNI2007_DIVISIONS_FILE)
    ]
    return rows


def _upsert(
    model: type[models.Model], *, key: tuple[str, ...], rows: Iterable[Mapping[str, Any]]
) -> TableCount:
    """Creates the rows not yet in ``model`` (matched on ``key``) and updates those whose
    other values differ; unchanged rows are not written."""
    existing = {
        tuple(getattr(obj, name) for name in key): obj for obj in model._default_manager.all()
    }
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    changed_fields: set[str] = set()
    total = 0
    for row in rows:
        total += 1
        obj = existing.get(tuple(row[name] for name in key))
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = {name for name, value in row.items() if getattr(obj, name) != value}
        if changed:
            for name in changed:
                setattr(obj, name, row[name])
            to_update.append(obj)
            changed_fields |= changed
    model._default_manager.bulk_create(to_create, batch_size=500)
    if to_update:
        fields = sorted({model._meta.get_field(name).name for name in changed_fields})
        model._default_manager.bulk_update(to_update, fields, batch_size=500)
    return TableCount(total=total, created=len(to_create), updated=len(to_update))
