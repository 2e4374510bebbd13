"""How cost grows: the latest `bench run` of each scale on one database, side by side, as a
Markdown table and a chart (SVG, through the one chart helper) for bench/README.md."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from redthread.core.charts import Series, bars

from .harness import RESULTS

SCALES = ("small", "medium", "national")
_NAME = re.compile(r"^(\d{4}-\d\d-\d\d)-(sqlite|postgresql)-(small|medium|national)\.json$")


def latest_runs(database: str, folder: Path = RESULTS) -> dict[str, dict[str, Any]]:
    """Scale → the newest run of that scale on ``database`` (by the date in its name)."""
    found: dict[str, tuple[str, Path]] = {}
    for path in folder.glob("*.json"):
        match = _NAME.match(path.name)
        if match is None or match.group(2) != database:
            continue
        date, _database, scale = match.groups()
        if scale not in found or found[scale][0] < date:
            found[scale] = (date, path)
    return {scale: json.loads(path.read_text()) for scale, (_date, path) in found.items()}


def _pages(runs: dict[str, dict[str, Any]]) -> list[str]:
    """The pages measured at national scale (else the largest), in the run's order; the
    "(computed)" cases are the task worker's cost, not a page's, and stay out."""
    largest: dict[str, Any] = next((runs[s] for s in reversed(SCALES) if s in runs), {"pages": []})
    return [row["page"] for row in largest["pages"] if "(computed)" not in row["page"]]


def _median(run: dict[str, Any] | None, page: str) -> float | None:
    for row in (run or {}).get("pages", []):
        if row["page"] == page:
            return float(row["median_ms"])
    return None


def growth_table(runs: dict[str, dict[str, Any]]) -> str:
    """Median ms per page and scale, with the query counts."""
    scales = [s for s in SCALES if s in runs]
    lines = [
        "| page | " + " | ".join(scales) + " | queries (" + " / ".join(scales) + ") |",
        "|---|" + "---:|" * len(scales) + "---|",
    ]
    for page in _pages(runs):
        medians = [_median(runs[s], page) for s in scales]
        queries = [
            next((str(r["queries"]) for r in runs[s]["pages"] if r["page"] == page), "–")
            for s in scales
        ]
        cells = [f"{m:.1f}" if m is not None else "–" for m in medians]
        lines.append(f"| {page} | " + " | ".join(cells) + " | " + " / ".join(queries) + " |")
    return "\n".join(lines)


def growth_chart(runs: dict[str, dict[str, Any]], database: str) -> str:
    """Grouped bars: per page, the median ms at each scale."""
    pages = _pages(runs)
    scales = [s for s in SCALES if s in runs]
    return str(
        bars(
            pages,
            [Series(scale, [_median(runs[scale], page) for page in pages]) for scale in scales],
            title=f"Median server time per page and scale ({database})",
            description="Milliseconds, median of the repeats; the same figures are in the "
            "table in bench/README.md.",
            unit=" ms",
            width=900,
        )
    )
