"""A coach moves its own engagement between the statuses the office allows it (approved →
active, active ↔ paused, active → completed); the office and the partner's managers keep
every other move; each move is recorded with who made it."""

from __future__ import annotations

from django.urls import reverse

from redthread.engagements import selectors, services
from redthread.engagements.models import EngagementStatus, StatusChange


def _url(engagement) -> str:
    return reverse("engagements:status_change", kwargs={"pk": engagement.pk})


def _approve(engagement, world) -> None:
    services.engagement_status_change(
        engagement=engagement,
        to_status=EngagementStatus.APPROVED,
        actor=world.users["partner_manager"],
    )


def test_a_coach_starts_pauses_resumes_and_completes_its_own_engagement(enrolled, world):
    _approve(enrolled, world)
    coach = world.client("coach")
    for status in ("active", "paused", "active", "completed"):
        done = coach.post(_url(enrolled), {"status-to_status": status, "status-note": status})
        assert done.status_code == 302, status
        enrolled.refresh_from_db()
        assert enrolled.status == status
    moves = StatusChange.objects.filter(engagement=enrolled).exclude(to_status="applied")
    moves = moves.order_by("pk")
    assert [(c.to_status, c.changed_by) for c in moves] == [
        ("approved", world.users["partner_manager"]),
        *[(s, world.users["coach"]) for s in ("active", "paused", "active", "completed")],
    ]
    # Completed is final: nobody moves it, and the page offers no form.
    assert coach.post(_url(enrolled), {"status-to_status": "active"}).status_code == 403
    assert world.client("coach").get(enrolled.get_absolute_url()).context["status_form"] is None


def test_a_coach_sees_only_its_own_moves_and_the_office_keeps_the_rest(enrolled, world):
    coach, manager = world.users["coach"], world.users["partner_manager"]
    # Applied: approving is the office's; the coach has nothing to choose and no form.
    assert selectors.engagement_status_targets(engagement=enrolled, user=coach) == []
    page = world.client("coach").get(enrolled.get_absolute_url())
    assert page.context["status_form"] is None
    assert (
        world.client("coach").post(_url(enrolled), {"status-to_status": "approved"}).status_code
        == 403
    )
    _approve(enrolled, world)
    services.engagement_status_change(engagement=enrolled, to_status="active", actor=manager)
    assert selectors.engagement_status_targets(engagement=enrolled, user=coach) == [
        "paused",
        "completed",
    ]
    assert selectors.engagement_status_targets(engagement=enrolled, user=manager) == [
        "paused",
        "completed",
        "withdrawn",
    ]
    page = world.client("coach").get(enrolled.get_absolute_url())
    offered = [value for value, _label in page.context["status_form"].fields["to_status"].choices]
    assert offered == ["paused", "completed"]
    html = page.content.decode()
    assert "Pausad" in html or "pausad" in html
    # Withdrawing is refused beside the form, in words, and nothing changes.
    refused = world.client("coach").post(_url(enrolled), {"status-to_status": "withdrawn"})
    assert refused.status_code == 200
    errors = refused.context["status_form"].errors["to_status"]
    assert errors == ["Välj en av de statusar som erbjuds här."]
    enrolled.refresh_from_db()
    assert enrolled.status == EngagementStatus.ACTIVE
    # The partner's manager withdraws it.
    withdrawn = world.client("partner_manager").post(
        _url(enrolled), {"status-to_status": "withdrawn"}
    )
    assert withdrawn.status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.status == EngagementStatus.WITHDRAWN


def test_a_coach_of_another_engagement_moves_nothing(enrolled, world):
    _approve(enrolled, world)
    other = world.client("other_coach")
    assert other.post(_url(enrolled), {"status-to_status": "active"}).status_code == 404
    assert (
        world.client("company_user")
        .post(_url(enrolled), {"status-to_status": "active"})
        .status_code
        == 403
    )
    assert (
        selectors.engagement_status_targets(engagement=enrolled, user=world.users["other_coach"])
        == []
    )
    enrolled.refresh_from_db()
    assert enrolled.status == EngagementStatus.APPROVED


def test_a_co_coach_moves_the_engagement_too(enrolled, world):
    _approve(enrolled, world)
    co_coach = world.users["other_coach"]
    enrolled.coaches.add(co_coach)
    assert selectors.engagement_status_targets(engagement=enrolled, user=co_coach) == ["active"]
