from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from redthread.core import demo


class Command(BaseCommand):
    help = "Loads the demo world (idempotent: running it twice gives the same data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off. Creates accounts with the password 'demo'.",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not (settings.REDTHREAD_DEMO_ALLOWED or force):
            raise CommandError(
                "Refusing to load the demo with DEBUG off: it creates accounts with the "
                "password 'demo'. Use --force only on a machine nobody else can reach."
            )
        autodiscover_modules("demo")
        with transaction.atomic():
            for demo_step in demo.steps():
                self.stdout.write(f"demo: {demo_step.name}")
                demo_step.run(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo loaded."))
