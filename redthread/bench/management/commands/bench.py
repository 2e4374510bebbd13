from __future__ import annotations

import datetime
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment
from django.utils import timezone

from redthread.bench import generate, harness
from redthread.bench import run as bench_run
from redthread.registry.models import Organisation, OrganisationKind


class Command(BaseCommand):
    help = (
        "The benchmarks. Without an action: ratios to a floor on a throwaway database. "
        "`generate --scale S` fills the database DATABASE_URL names with a synthetic nation; "
        "`run` times the key pages on it and writes bench/results/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=30)
        actions = parser.add_subparsers(dest="action")
        ratios = actions.add_parser("ratios", help="ratios to a floor (the default)")
        ratios.add_argument("--repeat", type=int, default=30)
        make = actions.add_parser("generate", help="a synthetic nation, into an empty database")
        make.add_argument("--scale", choices=sorted(generate.SCALES), default="small")
        make.add_argument("--seed", type=int, default=1)
        make.add_argument("--today", type=datetime.date.fromisoformat, default=None)
        run = actions.add_parser("run", help="time the key pages on a generated database")
        run.add_argument("--scale", choices=sorted(generate.SCALES), default=None)
        run.add_argument("--repeat", type=int, default=15)
        run.add_argument("--only", default="", help="only the cases whose name contains this")
        run.add_argument("--skip-import", action="store_true")
        run.add_argument("--skip-report", action="store_true")
        grow = actions.add_parser(
            "growth", help="the latest run of each scale side by side: a table and bench/*.svg"
        )
        grow.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")

    def handle(self, *args: Any, action: str | None = None, **options: Any) -> None:
        if action == "generate":
            self._generate(**options)
        elif action == "run":
            report = bench_run.run(
                scale=options["scale"],
                repeat=options["repeat"],
                only=options["only"],
                imports=not options["skip_import"],
                reports=not options["skip_report"],
                log=self.stdout.write,
            )
            self.stdout.write(bench_run.markdown(report))
        elif action == "growth":
            self._growth(database=options["database"])
        else:
            self._ratios(repeat=options["repeat"])

    def _growth(self, *, database: str) -> None:
        from redthread.bench import growth

        runs = growth.latest_runs(database)
        if not runs:
            raise CommandError(f"No runs on {database} in {harness.RESULTS}: run `bench run`.")
        chart = harness.RESULTS.parent / f"growth-{database}.svg"
        chart.write_text(growth.growth_chart(runs, database) + "\n")
        self.stdout.write(growth.growth_table(runs))
        self.stdout.write(f"wrote {chart}")

    def _generate(self, *, scale: str, seed: int, today: Any, **options: Any) -> None:
        name = str(settings.DATABASES["default"]["NAME"])
        if connection.vendor == "sqlite" and "bench" not in Path(name).name:
            raise CommandError(
                f"Refusing to generate into {name}: point DATABASE_URL at a bench database, "
                "e.g. DATABASE_URL=sqlite:///var/bench-national.sqlite3."
            )
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        if Organisation.objects.filter(kind=OrganisationKind.COMPANY, slug="bench-1").exists():
            raise CommandError("This database already holds a generated nation: start empty.")
        if not Organisation.objects.exists():
            self.stdout.write("bench: loading the demo as the base")
            call_command("demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
        counts = generate.generate(
            scale=generate.SCALES[scale],
            seed=seed,
            today=today or timezone.localdate(),
            log=lambda message: self.stdout.write(
                f"  {time.perf_counter() - started:7.1f} s  {message}"
            ),
        )
        if connection.vendor == "postgresql":
            # What a DBA does after a bulk load: without it the first minutes of a run
            # measure autovacuum reading the new tables beside the pages (up to twice as
            # slow) and plans made without statistics.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self.stdout.write(f"  {time.perf_counter() - started:7.1f} s  vacuumed and analysed")
        for label, n in sorted(counts.rows.items()):
            self.stdout.write(f"  {n:>10,}  {label}")
        self.stdout.write(f"generated {scale} in {time.perf_counter() - started:.0f} s")

    def _ratios(self, *, repeat: int) -> None:
        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            report = harness.run(repeat=repeat)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
        self.stdout.write(f"floor: {report['floor']} = 1.0 (median of {report['repeat']})")
        for row in report["cases"]:
            self.stdout.write(f"  {row['ratio']:>6.1f} x  {row['case']}")
