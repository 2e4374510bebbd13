"""The child process of tests/core/test_kill_mid_job.py: runs an import's write or a
funder report, as the task worker does, against the database of ``DATABASE_URL``, and
stops in the middle (after the import's rows are written inside its transaction, or after
the report's figures are built and its progress saved) to wait for its SIGKILL. Before
waiting it writes to the marker file what it sees, so the parent knows where it is.

    python tests/core/killed_job.py import|report JOB_PK MARKER_PATH
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redthread.settings")

import django

django.setup()


def _wait_for_the_kill(marker: Path, seen: str) -> None:
    marker.write_text(seen)
    time.sleep(600)
    raise SystemExit("not killed")


def main() -> None:
    kind, pk, marker = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    if kind == "import":
        from redthread.core.importing.jobs import import_job_write_task
        from redthread.registry import imports
        from redthread.registry.models import Organisation

        real = vars(imports)["bulk_create_with_history"]

        def writing(*args: Any, **kwargs: Any) -> Any:
            created = real(*args, **kwargs)  # the rows and their history, not committed
            _wait_for_the_kill(marker, str(Organisation.objects.count()))
            return created

        vars(imports)["bulk_create_with_history"] = writing
        import_job_write_task.call(pk)
    else:
        from redthread.outcomes.models import ReportJob
        from redthread.outcomes.reports import tasks

        real_build = vars(tasks)["report_build"]

        def building(**kwargs: Any) -> Any:
            report = real_build(**kwargs)  # its progress saved on the way
            progress = ReportJob.objects.values_list("progress", flat=True).get(pk=pk)
            _wait_for_the_kill(marker, str(progress))
            return report

        vars(tasks)["report_build"] = building
        tasks.report_generate.call(pk)


if __name__ == "__main__":
    main()
