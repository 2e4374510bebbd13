"""The coach's daily tool in the browser: a session and an action item, keyboard only."""

from __future__ import annotations

import datetime
import re

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import Locator, expect

from redthread.core.working_days import swedish_working_day_on_or_after
from redthread.engagements.models import BookedSession, Engagement, EngagementStatus
from redthread.registry.models import Person

from ..smtp_server import SmtpServer
from .conftest import DEMO_PASSWORD, Site


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
    # The order of a date field's parts (2026-11-20 or 11/20/2026) follows the browser's
    # own locale, which differs between machines (LANG=C gives the US order): the date is
    # set as a value, and the keyboard takes over from the next field.
    form.get_by_label("Datum").fill("2026-11-20")
    form.get_by_label("Starttid").focus()
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


TEXTS = {
    "sv": {
        "logged": "Tillfället är registrerat.",
        "added": "Åtgärden är tillagd.",
        "moved": "Steget är flyttat.",
        "skipped": "Steget hoppas över.",
        "step_added": "Steget är tillagt i planen.",
        "status": "Statusen är ändrad.",
    },
    "en": {
        "logged": "The session has been logged.",
        "added": "The action item has been added.",
        "moved": "The step has been moved.",
        "skipped": "The step will be skipped.",
        "step_added": "The step has been added to the plan.",
        "status": "The status has been changed.",
    },
}


def _submit(site: Site, form: Locator) -> None:
    with site.navigation():
        form.locator("button[type=submit]").click()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_form_on_the_engagement_page_posts_to_its_own_address(
    site: Site, language: str
) -> None:
    """A coach: a refused session and then a saved one, an action item, a step moved, one
    skipped (first without a reason), one added; the partner's manager changes the status.
    In Swedish, and in English chosen with the switch on the page a refused form showed."""
    page = site.page
    texts = TEXTS[language]
    engagement = (
        Engagement.objects.filter(
            lead_coach__email="coach@demo.test",
            status=EngagementStatus.ACTIVE,
            plan_steps__status="planned",
        )
        .order_by("pk")
        .first()
    )
    assert engagement is not None, "the demo gives the demo coach active engagements"
    address = f"/uppdrag/{engagement.pk}/"
    site.log_in("coach@demo.test")
    site.visit(address)

    session = page.locator("form.session-form")
    session.locator("input[name=session-date]").fill("")
    session.locator("textarea[name=session-notes]").fill("Text som ska finnas kvar.")
    _submit(site, session)
    expect(page).to_have_url(re.compile(rf"/uppdrag/{engagement.pk}/tillfallen/nytt/$"))
    expect(session.locator(".field-error").first).to_be_visible()
    expect(session.locator("textarea[name=session-notes]")).to_have_value(
        "Text som ska finnas kvar."
    )
    if language == "en":
        # The switch on the refused form's page comes back to the engagement page.
        with site.navigation():
            page.get_by_role("banner").get_by_role("button", name="English").click()
        expect(page).to_have_url(re.compile(rf"{address}$"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
    session.locator("input[name=session-date]").fill("2026-11-20")
    session.locator("textarea[name=session-notes]").fill("Text som ska finnas kvar.")
    _submit(site, session)
    expect(page.get_by_text(texts["logged"])).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{address}\?sparat=1$"))

    action = page.locator(f"form[action='{address}atgarder/ny/']")
    action.locator("input[name=action-title]").fill("Ta fram en standard för svetsfogen")
    _submit(site, action)
    expect(page.get_by_text(texts["added"])).to_be_visible()

    page.locator("details.plan-edit summary").click()
    move = page.locator(f"form[action='{address}plan/flytta/']")
    move.locator("select[name=move-step]").select_option(index=1)
    move.locator("input[name=move-planned_date]").fill("2026-12-01")
    _submit(site, move)
    expect(page.get_by_text(texts["moved"])).to_be_visible()

    page.locator("details.plan-edit summary").click()
    skip = page.locator(f"form[action='{address}plan/hoppa-over/']")
    skip.locator("select[name=skip-step]").select_option(index=1)
    _submit(site, skip)  # no reason: refused, and the plan's forms stay open
    expect(page.locator("details.plan-edit")).to_have_attribute("open", "")
    expect(skip.locator(".field-error").first).to_be_visible()
    skip.locator("select[name=skip-step]").select_option(index=1)
    skip.locator("input[name=skip-reason]").fill("Redan infört.")
    _submit(site, skip)
    expect(page.get_by_text(texts["skipped"])).to_be_visible()

    page.locator("details.plan-edit summary").click()
    add = page.locator(f"form[action='{address}plan/nytt-steg/']")
    add.locator("select[name=add-module]").select_option(index=1)
    add.locator("input[name=add-planned_date]").fill("2027-01-15")
    _submit(site, add)
    expect(page.get_by_text(texts["step_added"])).to_be_visible()
    assert engagement.plan_steps.filter(template_step__isnull=True).exists()

    # Signing out and in by the form's fields: the page may be in English.
    with site.navigation():
        page.get_by_role("banner").locator("form[action$='/logout/'] button").click()
    site.visit("/login/")
    page.locator("input[name=username]").fill("partner@demo.test")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with site.navigation():
        page.get_by_role("main").locator("button[type=submit]").click()
    site.visit(address)
    status = page.locator(f"form[action='{address}status/']")
    status.locator("select[name=status-to_status]").select_option("paused")
    status.locator("input[name=status-note]").fill("Semester")
    _submit(site, status)
    expect(page.get_by_text(texts["status"])).to_be_visible()
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.PAUSED


def test_a_coach_books_a_session_changes_it_in_english_and_cancels_it(
    site: Site, smtp_server: SmtpServer
) -> None:
    """The invitation, the update and the cancellation reach the company's contact through
    a real SMTP server, each with its calendar file."""
    page = site.page
    engagement = (
        Engagement.objects.filter(
            lead_coach__email="coach@demo.test", status=EngagementStatus.ACTIVE
        )
        .order_by("pk")
        .first()
    )
    assert engagement is not None
    contact = Person.objects.create(
        organisation=engagement.company,
        first_name="Karin",
        last_name="Bokad",
        email="karin.bokad@example.test",
    )
    day = swedish_working_day_on_or_after(timezone.localdate() + datetime.timedelta(days=10))
    site.log_in("coach@demo.test")
    site.visit(f"/uppdrag/{engagement.pk}/")
    with site.navigation():
        page.get_by_role("link", name="Boka ett tillfälle").click()
    form = page.locator("form.booking-form")
    form.get_by_label("Datum").fill(day.isoformat())
    form.get_by_label("Starttid").fill("10:00")
    form.get_by_label("Plats", exact=True).fill("Hallen vid svetsen")
    form.get_by_label("Karin Bokad (karin.bokad@example.test)").check()
    with site.navigation():
        form.get_by_role("button", name="Boka och skicka inbjudan").click()
    expect(page.get_by_text("Tillfället är bokat.")).to_be_visible()
    bookings = page.get_by_role("table", name="Inbokade tillfällen")
    expect(bookings).to_contain_text("Hallen vid svetsen")
    booking = BookedSession.objects.get(engagement=engagement, place="Hallen vid svetsen")
    assert list(booking.people.all()) == [contact]

    # In English: the booking page, a new time, saved; the update goes out.
    with site.navigation():
        page.get_by_role("banner").get_by_role("button", name="English").click()
    ours = (
        page.get_by_role("table", name="Booked sessions")
        .get_by_role("row")
        .filter(has_text="Hallen vid svetsen")
    )
    with site.navigation():
        ours.get_by_role("link", name=re.compile(r"^Edit")).click()
    page.locator("form.booking-form").get_by_label("Start time").fill("13:00")
    with site.navigation():
        page.get_by_role("button", name="Save and send the update").click()
    expect(page.get_by_text("The session has been changed.")).to_be_visible()

    with site.navigation():
        ours.get_by_role("link", name=re.compile(r"^Cancel")).click()
    expect(page.get_by_role("heading", name="Cancel the session?")).to_be_visible()
    with site.navigation():
        page.get_by_role("button", name="Yes, cancel the session").click()
    expect(page.get_by_text("The session is cancelled.")).to_be_visible()

    sent = [m for m in smtp_server.messages if m["To"] == contact.email]
    methods = []
    for message in sent:
        [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
        calendar = icalendar.Calendar.from_ical(part.get_content())
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]) == booking.uid
        methods.append((str(calendar["METHOD"]), event.decoded("SEQUENCE")))
    assert methods == [("REQUEST", 0), ("REQUEST", 1), ("CANCEL", 2)]
