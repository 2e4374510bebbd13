"""The program office's data-protection pages in the browser, in Swedish and English:
a subject access search, the change log and one record's history, the public record of
processing. (Erasure is tested against the database in tests/core/test_privacy.py: the
browser suite shares one demo world.)"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import Site


def test_the_office_finds_a_person_and_reads_the_change_log(site: Site) -> None:
    page = site.page
    site.log_in("programledare@demo.test")
    with site.navigation():
        page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Dataskydd"
        ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dataskydd")

    page.get_by_label("Personens e-postadress").fill("coach@demo.test")
    with site.navigation():
        page.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("heading", name="Konton och inloggningar")).to_be_visible()
    expect(page.get_by_role("link", name="Registerutdrag (PDF)")).to_be_visible()
    expect(page.get_by_role("link", name="Dataportabilitet (JSON)")).to_be_visible()

    with site.navigation():
        page.get_by_role("link", name="Ändringslogg: vem ändrade vad och när").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändringslogg")
    page.get_by_label("Slags post").select_option(label="Användare")
    with site.navigation():
        page.get_by_role("button", name="Filtrera").click()
    first = page.get_by_role("table").get_by_role("row").nth(1).get_by_role("link")
    with site.navigation():
        first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Historik:")
    expect(page.get_by_text("Skapad").first).to_be_visible()


def test_the_record_of_processing_is_public_and_english_too(site: Site) -> None:
    page = site.page
    site.visit("/")
    with site.navigation():
        page.get_by_role("link", name="Så behandlar vi personuppgifter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Så behandlar vi personuppgifter")
    expect(page.get_by_role("heading", name="Gallring")).to_be_visible()
    with site.navigation():
        page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/behandlingar/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How we process personal data")
    expect(page.get_by_text("Contact persons who have left their organisation")).to_be_visible()
