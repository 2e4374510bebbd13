"""The daily pages as the office and its partners use them: the office enrols a company from its
page and picks a suggested coach with one click; a coach pauses its own engagement. Axe
checks every page on the way."""

from __future__ import annotations

from playwright.sync_api import expect

from redthread.engagements.models import Engagement, EngagementStatus
from redthread.registry.models import Organisation, OrganisationKind

from .conftest import Site


def test_the_office_enrols_from_the_company_page_and_picks_a_suggested_coach(site: Site) -> None:
    page = site.page
    # The office may put any coach on an engagement, so every suggestion can be chosen.
    company = (
        Organisation.objects.filter(kind=OrganisationKind.COMPANY, engagements__isnull=True)
        .order_by("pk")
        .first()
    )
    assert company is not None, "the demo has companies not yet enrolled"
    site.log_in("programledare@demo.test")
    site.visit(f"/foretag/{company.pk}/")
    with site.navigation():
        page.get_by_role("link", name="Anmäl till program").click()
    expect(page.get_by_label("Företag")).to_have_value(str(company.pk))
    page.get_by_label("Programmall").select_option(index=1)
    with site.navigation():
        page.get_by_role("button", name="Föreslå coacher").click()
    expect(page.get_by_role("heading", name="Föreslagna coacher")).to_be_visible()
    choose = page.get_by_role("button", name="Välj som huvudcoach")
    assert choose.count(), "the demo's coach profiles are suggested"
    with site.navigation():
        choose.first.click()
    expect(page.get_by_text("är vald som huvudcoach")).to_be_visible()
    assert page.get_by_label("Huvudcoach").input_value() != ""
    # What was chosen before the click is kept.
    expect(page.get_by_label("Företag")).to_have_value(str(company.pk))


def test_a_coach_pauses_its_own_engagement(site: Site) -> None:
    page = site.page
    engagement = (
        Engagement.objects.filter(
            lead_coach__email="coach@demo.test", status=EngagementStatus.ACTIVE
        )
        .order_by("pk")
        .first()
    )
    assert engagement is not None
    site.log_in("coach@demo.test")
    site.visit(f"/uppdrag/{engagement.pk}/")
    status = page.get_by_label("Ny status")
    expect(status.locator("option")).to_have_text(["Pausad", "Avslutad"])
    status.select_option("paused")
    with site.navigation():
        page.get_by_role("button", name="Ändra status").click()
    expect(page.get_by_text("Statusen är ändrad.")).to_be_visible()
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.PAUSED
