"""The organisation list, used with the mouse: search, filter, sort."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from redthread.registry.models import Organisation, OrganisationKind

from .conftest import Site


def test_the_program_manager_searches_filters_and_sorts_organisations(site: Site) -> None:
    page = site.page
    site.log_in("programledare@demo.test")
    with site.navigation():
        page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Organisationer"
        ).click()
    expect(page).to_have_url(re.compile(r"/organisationer/$"))
    rows = page.locator("table tbody tr")
    names = page.locator("table tbody tr td:first-child")
    # The office sees every demo organisation; companies have their own list.
    everyone = Organisation.objects.exclude(kind=OrganisationKind.COMPANY).count()
    expect(rows).to_have_count(everyone)
    name_header = page.get_by_role("columnheader", name="Namn")
    kind_header = page.get_by_role("columnheader", name="Typ")
    expect(name_header).to_have_attribute("aria-sort", "ascending")
    expect(kind_header).to_have_attribute("aria-sort", "none")

    # Search
    filters = page.get_by_role("search", name="Sök och filtrera")
    filters.get_by_label("Sök").fill("IUC")
    with site.navigation():
        filters.get_by_role("button", name="Filtrera").click()
    expect(page).to_have_url(re.compile(r"[?&]q=IUC"))
    expect(names).to_have_text(["IUC Dalarna", "IUC Sverige AB", "IUC Syd", "IUC Z-Group"])

    # Clear, then filter by type
    with site.navigation():
        filters.get_by_role("link", name="Rensa filter").click()
    expect(rows).to_have_count(everyone)
    filters.get_by_label("Typ").select_option(label="Finansiär")
    with site.navigation():
        filters.get_by_role("button", name="Filtrera").click()
    expect(page).to_have_url(re.compile(r"[?&]kind=funder"))
    expect(names).to_have_text(
        ["Europeiska regionala utvecklingsfonden", "Produktion2030", "Tillväxtverket", "Vinnova"]
    )
    expect(page.locator("table tbody tr td:nth-child(2)")).to_have_text(["Finansiär"] * 4)

    # Sort by name, descending, by clicking the column header; the filter stays.
    with site.navigation():
        name_header.get_by_role("link").click()
    expect(name_header).to_have_attribute("aria-sort", "descending")
    expect(kind_header).to_have_attribute("aria-sort", "none")
    expect(names).to_have_text(
        ["Vinnova", "Tillväxtverket", "Produktion2030", "Europeiska regionala utvecklingsfonden"]
    )
    expect(filters.get_by_label("Typ")).to_have_value("funder")

    # Sort by another column: it takes over.
    with site.navigation():
        filters.get_by_role("link", name="Rensa filter").click()
    with site.navigation():
        kind_header.get_by_role("link").click()
    expect(kind_header).to_have_attribute("aria-sort", "ascending")
    expect(name_header).to_have_attribute("aria-sort", "none")
