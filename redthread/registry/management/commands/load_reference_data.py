from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from redthread.registry.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Loads the Swedish reference data (NUTS2 areas, counties, municipalities, SNI codes) "
        "from redthread/data/reference/ (idempotent: running it twice changes nothing)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reference_data_load()
        for table, count in counts.as_dict().items():
            self.stdout.write(
                f"{table}: {count.total} rows ({count.created} created, {count.updated} updated)"
            )
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
