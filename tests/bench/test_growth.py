"""How cost grows: the latest run per scale, as a table and a chart."""

from __future__ import annotations

import json

from redthread.bench import growth


def _run(folder, date, database, scale, medians):
    pages = [
        {"page": page, "queries": 5, "median_ms": ms, "p95_ms": ms} for page, ms in medians.items()
    ]
    (folder / f"{date}-{database}-{scale}.json").write_text(json.dumps({"pages": pages}))


def test_the_latest_run_of_each_scale_side_by_side(tmp_path):
    _run(tmp_path, "2026-12-01", "sqlite", "small", {"a page": 1.0})
    _run(tmp_path, "2026-12-07", "sqlite", "small", {"a page": 2.0, "results (computed)": 9.0})
    _run(tmp_path, "2026-12-07", "sqlite", "national", {"a page": 40.0, "results (computed)": 9e3})
    _run(tmp_path, "2026-12-09", "postgresql", "national", {"a page": 99.0})
    (tmp_path / "2026-12-08-sqlite-national-stored.json").write_text("{}")  # not a run name
    runs = growth.latest_runs("sqlite", tmp_path)
    assert sorted(runs) == ["national", "small"]
    table = growth.growth_table(runs)
    assert "| a page | 2.0 | 40.0 | 5 / 5 |" in table
    # The worker's computations are not pages: not in the table, not in the chart.
    assert "computed" not in table
    chart = growth.growth_chart(runs, "sqlite")
    assert chart.startswith("<svg")
    assert "a page" in chart
    assert "computed" not in chart
