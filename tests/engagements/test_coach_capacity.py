"""Coaches' capacity against their current load: who sees whom, what counts as load, the
words that say a coach is over its capacity, the filters and what a page costs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from redthread.academy.models import CoachProfile
from redthread.engagements.models import Engagement, EngagementStatus
from redthread.engagements.selectors import coach_load
from redthread.methodology import services as methodology_services

from ..factories import OrganisationFactory, UserFactory

URL = reverse("engagements:coach_capacity")


def _engagement(world, methodology, *, lead, status, co=()) -> Engagement:
    """An engagement in the Startprogram (32 coach hours over 16 weeks: 8.66 a month)."""
    version = methodology_services.template_current(methodology["template"])
    assert version is not None
    engagement = Engagement.objects.create(
        company=OrganisationFactory.create(kind="company", responsible_partner=world.partner),
        initiative=methodology["initiative"],
        template_version=version,
        partner=world.partner,
        lead_coach=lead,
        start_date=datetime.date(2026, 1, 1),
        status=status,
    )
    engagement.coaches.set(co)
    return engagement


@pytest.fixture
def loads(world, methodology):
    """Our coach (10 hours a month) leads one running engagement and co-coaches an
    approved one: over its capacity. The other partner's coach (40 hours) has a paused,
    a completed and an applied one: no load at all."""
    ours = CoachProfile.objects.create(
        user=world.users["coach"], home_partner=world.partner, capacity_hours_per_month=10
    )
    theirs = CoachProfile.objects.create(
        user=world.users["other_coach"],
        home_partner=world.other_partner,
        capacity_hours_per_month=40,
    )
    coach, other = world.users["coach"], world.users["other_coach"]
    _engagement(world, methodology, lead=coach, status=EngagementStatus.ACTIVE)
    _engagement(world, methodology, lead=other, status=EngagementStatus.APPROVED, co=[coach])
    for status in (EngagementStatus.PAUSED, EngagementStatus.COMPLETED, EngagementStatus.APPLIED):
        _engagement(world, methodology, lead=other, status=status)
    return ours, theirs


def _rows(response):
    assert response.status_code == 200
    return {str(row.profile.user): row for row in response.context["rows"]}


def test_approved_and_running_engagements_count_paused_and_finished_do_not(world, loads):
    coach, other = world.users["coach"], world.users["other_coach"]
    load = coach_load(user_ids=[coach.pk, other.pk])
    assert load[coach.pk].engagements == 2
    assert round(load[coach.pk].hours, 1) == Decimal("17.3")
    assert load[other.pk].engagements == 1  # the approved one it leads
    assert coach_load(user_ids=[]) == {}


def test_over_capacity_is_said_in_words(world, loads):
    response = world.client("program_manager").get(URL)
    rows = _rows(response)
    ours = rows[str(world.users["coach"])]
    assert ours.state == "over"
    assert ours.over_hours == 7
    page = response.content.decode()
    assert "Över kapaciteten" in page
    assert "7 timmar för mycket i månaden" in page
    theirs = rows[str(world.users["other_coach"])]
    assert theirs.state == "room"
    assert "Har plats" in page


def test_the_office_sees_every_coach_and_a_partner_manager_its_own(world, loads):
    everyone = {str(world.users["coach"]), str(world.users["other_coach"])}
    assert set(_rows(world.client("program_manager").get(URL))) == everyone
    assert set(_rows(world.client("partner_manager").get(URL))) == {str(world.users["coach"])}
    theirs = world.client("other_partner_manager").get(URL)
    assert set(_rows(theirs)) == {str(world.users["other_coach"])}
    assert str(world.users["coach"]) not in theirs.content.decode()


@pytest.mark.parametrize("who", ["coach", "funder_viewer", "company_user", "editor"])
def test_coaches_funders_and_others_do_not_see_it(world, loads, who):
    assert world.client(who).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(world):
    assert world.client("anonymous").get(URL).status_code == 302


def test_the_filters(world, loads):
    office = world.client("program_manager")
    coach, other = str(world.users["coach"]), str(world.users["other_coach"])
    assert set(_rows(office.get(URL, {"partner": world.other_partner.pk}))) == {other}
    assert set(_rows(office.get(URL, {"region": "SE22"}))) == {coach}
    assert set(_rows(office.get(URL, {"q": coach[:4]}))) >= {coach}
    empty = office.get(URL, {"region": "SE11"})
    assert _rows(empty) == {}
    assert "Inga coacher matchar sökningen." in empty.content.decode()


def test_a_partner_manager_cannot_filter_its_way_to_another_partner(world, loads):
    response = world.client("partner_manager").get(URL, {"partner": world.other_partner.pk})
    assert set(_rows(response)) == {str(world.users["coach"])}
    assert "Ett filter har ett värde som inte finns" in response.content.decode()


def test_the_empty_page_says_what_fills_it(world):
    page = world.client("program_manager").get(URL).content.decode()
    assert "Inga coachprofiler ännu." in page


def test_a_page_costs_the_same_queries_for_two_coaches_and_for_many(world, methodology, loads):
    client = world.client("program_manager")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for _index in range(10):
        user = UserFactory.create(role="coach", organisations=[world.partner])
        CoachProfile.objects.create(user=user, home_partner=world.partner)
        _engagement(world, methodology, lead=user, status=EngagementStatus.ACTIVE)
    assert count() == few
