"""The registry of importers: an app registers a kind, and the pipeline's command runs it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from redthread.core.importing import ImportField, ImportReport, RowVerdict, parse_int
from redthread.core.importing.importers import (
    Importer,
    ImportRun,
    get_importer,
    importer_kinds,
    register_importer,
    unregister_importer,
)

FIELDS = [
    ImportField("code", "Kod", ("code",), required=True),
    ImportField("count", "Antal", ("count", "antal stycken")),
]


class FakeResult:
    def __init__(self) -> None:
        self.report = ImportReport(rows=[])
        self.good: list[tuple[str, int]] = []


WRITTEN: list[tuple[str, int]] = []


def _check(run: ImportRun) -> FakeResult:
    result = FakeResult()
    for row in run.table.rows:
        values = {key: row.values[index] for index, key in run.mapping.items()}
        try:
            count = parse_int(values.get("count", "") or "0")
        except ValueError as error:
            result.report.rows.append(RowVerdict(row.number, "error", str(error)))
            continue
        result.report.rows.append(RowVerdict(row.number, "ok", "", values["code"]))
        result.good.append((values["code"], count))
    return result


def _write(result: FakeResult, run: ImportRun) -> dict[str, int]:
    if run.all_or_nothing and result.report.rejected:
        return {"created": 0}
    WRITTEN.extend(result.good)
    return {"created": len(result.good)}


@pytest.fixture
def widgets() -> Iterator[Importer]:
    WRITTEN.clear()
    importer = register_importer(
        Importer(
            kind="widgets",
            label="Importera prylar",
            permission="core.view_dashboard",
            fields=lambda: FIELDS,
            check=_check,
            write=_write,
            summary=lambda result: {"created": 0},
        )
    )
    yield importer
    unregister_importer("widgets")


def test_the_apps_register_their_importers():
    assert {"companies", "kpis", "urban-rural"} <= set(importer_kinds())
    assert get_importer("companies").permission == "registry.import_companies"
    assert get_importer("kpis").permission == "outcomes.manage"
    with pytest.raises(KeyError):
        get_importer("no-such-kind")


def test_a_registered_kind_runs_through_the_command(db, widgets, tmp_path, capsys):
    path = tmp_path / "prylar.csv"
    path.write_text("Kod;Antal stycken\nA1;3\nB2;tre\nC3;1 200\n", encoding="utf-8")
    report = tmp_path / "report.json"
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "widgets", str(path), "--report", str(report))
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "row 3: error:" in out
    assert "accepted 2, rejected 1, duplicates 0, created 2" in out
    assert WRITTEN == [("A1", 3), ("C3", 1200)]
    assert [row["row"] for row in json.loads(report.read_text())["rows"]] == [2, 3, 4]


def test_a_registered_kind_all_or_nothing_and_dry_run(db, widgets, tmp_path, capsys):
    path = tmp_path / "prylar.csv"
    path.write_text("Kod,Antal\nA1,3\nB2,tre\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("import", "widgets", str(path), "--all-or-nothing")
    assert WRITTEN == []
    path.write_text("Kod,Antal\nA1,3\n", encoding="utf-8")
    call_command("import", "widgets", str(path), "--dry-run")
    assert "(dry run: nothing written)" in capsys.readouterr().out
    assert WRITTEN == []


def test_the_command_refuses_an_unknown_kind_and_a_file_without_the_fields(db, widgets, tmp_path):
    path = tmp_path / "prylar.csv"
    path.write_text("Namn;Antal\nA1;3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Namn"):
        call_command("import", "widgets", str(path))
    with pytest.raises(CommandError):
        call_command("import", "gadgets", str(path))


def test_registering_a_kind_again_replaces_it(widgets):
    replacement = register_importer(
        Importer(kind="widgets", label="Andra prylar", permission="core.view_dashboard")
    )
    assert get_importer("widgets") is replacement
    assert importer_kinds().count("widgets") == 1
