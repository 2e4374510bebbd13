"""Fails when a `type: ignore` has no error code or no reason written after it.

Each ignore names its error code and says why mypy is wrong there, after it
(`# type: ignore[code]  # why`) or in the comment line just above, so that the next reader
knows whether it can go. Run by `make lint`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

IGNORE = re.compile(r"#\s*type:\s*ignore(?P<rest>.*)$")
WITH_REASON = re.compile(r"^\[[a-z0-9, -]+\]\s+#\s*\S")
ROOTS = ("redthread", "tests", "bench", "scripts")


def problems(root: Path) -> list[str]:
    found = []
    for directory in ROOTS:
        for path in sorted((root / directory).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = path.read_text(encoding="utf-8").splitlines()
            for number, line in enumerate(lines, 1):
                match = IGNORE.search(line)
                if not match:
                    continue
                coded = re.match(r"^\[[a-z0-9, -]+\]", match["rest"])
                above = lines[number - 2].strip() if number > 1 else ""
                if not coded or not (WITH_REASON.match(match["rest"]) or above.startswith("#")):
                    found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def main() -> int:
    found = problems(Path(__file__).resolve().parent.parent)
    for problem in found:
        print(problem)
    if found:
        print(f"{len(found)} `type: ignore` without '[code]  # reason'", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
