from typing import Any

from django.core.management.base import BaseCommand

from redthread.methodology.catalogue import catalogue_load


class Command(BaseCommand):
    help = "Loads the shipped methodology catalogue: creates what is missing, changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = catalogue_load()
        self.stdout.write(
            f"Created {counts.modules} modules, {counts.templates} templates, "
            f"{counts.initiatives} initiatives."
        )
