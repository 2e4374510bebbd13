from __future__ import annotations

import datetime

from django.urls import reverse

from redthread.methodology import services as methodology_services

from .conftest import ApiClient, token_for


def test_a_company_an_engagement_and_a_session_made_through_the_api_are_on_the_pages(
    world, methodology
):
    initiative = methodology_services.initiative_save(
        slug="oppen",
        name="Öppna satsningen",
        owner=world.office,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2028, 12, 31),
        templates=[methodology["template"]],
        partners=[world.partner],
    )
    manager = world.users["partner_manager"]
    client = ApiClient(token_for(manager, name="CRM"))
    company = client.post(
        "/api/v1/companies",
        {
            "name": "Rundtur Mekaniska AB",
            "org_number": "212000-0142",
            "responsible_partner": world.partner.pk,
            "headcount": 25,
        },
    )
    assert company.status_code == 201, company.content
    company_id = company.json()["id"]

    engagement = client.post(
        "/api/v1/engagements",
        {
            "company": company_id,
            "initiative": initiative.pk,
            "template": methodology["template"].pk,
            "partner": world.partner.pk,
            "start_date": "2026-03-02",
            "lead_coach": world.users["coach"].pk,
        },
    )
    assert engagement.status_code == 201, engagement.content
    engagement_id = engagement.json()["id"]
    plan = client.get(f"/api/v1/engagements/{engagement_id}/plan").json()
    assert [step["module"] for step in plan["items"]] == ["Värdeflödesanalys", "5S"]

    coach = ApiClient(token_for(world.users["coach"], name="Coachens app"))
    session = coach.post(
        f"/api/v1/engagements/{engagement_id}/sessions",
        {
            "date": "2026-03-09",
            "duration_minutes": 120,
            "coaches": [world.users["coach"].pk],
            "women": 2,
            "men": 3,
            "notes": "Genomgång av flödet i svetsen.",
        },
    )
    assert session.status_code == 201, session.content
    listed = coach.get(f"/api/v1/engagements/{engagement_id}/sessions").json()["items"]
    assert [s["id"] for s in listed] == [session.json()["id"]]

    pages = world.client("partner_manager")
    company_page = pages.get(reverse("registry:company_detail", kwargs={"pk": company_id}))
    assert company_page.status_code == 200
    assert "Rundtur Mekaniska AB" in company_page.content.decode()
    engagement_page = world.client("coach").get(
        reverse("engagements:engagement_detail", kwargs={"pk": engagement_id})
    )
    assert engagement_page.status_code == 200
    text = engagement_page.content.decode()
    assert "Rundtur Mekaniska AB" in text
    assert "Genomgång av flödet i svetsen." in text
    # The other partner's coach reads none of it.
    other = ApiClient(token_for(world.users["other_coach"]))
    assert other.get(f"/api/v1/engagements/{engagement_id}").status_code == 404
    assert other.get(f"/api/v1/companies/{company_id}").status_code == 404
