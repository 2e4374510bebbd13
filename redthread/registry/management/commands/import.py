"""``redthread import companies FILE [--dry-run] [--sheet NAME] [--all-or-nothing]
[--report OUT.json]``: the same import as the web page, from the command line.

``redthread import kpis FILE`` with the same options: KPI measurements of companies in the
registry (the outcomes app's import), one row per company, KPI and year, or one row per
company and year with a column per KPI.

``redthread import urban-rural FILE --classification 2014 --source TEXT [--official]``:
one version of Tillväxtanalys' urban–rural classification of the municipalities."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from redthread.core.importing import (
    ImportFileError,
    Table,
    guess_mapping,
    read_table,
    validate_mapping,
)
from redthread.registry.imports import (
    FIELDS,
    CompanyImportOptions,
    company_rows_check,
    company_rows_write,
)
from redthread.registry.models import Organisation, OrganisationKind, SniVersion
from redthread.registry.urban_rural import urban_rural_import


class Command(BaseCommand):
    help = "Imports data from an xlsx or csv file. Exit code 1 when any row is rejected."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["companies", "kpis", "urban-rural"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--sheet", help="the xlsx sheet to read (default: the first)")
        parser.add_argument(
            "--all-or-nothing",
            action="store_true",
            help="write nothing if any row is rejected (default: write the valid rows)",
        )
        parser.add_argument("--report", type=Path, help="write the row-by-row report as JSON")
        parser.add_argument(
            "--sni-version",
            choices=SniVersion.values,
            default=SniVersion.SNI2007,
            help="version of SNI codes in a file without an SNI-version column",
        )
        parser.add_argument("--partner", help="slug of the partner made responsible by default")
        parser.add_argument("--classification", help="urban-rural: the version, e.g. 2014")
        parser.add_argument("--source", help="urban-rural: where the file comes from")
        parser.add_argument(
            "--official",
            action="store_true",
            help="urban-rural: the publisher's own file (else shown as approximate)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            table = read_table(path.read_bytes(), path.name, sheet=options["sheet"])
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        if options["what"] == "urban-rural":
            self._urban_rural(table, options)
            return
        if options["what"] == "kpis":
            self._kpis(table, options)
            return
        mapping = guess_mapping(table.headers, FIELDS)
        problems = validate_mapping(mapping, FIELDS)
        if problems:
            raise CommandError(
                " ".join(problems) + f" Columns in the file: {', '.join(table.headers)}"
            )
        partner = None
        if options["partner"]:
            partner = Organisation.objects.filter(
                kind=OrganisationKind.PARTNER, slug=options["partner"]
            ).first()
            if partner is None:
                raise CommandError(f"No partner with the slug {options['partner']!r}.")
        result = company_rows_check(
            table,
            mapping,
            CompanyImportOptions(sni_version=options["sni_version"], default_partner=partner),
        )
        created = 0
        if not options["dry_run"]:
            created = company_rows_write(result, all_or_nothing=options["all_or_nothing"])
        report = result.report.as_dict(key_name="orgnr")
        if options["report"]:
            options["report"].write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        for row in report["rows"]:
            if row["status"] != "ok":
                self.stdout.write(f"row {row['row']}: {row['status']}: {row['reason']}")
        self.stdout.write(
            f"accepted {report['accepted']}, rejected {report['rejected']}, "
            f"duplicates {report['duplicates']}, created {created}"
            + (" (dry run: nothing written)" if options["dry_run"] else "")
        )
        if report["rejected"]:
            raise SystemExit(1)

    def _kpis(self, table: Table, options: dict[str, Any]) -> None:
        # Imported here: outcomes sits above the registry, which must not import it at load.
        from redthread.outcomes.imports import (
            mapping_problems,
            measurement_fields,
            measurement_mapping_guess,
            measurement_rows_check,
            measurement_rows_write,
        )

        fields = measurement_fields()
        mapping = measurement_mapping_guess(table.headers, fields)
        problems = mapping_problems(mapping, fields)
        if problems:
            raise CommandError(
                " ".join(problems) + f" Columns in the file: {', '.join(table.headers)}"
            )
        result = measurement_rows_check(table, mapping)
        written = None
        if not options["dry_run"]:
            written = measurement_rows_write(result, all_or_nothing=options["all_or_nothing"])
        report = result.report.as_dict(key_name="orgnr")
        if options["report"]:
            options["report"].write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        for row in report["rows"]:
            if row["status"] != "ok":
                self.stdout.write(f"row {row['row']}: {row['status']}: {row['reason']}")
        if written is None:
            summary = (
                f"new {result.new}, replaced {result.replaced}, unchanged {result.unchanged}"
                " (dry run: nothing written)"
            )
        else:
            summary = (
                f"created {written.created}, updated {written.updated}, "
                f"unchanged {written.unchanged}"
            )
        self.stdout.write(
            f"accepted {report['accepted']}, rejected {report['rejected']}, "
            f"duplicates {report['duplicates']}, {summary}"
        )
        if report["rejected"]:
            raise SystemExit(1)

    def _urban_rural(self, table: Table, options: dict[str, Any]) -> None:
        if not options["classification"] or not options["source"]:
            raise CommandError("urban-rural needs --classification VERSION and --source TEXT.")
        try:
            result = urban_rural_import(
                table,
                version=options["classification"],
                source=options["source"],
                official=options["official"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        for row in result.report.rows:
            if row.status != "ok":
                self.stdout.write(f"row {row.row}: {row.status}: {row.reason}")
        if result.classification is None:
            self.stdout.write("Nothing loaded: the file must classify every municipality once.")
            raise SystemExit(1)
        self.stdout.write(
            f"Loaded urban-rural classification {result.classification.version} "
            f"({result.report.accepted} municipalities, "
            f"{'official' if result.classification.is_official else 'approximate'})."
        )
