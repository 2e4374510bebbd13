"""The import of KPI measurements, end to end: the files as offices keep them (one row per
value, or one column per KPI), every row's verdict, the CLI and the web flow."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from redthread.core.importing import read_table
from redthread.core.models import ImportJob, ImportMode, ImportStatus
from redthread.outcomes import imports
from redthread.outcomes.imports import (
    MeasurementImportResult,
    mapping_problems,
    measurement_fields,
    measurement_mapping_guess,
    measurement_rows_check,
    measurement_rows_write,
)
from redthread.outcomes.models import KpiDefinition, Measurement, MeasurementSource
from redthread.outcomes.services import kpis_load_shipped, measurement_set
from redthread.registry.models import Organisation, OrganisationKind
from tests.factories import OrganisationFactory

NBSP = "\u00a0"
#: The mapping form's answer for a file with the long layout's four columns in order.
LONG_MAPPING = {"col_0": "org_number", "col_1": "kpi", "col_2": "year", "col_3": "value"}
NEXT_YEAR = timezone.localdate().year + 1

#: One row per company, KPI and year, as Swedish Excel saves "CSV (semikolonavgränsad)":
#: Windows-1252, semicolons, decimal commas and non-breaking spaces between thousands.
MESSY = (
    "Organisationsnummer;Nyckeltal;År;Värde\r\n"
    f'556036-0793;Omsättning per anställd;2024;"1{NBSP}234{NBSP}567"\r\n'  # 2 ok
    "5560360794;Soliditet;2024;45,2\r\n"  # 3 check digit
    "556703-7485;Soliditet;2024;45,2\r\n"  # 4 valid number, not in the registry
    "5560360793;Glädje;2024;7\r\n"  # 5 unknown KPI
    "5560360793;Soliditet;1989;45,2\r\n"  # 6 year too early
    "5560360793;Soliditet;2024;mycket\r\n"  # 7 not a number
    ";;;\r\n"  # 8 empty
    "5560360793;turnover-per-employee;2024;1 300 000\r\n"  # 9 same as row 2
    f"556654-7658;Equity ratio;2025;12{NBSP}345,5\r\n"  # 10 ok, English name
    f"5560360793;Soliditet;{NEXT_YEAR + 1};45,2\r\n"  # 11 year too late
    "5560360793;profit-margin;2024;\r\n"  # 12 value missing
    "5566547658;Rörelsemarginal;2024;-3.5\r\n"  # 13 ok, English number
).encode("cp1252")

#: (row, status, a piece of the reason) for every row of MESSY.
EXPECTED = [
    (2, "ok", ""),
    (3, "error", "Kontrollsiffran"),
    (4, "error", "företaget finns inte i registret"),
    (5, "error", "Okänt nyckeltal"),
    (6, "error", "1990"),
    (7, "error", "inte ett tal"),
    (8, "skipped", "Tom rad"),
    (9, "duplicate", "rad 2"),
    (10, "ok", ""),
    (11, "error", "utanför"),
    (12, "error", "Värde saknas"),
    (13, "ok", ""),
]


@pytest.fixture
def kpis(db) -> dict[str, KpiDefinition]:
    kpis_load_shipped()
    return {kpi.code: kpi for kpi in KpiDefinition.objects.all()}


@pytest.fixture
def second(world) -> Organisation:
    return OrganisationFactory.create(
        kind=OrganisationKind.COMPANY,
        name="Andra Verkstaden AB",
        responsible_partner=world.partner,
        org_number="5566547658",
    )


def _check(data: bytes, filename: str = "nyckeltal.csv") -> MeasurementImportResult:
    table = read_table(data, filename)
    return measurement_rows_check(
        table, measurement_mapping_guess(table.headers, measurement_fields())
    )


def _values() -> dict[tuple[str, str, int], Decimal]:
    return {
        (m.company.org_number, m.kpi.code, m.year): m.value
        for m in Measurement.objects.select_related("company", "kpi")
    }


def _xlsx(rows: list[list[Any]], title: str = "Nyckeltal") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Rows ---------------------------------------------------------------------------------


def test_every_row_of_a_messy_csv_gets_its_verdict(world, kpis, second):
    table = read_table(MESSY, "nyckeltal.csv")
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    result = _check(MESSY)
    assert [(v.row, v.status) for v in result.report.rows] == [
        (row, status) for row, status, _reason in EXPECTED
    ]
    for verdict, (_row, _status, reason) in zip(result.report.rows, EXPECTED, strict=True):
        assert reason in verdict.reason, verdict
    # Every rejected row says why, and which company it was about when that is known.
    assert all(v.reason for v in result.report.rows if v.status != "ok")
    assert result.report.rows[2].key == "5567037485"
    assert result.report.rows[1].key == "5560360794"
    assert (result.report.accepted, result.report.rejected, result.report.duplicates) == (3, 7, 1)
    values = {
        (m.company.org_number, m.kpi.code, m.year): m.value
        for row in result.measurements.values()
        for m in row
    }
    assert values == {
        ("5560360793", "turnover-per-employee", 2024): Decimal("1234567"),
        ("5566547658", "equity-ratio", 2025): Decimal("12345.5"),
        ("5566547658", "profit-margin", 2024): Decimal("-3.5"),
    }
    assert not Measurement.objects.exists()  # a check writes nothing


def test_the_valid_rows_are_written_and_all_or_nothing_writes_none(world, kpis, second):
    result = _check(MESSY)
    written = measurement_rows_write(result, all_or_nothing=True, user=None)
    assert (written.created, written.updated) == (0, 0)
    assert not Measurement.objects.exists()
    user = world.users["program_manager"]
    written = measurement_rows_write(result, all_or_nothing=False, user=user)
    assert (written.created, written.updated) == (3, 0)
    assert _values() == {
        ("5560360793", "turnover-per-employee", 2024): Decimal("1234567"),
        ("5566547658", "equity-ratio", 2025): Decimal("12345.5"),
        ("5566547658", "profit-margin", 2024): Decimal("-3.5"),
    }
    stored = Measurement.objects.get(kpi__code="equity-ratio")
    assert stored.source == MeasurementSource.IMPORT
    assert stored.entered_by == user


def test_a_stored_value_is_replaced_and_the_row_says_so(world, kpis):
    coach = world.users["coach"]
    measurement_set(
        company=world.company,
        kpi=kpis["equity-ratio"],
        year=2024,
        value=Decimal("40"),
        entered_by=coach,
    )
    measurement_set(
        company=world.company,
        kpi=kpis["headcount"],
        year=2024,
        value=Decimal("12"),
        entered_by=coach,
    )
    data = (
        b"Orgnr;KPI;Year;Value\n5560360793;equity-ratio;2024;45,5\n5560360793;headcount;2024;12\n"
    )
    result = _check(data)
    first, second_row = result.report.rows
    assert first.status == "ok"
    assert "ersätter tidigare värde 40" in first.reason.lower()
    assert second_row.status == "ok"
    assert "samma värde finns redan" in second_row.reason.lower()
    assert (result.new, result.replaced, result.unchanged) == (0, 1, 1)
    written = measurement_rows_write(result, all_or_nothing=True, user=world.users["admin"])
    assert (written.created, written.updated, written.unchanged) == (0, 1, 1)
    replaced = Measurement.objects.get(kpi__code="equity-ratio")
    assert replaced.value == Decimal("45.5")
    assert replaced.source == MeasurementSource.IMPORT
    # The equal value is left as the coach entered it.
    kept = Measurement.objects.get(kpi__code="headcount")
    assert (kept.source, kept.entered_by) == (MeasurementSource.COACH, coach)
    assert Measurement.objects.count() == 2


def test_a_failure_half_way_leaves_nothing(world, kpis, second, monkeypatch):
    result = _check(MESSY)
    calls = []
    real = measurement_set

    def failing(**kwargs: Any) -> Any:
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(imports, "measurement_set", failing)
    with pytest.raises(RuntimeError):
        measurement_rows_write(result, all_or_nothing=False)
    assert len(calls) == 2
    assert not Measurement.objects.exists()


def test_wide_xlsx_with_one_column_per_kpi(world, kpis, second):
    data = _xlsx(
        [
            ["Org.nr", "År", "Omsättning per anställd", "Soliditet (%)", "headcount", "Kommentar"],
            [5560360793, 2024, 1234567.0, "45,2", 12, "bra år"],
            ["556654-7658", 2024, None, 0.5, None, ""],
            [5560360793, 2025, "1 300 000", "", "", ""],
            ["556654-7658", 2024, None, None, 30, ""],  # same company and year, another KPI
            [5566547658, 2023, None, None, None, "inga siffror än"],
            [5560360793, 2024.0, "x", "12", "13", ""],  # repeats row 2
        ]
    )
    table = read_table(data, "nyckeltal.xlsx")
    mapping = measurement_mapping_guess(table.headers, measurement_fields())
    assert mapping == {
        0: "org_number",
        1: "year",
        2: "kpi:turnover-per-employee",
        3: "kpi:equity-ratio",
        4: "kpi:headcount",
    }
    assert not mapping_problems(mapping, measurement_fields())
    result = measurement_rows_check(table, mapping)
    verdicts = [(v.row, v.status) for v in result.report.rows]
    assert verdicts == [
        (2, "ok"),
        (3, "ok"),
        (4, "ok"),
        (5, "ok"),
        (6, "skipped"),
        (7, "duplicate"),
    ]
    assert "Soliditet 2024 för företaget finns redan på rad 2" in result.report.rows[5].reason
    measurement_rows_write(result, all_or_nothing=True)
    assert _values() == {
        ("5560360793", "turnover-per-employee", 2024): Decimal("1234567"),
        ("5560360793", "equity-ratio", 2024): Decimal("45.2"),
        ("5560360793", "headcount", 2024): Decimal("12"),
        ("5566547658", "equity-ratio", 2024): Decimal("0.5"),
        ("5566547658", "headcount", 2024): Decimal("30"),
        ("5560360793", "turnover-per-employee", 2025): Decimal("1300000"),
    }


def test_a_bad_value_in_a_wide_row_names_its_kpi(world, kpis):
    data = _xlsx([["Orgnr", "Year", "Soliditet", "OEE"], ["5560360793", 2024, "hög", "85 %"]])
    result = _check(data, "n.xlsx")
    (verdict,) = result.report.rows
    assert verdict.status == "error"
    assert verdict.reason.startswith("Soliditet: ”hög” är inte ett tal")
    # "85 %" is fine in a KPI measured in per cent.
    assert "OEE" not in verdict.reason


def test_kpi_columns_are_guessed_before_the_value_column(kpis):
    headers = ["Organisation number", "Year", "Value added per employee (SEK)", "OEE", "Notes"]
    assert measurement_mapping_guess(headers, measurement_fields()) == {
        0: "org_number",
        1: "year",
        2: "kpi:value-added-per-employee",
        3: "kpi:oee",
    }
    headers = ["Org nr", "Mått", "Räkenskapsår", "Värde (kr)"]
    assert measurement_mapping_guess(headers, measurement_fields()) == {
        0: "org_number",
        1: "kpi",
        2: "year",
        3: "value",
    }


def test_mappings_that_are_neither_layout_are_refused(kpis):
    fields = measurement_fields()
    assert mapping_problems({0: "org_number", 1: "year", 2: "kpi"}, fields) == [
        "Fältet ”Värde” måste kopplas till en kolumn."
    ]
    mixed = {0: "org_number", 1: "year", 2: "kpi", 3: "value", 4: "kpi:headcount"}
    assert "inte båda" in mapping_problems(mixed, fields)[0]
    assert "Organisationsnummer" in mapping_problems({0: "kpi", 1: "value", 2: "year"}, fields)[0]


# --- The command --------------------------------------------------------------------------


def test_the_command_line_import_and_its_report(world, kpis, second, tmp_path):
    path = tmp_path / "nyckeltal.csv"
    path.write_bytes(MESSY)
    report_path = tmp_path / "report.json"
    with pytest.raises(SystemExit) as exit_code:
        call_command("import", "kpis", str(path), "--dry-run", "--report", str(report_path))
    assert exit_code.value.code == 1  # rows were rejected
    report = json.loads(report_path.read_text())
    assert set(report) == {"accepted", "rejected", "duplicates", "rows"}
    assert (report["accepted"], report["rejected"], report["duplicates"]) == (3, 7, 1)
    assert [(r["row"], r["status"]) for r in report["rows"]] == [
        (row, status) for row, status, _reason in EXPECTED
    ]
    assert report["rows"][1] == {
        "row": 3,
        "status": "error",
        "reason": (
            "Kontrollsiffran stämmer inte: 5560360794 är inte ett giltigt organisationsnummer."
        ),
        "orgnr": "5560360794",
    }
    assert not Measurement.objects.exists()
    with pytest.raises(SystemExit):
        call_command("import", "kpis", str(path), "--all-or-nothing")
    assert not Measurement.objects.exists()
    with pytest.raises(SystemExit):
        call_command("import", "kpis", str(path))
    assert Measurement.objects.count() == 3


def test_the_command_exits_zero_when_every_row_is_accepted(world, kpis, tmp_path, capsys):
    path = tmp_path / "nyckeltal.xlsx"
    # A first sheet of instructions, and the figures on the second.
    path.write_bytes(_xlsx([["Instruktion"], ["Fyll i bladet Värden"]], title="Läs mig"))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.create_sheet("Värden")
    sheet.append(["Organisation number", "Year", "Scrap rate", "Sick leave"])
    sheet.append(["5560360793", 2024, 1.5, "4,25"])
    workbook.save(path)
    report_path = tmp_path / "report.json"
    call_command("import", "kpis", str(path), "--sheet", "Värden", "--report", str(report_path))
    assert "accepted 1, rejected 0, duplicates 0, created 2" in capsys.readouterr().out
    assert json.loads(report_path.read_text())["rows"] == [
        {"row": 2, "status": "ok", "reason": "", "orgnr": "5560360793"}
    ]
    assert _values() == {
        ("5560360793", "scrap-rate", 2024): Decimal("1.5"),
        ("5560360793", "sick-leave", 2024): Decimal("4.25"),
    }


def test_the_command_refuses_a_file_without_the_columns_it_needs(kpis, tmp_path):
    path = tmp_path / "fel.csv"
    path.write_text("Orgnr;År;Kommentar\n5560360793;2024;hej\n")
    with pytest.raises(CommandError, match="Kommentar"):
        call_command("import", "kpis", str(path))


# --- The web flow -------------------------------------------------------------------------


def test_web_import_from_upload_to_stored_values(
    world, kpis, second, django_capture_on_commit_callbacks
):
    measurement_set(company=world.company, kpi=kpis["equity-ratio"], year=2024, value=Decimal(40))
    data = (
        "Orgnr;Nyckeltal;År;Värde;Anteckning\n"
        "556036-0793;Soliditet;2024;45,5;\n"
        "5566547658;Antal anställda;2025;31;ny\n"
        "5560360794;Soliditet;2024;45,5;\n"
    ).encode()
    client = world.client("program_manager")
    start = reverse("outcomes:measurement_import_start")
    assert client.get(start).status_code == 200
    response = client.post(
        start, {"file": SimpleUploadedFile("nyckeltal.csv", data), "mode": "valid_rows"}
    )
    job = ImportJob.objects.get()
    assert job.kind == "kpis"
    url = reverse("outcomes:measurement_import_detail", kwargs={"pk": job.pk})
    assert response["Location"] == url
    form = client.get(url).context["mapping_form"]
    mapping = {name: field.initial or "" for name, field in form.fields.items()}
    assert mapping == {
        "col_0": "org_number",
        "col_1": "kpi",
        "col_2": "year",
        "col_3": "value",
        "col_4": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "map", **mapping})
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert [r["status"] for r in job.report["rows"]] == ["ok", "ok", "error"]
    assert Measurement.objects.get(kpi__code="equity-ratio").value == Decimal(40)  # a dry run
    page = client.get(url).content.decode()
    assert "Kontrollsiffran" in page
    assert "ersätter tidigare värde 40" in page.lower()
    assert "1 nytt värde sparas, 1 tidigare värde ersätts." in page
    export = client.get(url, {"format": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "confirm"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.report["created"], job.report["updated"]) == (1, 1)
    assert _values() == {
        ("5560360793", "equity-ratio", 2024): Decimal("45.5"),
        ("5566547658", "headcount", 2025): Decimal(31),
    }
    assert (
        Measurement.objects.get(kpi__code="headcount").entered_by == world.users["program_manager"]
    )
    # The job is listed on the start page.
    assert "nyckeltal.csv" in client.get(start).content.decode()


def test_web_all_or_nothing_writes_nothing_when_a_row_is_bad(
    world, kpis, django_capture_on_commit_callbacks
):
    data = b"Orgnr;KPI;Year;Value\n5560360793;headcount;2024;12\n5560360793;headcount;2023;tolv\n"
    client = world.client("program_manager")
    client.post(
        reverse("outcomes:measurement_import_start"),
        {"file": SimpleUploadedFile("n.csv", data), "mode": ImportMode.ALL_OR_NOTHING},
    )
    job = ImportJob.objects.get()
    url = reverse("outcomes:measurement_import_detail", kwargs={"pk": job.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "map", **LONG_MAPPING})
    page = client.get(url).content.decode()
    assert "Inget importeras" in page
    assert "tolv" in page
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    # Confirming anyway (an old page, a second tab) writes nothing either.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "confirm"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.report["created"] == 0
    assert not Measurement.objects.exists()


def test_web_mapping_must_be_one_of_the_layouts(world, kpis):
    data = b"Orgnr;KPI;Year;Value\n5560360793;headcount;2024;12\n"
    client = world.client("program_manager")
    client.post(
        reverse("outcomes:measurement_import_start"),
        {"file": SimpleUploadedFile("n.csv", data), "mode": ImportMode.VALID_ROWS},
    )
    job = ImportJob.objects.get()
    url = reverse("outcomes:measurement_import_detail", kwargs={"pk": job.pk})
    response = client.post(
        url, {"action": "map", "col_0": "org_number", "col_1": "kpi", "col_2": "year"}
    )
    assert response.status_code == 200
    assert "Fältet ”Värde” måste kopplas till en kolumn." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED


def test_web_another_sheet_is_mapped_before_it_is_checked(
    world, kpis, django_capture_on_commit_callbacks
):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Läs mig"
    workbook.active.append(["Fyll i bladet Värden"])
    sheet = workbook.create_sheet("Värden")
    sheet.append(["Orgnr", "År", "Kassation"])
    sheet.append(["5560360793", 2024, "2,5"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = world.client("program_manager")
    client.post(
        reverse("outcomes:measurement_import_start"),
        {"file": SimpleUploadedFile("n.xlsx", buffer.getvalue()), "mode": "valid_rows"},
    )
    job = ImportJob.objects.get()
    assert (job.sheet, job.headers) == ("Läs mig", ["Fyll i bladet Värden"])
    url = reverse("outcomes:measurement_import_detail", kwargs={"pk": job.pk})
    # The first sheet has no usable columns: the user picks the other sheet. Its columns
    # are read and guessed, and nothing is checked until the user has seen them.
    client.post(url, {"action": "map", "sheet": "Värden", "col_0": ""})
    job.refresh_from_db()
    assert (job.sheet, job.status) == ("Värden", ImportStatus.UPLOADED)
    assert job.headers == ["Orgnr", "År", "Kassation"]
    form = client.get(url).context["mapping_form"]
    answer = {name: field.initial or "" for name, field in form.fields.items()}
    assert answer == {
        "sheet": "Värden",
        "col_0": "org_number",
        "col_1": "year",
        "col_2": "kpi:scrap-rate",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "map", **answer})
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert job.report["accepted"] == 1


def test_web_a_file_that_cannot_be_read_creates_no_job(world, kpis):
    response = world.client("program_manager").post(
        reverse("outcomes:measurement_import_start"),
        {"file": SimpleUploadedFile("trasig.xlsx", b"PK\x03\x04garbage"), "mode": "valid_rows"},
    )
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("who", ["coach", "partner_manager", "company_user", "funder_viewer"])
def test_only_the_program_office_imports_measurements(world, kpis, who):
    job = ImportJob.objects.create(
        kind="kpis",
        created_by=world.users["program_manager"],
        filename="n.csv",
        content=b"Orgnr;KPI;Year;Value\n",
    )
    client = world.client(who)
    start = reverse("outcomes:measurement_import_start")
    detail = reverse("outcomes:measurement_import_detail", kwargs={"pk": job.pk})
    assert client.get(start).status_code == 403
    assert client.get(detail).status_code == 403
    assert (
        client.post(start, {"file": SimpleUploadedFile("n.csv", b"x;y\n1;2\n")}).status_code == 403
    )
    assert client.post(detail, {"action": "confirm"}).status_code == 403
    assert ImportJob.objects.get().status == ImportStatus.UPLOADED


def test_a_company_import_job_is_not_a_measurement_import(world, kpis):
    job = ImportJob.objects.create(
        kind="companies",
        created_by=world.users["program_manager"],
        filename="f.csv",
        content=b"Orgnr;Namn\n",
    )
    client = world.client("program_manager")
    url = reverse("outcomes:measurement_import_detail", kwargs={"pk": job.pk})
    assert client.get(url).status_code == 404
