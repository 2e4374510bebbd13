"""The company importer's rows: a municipality code and name that disagree, every rejected
row reported with its row number, and all or nothing."""

from __future__ import annotations

import pytest
from django.utils import translation

from redthread.core.importing import guess_mapping, read_table
from redthread.registry import services
from redthread.registry.imports import (
    FIELDS,
    CompanyImportOptions,
    company_rows_check,
    company_rows_write,
)
from redthread.registry.models import Organisation, OrganisationKind


@pytest.fixture
def reference(db):
    services.reference_data_load()


def _check(text: str):
    table = read_table(text.encode(), "lista.csv")
    return company_rows_check(table, guess_mapping(table.headers, FIELDS), CompanyImportOptions())


def test_a_municipality_code_and_name_that_disagree_are_rejected_naming_both(reference):
    result = _check(
        "Orgnr;Namn;Kommunkod;Kommun\n"
        "5560360793;Rätt AB;0617;Gnosjö\n"
        "5567037485;Fel AB;0617;Stockholm\n"
        "5566547658;Kommunord AB;0180;Stockholms kommun\n"
        "5567812093;Stavfel AB;0617;Gnosjo\n"
    )
    assert [(v.row, v.status) for v in result.report.rows] == [
        (2, "ok"),
        (3, "error"),
        (4, "ok"),
        (5, "error"),
    ]
    reason = result.report.rows[1].reason
    assert "0617" in reason
    assert "Gnosjö" in reason
    assert "Stockholm" in reason
    assert "stämmer inte överens" in reason
    assert "Gnosjo" in result.report.rows[3].reason
    assert result.companies[2].municipality.code == "0617"
    assert result.companies[4].municipality.code == "0180"
    assert 3 not in result.companies  # never silently put in one of the two


def test_the_mismatch_message_in_english(reference):
    with translation.override("en"):
        result = _check("Orgnr;Namn;Kommunkod;Kommun\n5567037485;Fel AB;0617;Stockholm\n")
    reason = result.report.rows[0].reason
    assert "do not match" in reason
    assert "Gnosjö" in reason
    assert "Stockholm" in reason


def test_every_rejected_row_is_reported_with_its_row_number_and_nothing_is_written(reference):
    lines = ["Orgnr;Namn;Antal anställda"]
    bad = {5, 9, 14}
    numbers = ["5560360793", "5567037485", "5566547658", "5567812093", "5566778816"]
    good = iter(numbers)
    for row in range(2, 15):
        if row in bad:
            lines.append(f"12345;Fel {row} AB;-3")
        elif row % 4 == 0:
            lines.append(f"{next(good)};Bra {row} AB;{row}")
        else:
            lines.append(";;")  # blank: skipped, still counted in the row numbers
    result = _check("\n".join(lines) + "\n")
    rejected = [v.row for v in result.report.rows if v.status == "error"]
    assert rejected == sorted(bad)
    assert all(v.reason for v in result.report.rows if v.status == "error")
    assert company_rows_write(result, all_or_nothing=True) == 0
    assert not Organisation.objects.filter(kind=OrganisationKind.COMPANY).exists()
    assert company_rows_write(result, all_or_nothing=False) == len(result.companies) == 3
