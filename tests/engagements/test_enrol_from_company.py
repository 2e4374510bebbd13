"""Enrolling from the company's page, and choosing a suggested coach with one click: the
company comes chosen, a suggestion's button makes its coach the lead coach, and what was
typed is kept; none of it needs JavaScript."""

from __future__ import annotations

from django.urls import reverse

from redthread.academy.models import CoachProfile
from redthread.engagements.models import Engagement
from redthread.registry import services as registry_services
from redthread.registry.models import Municipality

from ..conftest import coached_engagement


def _enrol_url() -> str:
    return reverse("engagements:engagement_enrol")


def test_the_company_page_offers_enrolment_to_those_who_may_enrol(world):
    company_page = reverse("registry:company_detail", kwargs={"pk": world.company.pk})
    link = f'href="{_enrol_url()}?company={world.company.pk}"'
    for who in ("program_manager", "partner_manager"):
        html = world.client(who).get(company_page).content.decode()
        assert link in html, who
        assert "Anmäl till program" in html
    # A coach sees the company it coaches but does not enrol.
    coached_engagement(world)
    coach_page = world.client("coach").get(company_page)
    assert coach_page.status_code == 200
    assert "Anmäl till program" not in coach_page.content.decode()


def test_the_enrolment_form_comes_with_the_company_chosen(world):
    client = world.client("partner_manager")
    form = client.get(_enrol_url(), {"company": world.company.pk}).context["form"]
    assert form["company"].value() == world.company.pk
    # A company the user may not see, or nonsense, chooses nothing and is no error.
    for value in (world.other_company.pk, "x", "10" * 10):
        response = client.get(_enrol_url(), {"company": value})
        assert response.status_code == 200
        assert response.context["form"]["company"].value() is None


def test_a_suggested_coach_is_chosen_with_one_click(methodology, world):
    registry_services.company_update(
        company=world.company,
        headcount=12,
        sni_code="25620",
        sni_version="2025",
        municipality=Municipality.objects.get(code="0617"),
    )
    methodology["initiative"].urban_rural_types = []
    methodology["initiative"].save()
    profile = CoachProfile.objects.create(user=world.users["coach"], home_partner=world.partner)
    profile.modules.set([methodology["five_s"]])
    # The other partner's coach is suggested too, but our manager cannot put it on.
    CoachProfile.objects.create(user=world.users["other_coach"], home_partner=world.other_partner)
    client = world.client("partner_manager")
    typed = {
        "company": world.company.pk,
        "initiative": methodology["initiative"].pk,
        "template": methodology["template"].pk,
        "partner": world.partner.pk,
        "start_date": "2026-03-02",
    }
    suggested = client.post(_enrol_url(), {**typed, "suggest": "1"})
    html = suggested.content.decode()
    coach = world.users["coach"]
    assert f'name="choose_coach" value="{coach.pk}"' in html
    assert 'form="enrol-form"' in html
    assert f'name="choose_coach" value="{world.users["other_coach"].pk}"' not in html
    chosen = client.post(_enrol_url(), {**typed, "choose_coach": str(coach.pk)})
    assert chosen.status_code == 200
    form = chosen.context["form"]
    assert str(form["lead_coach"].value()) == str(coach.pk)
    assert str(form["company"].value()) == str(world.company.pk)
    assert form["start_date"].value() == "2026-03-02"
    assert not form.is_bound  # shown again to be checked, without errors
    assert chosen.context["suggestions"]  # the suggestions stay in view
    assert not Engagement.objects.exists()
    # A coach the manager may not assign is not chosen by a crafted button.
    crafted = client.post(
        _enrol_url(), {**typed, "choose_coach": str(world.users["other_coach"].pk)}
    )
    assert crafted.context["form"]["lead_coach"].value() in (None, "")
    # Enrolling with the chosen coach saves it as the lead.
    done = client.post(_enrol_url(), {**typed, "lead_coach": coach.pk})
    assert done.status_code == 302
    assert Engagement.objects.get().lead_coach == coach
