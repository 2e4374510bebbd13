from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from redthread.core.working_days import is_swedish_working_day
from redthread.engagements import services
from redthread.engagements.models import Engagement, EngagementStatus, PlanStepStatus, StatusChange
from redthread.methodology import services as methodology_services
from redthread.registry import services as registry_services

from .conftest import START, enrol


def test_enrolment_makes_a_dated_plan_from_the_pinned_version(enrolled, methodology):
    steps = list(enrolled.plan_steps.order_by("order"))
    assert [(s.module_version.module.code, s.planned_date) for s in steps] == [
        ("vardeflodesanalys", START),
        ("5s", START + datetime.timedelta(weeks=4)),
    ]
    assert [(a.timepoint, a.planned_date) for a in enrolled.plan_assessments.all()] == [
        ("T0", START)
    ]
    assert enrolled.status == EngagementStatus.APPLIED
    assert enrolled.status_changes.get().to_status == EngagementStatus.APPLIED


def test_a_new_template_version_leaves_running_engagements_alone(enrolled, methodology, world):
    template = methodology["template"]
    pinned = enrolled.template_version
    draft = methodology_services.template_draft_start(template=template)
    methodology_services.step_add(
        phase=draft.phases.get(), module=methodology["unused"], offset_weeks=8
    )
    methodology_services.template_publish(version=draft, actor=None)
    methodology_services.module_revise(
        module=methodology["five_s"], actor=None, purpose="Nytt syfte."
    )
    enrolled.refresh_from_db()
    assert enrolled.template_version == pinned
    assert enrolled.plan_steps.count() == 2
    five_s_step = enrolled.plan_steps.get(module_version__module__code="5s")
    assert five_s_step.module_version.number == 1


def test_status_changes_follow_the_rules_and_are_recorded(enrolled, world):
    actor = world.users["partner_manager"]
    with pytest.raises(ValidationError, match="från ansökt till avslutad"):
        services.engagement_status_change(engagement=enrolled, to_status="completed", actor=actor)
    for status in ["approved", "active", "paused", "active", "completed"]:
        services.engagement_status_change(engagement=enrolled, to_status=status, actor=actor)
    with pytest.raises(ValidationError):
        services.engagement_status_change(engagement=enrolled, to_status="active", actor=actor)
    changes = list(
        StatusChange.objects.filter(engagement=enrolled).values_list("to_status", "changed_by")
    )
    assert [c[0] for c in changes] == [
        "applied",
        "approved",
        "active",
        "paused",
        "active",
        "completed",
    ]
    assert all(c[1] == actor.pk for c in changes)


def test_an_ineligible_company_is_refused_with_the_reason(methodology, world):
    registry_services.company_update(company=world.company, headcount=300)
    with pytest.raises(ValidationError) as error:
        services.engagement_enrol(
            company=world.company,
            initiative=methodology["initiative"],
            template=methodology["template"],
            partner=world.partner,
            start_date=START,
            actor=None,
        )
    assert "stort företag" in " ".join(error.value.messages)
    assert not Engagement.objects.exists()


def test_sessions_are_quarter_hours_by_the_engagements_coaches(enrolled, world):
    step = enrolled.plan_steps.first()
    with pytest.raises(ValidationError, match="kvartar"):
        services.session_log(
            engagement=enrolled,
            actor=world.users["coach"],
            date=START,
            duration_minutes=50,
            coaches=[world.users["coach"]],
        )
    with pytest.raises(ValidationError, match="Inte coach"):
        services.session_log(
            engagement=enrolled,
            actor=world.users["coach"],
            date=START,
            duration_minutes=60,
            coaches=[world.users["other_coach"]],
        )
    session = services.session_log(
        engagement=enrolled,
        actor=world.users["coach"],
        date=START,
        duration_minutes=90,
        coaches=[world.users["coach"]],
        plan_step=step,
        women=3,
        men=5,
        company_hours=12,
        step_done=True,
    )
    assert session.hours == 1.5
    step.refresh_from_db()
    assert step.status == PlanStepStatus.DONE


def test_plan_steps_move_skip_and_add(enrolled, methodology):
    step = enrolled.plan_steps.first()
    services.plan_step_move(step=step, planned_date=START + datetime.timedelta(days=3))
    with pytest.raises(ValidationError):
        services.plan_step_skip(step=step, reason=" ")
    services.plan_step_skip(step=step, reason="Företaget har redan gjort det.")
    added = services.plan_step_add(
        engagement=enrolled, module=methodology["unused"], planned_date=START, phase_name="Extra"
    )
    assert added.added
    assert enrolled.plan_steps.count() == 3


def test_who_sees_an_engagement(enrolled, world):
    url = reverse("engagements:engagement_detail", kwargs={"pk": enrolled.pk})
    expected = {
        "admin": 200,
        "program_manager": 200,
        "partner_manager": 200,
        "coach": 200,
        "company_user": 200,
        "other_partner_manager": 404,
        "other_coach": 404,
        "other_company_user": 404,
        "funder_viewer": 403,
        "editor": 403,
        "anonymous": 302,
    }
    assert {who: world.client(who).get(url).status_code for who in expected} == expected


def test_the_list_shows_each_role_its_own(enrolled, world, django_assert_max_num_queries):
    url = reverse("engagements:engagement_list")
    for who, count in [
        ("coach", 1),
        ("other_coach", 0),
        ("partner_manager", 1),
        ("other_partner_manager", 0),
        ("company_user", 1),
        ("other_company_user", 0),
        ("program_manager", 1),
    ]:
        client = world.client(who)
        with django_assert_max_num_queries(14):
            response = client.get(url)
        # The company gets its own page of its programs (no listing with coach's filters).
        shown = (
            response.context["engagements"]
            if who.endswith("company_user")
            else response.context["listing"].page.object_list
        )
        assert len(shown) == count, who


def test_a_coach_logs_a_session_and_an_action_item_on_the_page(enrolled, world):
    client = world.client("coach")
    url = reverse("engagements:engagement_detail", kwargs={"pk": enrolled.pk})
    response = client.post(
        reverse("engagements:session_log", kwargs={"pk": enrolled.pk}),
        {
            "session-date": "2026-02-03",
            "session-duration_minutes": "120",
            "session-mode": "onsite",
            "session-coaches": [world.users["coach"].pk],
            "session-women": "2",
            "session-men": "4",
            "session-other": "0",
            "session-company_hours": "10,5",
            "session-notes": "Bra start.",
        },
    )
    assert response.status_code == 302
    session = enrolled.sessions.get()
    assert str(session.company_hours) == "10.50"
    add_action = reverse("engagements:action_item_create", kwargs={"pk": enrolled.pk})
    response = client.post(
        add_action, {"action-title": "Märk upp hyllorna", "action-due_date": "2026-02-20"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Märk upp hyllorna" in page
    assert "Bra start." in page
    # The company sees its plan and action items, but cannot log.
    company = world.client("company_user")
    assert "Märk upp hyllorna" in company.get(url).content.decode()
    assert company.post(add_action, {"action-title": "x"}).status_code == 403


def test_the_plan_is_changed_on_the_page(enrolled, world, methodology):
    client = world.client("coach")
    move, skip, add = (
        reverse(f"engagements:plan_step_{name}", kwargs={"pk": enrolled.pk})
        for name in ("move", "skip", "add")
    )
    first, second = enrolled.plan_steps.order_by("order")
    assert (
        client.post(move, {"move-step": first.pk, "move-planned_date": "2026-03-01"}).status_code
        == 302
    )
    first.refresh_from_db()
    assert first.planned_date == datetime.date(2026, 3, 1)
    refused = client.post(skip, {"skip-step": second.pk, "skip-reason": ""})
    assert refused.status_code == 200
    assert " open>" in refused.content.decode() or 'plan-edit" open' in refused.content.decode()
    client.post(skip, {"skip-step": second.pk, "skip-reason": "Redan infört."})
    second.refresh_from_db()
    assert second.status == PlanStepStatus.SKIPPED
    client.post(
        add,
        {
            "add-module": methodology["unused"].pk,
            "add-planned_date": "2026-04-01",
            "add-phase_name": "Extra",
        },
    )
    assert enrolled.plan_steps.filter(phase_name="Extra", template_step__isnull=True).exists()
    # The company reads the plan but cannot change it.
    assert (
        world.client("company_user")
        .post(move, {"move-step": first.pk, "move-planned_date": "2026-05-01"})
        .status_code
        == 403
    )


def test_the_overview_counts_and_lists_overdue_items(enrolled, world):
    services.action_item_create(
        engagement=enrolled, title="Försenad sak", due_date=datetime.date(2020, 1, 1)
    )
    response = world.client("partner_manager").get(reverse("engagements:overview"))
    body = response.content.decode()
    assert "Försenad sak" in body
    assert "1 försenad åtgärd" in body
    assert (
        "Försenad sak"
        not in world.client("other_partner_manager")
        .get(reverse("engagements:overview"))
        .content.decode()
    )


def test_two_people_editing_a_session_do_not_overwrite_each_other(enrolled, world):
    session = services.session_log(
        engagement=enrolled,
        actor=world.users["coach"],
        date=START,
        duration_minutes=60,
        coaches=[world.users["coach"]],
        notes="Första versionen.",
    )
    url = reverse("engagements:session_edit", kwargs={"pk": enrolled.pk, "session_pk": session.pk})
    coach, manager = world.client("coach"), world.client("partner_manager")
    token_coach = coach.get(url).context["form"].initial["edit_token"]
    token_manager = manager.get(url).context["form"].initial["edit_token"]
    data = {
        "date": "2026-02-02",
        "duration_minutes": "60",
        "mode": "onsite",
        "coaches": [world.users["coach"].pk],
        "women": "0",
        "men": "0",
        "other": "0",
        "company_hours": "0",
    }
    saved = coach.post(url, {**data, "notes": "Coachens text.", "edit_token": token_coach})
    assert saved.status_code == 302
    refused = manager.post(url, {**data, "notes": "Chefens text.", "edit_token": token_manager})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Någon annan har sparat ändringar" in body
    assert "Chefens text." in body  # the second person keeps what they typed
    session.refresh_from_db()
    assert session.notes == "Coachens text."
    assert world.client("company_user").get(url).status_code == 403


def test_the_company_sees_the_programs_documents(enrolled, world, methodology):
    from django.core.files.base import ContentFile

    methodology_services.module_attachment_add(
        module=methodology["five_s"], title="5S-checklista", file=ContentFile(b"x", name="c.pdf")
    )
    # The attachment belongs to the module's current version, which the plan pinned.
    page = world.client("company_user").get(
        reverse("engagements:engagement_detail", kwargs={"pk": enrolled.pk})
    )
    assert "5S-checklista" in page.content.decode()


def _rows(*rows):
    data = {
        "rows-TOTAL_FORMS": "5",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "20",
    }
    for index in range(5):
        values = rows[index] if index < len(rows) else {}
        defaults = {
            "date": "",
            "duration_minutes": "120",
            "mode": "onsite",
            "women": "0",
            "men": "0",
            "other": "0",
            "company_hours": "0",
            "notes": "",
        }
        for name, value in {**defaults, **values}.items():
            data[f"rows-{index}-{name}"] = value
    return data


def test_several_sessions_in_one_table_all_or_nothing(enrolled, world):
    client = world.client("coach")
    url = reverse("engagements:session_table", kwargs={"pk": enrolled.pk})
    bad = client.post(
        url, _rows({"date": "2026-02-03", "men": "2"}, {"date": "2026-02-10", "women": "-1"})
    )
    assert bad.status_code == 200
    assert enrolled.sessions.count() == 0
    good = client.post(
        url,
        _rows(
            {"date": "2026-02-03", "men": "2", "company_hours": "3,5"},
            {"date": "2026-02-10", "notes": "Uppföljning"},
        ),
    )
    assert good.status_code == 302
    assert good["Location"].endswith("?sparat=1")
    assert sorted(str(s.date) for s in enrolled.sessions.all()) == ["2026-02-03", "2026-02-10"]
    assert enrolled.sessions.get(date="2026-02-03").company_hours == Decimal("3.5")
    services.engagement_status_change(engagement=enrolled, to_status="withdrawn", actor=None)
    refused = client.post(url, _rows({"date": "2026-03-01"}))
    assert refused.status_code == 200
    assert "Inget är sparat." in refused.content.decode()
    assert enrolled.sessions.count() == 2


def test_old_session_notes_are_blanked_after_the_retention_period(enrolled, world, settings):
    from django.core.management import call_command

    old = services.session_log(
        engagement=enrolled,
        actor=world.users["coach"],
        date=datetime.date(2020, 1, 10),
        duration_minutes=60,
        coaches=[world.users["coach"]],
        notes="Om Anna på lagret.",
    )
    new = services.session_log(
        engagement=enrolled,
        actor=world.users["coach"],
        date=START,
        duration_minutes=60,
        coaches=[world.users["coach"]],
        notes="Färsk anteckning.",
    )
    settings.REDTHREAD_SESSION_NOTES_RETENTION_DAYS = 365
    call_command("purge_session_notes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.notes == ""
    assert old.duration_minutes == 60  # the hours stay for the reports
    assert not old.history.exclude(notes="").exists()  # nor does the audit trail keep them
    assert new.notes == "Färsk anteckning."


def test_two_people_changing_the_engagement_do_not_overwrite_each_other(enrolled, world):
    url = reverse("engagements:engagement_edit", kwargs={"pk": enrolled.pk})
    # The office may put a coach of another partner on the engagement (a partner manager may
    # not: test_only_the_partners_coaches_are_assigned).
    first, second = world.client("program_manager"), world.client("partner_manager")
    token_first = first.get(url).context["form"].initial["edit_token"]
    token_second = second.get(url).context["form"].initial["edit_token"]
    other = world.users["other_coach"]
    saved = first.post(
        url, {"partner": world.partner.pk, "lead_coach": other.pk, "edit_token": token_first}
    )
    assert saved.status_code == 302
    refused = second.post(
        url,
        {
            "partner": world.partner.pk,
            "lead_coach": world.users["coach"].pk,
            "edit_token": token_second,
        },
    )
    assert refused.status_code == 200
    assert "Någon annan har sparat ändringar" in refused.content.decode()
    enrolled.refresh_from_db()
    assert enrolled.lead_coach == other


def test_only_the_partners_coaches_are_assigned(enrolled, world):
    """A coach on an engagement reads its notes and its company: a partner manager assigns
    only its partner's coaches; the office may add one of another partner, who then stays."""
    url = reverse("engagements:engagement_edit", kwargs={"pk": enrolled.pk})
    manager, office = world.client("partner_manager"), world.client("program_manager")
    stranger, own = world.users["other_coach"], world.users["coach"]
    offered = manager.get(url).context["form"].fields["coaches"].queryset
    assert own in offered
    assert stranger not in offered
    token = manager.get(url).context["form"].initial["edit_token"]
    refused = manager.post(
        url,
        {
            "partner": world.partner.pk,
            "lead_coach": own.pk,
            "coaches": [stranger.pk],
            "edit_token": token,
        },
    )
    assert refused.status_code == 200
    assert not enrolled.coaches.exists()
    # The service refuses it too, whatever the form offered.
    with pytest.raises(ValidationError, match="Inte coach hos IUC Test"):
        services.engagement_update(
            engagement=enrolled,
            partner=world.partner,
            lead_coach=own,
            coaches=[stranger],
            actor=world.users["partner_manager"],
        )
    with pytest.raises(ValidationError, match="Inte coach hos IUC Test"):
        services.engagement_enrol(
            company=world.company,
            initiative=enrolled.initiative,
            template=enrolled.template_version.template,
            partner=world.partner,
            start_date=START,
            actor=world.users["partner_manager"],
            lead_coach=stranger,
        )
    # The office adds the other partner's coach; the partner manager's next save keeps it.
    token = office.get(url).context["form"].initial["edit_token"]
    data = {"partner": world.partner.pk, "lead_coach": own.pk, "coaches": [stranger.pk]}
    assert office.post(url, {**data, "edit_token": token}).status_code == 302
    assert list(enrolled.coaches.all()) == [stranger]
    token = manager.get(url).context["form"].initial["edit_token"]
    assert manager.post(url, {**data, "edit_token": token}).status_code == 302
    assert list(enrolled.coaches.all()) == [stranger]


def test_plan_dates_fall_on_swedish_working_days(methodology, world):
    """A start on Christmas Eve: the first step and T0 move past Christmas and the weekend."""
    engagement = enrol(methodology, world, start_date=datetime.date(2026, 12, 24))
    dates = [s.planned_date for s in engagement.plan_steps.order_by("order")]
    # Offsets 0 and 4 weeks: Thursday 24 December → Monday 28; Thursday 21 January as is.
    assert dates == [datetime.date(2026, 12, 28), datetime.date(2027, 1, 21)]
    assert [a.planned_date for a in engagement.plan_assessments.all()] == [
        datetime.date(2026, 12, 28)
    ]
    assert all(is_swedish_working_day(day) for day in dates)
