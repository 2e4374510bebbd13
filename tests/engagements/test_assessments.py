"""Where engagements meet assessments: the plan's measurements, recommendations turned
into action items and plan steps, and the program's view of maturity."""

import pytest
from django.urls import reverse

from redthread.assessments import services as assessment_services
from redthread.engagements import services
from redthread.engagements.models import ActionItem, ActionOrigin, EngagementStatus


@pytest.fixture
def instruments(db):
    assessment_services.instruments_load_shipped()


def _start(world, engagement):
    point = engagement.plan_assessments.get(timepoint="T0")
    page = world.client("coach").post(
        reverse("engagements:plan_assessment_start", args=[engagement.pk, point.pk])
    )
    point.refresh_from_db()
    return page, point


def test_the_plan_starts_its_measurement_once(world, enrolled, instruments):
    page, point = _start(world, enrolled)
    round_ = point.round
    assert page["Location"] == round_.get_absolute_url()
    assert (round_.company, round_.timepoint, round_.instrument.code) == (
        world.company,
        "T0",
        "lean",
    )
    assert round_.partner == world.partner
    assert world.users["coach"] in round_.coaches.all()
    _again, point = _start(world, enrolled)
    assert point.round == round_
    # The engagement page links to it.
    detail = world.client("coach").get(enrolled.get_absolute_url()).content.decode()
    assert round_.get_absolute_url() in detail


def test_without_the_instrument_the_start_is_refused_with_a_message(world, enrolled):
    page, point = _start(world, enrolled)
    assert point.round is None
    assert page["Location"] == enrolled.get_absolute_url()


def _low_answer(question):
    if question.type == "scale":
        return "1"
    if question.type == "single":
        return question.options[0].code
    if question.type == "multiple":
        return []
    if question.type == "yesno":
        return "no"
    return str(int(question.minimum))


def _scored_round(world, enrolled):
    _page, point = _start(world, enrolled)
    round_ = point.round
    definition = round_.instrument.parsed
    response = assessment_services.response_add(round=round_)
    for number, (_dimension, questions) in enumerate(definition.pages()):
        data = {}
        for question in questions:
            data[question.code] = _low_answer(question)
        assessment_services.response_save_page(response=response, page=number, data=data)
    assert assessment_services.response_submit(response=response) == []
    round_.refresh_from_db()
    return round_


def test_a_recommendation_becomes_an_action_item_or_a_plan_step(
    world, enrolled, instruments, methodology
):
    services.engagement_status_change(
        engagement=enrolled, to_status=EngagementStatus.APPROVED, actor=None
    )
    round_ = _scored_round(world, enrolled)
    coach = world.client("coach")
    page = coach.get(round_.get_absolute_url())
    targets = page.context["targets"]
    assert [t.label for t in targets] == [enrolled.initiative.name]
    url = targets[0].url
    module = methodology["five_s"]
    coach.post(
        url, {"round": round_.pk, "module": module.code, "dimension": "flow", "kind": "action"}
    )
    item = ActionItem.objects.get(engagement=enrolled, origin=ActionOrigin.ASSESSMENT)
    assert item.assessment_round == round_
    assert "5S" in item.title
    assert item.module == module
    # Twice is refused, with a message; the page then says it is an action already.
    again = coach.post(
        url,
        {"round": round_.pk, "module": module.code, "dimension": "flow", "kind": "action"},
        follow=True,
    )
    assert "redan en åtgärd från den här mätningen" in again.content.decode()
    assert ActionItem.objects.filter(engagement=enrolled, module=module).count() == 1
    assert module.code in again.context["targets"][0].actions
    # 5S is in the plan already: it is not offered, nor added, as a step again.
    assert module.code in again.context["targets"][0].planned
    steps_before = enrolled.plan_steps.count()
    refused = coach.post(
        url,
        {"round": round_.pk, "module": module.code, "dimension": "flow", "kind": "step"},
        follow=True,
    )
    assert "finns redan i planen" in refused.content.decode()
    assert enrolled.plan_steps.count() == steps_before
    smed = methodology["unused"]
    coach.post(url, {"round": round_.pk, "module": smed.code, "dimension": "flow", "kind": "step"})
    assert enrolled.plan_steps.count() == steps_before + 1
    # A tampered dimension changes nothing; another coach cannot reach the engagement.
    coach.post(
        url, {"round": round_.pk, "module": module.code, "dimension": "nope", "kind": "action"}
    )
    assert ActionItem.objects.filter(origin=ActionOrigin.ASSESSMENT).count() == 1
    # An action gets its owner and due date on the way; an owner from elsewhere is refused.
    flow = methodology["vsm"]
    owners = dict(page.context["targets"][0].owners)
    coach_value = f"coach:{world.users['coach'].pk}"
    assert coach_value in owners
    coach.post(
        url,
        {
            "round": round_.pk,
            "module": flow.code,
            "dimension": "flow",
            "kind": "action",
            "owner": coach_value,
            "due": "2027-03-01",
        },
    )
    owned = ActionItem.objects.get(engagement=enrolled, module=flow)
    assert owned.owner_coach == world.users["coach"]
    assert str(owned.due_date) == "2027-03-01"
    for bad in ({"owner": f"coach:{world.users['other_coach'].pk}"}, {"due": "2027-02-31"}):
        page = coach.post(
            url,
            {"round": round_.pk, "module": smed.code, "dimension": "flow", "kind": "action"} | bad,
            follow=True,
        )
        assert page.status_code == 200
        assert not ActionItem.objects.filter(engagement=enrolled, module=smed).exists()
    other = world.client("other_coach").post(
        url, {"round": round_.pk, "module": module.code, "dimension": "flow", "kind": "action"}
    )
    assert other.status_code == 404


def test_the_program_view_shows_the_spread(
    world, enrolled, instruments, django_assert_max_num_queries
):
    _scored_round(world, enrolled)
    client = world.client("program_manager")
    # The first visit computes the figures (at once with the tests' immediate task
    # backend); the page itself only reads them, whatever the number of rounds.
    client.get(reverse("outcomes:maturity"), {"instrument": "lean"})
    with django_assert_max_num_queries(12):
        page = client.get(reverse("outcomes:maturity"), {"instrument": "lean"})
    assert page.context["count"] == 1
    text = page.content.decode()
    assert "<svg" in text
    assert "Median" in text
    year = enrolled.start_date.year
    cohort = client.get(reverse("outcomes:maturity"), {"instrument": "lean", "cohort": year})
    assert cohort.context["count"] == 1
    # A year without engagements is not offered: the form says so.
    assert (
        client.get(reverse("outcomes:maturity"), {"cohort": year - 7})
        .context["form"]
        .errors["cohort"]
    )
    # Another partner's manager sees none of our engagements' measurements.
    assert (
        world.client("other_partner_manager").get(reverse("outcomes:maturity")).context["count"]
        == 0
    )


def test_the_coverage_matrix_counts_the_engagements_using_each_module(
    world, enrolled, methodology, django_assert_max_num_queries
):
    from redthread.methodology.selectors import coverage

    result = coverage(user=world.users["program_manager"])
    by_initiative = {m.code: [c.engagements for c in row] for m, row in result.initiative_cells()}
    assert by_initiative == {"5s": [1], "smed": [0], "vardeflodesanalys": [1]}
    by_template = {m.code: [c.engagements for c in row] for m, row in result.template_cells()}
    assert by_template["5s"] == [1]
    client = world.client("coach")
    with django_assert_max_num_queries(14):
        page = client.get(reverse("methodology:coverage"))
    assert "1 uppdrag" in page.content.decode()
    # The counts are kept between pages, but a plan step added or removed is seen at once.
    from redthread.engagements import services as engagement_services
    from redthread.methodology.models import MethodModule

    step = engagement_services.plan_step_add(
        engagement=enrolled,
        module=MethodModule.objects.get(code="smed"),
        planned_date=enrolled.start_date,
        phase_name="Extra",
    )
    by_initiative = {
        m.code: [c.engagements for c in row]
        for m, row in coverage(user=world.users["program_manager"]).initiative_cells()
    }
    assert by_initiative["smed"] == [1]
    step.delete()
    by_initiative = {
        m.code: [c.engagements for c in row]
        for m, row in coverage(user=world.users["program_manager"]).initiative_cells()
    }
    assert by_initiative["smed"] == [0]


def test_the_engagement_and_the_program_view_say_a_round_still_waits(world, enrolled, instruments):
    round_ = _scored_round(world, enrolled)
    assessment_services.response_add(round=round_, group="shop_floor", mode="self")
    detail = world.client("coach").get(enrolled.get_absolute_url()).content.decode()
    assert "1 av 2 svarande har inte svarat än" in detail
    page = world.client("program_manager").get(reverse("outcomes:maturity"), {"instrument": "lean"})
    assert page.context["waiting"] == 1
    assert "1 av dem väntar fortfarande på svarande" in page.content.decode()


def test_the_maturity_spread_is_stored_and_follows_new_answers(world, enrolled, instruments):
    from redthread.outcomes.models import StoredResult

    round_ = _scored_round(world, enrolled)
    client = world.client("program_manager")
    url = reverse("outcomes:maturity")
    first = client.get(url, {"instrument": "lean"})
    assert first.context["count"] == 1
    assert first.context["computed_at"] is not None
    assert "Beräknat" in first.content.decode()
    assert StoredResult.objects.filter(params__kind="maturity").count() == 1
    # A respondent added to the round makes the stored spread stale: it is computed again
    # (at once with the immediate backend of the tests) and says the round waits.
    assessment_services.response_add(round=round_, group="shop_floor", mode="self")
    again = client.get(url, {"instrument": "lean"})
    assert again.context["waiting"] == 1
    # Timepoints are named, not coded.
    assert "T0 – före" in again.content.decode()
    # Another partner's manager has figures of its own, not the office's.
    other = world.client("other_partner_manager").get(url, {"instrument": "lean"})
    assert other.context["count"] == 0
    assert StoredResult.objects.filter(params__kind="maturity").count() == 2


def test_the_old_address_of_the_maturity_spread_sends_on(world):
    page = world.client("program_manager").get("/uppdrag/mognad/?instrument=lean&cohort=2025")
    assert page.status_code == 302
    assert page["Location"] == reverse("outcomes:maturity") + "?instrument=lean&cohort=2025"
