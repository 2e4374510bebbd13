"""The company import, end to end: the file as offices keep it, every row's verdict, the CLI
and the web flow. The same tests run on SQLite and PostgreSQL (make test-pg)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from redthread.core.importing import guess_mapping, read_table
from redthread.core.models import ImportJob, ImportStatus
from redthread.registry import services
from redthread.registry.imports import (
    FIELDS,
    CompanyImportOptions,
    company_rows_check,
    company_rows_write,
)
from redthread.registry.models import Organisation, OrganisationKind

MESSY = Path(__file__).parent / "files" / "messy_companies.csv"

#: Every row of the messy file: (row, status, a piece of the reason).
EXPECTED = [
    (2, "ok", ""),
    (3, "ok", ""),
    (4, "duplicate", "rad 2"),
    (5, "error", "saknas"),
    (6, "error", "Kontrollsiffran"),
    (7, "error", "personnummer"),
    (8, "skipped", ""),
    (9, "ok", ""),
    (10, "error", "Okänd kommunkod"),
    (11, "error", "negativt"),
    (12, "error", "Omsättning"),
    (13, "ok", ""),
]


@pytest.fixture
def reference(db):
    services.reference_data_load()


def _check(data: bytes, filename: str = "lista.csv", **options):
    table = read_table(data, filename)
    return company_rows_check(
        table, guess_mapping(table.headers, FIELDS), CompanyImportOptions(**options)
    )


def test_every_row_of_a_messy_file_gets_its_verdict(reference):
    result = _check(MESSY.read_bytes())
    verdicts = [(v.row, v.status) for v in result.report.rows]
    assert verdicts == [(row, status) for row, status, _ in EXPECTED]
    for verdict, (_row, _status, reason) in zip(result.report.rows, EXPECTED, strict=True):
        assert reason in verdict.reason
    companies = result.companies
    assert companies[2].turnover_sek == 12_345_678
    assert companies[2].website == "https://gnosjoplat.example"
    assert companies[3].headcount == 245
    assert companies[9].municipality.code == "0180"
    assert companies[13].sni_note  # 99 is not a manufacturing division: flagged, not rejected
    assert Organisation.objects.filter(kind=OrganisationKind.COMPANY).count() == 0


def test_existing_companies_are_duplicates_never_second_companies(reference):
    services.company_create(name="Redan här AB", org_number="5560360793")
    result = _check(MESSY.read_bytes())
    assert result.report.rows[0].status == "duplicate"
    assert "Redan här AB" in result.report.rows[0].reason
    company_rows_write(result, all_or_nothing=False)
    assert Organisation.objects.filter(org_number="5560360793").count() == 1


def test_all_or_nothing_writes_nothing_when_a_row_fails(reference):
    result = _check(MESSY.read_bytes())
    assert company_rows_write(result, all_or_nothing=True) == 0
    assert not Organisation.objects.filter(kind=OrganisationKind.COMPANY).exists()
    assert company_rows_write(result, all_or_nothing=False) == 4
    assert Organisation.objects.filter(kind=OrganisationKind.COMPANY).count() == 4


def test_a_failure_half_way_leaves_nothing_partial(reference):
    result = _check(MESSY.read_bytes())
    # Someone registers one of the file's companies between the check and the write:
    # the database refuses the duplicate and the whole write is rolled back.
    services.company_create(name="Hann före AB", org_number="5566547658")
    with pytest.raises(IntegrityError):
        company_rows_write(result, all_or_nothing=False)
    assert list(
        Organisation.objects.filter(kind=OrganisationKind.COMPANY).values_list("name", flat=True)
    ) == ["Hann före AB"]


def test_xlsx_with_a_chosen_sheet_and_excel_numbers(reference, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Instruktioner"
    workbook.active.append(["Läs mig"])
    sheet = workbook.create_sheet("Företag")
    sheet.append(["Organisationsnummer", "Namn", "Kommun", "Anställda", "Omsättning"])
    sheet.append([5560360793, "Excelbolaget AB", "Gnosjö", 12, 12500000.0])
    sheet.append(["556703-7485", "", "Stockholm", "1 200", None])
    # A name that looks like a formula, stored as text: kept as text, neutralised on export.
    sheet["B3"].value, sheet["B3"].data_type = "=1+1 AB", "s"
    path = tmp_path / "lista.xlsx"
    workbook.save(path)
    table = read_table(path.read_bytes(), "lista.xlsx", sheet="Företag")
    result = company_rows_check(table, guess_mapping(table.headers, FIELDS), CompanyImportOptions())
    assert [v.status for v in result.report.rows] == ["ok", "ok"]
    assert result.companies[2].turnover_sek == 12_500_000
    municipality = result.companies[2].municipality
    assert municipality is not None
    assert municipality.name == "Gnosjö"
    assert result.companies[3].headcount == 1200
    assert result.companies[3].name == "=1+1 AB"


def test_the_command_line_import_and_its_report(reference, tmp_path):
    report_path = tmp_path / "report.json"
    with pytest.raises(SystemExit) as exit_code:
        call_command("import", "companies", str(MESSY), "--dry-run", "--report", str(report_path))
    assert exit_code.value.code == 1  # rows were rejected
    report = json.loads(report_path.read_text())
    assert report["accepted"] == 4
    assert report["rejected"] == 6
    assert report["duplicates"] == 1
    assert report["rows"][3] == {
        "row": 5,
        "status": "error",
        "reason": "Organisationsnummer saknas.",
        "orgnr": "",
    }
    assert not Organisation.objects.filter(kind=OrganisationKind.COMPANY).exists()
    with pytest.raises(SystemExit):
        call_command("import", "companies", str(MESSY), "--all-or-nothing")
    assert not Organisation.objects.filter(kind=OrganisationKind.COMPANY).exists()
    with pytest.raises(SystemExit):
        call_command("import", "companies", str(MESSY))
    assert Organisation.objects.filter(kind=OrganisationKind.COMPANY).count() == 4


def test_the_redthread_command_exits_non_zero_on_rejected_rows(tmp_path):
    # A real process with its own database file: what an operator runs.
    env = {"REDTHREAD_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    redthread = str(Path(sys.executable).parent / "redthread")
    subprocess.run([redthread, "migrate", "-v", "0"], env=env, check=True, timeout=300)  # noqa: S603
    subprocess.run(  # noqa: S603
        [redthread, "load_reference_data"], env=env, check=True, timeout=300, capture_output=True
    )
    result = subprocess.run(  # noqa: S603
        [redthread, "import", "companies", str(MESSY), "--dry-run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1
    assert "accepted 4, rejected 6, duplicates 1" in result.stdout


def test_web_import_with_a_corrected_mapping(world, reference, django_capture_on_commit_callbacks):
    Organisation.objects.filter(pk=world.company.pk).update(org_number="5567812093")
    client = world.client("program_manager")
    upload = SimpleUploadedFile("lista.csv", MESSY.read_bytes())
    response = client.post(
        reverse("registry:import_start"),
        {"file": upload, "mode": "valid_rows", "sni_version": "2007"},
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("registry:import_detail", kwargs={"pk": job.pk})
    url = response["Location"]
    form = client.get(url).context["mapping_form"]
    mapping = {name: field.initial or "" for name, field in form.fields.items()}
    assert mapping["col_0"] == "org_number"
    # The user says the website column is not to be used, and maps it to nothing.
    mapping["col_6"] = ""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "map", **mapping})
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert job.report["accepted"] == 4
    assert Organisation.objects.filter(kind=OrganisationKind.COMPANY).count() == 2  # the world's
    page = client.get(url).content.decode()
    assert "Kontrollsiffran" in page
    assert "4 företag kommer att skapas" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "confirm"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.report["created"] == 4
    company = Organisation.objects.get(org_number="5560360793")
    assert company.website == ""  # the ignored column was not read
    assert company.responsible_partner is None


def test_a_mapping_without_the_organisation_number_is_refused(world, reference):
    client = world.client("program_manager")
    client.post(
        reverse("registry:import_start"),
        {
            "file": SimpleUploadedFile("l.csv", MESSY.read_bytes()),
            "mode": "valid_rows",
            "sni_version": "2007",
        },
    )
    job = ImportJob.objects.get()
    url = reverse("registry:import_detail", kwargs={"pk": job.pk})
    response = client.post(url, {"action": "map", "col_0": "", "col_1": "name"})
    assert response.status_code == 200
    assert "Organisationsnummer" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "tom.csv", "tom"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "rapport.pdf", ""),
        (b"PK\x03\x04garbage-not-a-real-zip", "trasig.xlsx", ""),
    ],
)
def test_bad_files_get_a_clear_message_and_create_nothing(
    world, reference, content, filename, message
):
    client = world.client("program_manager")
    response = client.post(
        reverse("registry:import_start"),
        {
            "file": SimpleUploadedFile(filename, content),
            "mode": "valid_rows",
            "sni_version": "2007",
        },
    )
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert message in response.content.decode().lower()
    assert not ImportJob.objects.exists()


def test_partner_manager_imports_into_own_partner_only(
    world, reference, django_capture_on_commit_callbacks
):
    csv = b"Orgnr,Namn,Partner\n556703-7485,Eget AB,\n556654-7658,Annans AB,IUC Annan\n"
    client = world.client("partner_manager")
    client.post(
        reverse("registry:import_start"),
        {"file": SimpleUploadedFile("l.csv", csv), "mode": "valid_rows", "sni_version": "2007"},
    )
    job = ImportJob.objects.get()
    url = reverse("registry:import_detail", kwargs={"pk": job.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {"action": "map", "col_0": "org_number", "col_1": "name", "col_2": "partner"}
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "confirm"})
    job.refresh_from_db()
    assert [r["status"] for r in job.report["rows"]] == ["ok", "error"]
    assert Organisation.objects.get(org_number="5567037485").responsible_partner == world.partner
    # Another partner's staff cannot open this job.
    assert world.client("other_partner_manager").get(url).status_code == 404


def test_an_import_never_names_a_company_the_importer_may_not_see(
    world, reference, django_capture_on_commit_callbacks
):
    """Another partner's company is "already registered" and nothing else; one's own company
    is named."""
    Organisation.objects.filter(pk=world.other_company.pk).update(org_number="5566547658")
    csv = b"Orgnr,Namn\n556654-7658,Vem AB\n556036-0793,Testverkstaden AB\n"
    client = world.client("partner_manager")
    client.post(
        reverse("registry:import_start"),
        {"file": SimpleUploadedFile("l.csv", csv), "mode": "valid_rows", "sni_version": "2007"},
    )
    job = ImportJob.objects.get()
    url = reverse("registry:import_detail", kwargs={"pk": job.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "map", "col_0": "org_number", "col_1": "name"})
    job.refresh_from_db()
    reasons = [(r["status"], r["reason"]) for r in job.report["rows"]]
    assert reasons == [
        ("duplicate", "Organisationsnumret är redan registrerat."),
        ("duplicate", "Finns redan i registret: Testverkstaden AB."),
    ]
    page = client.get(url).content.decode()
    assert "redan registrerat" in page
    assert "Annan Industri" not in page
    assert "Annan Industri" not in json.dumps(job.report)


def test_the_company_form_never_names_a_company_the_user_may_not_see(world, reference):
    Organisation.objects.filter(pk=world.other_company.pk).update(org_number="5566547658")
    response = world.client("partner_manager").post(
        reverse("registry:company_create"),
        {"name": "Ny AB", "org_number": "556654-7658", "responsible_partner": world.partner.pk},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Det finns redan en organisation med organisationsnumret 556654-7658." in body
    assert "Annan Industri" not in body
