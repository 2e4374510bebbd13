"""Every funder output of small initiatives (1, 2, 4 and 6 companies) and of a larger one
holds no count of companies under the threshold and names no company: the dashboard page,
the report's data, its workbook (openpyxl) and its PDF (pdftotext)."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from redthread.engagements import services as engagement_services
from redthread.outcomes import disclosure, reports
from redthread.registry.models import Municipality, OrganisationKind

from ..factories import OrganisationFactory

FROM, TO = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
#: Different counties, regions and urban–rural types, so that every breakdown has small
#: groups to withhold.
MUNICIPALITIES = ["0180", "1280", "2281", "0617", "1283", "0380", "2480", "1480"]


def _initiative_of(world: Any, methodology: Any, size: int) -> tuple[Any, list[str]]:
    initiative = methodology["initiative"]
    initiative.size_classes = initiative.sectors = initiative.urban_rural_types = []
    initiative.save()
    names = []
    for index in range(size):
        company = OrganisationFactory.create(
            kind=OrganisationKind.COMPANY,
            name=f"Hemligt Företag {index} AB",
            responsible_partner=world.partner,
            municipality=Municipality.objects.get(code=MUNICIPALITIES[index % 8]),
            headcount=[3, 12, 60, 300][index % 4],
        )
        names.append(company.name)
        engagement, _eligibility = engagement_services.engagement_enrol(
            company=company,
            initiative=initiative,
            template=methodology["template"],
            partner=world.partner,
            start_date=datetime.date(2025, 2, 3),
            actor=world.users["program_manager"],
            lead_coach=world.users["coach"],
        )
        for status in ("approved", "active"):
            engagement_services.engagement_status_change(
                engagement=engagement, to_status=status, actor=None
            )
        engagement_services.session_log(
            engagement=engagement,
            actor=world.users["coach"],
            date=datetime.date(2025, 2, 10),
            duration_minutes=120,
            coaches=[world.users["coach"]],
            women=1,
            men=1,
        )
    return initiative, names


def _small(value: Any) -> bool:
    return isinstance(value, int | float) and 0 < value < disclosure.THRESHOLD


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(content)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "pdftotext is missing: run make system-deps (poppler-utils)"
    result = subprocess.run(  # noqa: S603 - our own file, a fixed program
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode()


@pytest.mark.parametrize("size", [1, 2, 4, 6, 12])
def test_no_funder_output_holds_a_small_count_or_a_company_name(size, world, methodology, tmp_path):
    initiative, names = _initiative_of(world, methodology, size)
    report = reports.report_build(initiative=initiative, date_from=FROM, date_to=TO)
    counts_of_companies = [
        figure for figure in [*report.figures, *report.eu_indicators] if figure.unit == "företag"
    ]
    assert not [f.label for f in counts_of_companies if _small(f.value)]
    if size < disclosure.THRESHOLD:
        # Nothing about the companies at all: every figure but the funding is withheld.
        assert all(f.value is None for f in report.figures[2:])
        assert all(not b.rows for b in report.breakdowns)
        assert not report.state_aid
    for breakdown in report.breakdowns:
        assert not [row for row in breakdown.rows if _small(row[1])], breakdown.key
        assert not _small(breakdown.total)
    for row in report.state_aid:
        assert row.company not in names
        assert not row.org_number

    workbook = load_workbook(io.BytesIO(reports.report_xlsx(report)))
    texts = []
    for sheet in workbook.worksheets:
        for cells in sheet.iter_rows(values_only=True):
            texts += [str(value) for value in cells if isinstance(value, str)]
            if sheet.title in {"Storleksklass", "SNI-avdelning", "Län", "NUTS2", "Stad–land"}:
                assert not _small(cells[1]), (sheet.title, cells)
    workbook_text = "\n".join(texts)
    pdf_text = _pdf_text(reports.report_pdf(report), tmp_path)
    response = world.client("funder_viewer").get(
        reverse("outcomes:dashboard"), {"initiative": initiative.pk}
    )
    page = response.content.decode()
    for chart in response.context["charts"]:
        assert not [row for row in chart["rows"] if _small(row[1])], chart["title"]
    for name in names:
        assert name not in workbook_text
        assert name not in pdf_text
        assert name not in page
    (panel,) = world.client("funder_viewer").get(reverse("core:dashboard")).context["panels"]
    assert not _small(panel["companies"])
    if size < disclosure.THRESHOLD:
        assert "Räckvidden redovisas inte" in page
        assert panel["companies"] is None
    assert "färre än 5" in pdf_text or size >= 12


def test_no_funder_output_of_the_demo_holds_a_small_count_or_a_company_name(db, tmp_path):
    """The demo's funder, on every initiative it funds: dashboard, report data, xlsx, PDF."""
    import os

    from django.core.management import call_command
    from django.test import Client

    from redthread.accounts.models import User
    from redthread.outcomes.selectors import initiatives_in_scope
    from redthread.registry.models import Organisation

    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    names = list(
        Organisation.objects.filter(kind=OrganisationKind.COMPANY).values_list("name", flat=True)
    )
    funder = User.objects.get(email="finansiar@demo.test")
    client = Client()
    client.force_login(funder)
    initiatives = list(initiatives_in_scope(user=funder))
    assert initiatives
    assert len(names) > 100  # the demo's companies, not an empty world
    reached = 0
    for initiative in initiatives:
        # Over the initiative's whole life: the demo's dates follow today's.
        report = reports.report_build(
            initiative=initiative, date_from=initiative.start, date_to=initiative.end
        )
        reached += report.reach.companies
        for breakdown in report.breakdowns:
            assert not [row for row in breakdown.rows if _small(row[1])], breakdown.key
        figures = [*report.figures, *report.eu_indicators]
        assert not [f.label for f in figures if f.unit == "företag" and _small(f.value)]
        workbook = load_workbook(io.BytesIO(reports.report_xlsx(report)))
        texts = []
        for sheet in workbook.worksheets:
            for cells in sheet.iter_rows(values_only=True):
                texts += [value for value in cells if isinstance(value, str)]
                if sheet.title in {"Storleksklass", "SNI-avdelning", "Län", "NUTS2", "Stad–land"}:
                    assert not _small(cells[1]), (sheet.title, cells)
        pdf_text = _pdf_text(reports.report_pdf(report), tmp_path)
        response = client.get(reverse("outcomes:dashboard"), {"initiative": initiative.pk})
        for chart in response.context["charts"]:
            assert not [row for row in chart["rows"] if _small(row[1])], chart["title"]
        page = response.content.decode()
        everything = "\n".join([*texts, pdf_text, page])
        assert not [name for name in names if name in everything]
    assert reached > 0
