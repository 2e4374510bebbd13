"""A self-assessment by its single-use link, answered on a phone, and its result."""

from __future__ import annotations

from playwright.sync_api import Locator, ViewportSize, expect

from redthread.assessments import services
from redthread.assessments.models import AssessmentRound, ResponseStatus
from redthread.messaging.models import Message, MessageStatus

from ..smtp_server import SmtpServer
from .conftest import Site

PHONE: ViewportSize = {"width": 390, "height": 844}


def _answer(question: Locator) -> None:
    """Answers one question the way a person would: a tap on an option or typing."""
    radios = question.locator("input[type=radio]")
    if radios.count():
        if not question.locator("input[type=radio]:checked").count():
            # The first option: "Ja" on a yes/no question, which opens its follow-up.
            question.locator("label:has(input[type=radio])").first.click()
        return
    boxes = question.locator("input[type=checkbox]")
    if boxes.count():
        if not question.locator("input[type=checkbox]:checked").count():
            question.locator("label:has(input[type=checkbox])").first.click()
        return
    field = question.locator("input[type=text]")
    if not field.input_value():
        field.fill("12,5" if "%" in (question.locator("label").first.text_content() or "") else "4")


def test_a_self_assessment_by_link_on_a_phone(site: Site) -> None:
    page = site.page
    page.set_viewport_size(PHONE)
    round_ = (
        AssessmentRound.objects.filter(instrument__code="lean", timepoint="T0")
        .select_related("company")
        .order_by("pk")
        .first()
    )
    assert round_ is not None, "the demo has lean T0 rounds"
    response = services.response_add(round=round_, group="shop_floor", mode="self")
    token = services.response_issue_link(response=response)

    site.visit(f"/sjalvskattning/{token}/1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ledarskap")
    # Nothing of the platform: no menu, no way to log in; only the questionnaire.
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_have_count(0)
    # The first page fits a phone in well under four screens: the levels' texts open on
    # demand, and do open.
    height = page.evaluate("document.documentElement.scrollHeight / window.innerHeight")
    assert height < 3, f"the first page is {height:.1f} screens long"
    first_levels = page.locator("details.scale-levels").first
    first_levels.locator("summary").click()
    expect(first_levels.locator("dd").first).to_be_visible()
    site.check(again=True)
    pages = 8
    for number in range(1, pages + 1):
        expect(page.get_by_text(f"Sida {number} av {pages}")).to_be_visible()
        # Nothing wider than the phone: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        # Follow-up questions appear as they are answered; answer until none is left.
        for _round in range(3):
            for question in page.locator(".question:visible").all():
                _answer(question)
        if number == 6:
            # Daily management: the follow-up to "daily board meetings?" shows after "Ja".
            follow_up = page.locator(".question[data-show-if]").first
            expect(follow_up).to_be_visible()
        button = "Spara och skicka in" if number == pages else "Spara och fortsätt"
        with site.navigation():
            page.get_by_role("button", name=button).click()

    expect(page.get_by_role("heading", name="Tack för dina svar")).to_be_visible()
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.overall is not None
    # Where the respondent stands: their own scores per dimension, with what they mean.
    expect(page.get_by_role("heading", name="Ditt resultat", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Vad betyder det här?")).to_be_visible()
    expect(page.get_by_role("img", name="Ditt resultat per dimension")).to_be_visible()
    expect(page.locator(".own-result table.scores tbody tr")).to_have_count(pages)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner ditt resultat som PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    pdf = download.value.path()
    assert pdf.read_bytes().startswith(b"%PDF")

    # The link is used up: it says so, and leads back to the result.
    site.visit(f"/sjalvskattning/{token}/1/")
    expect(page.get_by_role("heading", name="Länken går inte att använda")).to_be_visible()
    expect(page.get_by_text("Länken har redan använts")).to_be_visible()
    with site.navigation():
        page.get_by_role("link", name="Se ditt resultat").click()
    expect(page.get_by_role("heading", name="Ditt resultat", exact=True)).to_be_visible()

    # The same in English.
    with site.navigation():
        page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Your result", exact=True)).to_be_visible()


def test_the_coach_reads_the_result_with_its_chart_and_recommendations(site: Site) -> None:
    page = site.page
    round_ = (
        AssessmentRound.objects.filter(
            coaches__email="coach@demo.test", instrument__code="lean", overall__isnull=False
        )
        .order_by("pk")
        .first()
    )
    assert round_ is not None, "the demo coach has scored lean rounds"
    site.log_in("coach@demo.test")
    site.visit(f"/matningar/{round_.pk}/")
    expect(page.get_by_role("img", name="Resultat per dimension")).to_be_visible()
    expect(page.get_by_role("heading", name="Rekommendationer")).to_be_visible()
    with site.navigation():
        page.get_by_label("Jämför med").select_option("size")
        page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", name="Jämfört med andra företag")).to_be_visible()


def test_the_coach_sends_a_respondent_link_by_email(site: Site, smtp_server: SmtpServer) -> None:
    page = site.page
    round_ = (
        AssessmentRound.objects.filter(coaches__email="coach@demo.test", instrument__code="lean")
        .order_by("pk")
        .first()
    )
    assert round_ is not None, "the demo coach has lean rounds"
    site.log_in("coach@demo.test")
    site.visit(f"/matningar/{round_.pk}/")
    page.get_by_label("Självskattning via länk").check()
    with site.navigation():
        page.get_by_role("button", name="Lägg till", exact=True).click()
    link = page.locator(".token-link").first.text_content() or ""
    assert "/sjalvskattning/" in link
    expect(page.locator(".token-qr svg").first).to_be_visible()
    expect(page.get_by_role("button", name="Kopiera länken").first).to_be_visible()

    page.get_by_label("E-postadress").first.fill("montering@example.test")
    with site.navigation():
        page.get_by_role("button", name="Skicka med e-post").first.click()
    expect(page.get_by_text("Länken är skickad till montering@example.test.")).to_be_visible()
    [received] = smtp_server.messages
    assert received["To"] == "montering@example.test"
    body = received.get_body(preferencelist=("plain",))
    assert body is not None
    assert link.strip() in body.get_content()
    message = Message.objects.get(to_address="montering@example.test")
    assert message.status == MessageStatus.SENT


def test_the_office_reads_a_company_s_results_over_its_rounds(site: Site) -> None:
    page = site.page
    company_id = (
        AssessmentRound.objects.filter(
            instrument__code="lean", timepoint="T1", overall__isnull=False
        )
        .order_by("pk")
        .values_list("company_id", flat=True)
        .first()
    )
    assert company_id is not None, "the demo has lean T1 rounds"
    site.log_in("programledare@demo.test")
    site.visit(f"/matningar/foretag/{company_id}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Resultat:")
    expect(page.get_by_role("img", name="Resultat per dimension").first).to_be_visible()
    expect(page.get_by_text("Förändring mellan mätningarna").first).to_be_visible()
    expect(page.get_by_role("link", name="Rapport som PDF").first).to_be_visible()
    with site.navigation():
        page.get_by_label("Jämför med").select_option("size")
        page.get_by_role("button", name="Visa").click()
    with site.navigation():
        page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results:")


def test_a_recommendation_becomes_an_action_with_an_owner_and_only_once(site: Site) -> None:
    """The coach opens "Lägg till som åtgärd", picks an owner and a date with the keyboard,
    adds it; the page then says it is an action already and offers it no more."""
    from redthread.engagements.models import EngagementStatus

    page = site.page
    round_ = (
        AssessmentRound.objects.filter(
            plan_assessment__engagement__lead_coach__email="coach@demo.test",
            plan_assessment__engagement__status__in=EngagementStatus.OPEN,
            instrument__code="lean",
            overall__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    assert round_ is not None, "the demo coach has a scored lean round in an open engagement"
    site.log_in("coach@demo.test")
    site.visit(f"/matningar/{round_.pk}/")
    summary = page.locator(".recommendation-target summary").first
    summary.focus()
    page.keyboard.press("Enter")
    # The opened form, with its labelled fields, passes axe too.
    site.check(again=True)
    form = page.locator(".recommendation-target details[open] form").first
    owner = form.get_by_label("Ansvarig")
    owner.focus()
    owner.select_option(index=1)
    form.get_by_label("Klart senast").fill("2027-03-01")
    with site.navigation():
        form.get_by_role("button", name="Lägg till åtgärden").click()
    expect(page.get_by_text("Tillagt som åtgärd i uppdraget.")).to_be_visible()
    expect(page.get_by_text("Redan en åtgärd från den här mätningen.").first).to_be_visible()
