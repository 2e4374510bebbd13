"""The funder report: what it counts, that its files open and hold numbers as numbers,
that it names no person, that small effects are suppressed, the command and the task."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from stdnum import luhn

from redthread.accounts.models import Role, User
from redthread.assessments import services as assessment_services
from redthread.assessments.models import AssessmentRound, InstrumentVersion
from redthread.engagements import services as engagement_services
from redthread.engagements.models import Engagement, ExchangeRate, PlanAssessment
from redthread.methodology.models import Initiative
from redthread.outcomes import funder_outputs, reports
from redthread.outcomes.models import KpiDefinition, ReportJob, ReportStatus
from redthread.outcomes.services import kpis_load_shipped, measurement_set, report_job_start
from redthread.registry import services as registry_services
from redthread.registry.models import (
    Municipality,
    MunicipalityType,
    Organisation,
    Person,
    UrbanRuralClassification,
)
from tests.factories import UserFactory

FROM = datetime.date(2025, 1, 1)
TO = datetime.date(2025, 12, 31)
SHEETS = [
    "Sammanfattning",
    "Storleksklass",
    "SNI-avdelning",
    "Län",
    "NUTS2",
    "Stad–land",
    "Statsstöd",
    "Effekter",
    "Mognad",
]
#: Municipality, its urban–rural type, headcount before and after, turnover per employee
#: before and after (thousand kronor), profit margin before and after (or None).
COMPANIES = [
    ("0617", "landsbygd_nara", 12, 14, 1500, 1650, 4.0, 6.0),  # the world's company
    ("1280", "storstad", 30, 31, 1800, 1850, 5.0, 5.5),
    ("1480", "storstad", 8, 8, 1200, 1300, 3.0, 2.0),
    ("0180", "storstad", 45, 47, 2100, 2200, None, None),
    ("2480", "tata_nara", 20, 22, 1600, 1600, None, None),
    ("1880", "tata_nara", 5, 6, 900, 1000, None, None),
    ("0680", "landsbygd_avlagset", 15, None, 1400, 1550, None, None),
]


def _org_number(seed: int) -> str:
    base = f"55670{seed:04d}"
    return base + luhn.calc_check_digit(base)


@dataclass
class ReportWorld:
    initiative: Initiative
    companies: list[Organisation]
    engagements: list[Engagement]
    coach: User
    co_coach: User


def _activate(engagement: Engagement, actor: Any) -> None:
    for status in ("approved", "active"):
        engagement_services.engagement_status_change(
            engagement=engagement, to_status=status, actor=actor
        )


@pytest.fixture
def report_world(world, methodology) -> ReportWorld:
    initiative = methodology["initiative"]
    initiative.urban_rural_types = []
    initiative.coach_hour_rate_sek = 1000
    initiative.save()
    ExchangeRate.objects.create(year=2025, sek_per_eur=Decimal("11.5"))
    classification = UrbanRuralClassification.objects.create(
        version="test", source="Testdata", is_official=False
    )
    kpis_load_shipped()
    kpi = {k.code: k for k in KpiDefinition.objects.all()}
    manager = world.users["partner_manager"]
    coach = world.users["coach"]
    coach.full_name = "Birgitta Coachsson"
    coach.save()
    co_coach = UserFactory.create(
        role=Role.COACH,
        organisations=[world.partner],
        full_name="Gunnar Medcoachsson",
        email="gunnar.medcoach@iuc.example",
    )
    companies, engagements = [], []
    for index, (code, kind, hc0, hc1, tp0, tp1, pm0, pm1) in enumerate(COMPANIES):
        municipality = Municipality.objects.get(code=code)
        MunicipalityType.objects.get_or_create(
            classification=classification, municipality=municipality, defaults={"type": kind}
        )
        facts = {
            "municipality": municipality,
            "headcount": hc0,
            "sni_code": "25620" if index % 2 == 0 else "28410",
            "sni_version": "2007",
            "responsible_partner": world.partner,
        }
        if index == 0:
            company = registry_services.company_update(company=world.company, **facts)
        else:
            company = registry_services.company_create(
                name=f"Verkstad {index} AB", org_number=_org_number(index), **facts
            )
        companies.append(company)
        registry_services.person_create(
            organisation=company,
            first_name=f"Kontakt{index}",
            last_name=f"Personsson{index}",
            email=f"kontakt{index}@foretag{index}.example",
            phone=f"070-555 {index:02d} {index:02d}",
        )
        for year, value in ((2024, hc0), (2025, hc1)):
            if value is not None and index != 6:
                measurement_set(
                    company=company, kpi=kpi["headcount"], year=year, value=Decimal(value)
                )
        for year, value in ((2024, tp0), (2025, tp1)):
            measurement_set(
                company=company,
                kpi=kpi["turnover-per-employee"],
                year=year,
                value=Decimal(value * 1000),
            )
        for year, margin in ((2024, pm0), (2025, pm1)):
            if margin is not None:
                measurement_set(
                    company=company, kpi=kpi["profit-margin"], year=year, value=Decimal(margin)
                )
        start = datetime.date(2025, 2 + index, 3)
        engagement, _eligibility = engagement_services.engagement_enrol(
            company=company,
            initiative=initiative,
            template=methodology["template"],
            partner=world.partner,
            start_date=start,
            actor=manager,
            lead_coach=coach,
            coaches=[co_coach],
        )
        _activate(engagement, manager)
        engagement_services.session_log(
            engagement=engagement,
            actor=coach,
            date=start + datetime.timedelta(days=7),
            duration_minutes=120,
            coaches=[coach, co_coach],
            women=2,
            men=3,
            other=index % 2,
            company_hours=Decimal(6),
            notes=f"Träffade Kontakt{index} Personsson{index} och coachen Birgitta Coachsson.",
        )
        if index in (0, 1, 2):
            engagement_services.engagement_status_change(
                engagement=engagement, to_status="completed", actor=manager
            )
        if index == 3:
            engagement_services.engagement_status_change(
                engagement=engagement, to_status="withdrawn", actor=manager
            )
        engagements.append(engagement)

    # The world's company comes back for a second engagement: still one company.
    second, _eligibility = engagement_services.engagement_enrol(
        company=world.company,
        initiative=initiative,
        template=methodology["template"],
        partner=world.partner,
        start_date=datetime.date(2025, 9, 1),
        actor=manager,
        lead_coach=coach,
    )
    _activate(second, manager)
    for date, minutes in ((datetime.date(2025, 9, 15), 60), (datetime.date(2026, 1, 20), 90)):
        engagement_services.session_log(
            engagement=second, actor=coach, date=date, duration_minutes=minutes, coaches=[coach]
        )
    engagements.append(second)

    # Not in the report: one that starts after the period (it stands in the comparison
    # group) and one that never started.
    later = registry_services.company_create(
        name="Senare AB",
        org_number=_org_number(50),
        municipality=Municipality.objects.get(code="2281"),
        headcount=10,
        sni_code="25620",
        sni_version="2007",
    )
    for year, value in ((2024, 1000), (2025, 1100)):
        measurement_set(
            company=later, kpi=kpi["turnover-per-employee"], year=year, value=Decimal(value * 1000)
        )
    _activate(
        engagement_services.engagement_enrol(
            company=later,
            initiative=initiative,
            template=methodology["template"],
            partner=world.partner,
            start_date=datetime.date(2026, 6, 1),
            actor=manager,
        )[0],
        manager,
    )
    waiting = registry_services.company_create(
        name="Ansökt AB",
        org_number=_org_number(51),
        municipality=Municipality.objects.get(code="1283"),
        headcount=10,
        sni_code="25620",
        sni_version="2007",
    )
    engagement_services.engagement_enrol(
        company=waiting,
        initiative=initiative,
        template=methodology["template"],
        partner=world.partner,
        start_date=datetime.date(2025, 5, 5),
        actor=manager,
    )

    # Maturity T0 and T1 for two companies only: too few to show.
    assessment_services.instruments_load_shipped()
    lean = InstrumentVersion.objects.get(code="lean")
    for engagement, (before, after) in zip(
        engagements[:2], ((40.0, 55.0), (50.0, 58.0)), strict=False
    ):
        t0 = engagement.plan_assessments.get(timepoint="T0")
        t1 = PlanAssessment.objects.create(
            engagement=engagement,
            timepoint="T1",
            instrument="lean",
            planned_date=engagement.start_date + datetime.timedelta(weeks=16),
        )
        for point, overall in ((t0, before), (t1, after)):
            round_ = assessment_services.round_create(
                company=engagement.company,
                instrument=lean,
                timepoint=point.timepoint,
                date=point.planned_date,
                coaches=[coach],
            )
            AssessmentRound.objects.filter(pk=round_.pk).update(overall=overall)
            point.round = round_
            point.save()
    return ReportWorld(initiative, companies, engagements, coach, co_coach)


def _build(report_world: ReportWorld) -> reports.FunderReport:
    return reports.report_build(initiative=report_world.initiative, date_from=FROM, date_to=TO)


def _workbook(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    """The table's rows under the header (row 4), up to the first empty row."""
    rows = []
    for row in sheet.iter_rows(min_row=5, values_only=True):
        if all(value is None for value in row):
            break
        rows.append(row)
    return rows


def _header(sheet: Any) -> list[Any]:
    return [cell.value for cell in sheet[4]]


def _by_label(sheet: Any) -> dict[str, Any]:
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}


def _personal_data() -> list[str]:
    """Every name, e-mail address and phone number of a person or user in the database."""
    values = []
    for person in Person.objects.all():
        values += [f"{person.first_name} {person.last_name}", person.email, person.phone]
    for user in User.objects.all():
        values += [user.full_name, user.email]
    return [v for v in values if v]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


# --- what is counted -------------------------------------------------------------------


def test_report_counts_each_company_once_and_only_the_period(report_world):
    report = _build(report_world)
    # Seven companies started in the period; the world's company had two engagements.
    assert report.reach.companies == 7
    assert report.reach.engagements == 8
    assert report.reach.completed == 3
    assert report.reach.withdrawn == 1
    # Seven sessions of two hours and one of one hour in 2025; the 2026 session is out.
    assert report.reach.coach_hours == Decimal(15)
    assert report.reach.women == 14
    assert report.reach.men == 21
    assert report.funders[0].amount_sek == 2_000_000
    assert report.breakdown("size").total == 7
    assert report.breakdown("region").total == 7
    # 3, 2 and 2 companies: every group is under five, so they are merged into one row
    # that says why (disclosure control), and the total stays.
    assert report.breakdown("urban_rural").rows == [(funder_outputs.merged_label(), 7)]
    assert report.breakdown("urban_rural").note.startswith("Ungefärlig")
    assert "färre än 5 företag" in report.breakdown("urban_rural").note
    indicators = {f.label: f.value for f in report.eu_indicators}
    assert indicators["Stödmottagande företag"] == 7
    assert indicators["Företag som fått icke-finansiellt stöd"] == 7
    # Headcount before and after for six companies: 2 + 1 + 0 + 2 + 2 + 1.
    assert indicators["Sysselsättningsförändring i stödda företag"] == 8
    assert indicators["Företag med uppgift om antal anställda före och efter"] == 6


def test_report_state_aid_names_no_company(report_world, world):
    """A funder is not the granting authority of the companies' aid: the report gives the
    initiative's aid in the period for all companies together, and no de minimis totals
    (those sum aid from initiatives the funder does not fund)."""
    report = _build(report_world)
    (row,) = report.state_aid
    assert row.company == "Samtliga 7 företag"
    assert row.org_number == ""
    assert row.coach_hours == 15.0
    assert row.period_sek == 15000
    assert row.de_minimis_sek is None
    assert row.de_minimis_eur is None


def test_small_effects_are_suppressed(report_world):
    report = _build(report_world)
    effects = {row.label: row for row in report.effects}
    turnover = effects["Omsättning per anställd"]
    assert turnover.n == 7
    assert not turnover.suppressed
    assert turnover.change == pytest.approx(
        sum((b - a) * 1000 for *_x, a, b, _p0, _p1 in COMPANIES) / 7
    )
    # The comparison group (one company that started later) is too small to compare with.
    assert turnover.did_effect is None
    assert "jämförelsegruppen har färre än 5 företag" in turnover.note
    margin = effects["Rörelsemarginal"]
    # Three companies: their number is itself a figure about fewer than five.
    assert margin.n is None
    assert margin.suppressed
    assert margin.note == "färre än 5 företag"
    assert (margin.before, margin.after, margin.change, margin.low, margin.high) == (None,) * 5
    assert margin.share_improved is None
    assert [row.suppressed for row in report.maturity] == [True]
    assert report.maturity[0].n is None
    assert report.maturity[0].change is None
    assert report.maturity[0].label == "Lean-mognad"


def test_report_rejects_a_backwards_period(report_world):
    with pytest.raises(ValueError, match="is after"):
        reports.report_build(initiative=report_world.initiative, date_from=TO, date_to=FROM)


# --- the workbook ----------------------------------------------------------------------


def test_xlsx_sheets_numbers_and_counts(report_world, world):
    workbook = _workbook(reports.report_xlsx(_build(report_world)))
    assert workbook.sheetnames == SHEETS
    for sheet in workbook.worksheets:
        assert len(sheet.title) <= 31
        assert not set(sheet.title) & set("[]:*?/\\")
        assert "Landsbygdsprogrammet" in sheet["A1"].value
        assert "2025-01-01" in sheet["A1"].value
        assert "2025-12-31" in sheet["A1"].value
        assert all(cell.font.bold for cell in sheet[4] if cell.value is not None)

    summary = _by_label(workbook["Sammanfattning"])
    assert summary["Företag (unika)"] == 7
    assert summary["Stödmottagande företag"] == 7
    assert summary["Uppdrag"] == 8
    assert summary["Finansiering: Finansiären"] == 2_000_000
    for label in ("Företag (unika)", "Coachtimmar i perioden", "Genomförandegrad", "Uppdrag"):
        assert isinstance(summary[label], int | float), label

    for name in ("Storleksklass", "SNI-avdelning", "Län", "NUTS2", "Stad–land"):
        rows = _rows(workbook[name])
        assert rows[-1][:2] == ("Totalt", 7), name
        assert sum(row[1] for row in rows[:-1]) == 7, name
        assert all(isinstance(row[1], int) for row in rows), name
        assert all(isinstance(row[2], int | float) for row in rows), name
    assert ("C Tillverkning", 7) in [row[:2] for row in _rows(workbook["SNI-avdelning"])]

    aid = workbook["Statsstöd"]
    rows = _rows(aid)
    assert len(rows) == 2  # all companies together, and the total
    assert rows[0][0] == "Samtliga 7 företag"
    assert rows[0][2:6] == (15, 15000, None, None)
    assert world.company.name not in str(rows)

    effects = workbook["Effekter"]
    header = _header(effects)
    assert header[:3] == ["Nyckeltal", "Enhet", "Antal företag (n)"]
    by_kpi = {row[0]: row for row in _rows(effects)}
    assert len(by_kpi) == KpiDefinition.objects.count()
    turnover = by_kpi["Omsättning per anställd"]
    assert turnover[2] == 7
    assert all(isinstance(value, int | float) for value in turnover[2:9])
    assert _rows(workbook["Mognad"])[0][0] == "Lean-mognad"


def test_xlsx_says_when_an_effect_is_suppressed(report_world):
    workbook = _workbook(reports.report_xlsx(_build(report_world)))
    effects = workbook["Effekter"]
    note = _header(effects).index("Anmärkning")
    margin = next(row for row in _rows(effects) if row[0] == "Rörelsemarginal")
    assert margin[2] is None  # not even how many: three companies
    assert all(value is None for value in margin[3:13])
    assert margin[note] == "färre än 5 företag"
    maturity = _rows(workbook["Mognad"])[0]
    assert maturity[1] is None
    assert maturity[2:8] == (None,) * 6
    assert maturity[-1] == "färre än 5 företag"


def test_xlsx_holds_no_personal_data(report_world):
    workbook = _workbook(reports.report_xlsx(_build(report_world)))
    cells = [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    text = "\n".join(cells)
    personal = _personal_data()
    assert "Kontakt1 Personsson1" in personal
    assert "Gunnar Medcoachsson" in personal
    for value in personal:
        assert value not in text, value


# --- the PDF ---------------------------------------------------------------------------


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(content)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "pdftotext is missing: run make system-deps (poppler-utils)"
    result = subprocess.run(  # noqa: S603 - our own file, a fixed program
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return _squeeze(result.stdout.decode("utf-8"))


def test_pdf_renders_with_its_headings_and_no_personal_data(report_world, tmp_path):
    content = reports.report_pdf(_build(report_world))
    assert content.startswith(b"%PDF")
    text = _pdf_text(content, tmp_path)
    for heading in (
        "Rapport till finansiär",
        "Nyckeltal för EU:s regionalfond",
        "Företag per storleksklass",
        "Företag per SNI-avdelning",
        "Företag per län",
        "Företag per riksområde (NUTS2)",
        "Företag per kommuntyp (stad–land)",
        "Effekter",
        "Mognad",
        "Statsstöd",
    ):
        assert heading in text, heading
    assert "Landsbygdsprogrammet" in text
    assert "556036-0793" not in text
    assert "färre än 5 företag" in text
    assert "Sida 1 av" in text
    for value in _personal_data():
        assert _squeeze(value) not in text, value


# --- the command -----------------------------------------------------------------------


def test_command_lists_initiatives(methodology):
    out = io.StringIO()
    call_command("report", "initiative", "--list", stdout=out)
    assert "landsbygd\tLandsbygdsprogrammet" in out.getvalue().splitlines()


def test_command_writes_the_report(report_world, tmp_path):
    target = tmp_path / "rapport.xlsx"
    out = io.StringIO()
    call_command(
        "report",
        "initiative",
        "landsbygd",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--format",
        "xlsx",
        "--out",
        str(target),
        stdout=out,
    )
    assert str(target) in out.getvalue()
    assert _by_label(_workbook(target.read_bytes())["Sammanfattning"])["Företag (unika)"] == 7


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["okand"], "No initiative with the slug 'okand'"),
        (["landsbygd", "--from", "2025-13-01"], "is not a date"),
        (["landsbygd", "--from", "2025-06-01", "--to", "2025-01-01"], "is after"),
        ([], "Give the initiative's slug"),
    ],
)
def test_command_errors(methodology, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("report", "initiative", *arguments, "--out", str(tmp_path / "r.xlsx"))
    assert not (tmp_path / "r.xlsx").exists()


# --- the background task ---------------------------------------------------------------


def test_task_makes_the_file(report_world, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_job_start(
            initiative=report_world.initiative,
            date_from=FROM,
            date_to=TO,
            format="xlsx",
            user=world.users["program_manager"],
        )
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE
    assert job.progress == 100
    assert job.finished is not None
    assert job.error == ""
    assert job.content is not None
    assert _workbook(bytes(job.content)).sheetnames == SHEETS


def test_task_failure_is_stored_not_raised(
    report_world, world, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(reports.tasks, "report_build", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = report_job_start(
            initiative=report_world.initiative,
            date_from=FROM,
            date_to=TO,
            format="pdf",
            user=world.users["program_manager"],
        )
    job.refresh_from_db()
    assert job.status == ReportStatus.FAILED
    assert job.content is None
    assert job.finished is not None
    assert "oväntat fel" in job.error
    assert "boom" not in job.error
    assert ReportJob.objects.count() == 1


def test_state_aid_in_one_read_equals_each_company_alone(report_world):
    """The report reads every company's de minimis in three queries; each company's
    statement is the one it has alone (the old per-company path)."""
    from redthread.engagements.state_aid import de_minimis, de_minimis_many
    from redthread.outcomes.reports.figures import _state_aid

    engagements = reports.report_engagements(
        initiative=report_world.initiative, date_from=FROM, date_to=TO
    )
    companies = {e.company_id: e.company for e in engagements}
    assert len(companies) > 1
    many = de_minimis_many(companies.values(), on=TO)
    for pk, company in companies.items():
        alone = de_minimis(company=company, on=TO)
        assert [
            (r.engagement.pk, r.year, r.hours, r.value_sek, r.value_eur) for r in many[pk].rows
        ] == [(r.engagement.pk, r.year, r.hours, r.value_sek, r.value_eur) for r in alone.rows]
        assert many[pk].missing_rates == alone.missing_rates
    rows = _state_aid(engagements, report_world.initiative, FROM, TO)
    assert sum(row.coach_hours for row in rows) == 15.0
    assert {row.de_minimis_sek for row in rows} == {
        int(de_minimis(company=c, on=TO).total_sek) for c in companies.values()
    }


def test_the_report_skips_de_minimis_it_never_shows(report_world):
    """A funder report drops de minimis totals (funder_outputs): built without reading
    them, its state aid is the same."""
    import dataclasses

    from redthread.outcomes.funder_outputs import report_disclosed
    from redthread.outcomes.reports.figures import _state_aid

    engagements = reports.report_engagements(
        initiative=report_world.initiative, date_from=FROM, date_to=TO
    )
    full = _state_aid(engagements, report_world.initiative, FROM, TO)
    lean = _state_aid(engagements, report_world.initiative, FROM, TO, de_minimis_totals=False)
    assert [(r.company, r.coach_hours, r.period_sek) for r in lean] == [
        (r.company, r.coach_hours, r.period_sek) for r in full
    ]
    report = _build(report_world)
    assert report_disclosed(dataclasses.replace(report, state_aid=full)).state_aid == (
        report.state_aid
    )
