"""Signing in and out as each demo role, what each role is refused, and the lockout."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..navigation import NAVIGATION
from .conftest import DEMO_PASSWORD, Site

#: Each demo login and its role; the menu it must show is in tests/navigation.py.
LOGINS = {
    "admin@demo.test": "admin",
    "programledare@demo.test": "program_manager",
    "partner@demo.test": "partner_manager",
    "coach@demo.test": "coach",
    "foretag@demo.test": "company_user",
    "finansiar@demo.test": "funder_viewer",
    "redaktor@demo.test": "editor",
}


@pytest.mark.parametrize("email", LOGINS)
def test_each_demo_login_reaches_the_overview_with_its_roles_menu(site: Site, email: str) -> None:
    page = site.page
    site.visit("/login/")
    page.get_by_label("E-postadress").press_sequentially(email)
    page.get_by_label("Lösenord").press_sequentially(DEMO_PASSWORD)
    with site.navigation():
        page.get_by_role("main").get_by_role("button", name="Logga in").click()

    expect(page).to_have_url(re.compile(r"/oversikt/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    shown = NAVIGATION[LOGINS[email]]
    if email == "foretag@demo.test":
        # The demo company's user is its manager: it manages the company's users too.
        shown = [*shown, "Användare"]
    hidden = sorted({label for menu in NAVIGATION.values() for label in menu} - set(shown))
    menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(menu.get_by_role("link")).to_have_text(shown)
    # The header; the footer links the public site (the log among it) for everyone.
    header = page.get_by_role("banner")
    for label in hidden:
        expect(header.get_by_role("link", name=label, exact=True)).to_have_count(0)

    site.log_out()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("button", name="Logga ut")).to_have_count(0)


def test_a_coach_is_refused_the_program_offices_pages(site: Site) -> None:
    page = site.page
    site.log_in("coach@demo.test")

    response = site.visit("/anvandare/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Åtkomst nekad")

    # Django's admin sends a signed-in non-staff user to its own login page and says why.
    site.visit("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    expect(page.locator(".errornote")).to_contain_text("inte behörig")
    expect(page.locator("#content-main .app-list, #content-main .module")).to_have_count(0)


def test_wrong_passwords_get_a_message_then_lock_the_account(site: Site) -> None:
    page = site.page
    site.visit("/login/")
    alert = page.get_by_role("main").get_by_role("alert")
    for attempt in range(1, 5):
        site.log_in("coach@demo.test", f"fel lösenord {attempt}")
        expect(page).to_have_url(re.compile(r"/login/$"))
        expect(alert).to_contain_text("Fel e-postadress eller lösenord")
        # The e-mail address is kept; the password is not.
        expect(page.get_by_label("E-postadress")).to_have_value("coach@demo.test")
        expect(page.get_by_label("Lösenord")).to_have_value("")

    site.log_in("coach@demo.test", "fel lösenord 5")
    expect(alert).to_contain_text("tillfälligt spärrat")

    site.log_in("coach@demo.test", DEMO_PASSWORD)  # the right password no longer helps
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(alert).to_contain_text("tillfälligt spärrat")
    expect(page.get_by_role("button", name="Logga ut")).to_have_count(0)


def test_a_coach_enrols_two_step_login_from_the_profile(site: Site) -> None:
    import base64

    from django_otp.oath import totp

    page = site.page
    site.log_in("coach@demo.test")
    site.visit("/profil/")
    expect(page.get_by_role("heading", name="Tvåstegsinloggning")).to_be_visible()
    with site.navigation():
        page.get_by_role("link", name="Slå på tvåstegsinloggning").click()
    expect(
        page.get_by_role("img", name="QR-kod med nyckeln för tvåstegsinloggning")
    ).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Kod från appen").fill(f"{totp(key):06d}")
    with site.navigation():
        page.get_by_role("main").get_by_role("button", name="Slå på").click()
    expect(page.get_by_role("main")).to_contain_text("Påslagen")

    site.log_out()
    site.log_in("coach@demo.test")
    expect(page).to_have_url(re.compile(r"/login/kod/$"))
    expect(page.get_by_label("Kod från appen")).to_be_visible()
