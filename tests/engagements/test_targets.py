"""An initiative's targets against its actuals and their expected path."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from redthread.engagements import services
from redthread.engagements.models import EngagementStatus
from redthread.methodology.progress import (
    TargetStatus,
    elapsed_share,
    initiative_progress,
    status_for,
)

from .conftest import START


def _classify(**types: str) -> None:
    """Every municipality "landsbygd_nara" (rural), unless named otherwise."""
    from redthread.core.importing import SourceRow, Table
    from redthread.registry.models import Municipality
    from redthread.registry.urban_rural import urban_rural_import

    rows = [
        SourceRow(n, [m.code, types.get(m.code, "landsbygd_nara")])
        for n, m in enumerate(Municipality.objects.order_by("code"), start=2)
    ]
    urban_rural_import(
        Table(headers=["Kommunkod", "Kommuntyp"], rows=rows),
        version="2014",
        source="test",
        official=True,
    )


def test_the_expected_path_is_linear_over_the_period(methodology):
    initiative = methodology["initiative"]  # 2025-01-01 – 2027-12-31
    assert elapsed_share(initiative, datetime.date(2024, 6, 1)) == 0.0
    assert elapsed_share(initiative, datetime.date(2028, 6, 1)) == 1.0
    half = elapsed_share(initiative, datetime.date(2026, 7, 2))
    assert 0.49 < half < 0.51


@pytest.mark.parametrize(
    ("actual", "expected", "status"),
    [
        (10, 10, TargetStatus.ON_TRACK),
        (11.9, 10, TargetStatus.ON_TRACK),  # within 10 % of the target (20)
        (12.1, 10, TargetStatus.AHEAD),
        (7.9, 10, TargetStatus.BEHIND),
        (None, 10, TargetStatus.BEHIND),
    ],
)
def test_ahead_on_track_or_behind(actual, expected, status):
    assert status_for(actual, expected, 20) == status
    assert status_for(actual, expected, 0) == TargetStatus.NO_TARGET


def test_the_actuals_follow_the_engagements_and_their_sessions(enrolled, world):
    initiative = enrolled.initiative
    initiative.target_companies = 4
    initiative.target_hours = 100
    initiative.target_rural_share_percent = 50
    initiative.save()
    today = datetime.date(2026, 7, 2)  # about half the period
    before = {row.label: row for row in initiative_progress(initiative, today)}
    # Applied or approved is not started: no company yet, nothing logged.
    assert before["Företag"].actual == 0
    assert before["Företag"].status == TargetStatus.BEHIND
    assert before["Coachtimmar"].actual == 0
    assert before["Andel på landsbygden"].actual is None
    services.engagement_status_change(
        engagement=enrolled, to_status=EngagementStatus.APPROVED, actor=None
    )
    services.engagement_status_change(
        engagement=enrolled, to_status=EngagementStatus.ACTIVE, actor=None
    )
    coach = world.users["coach"]
    services.session_log(
        engagement=enrolled, actor=coach, date=START, duration_minutes=180, coaches=[coach]
    )
    after = {row.label: row for row in initiative_progress(initiative, today)}
    # Without a classification the share is not known, and not made up.
    assert after["Andel på landsbygden"].actual is None
    _classify()
    after = {row.label: row for row in initiative_progress(initiative, today)}
    assert after["Företag"].actual == 1
    assert after["Företag"].expected == pytest.approx(2, abs=0.05)
    assert after["Coachtimmar"].actual == 3
    assert after["Andel på landsbygden"].actual == 100
    assert after["Andel på landsbygden"].status == TargetStatus.ON_TRACK


def test_the_initiative_page_shows_targets_against_actuals(
    enrolled, world, django_assert_max_num_queries
):
    initiative = enrolled.initiative
    initiative.target_companies = 20
    initiative.save()
    client = world.client("program_manager")
    url = reverse("methodology:initiative_detail", kwargs={"slug": initiative.slug})
    client.get(url)
    with django_assert_max_num_queries(25):
        page = client.get(url)
    text = page.content.decode()
    assert "Mål och utfall" in text
    assert "Förväntat i dag" in text
    assert "<svg" in text
    assert any(row.label == "Företag" for row in page.context["progress"])
