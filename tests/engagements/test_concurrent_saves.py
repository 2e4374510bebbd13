"""Two saves of one record at the same moment, from two threads with their own database
connections: one is stored, the other refused with the conflict message, never both and
never a server error. Run on SQLite and on PostgreSQL (scripts/with_postgres.py)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from redthread.academy.models import CoachProfile

CONFLICT = "Någon annan har sparat ändringar"


def _race(clients: list[Client], url: str, payloads: list[dict[str, Any]]) -> list[Any]:
    barrier = threading.Barrier(len(clients))
    results: list[Any] = [None] * len(clients)

    def post(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = clients[index].post(url, payloads[index])
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_a_coach_profile_at_once_store_one(world, methodology):
    profile = CoachProfile.objects.create(user=world.users["coach"], home_partner=world.partner)
    url = reverse("academy:coach_edit", kwargs={"pk": profile.pk})
    clients = [world.client("partner_manager"), world.client("program_manager")]
    tokens = [c.get(url).context["form"].initial["edit_token"] for c in clients]
    base: dict[str, Any] = {"languages": ["sv"], "categories": [], "county": ""}
    payloads: list[dict[str, Any]] = [
        {**base, "capacity_hours_per_month": "10", "modules": [methodology["five_s"].pk]},
        {**base, "capacity_hours_per_month": "20", "modules": []},
    ]
    for payload, token in zip(payloads, tokens, strict=True):
        payload["edit_token"] = token
    results = _race(clients, url, payloads)
    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 302], statuses  # one stored, one refused; no 500
    refused = next(r for r in results if r.status_code == 200)
    assert CONFLICT in refused.content.decode()
    profile.refresh_from_db()
    winner = payloads[[r.status_code for r in results].index(302)]
    assert profile.capacity_hours_per_month == int(str(winner["capacity_hours_per_month"]))
    assert sorted(m.pk for m in profile.modules.all()) == sorted(winner["modules"])


def test_the_token_sees_a_change_of_many_to_many_fields_only(world, methodology):
    from redthread.core.forms import edit_token

    profile = CoachProfile.objects.create(user=world.users["coach"], home_partner=world.partner)
    before = edit_token(profile, ["modules", "capacity_hours_per_month"])
    profile.modules.add(methodology["five_s"])
    assert edit_token(profile, ["modules", "capacity_hours_per_month"]) != before
