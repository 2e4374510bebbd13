"""The benchmark harness. Each case is timed as a ratio against a floor measured in the
same run (a request to /healthz through the whole middleware stack with one database
round trip), so results compare across machines and do not flake like timed tests."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from redthread.accounts.models import User
from redthread.registry.models import Organisation, OrganisationKind

#: bench/results in the source checkout (the harness runs from one).
RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results"


@dataclass(frozen=True)
class Case:
    name: str
    #: A path, or a function that finds one in the demo data (a page of one record).
    url: str | Callable[[], str]
    who: str | None  # e-mail of a demo user, or None for anonymous
    #: Empty Django's cache before each request: the page as computed, not as kept.
    cold: bool = False


def _demo_round() -> str:
    from redthread.assessments.models import AssessmentRound

    round_ = (
        AssessmentRound.objects.filter(instrument__code="lean", timepoint="T1")
        .order_by("pk")
        .first()
    )
    assert round_ is not None, "the demo has lean T1 rounds"
    return round_.get_absolute_url()


CASES = [
    Case("login page", "/login/", None),
    Case("overview (admin)", "/oversikt/", "admin@demo.test"),
    Case(
        "organisation list (program manager)",
        "/organisationer/",
        "programledare@demo.test",
    ),
    Case("organisation search (coach)", "/organisationer/?q=IUC&sort=-name", "coach@demo.test"),
    Case("user list (admin)", "/anvandare/", "admin@demo.test"),
    Case("company list, 900 companies (program manager)", "/foretag/", "programledare@demo.test"),
    Case(
        "company list filtered by region and size",
        "/foretag/?region=SE22&size_class=small",
        "programledare@demo.test",
    ),
    Case("company search (partner manager)", "/foretag/?q=Mekaniska", "partner@demo.test"),
    Case("company export, xlsx (900 rows)", "/foretag/?format=xlsx", "programledare@demo.test"),
    Case("assessment list (program manager)", "/matningar/", "programledare@demo.test"),
    Case("assessment result with peers and radar", _demo_round, "programledare@demo.test"),
    Case(
        "maturity spread, lean, all engagements",
        "/resultat/mognad/?instrument=lean",
        "programledare@demo.test",
    ),
    Case(
        "results, all initiatives, 11 KPIs with bootstrap (computed)",
        "/resultat/",
        "programledare@demo.test",
        cold=True,
    ),
    Case("results, all initiatives (kept)", "/resultat/", "programledare@demo.test"),
    Case(
        "results by partner, funder (computed)",
        "/resultat/?breakdown=partner",
        "finansiar@demo.test",
        cold=True,
    ),
]


def _timed(func: Callable[[], Any], repeat: int) -> float:
    """Median seconds of ``repeat`` calls, after two warm-up calls."""
    func()
    func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _client(email: str | None) -> Client:
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def _seed() -> None:
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    partner = Organisation.objects.get(slug="iuc-syd")
    Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.COMPANY,
            name=f"Bänkföretaget {n} AB",
            slug=f"bank-{n}",
            responsible_partner=partner,
        )
        for n in range(500)
    )


def run(repeat: int = 30) -> dict[str, Any]:
    _seed()
    anonymous = Client()
    floor = _timed(lambda: anonymous.get("/healthz"), repeat)
    rows = []
    for case in CASES:
        client = _client(case.who)

        url = case.url() if callable(case.url) else case.url

        def request(client: Client = client, url: str = url, cold: bool = case.cold) -> None:
            if cold:
                cache.clear()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        seconds = _timed(request, repeat)
        rows.append({"case": case.name, "ratio": round(seconds / floor, 1)})
    report = {"floor": "GET /healthz", "repeat": repeat, "cases": rows}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return report
