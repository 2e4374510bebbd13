"""The assessment instruments a program can plan, as the methodology needs to know them: each
shipped instrument's code and name, read from its files in ``redthread/data/instruments``.

Methodology sits below assessments and imports nothing from it: the engine that parses,
checks and scores the rest of a file is ``assessments.instruments``, and it loads the same
files into the database. Here only each file's ``[instrument]`` table is read, so that a new
instrument is a new file and no code lists the instruments."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from redthread.core.demo import DATA_DIR

INSTRUMENT_DIR = DATA_DIR / "instruments"


@dataclass(frozen=True)
class ShippedInstrument:
    code: str
    version: int
    name_sv: str
    name_en: str


def shipped_instruments(directory: Path = INSTRUMENT_DIR) -> list[ShippedInstrument]:
    """One entry per instrument code, named as its latest version names it, in code order.
    A file without a code, a version or a Swedish name raises ``KeyError`` naming the key:
    the files are shipped with the code, so a broken one is a bug to see at once."""
    latest: dict[str, ShippedInstrument] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            head = tomllib.load(handle)["instrument"]
        name = head["name"]
        entry = ShippedInstrument(
            code=head["code"],
            version=int(head["version"]),
            name_sv=name["sv"],
            name_en=name.get("en", name["sv"]),
        )
        if entry.code not in latest or entry.version > latest[entry.code].version:
            latest[entry.code] = entry
    return [latest[code] for code in sorted(latest)]
