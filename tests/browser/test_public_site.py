"""The public site as an anonymous visitor reaches it from the header: the initiatives
(one of them in full), the methodology in brief, the partners and the stakeholders and
funders, the contact page, and from the footer the about page and the accessibility
statement; axe on every page, and no company named on any."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from redthread.engagements.models import Engagement, EngagementStatus
from redthread.journal.models import Inquiry
from redthread.registry.models import Organisation, OrganisationKind

from .conftest import Site


def test_an_anonymous_visitor_reads_the_public_site(site: Site) -> None:
    page = site.page
    companies = list(
        Organisation.objects.filter(kind=OrganisationKind.COMPANY).values_list("name", flat=True)
    )
    site.visit("/")
    menu = page.get_by_role("navigation", name="Huvudmeny")

    with site.navigation():
        menu.get_by_role("link", name="Satsningar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Satsningar")
    with site.navigation():
        page.get_by_role("link", name="Landsbygdsprogrammet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Landsbygdsprogrammet")
    expect(page.get_by_role("heading", name="Vilka kan delta?")).to_be_visible()
    expect(page.get_by_text("Landsbygdskommuner nära en större stad", exact=False)).to_be_visible()
    pages = [page.content()]

    for label, heading in (
        ("Metoden i korthet", "Metoden i korthet"),
        ("Partner", "Produktionslyftets partner"),
        ("Intressenter och finansiärer", "Intressenter och finansiärer"),
    ):
        with site.navigation():
            menu.get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        pages.append(page.content())
    expect(page.get_by_role("heading", name="IF Metall")).to_be_visible()
    expect(page.get_by_role("heading", name="Vinnova")).to_be_visible()
    with site.navigation():
        menu.get_by_role("link", name="Kontakt", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontakta programkontoret")
    expect(page.get_by_role("heading", name="Om dina personuppgifter")).to_be_visible()
    # the office's own introduction, written by the editor and published (the demo's)
    expect(page.get_by_text("inom två arbetsdagar", exact=False)).to_be_visible()

    # the editable pages, from every page's footer
    footer = page.get_by_role("contentinfo")
    for label, heading in (
        ("Om programmet", "Om Produktionslyftet och Röd tråd"),
        ("Tillgänglighetsredogörelse", "Tillgänglighetsredogörelse"),
    ):
        with site.navigation():
            footer.get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        pages.append(page.content())
    expect(page.get_by_role("heading", name="Tillsyn")).to_be_visible()

    for html in pages:
        for name in companies:
            assert name not in html


def test_a_company_applies_to_an_initiative_without_javascript_needed(
    site: Site, settings: Any
) -> None:
    settings.REDTHREAD_PUBLIC_FORM_MIN_SECONDS = 0
    page = site.page
    site.visit("/satsningar/produktionslyftet-4-0/")
    with site.navigation():
        page.get_by_role("link", name="Ansök till satsningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ansök till Produktionslyftet 4.0")
    page.get_by_label("Företagets namn").fill("Webbverkstaden AB")
    page.get_by_label("Organisationsnummer").fill("559016-0189")
    page.get_by_label("Region").select_option(label="Sydsverige – IUC Syd")
    page.get_by_label("Ditt namn").fill("Anna Andersson")
    page.get_by_label("E-postadress").fill("anna@webbverkstaden.se")
    page.get_by_label("Meddelande").fill("Vi vill digitalisera produktionen.")
    with site.navigation():
        page.get_by_role("button", name="Skicka ansökan").click()
    # the consent is asked for, with a clear message
    expect(page.get_by_text("Kryssa i rutan för att vi ska få spara uppgifterna.")).to_be_visible()
    page.get_by_role("checkbox", name=re.compile("samtycker")).check()
    with site.navigation():
        page.get_by_role("button", name="Skicka ansökan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för ansökan")
    expect(page.get_by_role("heading", name="Så här går det till")).to_be_visible()
    engagement = Engagement.objects.get(company__org_number="5590160189")
    assert engagement.status == EngagementStatus.APPLIED


def test_a_visitor_writes_to_a_partner(site: Site, settings: Any) -> None:
    settings.REDTHREAD_PUBLIC_FORM_MIN_SECONDS = 0
    page = site.page
    site.visit("/partner/")
    with site.navigation():
        page.get_by_role("link", name="Skriv till IUC Syd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriv till IUC Syd")
    page.get_by_label("Ditt namn").fill("Bo Besökare")
    page.get_by_label("E-postadress").fill("bo@example.se")
    page.get_by_label("Meddelande").fill("Kan vi träffas?")
    page.get_by_role("checkbox", name=re.compile("samtycker")).check()
    with site.navigation():
        page.get_by_role("button", name="Skicka meddelandet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för ditt meddelande")
    recipient = Inquiry.objects.get().recipient
    assert recipient is not None
    assert recipient.slug == "iuc-syd"
