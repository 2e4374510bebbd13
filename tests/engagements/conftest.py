import datetime

import pytest

from redthread.engagements import services
from redthread.registry import services as registry_services
from redthread.registry.models import Municipality

START = datetime.date(2026, 2, 2)


def enrol(methodology, world, start_date=START):
    """The world's company, made eligible, enrolled by the partner manager from
    ``start_date`` with our coach as the lead."""
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
        start_date=start_date,
        actor=world.users["partner_manager"],
        lead_coach=world.users["coach"],
    )
    return engagement


@pytest.fixture
def enrolled(methodology, world):
    return enrol(methodology, world)
