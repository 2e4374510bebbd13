import datetime
from decimal import Decimal

import pytest

from redthread.engagements import services as engagement_services
from redthread.outcomes import services
from redthread.outcomes.models import ComparisonGroup, KpiDefinition
from redthread.registry.models import OrganisationKind, Person

from ..factories import OrganisationFactory, UserFactory

START = datetime.date(2025, 2, 3)  # a 16-week program: before = 2024, after = 2025
TREATED = 12
COMPARISON = 8
#: Planted: value added per employee grows 10 % for participants, 2 % for the others.
PLANTED = {"treated": Decimal("1.10"), "comparison": Decimal("1.02")}


@pytest.fixture
def program(world, methodology):
    """Twelve companies through the Startprogram in the funder's initiative, with sessions,
    contacts (personal data that must never reach a funder) and value added per employee
    for 2024 and 2025; eight companies in the initiative's comparison group."""
    services.kpis_load_shipped()
    value_added = KpiDefinition.objects.get(code="value-added-per-employee")
    initiative = methodology["initiative"]
    initiative.size_classes = initiative.sectors = initiative.urban_rural_types = []
    initiative.save()
    coach = world.users["coach"]
    treated = [world.company] + [
        OrganisationFactory.create(kind=OrganisationKind.COMPANY, responsible_partner=world.partner)
        for _ in range(TREATED - 1)
    ]
    for number, company in enumerate(treated):
        Person.objects.create(
            organisation=company,
            first_name="Greta",
            last_name=f"Personsson{number}",
            email=f"greta{number}@foretag.test",
            phone=f"070-555 00 {number:02d}",
        )
        engagement, _eligibility = engagement_services.engagement_enrol(
            company=company,
            initiative=initiative,
            template=methodology["template"],
            partner=world.partner,
            start_date=START,
            actor=world.users["program_manager"],
            lead_coach=coach,
        )
        for status in ("approved", "active"):
            engagement_services.engagement_status_change(
                engagement=engagement, to_status=status, actor=None
            )
        engagement_services.session_log(
            engagement=engagement,
            actor=coach,
            date=START + datetime.timedelta(days=7),
            duration_minutes=180,
            coaches=[coach],
            women=2,
            men=3,
            company_hours=Decimal(10),
            notes="Samtal med Greta om flödet.",
        )
        engagement_services.engagement_status_change(
            engagement=engagement, to_status="completed", actor=None
        )
        before = Decimal(500_000 + 10_000 * number)
        services.measurement_set(company=company, kpi=value_added, year=2024, value=before)
        services.measurement_set(
            company=company,
            kpi=value_added,
            year=2025,
            value=before * PLANTED["treated"] + (number % 3 - 1) * 2_000,
        )
    group = ComparisonGroup.objects.create(name="Referens", initiative=initiative)
    for number in range(COMPARISON):
        company = OrganisationFactory.create(kind=OrganisationKind.COMPANY)
        group.companies.add(company)
        before = Decimal(520_000 + 9_000 * number)
        services.measurement_set(company=company, kpi=value_added, year=2024, value=before)
        services.measurement_set(
            company=company,
            kpi=value_added,
            year=2025,
            value=before * PLANTED["comparison"] + (number % 3 - 1) * 2_000,
        )
    UserFactory.create(full_name="Hemlig Coachsson", email="hemlig@coach.test")
    return {"initiative": initiative, "treated": treated, "group": group, "kpi": value_added}
