import datetime

import pytest

from redthread.engagements import services
from redthread.registry import services as registry_services
from redthread.registry.models import Municipality

START = datetime.date(2026, 2, 2)


@pytest.fixture
def enrolled(methodology, world):
    registry_services.company_update(
        company=world.company,
        headcount=12,
        sni_code="25620",
        sni_version="2025",
        municipality=Municipality.objects.get(code="0617"),
    )
    initiative = methodology["initiative"]
    initiative.urban_rural_types = []
    initiative.save()
    engagement, _eligibility = services.engagement_enrol(
        company=world.company,
        initiative=initiative,
        template=methodology["template"],
        partner=world.partner,
        start_date=START,
        actor=world.users["partner_manager"],
        lead_coach=world.users["coach"],
    )
    return engagement
