from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from redthread.core.jobs import jobs_fail_stale


class Command(BaseCommand):
    help = "Marks imports and reports whose worker died as failed, so they can be retried."

    def handle(self, *args: Any, **options: Any) -> None:
        for model, count in jobs_fail_stale().items():
            self.stdout.write(f"{model}: {count} marked failed")
