"""The import case of ``redthread bench run``: generated company rows through the real
pipeline (the ``companies`` importer's check and write, as ``redthread import companies
FILE`` runs them) against a floor (the same rows read, each number checked, and one
``bulk_create``). Both run in a transaction that is rolled back, so the bench database
is the same after the run as before it."""

from __future__ import annotations

import csv
import io
import random
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from stdnum import luhn

from redthread.core.importing import parse_int, read_table, validate_mapping
from redthread.core.importing.importers import ImportRun, get_importer
from redthread.registry.identifiers import org_number_normalise
from redthread.registry.models import Municipality, Organisation, OrganisationKind

#: How many rows the case imports (issue 18).
IMPORT_ROWS = 20_000

HEADERS = [
    "Organisationsnummer",
    "Företagsnamn",
    "Kommunkod",
    "Postort",
    "Antal anställda",
    "Omsättning (kr)",
]


class _Rollback(Exception):
    pass


def company_file(n: int = IMPORT_ROWS, *, seed: int = 18) -> bytes:
    """A CSV file of ``n`` companies none of which is in the registry (numbers in a range
    the generator does not use: 5569…)."""
    rng = random.Random(seed)  # reproducible synthetic data  # nosec B311
    codes = list(Municipality.objects.values_list("code", "name"))
    taken = set(Organisation.objects.exclude(org_number="").values_list("org_number", flat=True))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    serial = 0
    for index in range(n):
        number = ""
        while not number or number in taken:
            body = f"5569{serial:05d}"
            serial += 1
            number = body + luhn.calc_check_digit(body)
        code, town = rng.choice(codes)
        headcount = rng.randint(1, 500)
        writer.writerow(
            [
                f"{number[:6]}-{number[6:]}",
                f"Importbolaget {index + 1} AB",
                code,
                town,
                str(headcount),
                str(headcount * 1_200_000),
            ]
        )
    return out.getvalue().encode()


def _timed(func: Callable[[], int]) -> tuple[float, int]:
    """Seconds and rows written by ``func``, everything it wrote rolled back."""
    written = 0
    start = time.perf_counter()
    try:
        with transaction.atomic():
            written = func()
            elapsed = time.perf_counter() - start
            raise _Rollback
    except _Rollback:
        pass
    return elapsed, written


def measure_import(n: int = IMPORT_ROWS, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Rows per second of the pipeline and of the floor, and their ratio."""
    data = company_file(n)
    importer = get_importer("companies")

    def pipeline() -> int:
        table = read_table(data, "companies.csv")
        fields = list(importer.fields())
        mapping = importer.guess(table.headers, fields)
        assert not validate_mapping(mapping, fields), mapping
        run = ImportRun(table=table, mapping=mapping, options={}, all_or_nothing=False)
        result = importer.check(run)
        assert not result.report.rejected, result.report.rows[:3]
        return int(importer.write(result, run)["created"])

    def floor() -> int:
        table = read_table(data, "companies.csv")
        municipalities = dict(Municipality.objects.values_list("code", "pk"))
        companies = []
        for row in table.rows:
            number, name, code, town, headcount, turnover = row.values
            digits = org_number_normalise(number)
            companies.append(
                Organisation(
                    kind=OrganisationKind.COMPANY,
                    name=name,
                    org_number=digits,
                    slug=f"floor-{digits}",
                    municipality_id=municipalities[code],
                    postal_town=town,
                    headcount=parse_int(headcount),
                    turnover_sek=parse_int(turnover),
                )
            )
        return len(Organisation.objects.bulk_create(companies))

    floor_s, floor_rows = _timed(floor)
    pipeline_s, pipeline_rows = _timed(pipeline)
    figures = {
        "rows": n,
        "pipeline_rows": pipeline_rows,
        "pipeline_s": round(pipeline_s, 2),
        "pipeline_rows_per_s": round(pipeline_rows / pipeline_s),
        "floor_rows": floor_rows,
        "floor_s": round(floor_s, 2),
        "floor_rows_per_s": round(floor_rows / floor_s),
        "ratio": round(pipeline_s / floor_s, 2),
    }
    log(f"  import: {figures}")
    return figures
