"""The company's own view: its programs and action items, in its words, and nobody else's."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from redthread.engagements import services
from redthread.engagements.models import ActionStatus
from redthread.outcomes import services as outcome_services
from redthread.outcomes.models import KpiDefinition
from redthread.registry import services as registry_services

from ..conftest import coached_engagement


def _item(engagement, **extra):
    return services.action_item_create(
        engagement=engagement,
        title="Märk hyllorna",
        due_date=datetime.date(2026, 1, 10),
        **extra,
    )


def test_the_company_sees_its_program_without_the_coachs_notes(enrolled, world):
    services.session_log(
        engagement=enrolled,
        actor=world.users["coach"],
        date=datetime.date(2026, 2, 3),
        duration_minutes=120,
        coaches=[world.users["coach"]],
        notes="Hemlig coachanteckning om VD:n.",
    )
    response = world.client("company_user").get(enrolled.get_absolute_url())
    html = response.content.decode()
    assert response.templates[0].name == "engagements/company_program.html"
    assert "Hemlig coachanteckning" not in html
    assert "Registrera ett tillfälle" not in html
    # The coach still sees them on its page.
    coach_html = world.client("coach").get(enrolled.get_absolute_url()).content.decode()
    assert "Hemlig coachanteckning" in coach_html
    assert world.client("other_company_user").get(enrolled.get_absolute_url()).status_code == 404


def test_the_company_list_has_no_coach_filters(enrolled, world):
    html = world.client("company_user").get(reverse("engagements:engagement_list")).content
    assert b'name="partner"' not in html
    assert b'name="region"' not in html
    assert enrolled.template_version.name.encode() in html


def test_the_company_marks_its_action_item_done_from_the_home(enrolled, world):
    item = _item(enrolled)
    client = world.client("company_user")
    home = client.get(reverse("core:dashboard")).content.decode()
    assert "Märk hyllorna" in home
    assert "Ert program" in home
    response = client.post(
        reverse("engagements:action_item", kwargs={"item_pk": item.pk}),
        {"action": "done", "next": "/oversikt/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/oversikt/"
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE


def test_another_company_cannot_touch_the_item(enrolled, world):
    item = _item(enrolled)
    url = reverse("engagements:action_item", kwargs={"item_pk": item.pk})
    response = world.client("other_company_user").post(url, {"action": "done"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == ActionStatus.OPEN


def test_an_outside_next_address_is_not_followed(enrolled, world):
    item = _item(enrolled)
    url = reverse("engagements:action_item", kwargs={"item_pk": item.pk})
    response = world.client("company_user").post(
        url, {"action": "done", "next": "https://evil.example/"}
    )
    assert response["Location"] == url


def test_a_comment_and_a_reassignment_within_the_company(enrolled, world):
    item = _item(enrolled)
    colleague = registry_services.person_create(
        organisation=world.company, first_name="Olle", last_name="Operatör"
    )
    outsider = registry_services.person_create(
        organisation=world.other_company, first_name="Ulla", last_name="Utsida"
    )
    client = world.client("company_user")
    url = reverse("engagements:action_item", kwargs={"item_pk": item.pk})
    client.post(url, {"action": "comment", "comment-text": "Hyllorna är köpta."})
    assert item.comments.get().text == "Hyllorna är köpta."
    refused = client.post(url, {"action": "reassign", "owner-owner_person": outsider.pk})
    assert refused.status_code == 422
    item.refresh_from_db()
    assert item.owner_person is None
    client.post(url, {"action": "reassign", "owner-owner_person": colleague.pk})
    item.refresh_from_db()
    assert item.owner_person == colleague
    page = client.get(url).content.decode()
    assert "Hyllorna är köpta." in page
    assert "Olle Operatör" in page
    # An empty comment and an unknown action change nothing and are no 500.
    assert client.post(url, {"action": "comment", "comment-text": " "}).status_code == 422
    assert client.post(url, {"action": "explode"}).status_code == 302


def test_the_action_list_is_the_companys_own(world):
    ours = coached_engagement(world)
    theirs = coached_engagement(world, company=world.other_company, coach="other_coach")
    _item(ours)
    services.action_item_create(engagement=theirs, title="Deras åtgärd")
    html = world.client("company_user").get(reverse("engagements:company_actions")).content
    assert "Märk hyllorna".encode() in html
    assert "Deras åtgärd".encode() not in html
    # A page for the company alone: the office gets a 403, not every company's items.
    assert world.client("admin").get(reverse("engagements:company_actions")).status_code == 403


def test_the_home_shows_key_figures_and_not_to_the_office(enrolled, world):
    outcome_services.kpis_load_shipped()
    kpi = KpiDefinition.objects.get(code="delivery-precision")
    for year, value in ((2023, "80"), (2024, "88")):
        outcome_services.measurement_set(
            company=world.company,
            kpi=kpi,
            year=year,
            value=Decimal(value),
            source="import",
            entered_by=None,
        )
    html = world.client("company_user").get(reverse("core:dashboard")).content.decode()
    assert "Era nyckeltal" in html
    assert "bättre" in html
    office = world.client("admin").get(reverse("core:dashboard")).content.decode()
    assert "Era nyckeltal" not in office
    assert "Ert program" not in office


def test_the_company_pages_in_english(enrolled, world):
    _item(enrolled)
    client = world.client("company_user")
    client.post("/i18n/setlang/", {"language": "en", "next": "/oversikt/"})
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Your program" in html
    assert "Mark as done" in html
