from typing import Any

from django.core.management.base import BaseCommand, CommandError

from redthread.assessments.instruments import InstrumentError
from redthread.assessments.services import instruments_load_shipped


class Command(BaseCommand):
    help = "Loads the shipped assessment instruments: new versions are added, none is changed."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = instruments_load_shipped()
        except InstrumentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Loaded {created} new instrument versions.")
