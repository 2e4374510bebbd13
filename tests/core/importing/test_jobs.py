"""An import job's life is the same for every kind: another sheet is guessed afresh and the
user told so; a re-run starts clean, without the last run's error."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from redthread.core.importing import jobs
from redthread.core.importing.importers import get_importer
from redthread.core.models import ImportJob, ImportMode, ImportStatus
from redthread.outcomes.services import kpis_load_shipped
from redthread.registry import services

#: Per kind: the upload page, the job page, the extra upload fields, and the second
#: sheet's rows with the mapping the pipeline must guess for it.
KINDS: dict[str, tuple[str, str, dict[str, str], list[list[object]], dict[str, str]]] = {
    "companies": (
        "registry:import_start",
        "registry:import_detail",
        {"sni_version": "2007"},
        [["Organisationsnummer", "Företagsnamn", "Kommunkod"], ["5567037485", "Nytt AB", "0617"]],
        {"sheet": "Data", "col_0": "org_number", "col_1": "name", "col_2": "municipality_code"},
    ),
    "kpis": (
        "outcomes:measurement_import_start",
        "outcomes:measurement_import_detail",
        {},
        [["Orgnr", "År", "Kassation"], ["5560360793", 2024, "2,5"]],
        {"sheet": "Data", "col_0": "org_number", "col_1": "year", "col_2": "kpi:scrap-rate"},
    ),
}


@pytest.fixture
def reference(world):
    services.reference_data_load()
    kpis_load_shipped()
    return world


def _workbook(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Läs mig"
    workbook.active.append(["Instruktion", "Fyll i bladet Data"])
    sheet = workbook.create_sheet("Data")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, kind: str, content: bytes, filename: str = "fil.xlsx") -> ImportJob:
    start, _detail, extra, _rows, _mapping = KINDS[kind]
    response = client.post(
        reverse(start),
        {"file": SimpleUploadedFile(filename, content), "mode": "valid_rows", **extra},
    )
    assert response.status_code == 302, response.content.decode()
    return ImportJob.objects.get(kind=kind)


@pytest.mark.parametrize("kind", KINDS)
def test_another_sheet_is_guessed_afresh_and_the_user_is_told(
    reference, kind, django_capture_on_commit_callbacks
):
    _start, detail, _extra, rows, expected = KINDS[kind]
    client = reference.client("program_manager")
    job = _upload(client, kind, _workbook(rows))
    assert job.sheet == "Läs mig"
    # The first sheet's columns mapped to something, then the user picks the other sheet:
    # the old mapping is not kept for columns it was not made for.
    url = reverse(detail, kwargs={"pk": job.pk})
    response = client.post(
        url, {"action": "map", "sheet": "Data", "col_0": "org_number"}, follow=True
    )
    job.refresh_from_db()
    assert (job.sheet, job.status) == ("Data", ImportStatus.UPLOADED)
    assert job.headers == [str(cell) for cell in rows[0]]
    assert "Kolumnerna är gissade på nytt" in response.content.decode()
    form = client.get(url).context["mapping_form"]
    assert {name: field.initial or "" for name, field in form.fields.items()} == expected
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "map", **expected})
    job.refresh_from_db()
    assert (job.status, job.report["accepted"]) == (ImportStatus.CHECKED, 1)


@pytest.mark.parametrize("kind", KINDS)
def test_a_rerun_clears_the_last_error(reference, kind, django_capture_on_commit_callbacks):
    _start, detail, _extra, rows, mapping = KINDS[kind]
    client = reference.client("program_manager")
    job = _upload(client, kind, _workbook(rows))
    # The last run failed (say the worker died); the user maps and checks again.
    job.sheet = "Data"
    job.headers = [str(cell) for cell in rows[0]]
    job.status, job.error = ImportStatus.FAILED, "Importen avbröts av ett oväntat fel."
    job.save()
    url = reverse(detail, kwargs={"pk": job.pk})
    assert "Importen avbröts" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "map", **mapping})
    job.refresh_from_db()
    assert (job.status, job.error) == (ImportStatus.CHECKED, "")
    assert "Importen avbröts" not in client.get(url).content.decode()
    # A run that fails leaves its error; the next one that succeeds clears it.
    job.content = b"not a workbook"
    job.save()
    jobs.import_job_run(job, write=False)
    assert job.status == ImportStatus.FAILED
    assert job.error
    job.content = _workbook(rows)
    job.save()
    jobs.import_job_run(job, write=True)
    job.refresh_from_db()
    assert (job.status, job.error) == (ImportStatus.DONE, "")
    assert job.report["created"] == 1


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_sees_only_its_own_jobs(reference, kind):
    other = ImportJob.objects.create(
        kind="kpis" if kind == "companies" else "companies",
        created_by=reference.users["program_manager"],
        filename="f.csv",
        content=b"Orgnr;Namn\n",
        mode=ImportMode.VALID_ROWS,
    )
    importer = get_importer(kind)
    assert not jobs.import_job_list(importer=importer, user=other.created_by).exists()
    client = reference.client("program_manager")
    assert client.get(reverse(KINDS[kind][1], kwargs={"pk": other.pk})).status_code == 404
