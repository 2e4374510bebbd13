"""``redthread import KIND FILE [--dry-run] [--sheet NAME] [--all-or-nothing]
[--report OUT.json]``: any registered import, the same as its web page, from the command
line. The kinds are the importers the apps register (``companies``, ``kpis``,
``urban-rural``, ...); their own options are listed by ``redthread import --help``.

The columns are guessed from the headers, as the web page guesses them; a file whose
columns cannot be used is refused with the columns it has. The exit code is 1 when any
row is rejected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from redthread.core.importing import ImportFileError, read_table, validate_mapping
from redthread.core.importing.importers import ImportRun, get_importer, importer_kinds


class Command(BaseCommand):
    help = "Imports data from an xlsx or csv file. Exit code 1 when any row is rejected."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=importer_kinds(), help="what the file holds")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--sheet", help="the xlsx sheet to read (default: the first)")
        parser.add_argument(
            "--all-or-nothing",
            action="store_true",
            help="write nothing if any row is rejected (default: write the valid rows)",
        )
        parser.add_argument("--report", type=Path, help="write the row-by-row report as JSON")
        for kind in importer_kinds():
            add_arguments = get_importer(kind).add_arguments
            if add_arguments is not None:
                add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        importer = get_importer(options["kind"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            table = read_table(path.read_bytes(), path.name, sheet=options["sheet"])
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        if importer.command is not None:
            importer.command(table, options, self.stdout)
            return
        fields = list(importer.fields())
        mapping = importer.guess(table.headers, fields)
        problems = validate_mapping(mapping, fields) or importer.mapping_problems(mapping)
        if problems:
            raise CommandError(
                " ".join(problems) + f" Columns in the file: {', '.join(table.headers)}"
            )
        run = ImportRun(
            table=table,
            mapping=mapping,
            options=importer.command_options(options),
            all_or_nothing=options["all_or_nothing"],
        )
        result = importer.check(run)
        written = {} if options["dry_run"] else importer.write(result, run)
        rows = result.report.as_dict(key_name="orgnr")
        if options["report"]:
            options["report"].write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        for row in rows["rows"]:
            if row["status"] != "ok":
                self.stdout.write(f"row {row['row']}: {row['status']}: {row['reason']}")
        report = {**rows, **importer.summary(result), **written}
        self.stdout.write(
            f"accepted {report['accepted']}, rejected {report['rejected']}, "
            f"duplicates {report['duplicates']}, "
            + importer.command_summary(report, options["dry_run"])
        )
        if report["rejected"]:
            raise SystemExit(1)
