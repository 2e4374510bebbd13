"""The synthetic nation at a tiny scale: the sizes asked for, and the same rows from the
same seed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction

from redthread.assessments import services as assessment_services
from redthread.assessments.models import AssessmentRound, Response
from redthread.bench.generate import SCALES, fingerprint, generate
from redthread.engagements.models import ActionItem, Engagement, Session
from redthread.outcomes import services as outcome_services
from redthread.outcomes.models import Measurement
from redthread.registry.models import Organisation

from ..assessments.instrument_fixture import SMALL

TODAY = datetime.date(2026, 11, 15)
TINY = SCALES["tiny"]


@pytest.fixture
def base(world, methodology):
    raw = {**SMALL, "instrument": {**SMALL["instrument"], "code": "lean"}}
    assessment_services.instrument_load(raw=raw)
    outcome_services.kpis_load_shipped()


def _rows() -> str:
    return fingerprint(
        iter(
            [
                *Organisation.objects.filter(slug__startswith="bench-")
                .order_by("pk")
                .values_list("pk", "name", "org_number", "responsible_partner", "headcount"),
                *Engagement.objects.order_by("pk").values_list(
                    "pk", "company", "partner", "lead_coach", "start_date", "status"
                ),
                *Session.objects.order_by("pk").values_list(
                    "pk", "engagement", "date", "duration_minutes"
                ),
                *ActionItem.objects.order_by("pk").values_list("pk", "status", "due_date"),
                *AssessmentRound.objects.order_by("pk").values_list("pk", "company", "overall"),
                *Response.objects.order_by("pk").values_list("pk", "answers"),
                *Measurement.objects.order_by("pk").values_list("company", "kpi", "year", "value"),
            ]
        )
    )


def _generate(seed: int) -> Any:
    return generate(scale=TINY, seed=seed, today=TODAY)


def test_the_tiny_nation_has_the_sizes_asked_for(base):
    before = Engagement.objects.count()
    counts = _generate(1)
    assert Organisation.objects.filter(slug__startswith="bench-", kind="company").count() == (
        TINY.companies
    )
    assert Engagement.objects.count() - before == TINY.engagements
    assert Session.objects.count() == TINY.sessions
    assert ActionItem.objects.count() == TINY.action_items
    assert AssessmentRound.objects.count() == TINY.rounds
    assert Measurement.objects.count() == TINY.measurements
    assert counts.rows["answers"] == sum(len(r.answers) for r in Response.objects.all())
    # A scored round has submitted responses behind it.
    round_ = AssessmentRound.objects.filter(overall__isnull=False).first()
    assert round_ is not None
    assert round_.responses.filter(status="submitted").exists()


def test_the_same_seed_gives_the_same_rows(base):
    fingerprints = []
    for seed in [7, 7, 8]:
        with transaction.atomic():
            _generate(seed)
            fingerprints.append(_rows())
            transaction.set_rollback(True)
    assert fingerprints[0] == fingerprints[1]
    assert fingerprints[0] != fingerprints[2]
