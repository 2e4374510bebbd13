"""The page shell: keyboard use and the language switch."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD, Site


def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_main(site: Site) -> None:
    page = site.page
    site.visit("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # hidden until focused, then shown
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_the_login_form_works_with_the_keyboard_alone(site: Site) -> None:
    page = site.page
    site.visit("/login/")
    expect(page.get_by_label("E-postadress")).to_be_focused()  # autofocus
    page.keyboard.type("programledare@demo.test")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Lösenord")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("main").get_by_role("button", name="Logga in")).to_be_focused()
    with site.navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/oversikt/$"))


def test_the_language_switch_turns_pages_into_english_and_back(site: Site) -> None:
    """Both languages, signed in and out, each page checked by axe. The English catalogue
    is still being written, so this asserts on ``lang`` and on what does not depend on it."""
    page = site.page
    html = page.locator("html")
    header = page.get_by_role("banner")

    site.visit("/login/")
    expect(html).to_have_attribute("lang", "sv")
    site.log_in("programledare@demo.test")
    expect(html).to_have_attribute("lang", "sv")

    with site.navigation():
        header.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/oversikt/$"))  # the switch comes back to the page
    expect(html).to_have_attribute("lang", "en")
    # The switch now offers Swedish, named in Swedish (Django's language names, not ours).
    expect(header.get_by_role("button", name="Svenska")).to_have_attribute("lang", "sv")
    expect(header.get_by_role("button", name="English")).to_have_count(0)

    # The choice outlives the session: signed out, the public pages are English too.
    with site.navigation():
        header.locator("form[action$='/logout/'] button").click()
    expect(html).to_have_attribute("lang", "en")
    site.visit("/login/")
    expect(html).to_have_attribute("lang", "en")
    # Django's own catalogue names the password field, so that much is English already.
    expect(page.get_by_label("Password")).to_be_visible()

    page.locator("input[name=username]").fill("programledare@demo.test")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with site.navigation():
        page.get_by_role("main").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/oversikt/$"))
    expect(html).to_have_attribute("lang", "en")

    with site.navigation():
        header.get_by_role("button", name="Svenska").click()
    expect(page).to_have_url(re.compile(r"/oversikt/$"))
    expect(html).to_have_attribute("lang", "sv")
    expect(header.get_by_role("button", name="English")).to_have_attribute("lang", "en")


def test_a_visitor_who_is_not_signed_in_can_switch_language(site: Site) -> None:
    page = site.page
    site.visit("/login/")
    with site.navigation():
        page.get_by_role("banner").get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/login/$"), timeout=1000)
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=1000)
