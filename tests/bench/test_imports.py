"""The import case of ``bench run``: generated rows go through the real pipeline and the
floor, and nothing stays behind."""

from __future__ import annotations

import pytest

from redthread.bench.imports import measure_import
from redthread.bench.run import markdown
from redthread.registry.models import Organisation


@pytest.mark.django_db
def test_import_case_measures_both_and_rolls_back(world, methodology):
    before = Organisation.objects.count()
    figures = measure_import(40, log=lambda line: None)
    assert figures["pipeline_rows"] == figures["floor_rows"] == 40
    assert figures["pipeline_rows_per_s"] > 0
    assert figures["floor_rows_per_s"] > 0
    assert figures["ratio"] > 0
    assert Organisation.objects.count() == before
    table = markdown(
        {
            "scale": "tiny",
            "database": "sqlite",
            "date": "x",
            "repeat": 1,
            "pages": [],
            "import": figures,
        }
    )
    assert "ratio to floor" in table
