from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from redthread.engagements.services import session_notes_purge


class Command(BaseCommand):
    help = "Blanks session notes older than SESSION_NOTES_RETENTION_DAYS (personal data)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = session_notes_purge(
            today=timezone.localdate(),
            retention_days=settings.REDTHREAD_SESSION_NOTES_RETENTION_DAYS,
        )
        self.stdout.write(f"Blanked the notes of {count} sessions.")
