from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from redthread.core.backups import backup_create


class Command(BaseCommand):
    help = "Writes the database and the uploaded files to one verified .tar.gz archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            help="the archive to write (default: var/backups/redthread-<time>.tar.gz)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        path = Path(
            options["path"]
            or Path(settings.VAR_DIR)
            / "backups"
            / f"redthread-{timezone.now():%Y%m%dT%H%M%S}.tar.gz"
        )
        manifest = backup_create(path=path)
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"{path}: {manifest['engine']}, {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files'])} files"
        )
