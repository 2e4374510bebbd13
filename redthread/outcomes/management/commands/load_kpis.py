from typing import Any

from django.core.management.base import BaseCommand

from redthread.outcomes.services import kpis_load_shipped


class Command(BaseCommand):
    help = "Loads the shipped KPI definitions: creates the missing ones, changes none."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Created {kpis_load_shipped()} KPI definitions.")
