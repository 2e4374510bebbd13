"""Stored results are JSON, not pickles: what is stored reads back equal to what was
computed (decimals, dates, floats, translated labels, KPIs, the dataclasses), a row in
another format is never read but computed again, and nothing outside the list of types is
written or built."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from redthread.outcomes import impact, results_codec, selectors, tasks
from redthread.outcomes.models import StoredResult
from redthread.outcomes.statistics import Interval


def _stored(user, *, initiative, breakdown="", kpi=None, suppress=False, language="sv"):
    key = selectors.results_key(
        user=user,
        initiative=initiative,
        breakdown=breakdown,
        kpi=kpi,
        suppress=suppress,
        language=language,
    )
    return StoredResult.objects.get(key=key)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_stored_result_reads_back_equal_to_the_computed_one(program, world, language):
    """Through the real column (jsonb on PostgreSQL, text on SQLite): the figures the task
    stored, read back by the page's selector, equal a fresh computation, field by field."""
    user = world.users["program_manager"]
    choice = {
        "initiative": program["initiative"],
        "breakdown": "urban_rural",
        "kpi": program["kpi"],
        "suppress": False,
    }
    with translation.override(language):
        kept = selectors.dashboard_results(user=user, **choice)
        fresh = selectors.results_compute(user=user, **choice)
        assert not kept.pop("stale")
        assert isinstance(kept.pop("computed_at"), datetime.datetime)
        assert kept == fresh
        assert kept["reach"].coach_hours == fresh["reach"].coach_hours
        assert isinstance(kept["reach"].coach_hours, Decimal)
        assert list(kept["reach"].by_region) == list(fresh["reach"].by_region)  # the order too
        assert kept["breakdown"]["label"] == str(impact.BREAKDOWNS["urban_rural"])
        assert [g.label for g in kept["breakdown"]["groups"]] == [
            str(g.label) for g in fresh["breakdown"]["groups"]
        ]
        effect = kept["effects"][0]
        assert effect.kpi.pk == program["kpi"].pk
        assert effect.kpi.name == program["kpi"].name
    payload = _stored(user, **choice, language=language).results
    json.dumps(payload, allow_nan=False)  # plain JSON, nothing else
    assert payload["format"] == results_codec.FORMAT


def test_every_value_type_round_trips_through_the_database(db):
    """Values the figures may hold, through a real row: decimals keep their exponent,
    dates and aware datetimes their value, floats that jsonb would print as integers or
    cannot hold at all come back as the same floats, dict order and tuples are kept."""
    values = {
        "decimal": Decimal("1234.5000"),
        "small": Decimal("-0.0001"),
        "date": datetime.date(2025, 12, 31),
        "datetime": timezone.now(),
        "floats": [0.1, -2.5e-7, 1.2345e20, 1e300, float("inf"), float("-inf"), 3.0],
        "ints": [0, -1, 10**30],
        "order": {"z": 1, "a": 2, "mm": 3, "b": 4},
        "int_keys": {3: "c", 1: "a"},
        "tuple_keys": {(1, 2024): 5.5},
        "tuple": (1, "a", None, True),
        "interval": Interval(low=-1.5, high=2.25),
        "reach": impact.Reach(companies=3, coach_hours=Decimal("7.50"), by_region={"SE22": 3}),
    }
    encoded = results_codec.results_encode(values)
    json.dumps(encoded, allow_nan=False)
    row = StoredResult.objects.create(key="codec", results=encoded)
    back = results_codec.results_decode(StoredResult.objects.get(pk=row.pk).results)
    assert back == values
    assert str(back["decimal"]) == "1234.5000"
    assert list(back["order"]) == ["z", "a", "mm", "b"]
    assert [type(f) for f in back["floats"]] == [float] * 7
    nan = results_codec.decode_value(results_codec.encode_value(float("nan")))
    assert nan != nan


def test_anything_outside_the_list_is_refused_when_stored(db):
    class Other:
        pass

    with pytest.raises(TypeError):
        results_codec.results_encode({"x": Other()})
    with pytest.raises(TypeError):
        results_codec.results_encode({"x": {1, 2}})


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "gAWVAAAAAAAAAAB9lC4=",  # a pickle, as text
        {"format": 0, "results": {}},
        {"format": results_codec.FORMAT, "results": {"$os.system": {"command": "true"}}},
        {"format": results_codec.FORMAT, "results": {"$dict": [[1, {"$Reach": {"x": 1}}]]}},
        {"format": results_codec.FORMAT, "results": [1, 2]},
    ],
)
def test_a_payload_of_another_format_is_stale(payload):
    with pytest.raises(results_codec.StaleFormat):
        results_codec.results_decode(payload)


def test_a_row_of_an_older_format_is_never_read_but_computed_again(program, world):
    """A row left by the pickled format (or damaged) is recomputed on the next visit:
    the page shows fresh figures, never a 500, and the row then holds the new format."""
    client = world.client("program_manager")
    url = reverse("outcomes:dashboard")
    StoredResult.objects.all().delete()
    first = client.get(url)
    (stored,) = StoredResult.objects.all()
    StoredResult.objects.filter(pk=stored.pk).update(results={"format": 0, "pickle": "gAWV"})
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context.get("computing")
    assert page.context["reach"] == first.context["reach"]
    assert page.context["computed_at"] > first.context["computed_at"]
    assert (StoredResult.objects.get(pk=stored.pk).results or {}).get(
        "format"
    ) == results_codec.FORMAT


def test_the_task_stores_json(program, world):
    user = world.users["program_manager"]
    with translation.override("sv"):
        selectors.dashboard_results(
            user=user, initiative=None, breakdown="", kpi=None, suppress=False
        )
    stored = _stored(user, initiative=None)
    StoredResult.objects.filter(pk=stored.pk).update(results=None, computed_at=None)
    tasks.results_store.call(stored.pk)
    assert (StoredResult.objects.get(pk=stored.pk).results or {}).get(
        "format"
    ) == results_codec.FORMAT
