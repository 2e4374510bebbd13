"""The demo company's own view in the browser: its home, its results with the radar, an
action item marked done, its people and respondents, in Swedish and in English."""

from __future__ import annotations

from playwright.sync_api import expect

from redthread.engagements.models import ActionItem, ActionStatus, Engagement

from .conftest import Site


def test_the_demo_company_opens_its_home_results_and_marks_an_item_done(site: Site) -> None:
    page = site.page
    site.log_in("foretag@demo.test")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Ert program")).to_be_visible()
    expect(main.get_by_text("Produktionslyftet 4.0").first).to_be_visible()
    expect(main.get_by_role("heading", name="Era nyckeltal")).to_be_visible()
    expect(main.get_by_role("heading", name="Programmets dokument")).to_be_visible()
    engagement = Engagement.objects.get(company__slug="exempelverkstaden")
    item = (
        ActionItem.objects.filter(engagement=engagement, status__in=ActionStatus.PENDING)
        .order_by("due_date", "pk")
        .first()
    )
    assert item is not None, "the demo company has action items to do"

    with site.navigation():
        main.get_by_role("button", name=item.title).click()
    expect(page.get_by_text(f"”{item.title}” är klar.")).to_be_visible()
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE

    with site.navigation():
        main.get_by_role("link", name="Era resultat").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Resultat:")
    expect(page.get_by_role("img", name="Resultat per dimension").first).to_be_visible()

    site.visit(engagement.get_absolute_url())
    expect(page.get_by_role("heading", name="Planen")).to_be_visible()
    site.visit("/uppdrag/atgarder/")
    site.visit("/foretaget/anvandare/")
    expect(page.get_by_role("heading", name="Bjud in en kollega")).to_be_visible()
    with site.navigation():
        page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your users")
    site.visit("/oversikt/")
    expect(page.get_by_role("main").get_by_role("heading", name="Your program")).to_be_visible()
    t1 = engagement.plan_assessments.filter(timepoint="T1", round__isnull=False).get()
    site.visit(f"/matningar/{t1.round_id}/svarande/")
    expect(page.get_by_text("2 of 3 respondents have answered.")).to_be_visible()
