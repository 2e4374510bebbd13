"""The demo loader's plumbing. Each app contributes steps in its own ``demo.py`` with
:func:`step`; ``redthread demo`` runs them in order. Every step must be idempotent:
loading twice gives the same data as loading once."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import TextIOBase
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    run: Callable[[TextIOBase], None]


_steps: dict[str, DemoStep] = {}


def step(
    name: str, *, order: int
) -> Callable[[Callable[[TextIOBase], None]], Callable[[TextIOBase], None]]:
    def decorate(func: Callable[[TextIOBase], None]) -> Callable[[TextIOBase], None]:
        _steps[name] = DemoStep(name, order, func)
        return func

    return decorate


def steps() -> list[DemoStep]:
    return sorted(_steps.values(), key=lambda s: (s.order, s.name))


def read_data_csv(relative_path: str) -> Iterator[dict[str, str]]:
    """Rows of a CSV under ``redthread/data/``; lines starting with ``#`` are its header
    notes (source and version) and are skipped."""
    with (DATA_DIR / relative_path).open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        yield from csv.DictReader(lines)
