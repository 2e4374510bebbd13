"""The coach's daily tool in the browser: a session and an action item, keyboard only."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from redthread.engagements.models import Engagement, EngagementStatus

from .conftest import Site


def test_a_coach_logs_a_session_and_an_action_item_with_the_keyboard(site: Site) -> None:
    page = site.page
    engagement = (
        Engagement.objects.filter(
            lead_coach__email="coach@demo.test", status=EngagementStatus.ACTIVE
        )
        .order_by("pk")
        .first()
    )
    assert engagement is not None, "the demo gives the demo coach active engagements"
    before = engagement.sessions.count()
    site.log_in("coach@demo.test")
    site.visit(f"/uppdrag/{engagement.pk}/")

    form = page.locator("form.session-form")
    form.get_by_label("Datum").focus()
    # Tab moves between the year, month and day of a date field, then to the next field.
    for part in ("2026", "11", "20"):
        page.keyboard.type(part)
        page.keyboard.press("Tab")
    page.keyboard.type("0900")
    form.get_by_label("Längd").focus()
    page.keyboard.press("End")  # the longest option, 8 hours
    form.get_by_label("Deltagare, kvinnor").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("5")
    form.get_by_label("Företagets timmar").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("12,5")
    form.get_by_label("Anteckningar").focus()
    page.keyboard.type("Genomgång av standardiserat arbete vid svetsen.")
    form.get_by_role("button", name="Spara tillfället").focus()
    with site.navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Tillfället är registrerat.")).to_be_visible()
    expect(page.get_by_role("table", name="Coachningstillfällen")).to_contain_text(
        "Genomgång av standardiserat arbete vid svetsen."
    )
    assert engagement.sessions.count() == before + 1
    session = engagement.sessions.order_by("-pk").first()
    assert session is not None
    assert (session.women, session.men, str(session.company_hours)) == (3, 5, "12.50")

    page.get_by_role("textbox", name="Åtgärd", exact=True).focus()
    page.keyboard.type("Ta fram standard för svetsfogen")
    with site.navigation():
        page.keyboard.press("Enter")  # Enter in a text field submits its form
    expect(page.get_by_role("table", name="Åtgärder")).to_contain_text(
        "Ta fram standard för svetsfogen"
    )
    expect(page).to_have_url(re.compile(rf"/uppdrag/{engagement.pk}/$"))


def test_a_session_draft_survives_a_lost_page_and_is_cleared_when_saved(site: Site) -> None:
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
    notes = page.locator("form.session-form").get_by_label("Anteckningar")
    notes.fill("Text som inte får försvinna.")
    notes.dispatch_event("input")
    site.visit(f"/uppdrag/{engagement.pk}/")  # the page is lost and opened again
    expect(notes).to_have_value("Text som inte får försvinna.")
    expect(page.get_by_text("Ett utkast som inte hann sparas har fyllts i igen.")).to_be_visible()
    with site.navigation():
        page.locator("form.session-form").get_by_role("button", name="Spara tillfället").click()
    expect(page.get_by_text("Tillfället är registrerat.")).to_be_visible()
    site.visit(f"/uppdrag/{engagement.pk}/")
    expect(notes).to_have_value("")

    site.visit(f"/uppdrag/{engagement.pk}/tillfallen/")
    expect(page.get_by_role("table", name="Tillfällen")).to_be_visible()
