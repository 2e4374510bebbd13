from __future__ import annotations

from io import TextIOBase

from redthread.core.demo import step

from .catalogue import catalogue_load


@step("methodology catalogue", order=15)
def load_catalogue(out: TextIOBase) -> None:
    counts = catalogue_load()
    out.write(
        f"  {counts.modules} modules, {counts.templates} templates, "
        f"{counts.initiatives} initiatives created\n"
    )
