import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from redthread.messaging.services import notices_run


class Command(BaseCommand):
    help = (
        "Make the scheduled notices (each week's action items and plan, respondent "
        "reminders) and send the day's digests. Run once a day from cron; running it again "
        "sends nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to run for (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        run = notices_run(today=today)
        for kind, count in sorted(run.made.items()):
            self.stdout.write(f"{kind}: {count} notice(s)")
        self.stdout.write(f"{run.digests} digest(s)")
        if run.failed:
            raise CommandError(f"failed: {', '.join(run.failed)} (see the log)")
