"""The public site as an anonymous visitor reaches it from the header: the initiatives
(one of them in full), the methodology in brief, the partners and the stakeholders and
funders; axe on every page, and no company named on any."""

from __future__ import annotations

from playwright.sync_api import expect

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

    for html in pages:
        for name in companies:
            assert name not in html
