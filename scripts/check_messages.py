"""Fails when a translation catalogue is out of date, incomplete or fuzzy, or does not compile.

Runs ``makemessages`` first, so a string added to the code but not to the catalogues shows
up as untranslated here. Swedish is the source language: its catalogue is filled with the
source text by ``make messages`` (msgen); English is translated by hand."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "redthread" / "locale"
REDTHREAD = [str(ROOT / ".venv" / "bin" / "redthread")]


def run(args: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603


def main() -> int:
    made = run(
        [
            *REDTHREAD,
            "makemessages",
            "-l",
            "sv",
            "-l",
            "en",
            "--no-obsolete",
            "--no-location",
            "--ignore",
            "static/*",
        ],
        cwd=ROOT / "redthread",
    )
    if made.returncode != 0:
        print(made.stdout + made.stderr)
        return 1
    problems = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        result = run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)])
        stats = result.stderr.strip()
        if result.returncode != 0:
            problems.append(f"{po.relative_to(ROOT)} does not compile:\n{stats}")
            continue
        if re.search(r"\d+ (fuzzy|untranslated)", stats):
            problems.append(f"{po.relative_to(ROOT)}: {stats}")
        print(f"{po.relative_to(ROOT)}: {stats}")
    if not list(LOCALE.glob("*/LC_MESSAGES/django.po")):
        problems.append("no catalogues under redthread/locale")
    compiled = run([*REDTHREAD, "compilemessages", "-v", "0"], cwd=ROOT / "redthread")
    if compiled.returncode != 0:
        problems.append(compiled.stdout + compiled.stderr)
    if problems:
        print("\n".join(problems))
        print(
            "Run `make messages`, translate the new entries in redthread/locale/en, "
            "and remove the fuzzy flags."
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
