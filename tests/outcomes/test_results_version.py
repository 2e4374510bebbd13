"""The results pages' data version: one query per request instead of a scan of five
tables; any write the results rest on makes the kept results stale; the page says when
its figures were computed."""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache
from django.urls import reverse

from redthread.outcomes import versions
from redthread.outcomes.models import ComparisonGroup, Measurement

from .conftest import TREATED


def test_a_write_bumps_the_version(program):
    before = versions.current()
    measurement = Measurement.objects.first()
    measurement.value = Decimal(measurement.value) + 1
    measurement.save()
    assert versions.current() == before + 1
    group = ComparisonGroup.objects.first()
    group.companies.remove(group.companies.first())
    assert versions.current() == before + 2
    Measurement.objects.filter(pk=measurement.pk).delete()
    assert versions.current() == before + 3


def test_kept_results_equal_a_fresh_computation_until_the_data_changes(program, world):
    cache.clear()
    client = world.client("program_manager")
    url = reverse("outcomes:dashboard")
    first = client.get(url).context
    kept = client.get(url).context
    assert kept["computed_at"] == first["computed_at"]
    cache.clear()
    fresh = client.get(url).context
    assert [e.change for e in kept["effects"]] == [e.change for e in fresh["effects"]]
    assert kept["reach"] == fresh["reach"]
    # A change to a measurement: the kept result is stale and computed again.
    kpi = program["kpi"]
    measurement = Measurement.objects.filter(kpi=kpi).order_by("pk").first()
    measurement.value = Decimal(measurement.value) * 10
    measurement.save()
    again = client.get(url)
    assert again.context["computed_at"] > fresh["computed_at"]
    assert [e.change for e in again.context["effects"]] != [e.change for e in fresh["effects"]]
    assert "Beräknat " in again.content.decode()
    assert fresh["effects"][0].change.n <= TREATED
