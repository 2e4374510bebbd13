"""Fails when a translation catalogue is out of date, incomplete or fuzzy, or does not compile.

Runs ``makemessages`` first, so a string added to the code but not to the catalogues shows
up as untranslated here. Swedish is the source language: its catalogue is filled with the
source text by ``make messages`` (msgen); English is translated by hand."""

from __future__ import annotations

import gettext
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "redthread" / "locale"
REDTHREAD = [str(ROOT / ".venv" / "bin" / "redthread")]


def run(args: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603


def stale_mo(po: Path) -> list[str]:
    """The .mo files are committed (so `make run` needs no gettext tools): each must hold
    exactly what its .po says. Compared as catalogues, not bytes, so that another msgfmt
    version that lays out the file differently is not a failure."""
    mo = po.with_suffix(".mo")
    if not mo.exists():
        return [f"{mo.relative_to(ROOT)} is missing: run `make compile-messages`"]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        run(["msgfmt", "-o", str(fresh), str(po)])
        with fresh.open("rb") as a, mo.open("rb") as b:
            # _catalog is the parsed catalogue: private in typeshed, the simplest full compare.
            if gettext.GNUTranslations(a)._catalog != gettext.GNUTranslations(b)._catalog:  # type: ignore[attr-defined]
                return [f"{mo.relative_to(ROOT)} is out of date: run `make compile-messages`"]
    return []


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
        stats = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
        if result.returncode != 0:
            problems.append(f"{po.relative_to(ROOT)} does not compile:\n{stats}")
            continue
        if re.search(r"\d+ (fuzzy|untranslated)", stats):
            problems.append(f"{po.relative_to(ROOT)}: {stats}")
        print(f"{po.relative_to(ROOT)}: {stats}")
        problems.extend(stale_mo(po))
    if not list(LOCALE.glob("*/LC_MESSAGES/django.po")):
        problems.append("no catalogues under redthread/locale")
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
