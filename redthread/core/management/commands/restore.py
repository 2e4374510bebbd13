from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from redthread.core.backups import RestoreError, backup_restore


class Command(BaseCommand):
    help = (
        "Replaces the database and the uploaded files with a backup archive, after checking "
        "its checksums, and verifies every table's row count. Stop the app and the worker first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the archive written by `redthread backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        if not options["yes"] and input(f"Replace the database with {path}? [y/N] ") != "y":
            raise CommandError("Nothing restored.")
        try:
            manifest = backup_restore(path=path)
        except RestoreError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored {path}: {len(manifest['tables'])} tables with the backed-up row counts, "
            f"{len(manifest['files'])} files with matching checksums"
        )
