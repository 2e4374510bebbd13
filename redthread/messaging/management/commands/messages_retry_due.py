from typing import Any

from django.core.management.base import BaseCommand

from redthread.messaging.services import messages_retry_due


class Command(BaseCommand):
    help = "Send the failed e-mails whose next attempt is due (run every few minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = messages_retry_due()
        self.stdout.write(f"{sent} message(s) sent")
