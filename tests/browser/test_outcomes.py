"""Results as a funder and a program manager meet them, and a coach typing figures."""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import expect

from redthread.outcomes.models import KpiDefinition, Measurement

from .conftest import Site


def test_a_funder_reads_its_results_without_personal_data(site: Site) -> None:
    page = site.page
    site.log_in("finansiar@demo.test")
    with site.navigation():
        page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Resultat"
        ).click()
    expect(page.get_by_role("heading", name="Effekter på nyckeltalen")).to_be_visible()
    expect(page.get_by_role("img", name="Företag per region (NUTS2)")).to_be_visible()
    # Funders cannot break the effects down by coach.
    expect(
        page.get_by_label("Dela upp effekten efter").locator("option[value=coach]")
    ).to_have_count(0)
    with site.navigation():
        page.get_by_label("Dela upp effekten efter").select_option("urban_rural")
        page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", name="per kommuntyp")).to_be_visible()
    with site.navigation():
        page.get_by_role("link", name="Så räknar vi").click()
    expect(page.get_by_role("heading", name="Så räknar vi effekter")).to_be_visible()


def test_a_coach_types_a_companys_figures(site: Site) -> None:
    page = site.page
    site.log_in("coach@demo.test")
    with site.navigation():
        page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Nyckeltal"
        ).click()
    page.get_by_label("Sök företag eller organisationsnummer").fill("a")
    with site.navigation():
        page.get_by_role("button", name="Sök").click()
    with site.navigation():
        page.get_by_role("main").get_by_role("listitem").first.get_by_role("link").click()
    kpi = KpiDefinition.objects.get(code="oee")
    year = page.locator("thead th").last.text_content()
    cell = page.get_by_label(f"{kpi.name_sv} {year}")
    cell.fill("71,5")
    with site.navigation():
        page.get_by_role("button", name="Spara nyckeltalen").click()
    expect(page.get_by_text("Nyckeltalen är sparade.")).to_be_visible()
    assert Measurement.objects.filter(kpi=kpi, year=int(year or 0), value=Decimal("71.5")).exists()


def test_a_funder_orders_a_report_and_downloads_it(site: Site) -> None:
    page = site.page
    site.log_in("finansiar@demo.test")
    site.visit("/resultat/rapporter/")
    page.get_by_label("Satsning").select_option(index=1)
    page.get_by_label("Excel (xlsx)").check()
    with site.navigation():
        page.get_by_role("button", name="Ta fram rapporten").click()
    # Tasks run at once here; in production the page shows progress until the file is made.
    link = page.get_by_role("link", name=re.compile(r"Hämta rapport-.*\.xlsx"))
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
