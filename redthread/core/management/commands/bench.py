from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment

ROOT = Path(__file__).resolve().parents[4]


class Command(BaseCommand):
    help = "Runs the benchmarks in bench/ on a throwaway database; prints ratios to a floor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=30)

    def handle(self, *args: Any, repeat: int = 30, **options: Any) -> None:
        if not (ROOT / "bench" / "harness.py").exists():
            raise CommandError("bench/ is not here: run `redthread bench` from a source checkout.")
        sys.path.insert(0, str(ROOT))
        from bench import harness

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
