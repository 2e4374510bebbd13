"""The engagement page's actions, each a POST to its own address: a refused one shows the
page again with the form's errors, a done one sends the user back to the page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from redthread.engagements import selectors, services
from redthread.engagements.models import ActionStatus, EngagementStatus, ExchangeRate

from .conftest import START


def _url(name: str, engagement, **kwargs) -> str:
    return reverse(f"engagements:{name}", kwargs={"pk": engagement.pk, **kwargs})


def _session(world, **overrides) -> dict[str, object]:
    return {
        "session-date": "2026-02-03",
        "session-duration_minutes": "120",
        "session-mode": "onsite",
        "session-coaches": [world.users["coach"].pk],
        "session-women": "2",
        "session-men": "4",
        "session-other": "0",
        "session-company_hours": "10,5",
        "session-notes": "Bra start.",
        **overrides,
    }


def test_the_page_is_read_with_get_and_each_action_has_its_address(enrolled, world):
    coach = world.client("coach")
    page = enrolled.get_absolute_url()
    assert coach.post(page, _session(world)).status_code == 405
    assert not enrolled.sessions.exists()
    # A GET of an action's address (the language switch on a refused action's page, the
    # address bar) goes to the page.
    for name in ("session_log", "action_item_create", "plan_step_move"):
        response = coach.get(_url(name, enrolled))
        assert (response.status_code, response["Location"]) == (302, page)
    body = coach.get(page).content.decode()
    for name in ("session_log", "action_item_create", "plan_step_move", "plan_step_skip"):
        assert f'action="{_url(name, enrolled)}"' in body
    assert 'name="action"' not in body


def test_a_refused_session_shows_the_page_with_its_errors_then_saves(enrolled, world):
    coach = world.client("coach")
    refused = coach.post(_url("session_log", enrolled), _session(world, **{"session-date": ""}))
    assert refused.status_code == 200
    assert refused.templates[0].name == "engagements/engagement_detail.html"
    form = refused.context["session_form"]
    assert form.is_bound
    assert "date" in form.errors
    assert "Bra start." in refused.content.decode()  # what was typed is kept
    # The other forms on the page are fresh.
    assert not refused.context["action_form"].is_bound
    assert not enrolled.sessions.exists()

    saved = coach.post(_url("session_log", enrolled), _session(world))
    assert (saved.status_code, saved["Location"]) == (
        302,
        f"{enrolled.get_absolute_url()}?sparat=1",
    )
    assert enrolled.sessions.count() == 1


def test_a_session_the_service_refuses_shows_why_beside_the_form(enrolled, world):
    services.engagement_status_change(
        engagement=enrolled, to_status=EngagementStatus.WITHDRAWN, actor=None
    )
    refused = world.client("coach").post(_url("session_log", enrolled), _session(world))
    assert refused.status_code == 200
    assert "nya tillfällen kan inte registreras" in str(
        refused.context["session_form"].non_field_errors()
    )


def test_an_action_items_status_is_changed_at_its_own_address(enrolled, world):
    item = services.action_item_create(engagement=enrolled, title="Märk hyllorna")
    coach = world.client("coach")
    url = _url("action_item_status", enrolled, item_pk=item.pk)
    assert coach.post(url, {"status": ActionStatus.DONE}).status_code == 302
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE
    refused = coach.post(url, {"status": "nonsense"})
    assert refused.status_code == 200
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE
    # Another engagement's item is not reached through this one.
    other = _url("action_item_status", enrolled, item_pk=item.pk + 1000)
    assert coach.post(other, {"status": ActionStatus.OPEN}).status_code == 404
    assert world.client("company_user").post(url, {"status": "open"}).status_code == 403


def test_the_status_is_changed_by_managers_and_never_after_the_end(enrolled, world):
    url = _url("status_change", enrolled)
    assert world.client("coach").post(url, {"status-to_status": "approved"}).status_code == 403
    manager = world.client("partner_manager")
    refused = manager.post(url, {"status-to_status": "completed"})  # not from applied
    assert refused.status_code == 200
    assert "to_status" in refused.context["status_form"].errors
    assert manager.post(url, {"status-to_status": "approved"}).status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.status == EngagementStatus.APPROVED
    services.engagement_status_change(
        engagement=enrolled, to_status=EngagementStatus.WITHDRAWN, actor=None
    )
    assert manager.post(url, {"status-to_status": "active"}).status_code == 403


def test_the_open_status_groups_are_the_ones_the_apps_use(enrolled, world):
    from redthread.engagements.calendar import calendar_events
    from redthread.engagements.models import TRANSITIONS

    assert {s for s, after in TRANSITIONS.items() if not after} == EngagementStatus.FINAL
    assert set(EngagementStatus) == EngagementStatus.OPEN | EngagementStatus.FINAL
    assert EngagementStatus.OPEN - {EngagementStatus.APPLIED} == EngagementStatus.SCHEDULED
    assert {ActionStatus.OPEN, ActionStatus.IN_PROGRESS} == ActionStatus.PENDING

    def shown() -> bool:
        end = START + datetime.timedelta(weeks=10)
        return bool(calendar_events(user=world.users["coach"], start=START, end=end))

    def targets() -> list[int]:
        return list(
            selectors.engagement_open_list(
                user=world.users["coach"], company_id=world.company.pk
            ).values_list("pk", flat=True)
        )

    # Applied: open (a recommendation may go to it) but not on the calendar yet.
    assert (shown(), targets()) == (False, [enrolled.pk])
    for status in (EngagementStatus.APPROVED, EngagementStatus.ACTIVE, EngagementStatus.PAUSED):
        services.engagement_status_change(engagement=enrolled, to_status=status, actor=None)
        assert (shown(), targets()) == (True, [enrolled.pk]), status
    services.engagement_status_change(
        engagement=enrolled, to_status=EngagementStatus.WITHDRAWN, actor=None
    )
    assert (shown(), targets()) == (False, [])


def test_several_sessions_are_logged_together_or_not_at_all(enrolled, world):
    row = {"date": START, "duration_minutes": 60, "mode": "onsite", "notes": "Ett"}
    sessions = services.sessions_log(
        engagement=enrolled, actor=world.users["coach"], rows=[row, {**row, "notes": "Två"}]
    )
    assert [s.notes for s in sessions] == ["Ett", "Två"]
    assert all(list(s.coaches.all()) == [world.users["coach"]] for s in sessions)
    with pytest.raises(ValidationError):
        services.sessions_log(
            engagement=enrolled,
            actor=world.users["coach"],
            rows=[{**row, "notes": "Tre"}, {**row, "duration_minutes": 50}],
        )
    assert enrolled.sessions.count() == 2


def test_the_exchange_rate_is_set_once_a_year_through_the_service(world):
    services.exchange_rate_set(year=2026, sek_per_eur=Decimal("11.45"))
    services.exchange_rate_set(year=2026, sek_per_eur=Decimal("11.20"))
    assert list(ExchangeRate.objects.values_list("year", "sek_per_eur")) == [
        (2026, Decimal("11.2000"))
    ]
    with pytest.raises(ValidationError):
        services.exchange_rate_set(year=2027, sek_per_eur=Decimal(0))
    page = world.client("program_manager").post(
        reverse("engagements:exchange_rates"), {"year": "2027", "sek_per_eur": "0"}
    )
    assert page.status_code == 200
    assert "större än noll" in str(page.context["form"].errors["sek_per_eur"])
    assert not ExchangeRate.objects.filter(year=2027).exists()
