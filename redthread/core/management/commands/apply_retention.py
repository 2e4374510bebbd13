from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from redthread.core.privacy import retention_apply, retention_rules


class Command(BaseCommand):
    help = (
        "Applies every retention rule the apps register (closed accounts, contact people "
        "who left, session notes): run it daily from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        labels = {rule.name: rule for rule in retention_rules()}
        for name, count in retention_apply(today=timezone.localdate()).items():
            rule = labels[name]
            self.stdout.write(f"{name}: {count} records (after {rule.days()} days)")
