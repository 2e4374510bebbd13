"""``redthread bench run``: the key pages on a generated nation, each with its queries and
its median and p95 server time (Django's test client, in process), the funder report's
time, and the peak memory of each, written to ``bench/results/<date>-<database>-<scale>.json``
and as a Markdown table."""

from __future__ import annotations

import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from redthread.accounts.models import Role, User
from redthread.assessments.models import AssessmentRound
from redthread.engagements.models import Engagement
from redthread.methodology.models import Initiative
from redthread.outcomes.models import StoredResult
from redthread.registry.models import Organisation, OrganisationKind

from .generate import SCALES
from .harness import RESULTS

#: The target of issue 18 for every key page at national scale.
PAGE_P95_TARGET_MS = 100.0


@dataclass(frozen=True)
class Page:
    name: str
    who: str  # "office", "coach", "partner", "funder"
    url: Callable[[dict[str, Any]], str]
    cold: bool = False


def _people() -> dict[str, Any]:
    """Who looks, and at what: the busiest coach, the biggest partner's manager, the
    office, a funder; the busiest coach's latest engagement, a scored round."""
    coach = (
        User.objects.filter(role=Role.COACH)
        .annotate(n=Count("led_engagements"))
        .order_by("-n", "pk")
        .first()
    )
    biggest = (
        Organisation.objects.filter(kind=OrganisationKind.PARTNER)
        .annotate(n=Count("delivered_engagements"))
        .order_by("-n", "pk")
        .first()
    )
    partner = User.objects.filter(
        role=Role.PARTNER_MANAGER, memberships__organisation=biggest
    ).first()
    engagement = Engagement.objects.filter(lead_coach=coach).order_by("-start_date").first()
    round_ = (
        AssessmentRound.objects.filter(overall__isnull=False, instrument__code="lean")
        .order_by("-date", "-pk")
        .first()
    )
    company = (
        Organisation.objects.filter(kind=OrganisationKind.COMPANY)
        .annotate(n=Count("engagements"))
        .order_by("-n", "pk")
        .first()
    )
    return {
        "office": User.objects.filter(role=Role.PROGRAM_MANAGER).order_by("pk").first(),
        "coach": coach,
        "partner": partner,
        "funder": User.objects.filter(role=Role.FUNDER_VIEWER).order_by("pk").first(),
        "engagement": engagement,
        "round": round_,
        "company": company,
    }


PAGES = [
    Page("the coach's engagements", "coach", lambda p: "/uppdrag/"),
    Page("an engagement", "coach", lambda p: p["engagement"].get_absolute_url()),
    Page("the session form", "coach", lambda p: f"/uppdrag/{p['engagement'].pk}/tillfallen/"),
    Page("engagements (office)", "office", lambda p: "/uppdrag/"),
    Page("company list", "office", lambda p: "/foretag/"),
    Page("company list, filtered", "office", lambda p: "/foretag/?region=SE22&size_class=small"),
    Page("company search", "office", lambda p: "/foretag/?q=Mekaniska"),
    Page("a company", "office", lambda p: f"/foretag/{p['company'].pk}/"),
    Page("assessment list", "office", lambda p: "/matningar/"),
    Page("an assessment result", "office", lambda p: p["round"].get_absolute_url()),
    Page("maturity spread", "office", lambda p: "/resultat/mognad/?instrument=lean"),
    Page("results, office (computed)", "office", lambda p: "/resultat/", cold=True),
    Page("results, office (kept)", "office", lambda p: "/resultat/"),
    Page("results, partner (computed)", "partner", lambda p: "/resultat/", cold=True),
    Page("results, partner (kept)", "partner", lambda p: "/resultat/"),
    Page("results, funder (computed)", "funder", lambda p: "/resultat/", cold=True),
    Page("results, funder (kept)", "funder", lambda p: "/resultat/"),
    Page("status board (partner)", "partner", lambda p: "/uppdrag/lage/"),
    Page("status board (office)", "office", lambda p: "/uppdrag/lage/"),
    Page("coverage matrix", "office", lambda p: "/metod/"),
    Page("calendar (coach)", "coach", lambda p: "/uppdrag/kalender/"),
    Page("KPI table", "office", lambda p: "/resultat/nyckeltal/"),
]


def _scale() -> str:
    companies = Organisation.objects.filter(kind=OrganisationKind.COMPANY).count()
    return min(SCALES.values(), key=lambda s: abs(s.companies - companies)).name


def _measure(func: Callable[[], Any], repeat: int) -> dict[str, Any]:
    """Queries, median and p95 milliseconds, peak memory of ``func`` (after a warm-up)."""
    func()
    queries: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        queries.append(sql)
        return execute(sql, *args)

    # Counted with a wrapper: a request's start empties Django's own query log.
    with connection.execute_wrapper(count):
        func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    func()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {
        "queries": len(queries),
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(p95, 1),
        "peak_mb": round(peak / 2**20, 1),
    }


def run(
    *,
    scale: str | None,
    repeat: int,
    only: str = "",
    imports: bool = True,
    reports: bool = True,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    people = _people()
    rows = []
    for page in PAGES:
        if only and only not in page.name:
            continue
        user = people[page.who]
        if user is None:
            log(f"skip {page.name}: nobody to look")
            continue
        client = Client()
        client.force_login(user)
        url = page.url(people)

        def request(client: Client = client, url: str = url, cold: bool = page.cold) -> None:
            if cold:
                # Nothing stored: the first visit computes (the immediate task backend
                # runs the worker's task in the request).
                cache.clear()
                StoredResult.objects.all().delete()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        # The computed results pages are slow: fewer repeats keep the run in minutes.
        try:
            figures = _measure(request, 3 if page.cold else repeat)
        except AssertionError as error:
            log(f"  {page.name}: failed {error}")
            continue
        figures.update(page=page.name, url=url, target_ms=PAGE_P95_TARGET_MS)
        figures["meets"] = figures["p95_ms"] <= PAGE_P95_TARGET_MS
        log(f"  {page.name}: {figures}")
        rows.append(figures)
    report: dict[str, Any] = {
        "date": timezone.localdate().isoformat(),
        "database": connection.vendor,
        "scale": scale or _scale(),
        "repeat": repeat,
        "pages": rows,
    }
    if imports and not only:
        from .imports import measure_import

        report["import"] = measure_import(log=log)
    if reports and not only:
        report["funder_report"] = _funder_report(log)
    RESULTS.mkdir(parents=True, exist_ok=True)
    # A run of some cases only (--only) never replaces the whole run of the day.
    partial = "-partial" if only else ""
    path = RESULTS / f"{report['date']}-{report['database']}-{report['scale']}{partial}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    log(f"wrote {path}")
    return report


def _funder_report(log: Callable[[str], None]) -> list[dict[str, Any]]:
    """The national funder report (the initiative with the most engagements), its whole
    period, as xlsx and as PDF: seconds (timed alone) and peak memory (a second run)."""
    from redthread.outcomes.reports import report_file

    initiative = Initiative.objects.annotate(n=Count("engagements")).order_by("-n", "pk").first()
    if initiative is None:
        return []
    rows = []
    for fmt, target in [("xlsx", 5.0), ("pdf", 15.0)]:

        def make(fmt: str = fmt) -> None:
            report_file(
                initiative=initiative,
                date_from=initiative.start,
                date_to=initiative.end,
                format=fmt,
            )

        # Timed without tracemalloc (which roughly doubles Python-heavy code), then run
        # again under it for the peak memory.
        start = time.perf_counter()
        make()
        seconds = time.perf_counter() - start
        tracemalloc.start()
        make()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        row = {
            "format": fmt,
            "initiative": initiative.slug,
            "seconds": round(seconds, 2),
            "target_s": target,
            "meets": seconds <= target,
            "peak_mb": round(peak / 2**20, 1),
        }
        log(f"  funder report: {row}")
        rows.append(row)
    return rows


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"{report['scale']} on {report['database']}, {report['date']} "
        f"(median and p95 of {report['repeat']})",
        "",
        "| page | queries | median ms | p95 ms | peak MB | p95 ≤ 100 ms |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row in report["pages"]:
        lines.append(
            f"| {row['page']} | {row['queries']} | {row['median_ms']} | {row['p95_ms']} "
            f"| {row['peak_mb']} | {'yes' if row['meets'] else '**no**'} |"
        )
    for row in report.get("funder_report", []):
        lines.append(
            f"| funder report, {row['format']} | – | {row['seconds'] * 1000:.0f} | – "
            f"| {row['peak_mb']} | ≤ {row['target_s']:.0f} s: "
            f"{'yes' if row['meets'] else '**no**'} |"
        )
    if "import" in report:
        row = report["import"]
        lines += [
            "",
            "| import | rows | seconds | rows/s | ratio to floor |",
            "|---|---:|---:|---:|---:|",
            f"| companies, the pipeline (check + write) | {row['pipeline_rows']} "
            f"| {row['pipeline_s']} | {row['pipeline_rows_per_s']} | {row['ratio']} |",
            f"| companies, floor (parse + one bulk_create) | {row['floor_rows']} "
            f"| {row['floor_s']} | {row['floor_rows_per_s']} | 1 |",
        ]
    return "\n".join(lines) + "\n"
