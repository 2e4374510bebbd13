"""The coach course in the browser: a teacher records attendance, approves an assignment,
marks the participant complete and issues a certificate; an anonymous visitor then checks
its code, in Swedish and in English."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from redthread.academy import services
from redthread.academy.certificates import code_display
from redthread.academy.models import Certificate
from redthread.accounts.models import User
from redthread.methodology.models import MethodModule
from redthread.registry.models import Organisation

from .conftest import Site


def _cohort() -> tuple[int, int]:
    """A cohort of one meeting that the demo's program manager teaches, with the demo coach
    taking part and an assignment handed in; its id and the participant's."""
    teacher = User.objects.get(email="programledare@demo.test")
    course = services.course_create(name="Coachkursen i webbläsaren", min_attendance_percent=100)
    kata = services.course_module_add(
        course=course,
        method_module=MethodModule.objects.get(code="forbattringskata"),
        name="Förbättringskata i praktiken",
        position=1,
        assignment="Coacha en kata.",
    )
    today = timezone.localdate()
    cohort = services.cohort_create(
        course=course,
        name="Omgång i webbläsaren",
        start_date=today,
        end_date=today + datetime.timedelta(days=30),
    )
    services.meeting_create(
        cohort=cohort, date=today, place="Jönköping", teachers=[teacher], course_module=kata
    )
    participant = services.participant_add(
        cohort=cohort,
        user=User.objects.get(email="coach@demo.test"),
        partner=Organisation.objects.get(slug="iuc-syd"),
    )
    services.assignment_submit(participant=participant, course_module=kata, text="Mitt fall.")
    return cohort.pk, participant.pk


def test_a_teacher_issues_a_certificate_that_anyone_can_verify(site: Site) -> None:
    page = site.page
    cohort_pk, participant_pk = _cohort()
    site.log_in("programledare@demo.test")
    site.visit(f"/coacher/omgangar/{cohort_pk}/")
    expect(
        page.get_by_text("Uppgiften i Förbättringskata i praktiken är inte godkänd.")
    ).to_be_visible()

    with site.navigation():
        page.get_by_role("link", name="Närvaro", exact=False).last.click()
    page.get_by_label("Cecilia Coach").check()
    with site.navigation():
        page.get_by_role("button", name="Spara närvaron").click()
    expect(page.get_by_text("Närvaron är sparad.")).to_be_visible()

    with site.navigation():
        page.get_by_role("link", name="Cecilia Coach").click()
    page.get_by_label("Godkänn").check()
    with site.navigation():
        page.get_by_role("button", name="Spara granskningen").click()
    expect(page.get_by_text("Granskningen är sparad.")).to_be_visible()
    with site.navigation():
        page.get_by_role("button", name="Markera som genomförd").click()
    expect(page.get_by_text("Deltagaren har genomfört kursen.")).to_be_visible()
    with site.navigation():
        page.get_by_role("button", name="Utfärda intyg").click()
    expect(page.get_by_text("Intyget är utfärdat.")).to_be_visible()
    certificate = Certificate.objects.get(participant_id=participant_pk)
    site.log_out()

    # Anyone checks the code, typed as it is printed.
    site.visit("/coacher/kontroll/")
    page.get_by_label("Kontrollkod").fill(code_display(certificate.code).lower())
    with site.navigation():
        page.get_by_role("button", name="Kontrollera").click()
    expect(page.get_by_role("heading", name="Intyget är giltigt")).to_be_visible()
    expect(page.get_by_text("Coachkursen i webbläsaren")).to_be_visible()
    with site.navigation():
        page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="The certificate is valid")).to_be_visible()
    # A mistyped code says only that it is not valid.
    page.get_by_label("Verification code").fill("AAAA-BBBB-CCCC")
    with site.navigation():
        page.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_text("Not a valid code.")).to_be_visible()
    expect(page.get_by_text("Coachkursen i webbläsaren")).to_have_count(0)


def test_the_register_the_coaches_load_and_the_certified_share(site: Site) -> None:
    """The office filters the certification register and sees the coaches' load; a
    partner manager and a funder see the share of coaches certified on their start pages,
    the funder without a single name."""
    page = site.page
    site.log_in("programledare@demo.test")
    site.visit("/coacher/")
    with site.navigation():
        page.get_by_role("link", name="Certifieringsregister").click()
    expect(page.get_by_role("heading", name="Certifieringsregister")).to_be_visible()
    page.get_by_label("Giltighet").select_option("valid")
    with site.navigation():
        page.get_by_role("button", name="Filtrera").click()
    expect(page.locator("tbody .badge-ok").first).to_have_text("Giltigt")
    expect(page.locator("tbody .badge-warn")).to_have_count(0)
    site.visit("/coacher/")
    with site.navigation():
        page.get_by_role("link", name="Coachernas beläggning").click()
    expect(page.get_by_role("heading", name="Coachernas beläggning")).to_be_visible()
    expect(page.locator("tbody tr").first).to_be_visible()
    site.log_out()

    site.log_in("partner@demo.test")
    expect(page.get_by_role("heading", name="Certifierade coacher")).to_be_visible()
    expect(page.get_by_text("coacher certifierade", exact=False).first).to_be_visible()
    site.log_out()

    site.log_in("finansiar@demo.test")
    expect(page.get_by_role("heading", name="Certifierade coacher hos partnerna")).to_be_visible()
    expect(page.get_by_text("Cecilia Coach")).to_have_count(0)
