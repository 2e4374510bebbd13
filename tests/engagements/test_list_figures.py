"""The figures of the lists (coach hours, open action items, respondents) equal a plain
sum per row, whatever else the row joins: several sessions, several action items and
several coaches on one engagement must never multiply each other."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from redthread.assessments import services as assessment_services
from redthread.assessments.models import AssessmentRound, Response, ResponseStatus
from redthread.engagements import services
from redthread.engagements.models import ActionItem, ActionStatus, Engagement, Session

from ..assessments.instrument_fixture import SMALL
from .conftest import START


@pytest.fixture
def busy(enrolled, world, methodology):
    """Two engagements, each with several sessions, action items and co-coaches."""
    second, _eligibility = services.engagement_enrol(
        company=world.other_company,
        initiative=methodology["initiative"],
        template=methodology["template"],
        partner=world.partner,
        start_date=START + datetime.timedelta(days=7),
        actor=world.users["program_manager"],
        lead_coach=world.users["coach"],
    )
    for engagement, minutes, statuses in [
        (enrolled, [90, 120, 45], ["open", "open", "in_progress", "done"]),
        (second, [60, 30], ["open", "cancelled", "done"]),
    ]:
        engagement.coaches.add(world.users["other_coach"], world.users["program_manager"])
        for day, length in enumerate(minutes):
            Session.objects.create(
                engagement=engagement,
                date=START + datetime.timedelta(days=day),
                duration_minutes=length,
            )
        for n, status in enumerate(statuses):
            ActionItem.objects.create(engagement=engagement, title=f"Åtgärd {n}", status=status)
    return [enrolled, second]


def _plain(engagement: Engagement) -> tuple[int, int]:
    minutes = sum(s.duration_minutes for s in Session.objects.filter(engagement=engagement))
    pending = sum(
        1
        for a in ActionItem.objects.filter(engagement=engagement)
        if a.status in ActionStatus.PENDING
    )
    return minutes, pending


@pytest.mark.parametrize("who", ["coach", "program_manager", "partner_manager"])
@pytest.mark.parametrize("sort", ["", "hours", "-hours"])
def test_engagement_list_hours_are_a_plain_sum_per_engagement(world, busy, who, sort):
    url = reverse("engagements:engagement_list") + (f"?sort={sort}" if sort else "")
    response = world.client(who).get(url)
    assert response.status_code == 200
    rows = list(response.context["listing"].page.object_list)
    assert {row.pk for row in rows} == {e.pk for e in busy}
    for row in rows:
        assert (row.session_minutes, row.open_actions) == _plain(row)
    assert (rows[0].session_minutes, rows[0].open_actions) in {(255, 3), (90, 1)}
    if sort == "hours":
        assert [r.session_minutes for r in rows] == [90, 255]
    if sort == "-hours":
        assert [r.session_minutes for r in rows] == [255, 90]


def test_engagement_list_figures_follow_the_data(world, busy):
    client = world.client("program_manager")
    url = reverse("engagements:engagement_list")
    Session.objects.create(engagement=busy[1], date=START, duration_minutes=15)
    ActionItem.objects.filter(engagement=busy[0], status="done").update(status="open")
    rows = {r.pk: r for r in client.get(url).context["listing"].page.object_list}
    for engagement in busy:
        assert (rows[engagement.pk].session_minutes, rows[engagement.pk].open_actions) == _plain(
            engagement
        )
    assert rows[busy[1].pk].session_minutes == 105


def test_assessment_list_counts_are_plain_counts_per_round(world, busy):
    instrument, _new = assessment_services.instrument_load(raw=SMALL)
    rounds = []
    for company, submitted, drafts in [(world.company, 3, 1), (world.other_company, 1, 2)]:
        round_ = AssessmentRound.objects.create(
            company=company,
            instrument=instrument,
            timepoint="T0",
            date=START,
            partner=world.partner,
            scores={"dimensions": {"a": 2.0}},
            overall=2.0,
        )
        for n in range(submitted + drafts):
            Response.objects.create(
                round=round_,
                label=f"svar {n}",
                status=ResponseStatus.SUBMITTED if n < submitted else ResponseStatus.DRAFT,
            )
        rounds.append(round_)
    for sort in ["", "respondents", "-respondents"]:
        url = reverse("assessments:round_list") + (f"?sort={sort}" if sort else "")
        response = world.client("program_manager").get(url)
        rows = list(response.context["listing"].page.object_list)
        assert len(rows) == 2
        for row in rows:
            plain = list(Response.objects.filter(round=row))
            assert row.respondents == len(plain)
            assert row.submitted == sum(1 for r in plain if r.is_submitted)
        if sort == "-respondents":
            assert [r.submitted for r in rows] == [3, 1]


def test_status_board_counts_each_engagement_once(world, busy):
    from redthread.engagements import selectors

    board = selectors.overview(user=world.users["coach"], today=START)
    assert sum(n for _status, _label, n in board.statuses) == len(busy)


def test_status_board_month_is_the_calendar_month(world, busy):
    from redthread.engagements import selectors

    Session.objects.all().delete()
    for day, minutes in [
        (datetime.date(2026, 1, 31), 1),
        (datetime.date(2026, 2, 1), 60),
        (datetime.date(2026, 2, 28), 120),
        (datetime.date(2026, 3, 1), 7),
    ]:
        Session.objects.create(engagement=busy[0], date=day, duration_minutes=minutes)
    board = selectors.overview(
        user=world.users["program_manager"], today=datetime.date(2026, 2, 14)
    )
    assert (board.session_count, board.coach_hours) == (2, 3.0)
    december = selectors.overview(
        user=world.users["program_manager"], today=datetime.date(2026, 12, 31)
    )
    assert december.session_count == 0


def test_coverage_counts_each_engagement_once_per_module(world, busy, methodology):
    from redthread.engagements import selectors
    from redthread.engagements.models import PlanStep

    step = PlanStep.objects.filter(engagement=busy[0]).first()
    assert step is not None
    # The same module twice in one plan is still one engagement.
    PlanStep.objects.create(
        engagement=busy[0],
        module_version=step.module_version,
        phase_name="Extra",
        order=99,
        planned_date=START,
    )
    usage = selectors.module_usage()
    plain_initiative: dict[tuple[int, int], set[int]] = {}
    plain_template: dict[tuple[int, int], set[int]] = {}
    for s in PlanStep.objects.select_related("module_version", "engagement__template_version"):
        module = s.module_version.module_id
        plain_initiative.setdefault((module, s.engagement.initiative_id), set()).add(
            s.engagement_id
        )
        plain_template.setdefault((module, s.engagement.template_version.template_id), set()).add(
            s.engagement_id
        )
    assert usage.by_initiative == {k: len(v) for k, v in plain_initiative.items()}
    assert usage.by_template == {k: len(v) for k, v in plain_template.items()}
