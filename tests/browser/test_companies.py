"""Companies in the browser: the list with its filters and export, a company page, and an
import through the web page where the user corrects the column mapping."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from redthread.registry.models import Organisation

from .conftest import Site

MESSY = Path(__file__).resolve().parent.parent / "registry" / "files" / "messy_companies.csv"


def test_partner_manager_filters_companies_and_exports_the_list(site: Site) -> None:
    page = site.page
    site.log_in("partner@demo.test")
    with site.navigation():
        page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Företag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Företag")
    filters = page.get_by_role("search", name="Sök och filtrera")
    filters.get_by_label("Storlek").select_option(value="small")
    with site.navigation():
        filters.get_by_role("button", name="Filtrera").click()
    expect(page).to_have_url(re.compile(r"size_class=small"))
    # IUC Syd's staff see only the companies IUC Syd is responsible for.
    partners = page.locator("table tbody tr td:nth-child(7)")
    expect(partners.first).to_have_text("IUC Syd")
    for text in partners.all_inner_texts():
        assert text == "IUC Syd"
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("CSV för svenskt Excel")).click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Swedish Excel needs
    assert b";" in content.splitlines()[0]
    with site.navigation():
        page.locator("table tbody tr td:first-child a").first.click()
    expect(page.get_by_role("heading", name="Kontaktpersoner")).to_be_visible()


def test_program_manager_imports_a_file_and_corrects_the_mapping(site: Site) -> None:
    page = site.page
    before = Organisation.objects.count()
    site.log_in("programledare@demo.test")
    site.visit("/foretag/")
    with site.navigation():
        page.get_by_role("link", name="Importera från fil").click()
    page.get_by_label("Fil").set_input_files(str(MESSY))
    page.get_by_label("Importera de godkända raderna och rapportera resten").check()
    with site.navigation():
        page.get_by_role("button", name="Ladda upp och fortsätt").click()
    expect(page.get_by_role("heading", name="Vilken kolumn är vad?")).to_be_visible()
    # The guess took the "Hemsida" column as the website; the user drops it.
    website = page.get_by_label("Hemsida")
    expect(website).to_have_value("website")
    website.select_option(label="– Används inte –")
    with site.navigation():
        page.get_by_role("button", name="Kontrollera filen").click()
    expect(page.get_by_role("heading", name="Kontroll (inget är sparat ännu)")).to_be_visible()
    problems = page.get_by_role("table", name="Rader som inte importeras")
    expect(problems.get_by_role("row", name=re.compile(r"^6 Fel"))).to_contain_text(
        "Kontrollsiffran"
    )
    expect(problems.get_by_role("row", name=re.compile(r"^4 Dubblett"))).to_contain_text("rad 2")
    expect(page.get_by_text("4 företag kommer att skapas.")).to_be_visible()
    assert Organisation.objects.count() == before  # nothing written by the check
    with site.navigation():
        page.get_by_role("button", name="Importera").click()
    expect(page.get_by_text("företag skapade")).to_be_visible()
    assert Organisation.objects.count() == before + 4
    gnosjo = Organisation.objects.get(org_number="5560360793")
    assert gnosjo.website == ""  # the dropped column was not read
