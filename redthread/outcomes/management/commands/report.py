"""``redthread report initiative SLUG --from YYYY-MM-DD --to YYYY-MM-DD --format xlsx|pdf
--out FILE``: the funder report of one initiative and period, as the web page makes it.

``redthread report initiative --list``: every initiative's slug and name, tab-separated,
one a line."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from redthread.methodology.models import Initiative
from redthread.outcomes.models import ReportFormat
from redthread.outcomes.reports import report_file


def _date(value: str | None, option: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} {value!r} is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Writes the funder report (xlsx or pdf) of an initiative for a period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["initiative"])
        parser.add_argument("slug", nargs="?", help="the initiative's slug (see --list)")
        parser.add_argument(
            "--list", action="store_true", help="list the initiatives: slug, tab, name"
        )
        parser.add_argument(
            "--from",
            dest="date_from",
            help="first day, YYYY-MM-DD (default: the initiative's start)",
        )
        parser.add_argument(
            "--to", dest="date_to", help="last day, YYYY-MM-DD (default: the initiative's end)"
        )
        parser.add_argument(
            "--format",
            choices=ReportFormat.values,
            help="xlsx or pdf (default: from --out's extension, else xlsx)",
        )
        parser.add_argument(
            "--out",
            type=Path,
            help="the file to write (default: rapport-SLUG-FROM-TO.FORMAT here)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for slug, name in Initiative.objects.order_by("slug").values_list("slug", "name"):
                self.stdout.write(f"{slug}\t{name}")
            return
        slug = options["slug"]
        if not slug:
            raise CommandError("Give the initiative's slug, or --list to see them.")
        initiative = Initiative.objects.filter(slug=slug).first()
        if initiative is None:
            raise CommandError(
                f"No initiative with the slug {slug!r}. `redthread report initiative --list` "
                "shows them."
            )
        date_from = _date(options["date_from"], "--from") or initiative.start
        date_to = _date(options["date_to"], "--to") or initiative.end
        if date_from > date_to:
            raise CommandError(f"--from {date_from} is after --to {date_to}.")
        out: Path | None = options["out"]
        fmt = options["format"]
        if fmt is None:
            suffix = out.suffix.lower().lstrip(".") if out else ""
            fmt = suffix if suffix in ReportFormat.values else ReportFormat.XLSX
        if out is None:
            out = Path(f"rapport-{initiative.slug}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{fmt}")
        if not out.parent.is_dir():
            raise CommandError(f"No such folder: {out.parent}")
        content = report_file(
            initiative=initiative, date_from=date_from, date_to=date_to, format=fmt
        )
        out.write_bytes(content)
        self.stdout.write(f"wrote {out} ({len(content)} bytes)")
