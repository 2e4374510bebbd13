"""The results pages' data version: one query per request instead of a scan of five
tables; any write the results rest on makes the kept results stale; the page says when
its figures were computed."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.urls import reverse

from redthread.engagements.models import Session
from redthread.outcomes import selectors, tasks, versions
from redthread.outcomes.models import ComparisonGroup, Measurement, StoredResult


def test_a_write_bumps_the_version(program):
    before = versions.current()
    measurement = Measurement.objects.order_by("pk")[0]
    measurement.value = Decimal(measurement.value) + 1
    measurement.save()
    assert versions.current() == before + 1
    group = ComparisonGroup.objects.order_by("pk")[0]
    group.companies.remove(group.companies.order_by("pk")[0])
    assert versions.current() == before + 2
    Measurement.objects.filter(pk=measurement.pk).delete()
    assert versions.current() == before + 3


def test_stored_results_equal_a_fresh_computation_until_the_data_changes(program, world):
    client = world.client("program_manager")
    url = reverse("outcomes:dashboard")
    first = client.get(url).context  # computed by the task (immediate backend in tests)
    kept = client.get(url).context
    assert kept["computed_at"] == first["computed_at"]
    fresh = selectors.results_compute(
        user=world.users["program_manager"],
        initiative=None,
        breakdown="",
        kpi=None,
        suppress=False,
    )
    assert [e.change for e in kept["effects"]] == [e.change for e in fresh["effects"]]
    assert [e.change for e in kept["scores"]] == [e.change for e in fresh["scores"]]
    assert kept["reach"] == fresh["reach"]
    # A change to a measurement: the stored result is stale and computed again.
    kpi = program["kpi"]
    measurement = Measurement.objects.filter(kpi=kpi).order_by("pk")[0]
    measurement.value = Decimal(measurement.value) * 10
    measurement.save()
    again = client.get(url)
    assert again.context["computed_at"] > first["computed_at"]
    assert [e.change for e in again.context["effects"]] != [e.change for e in fresh["effects"]]
    assert "Beräknat " in again.content.decode()


def test_a_worker_computes_first_visits_and_stale_results(program, world, monkeypatch):
    """With a real worker the page never computes: a first visit says the figures are
    being computed, a stale result is shown with its time and queued once."""
    queued: list[int] = []
    task = tasks.results_store
    monkeypatch.setattr(tasks, "results_store", SimpleNamespace(enqueue=queued.append))
    client = world.client("program_manager")
    url = reverse("outcomes:dashboard")
    page = client.get(url)
    assert page.context["computing"]
    assert "Resultaten beräknas" in page.content.decode()
    (stored_id,) = queued
    task.call(stored_id)
    page = client.get(url)
    assert not page.context["stale"]
    assert len(queued) == 1
    stored = StoredResult.objects.get(pk=stored_id)
    Session.objects.order_by("pk")[0].save()  # any write
    page = client.get(url)
    assert page.context["stale"]
    assert page.context["computed_at"] == stored.computed_at
    assert "siffrorna beräknas om" in page.content.decode()
    client.get(url)
    assert queued == [stored_id, stored_id]  # queued once per data version
    task.call(stored_id)
    assert not client.get(url).context["stale"]
