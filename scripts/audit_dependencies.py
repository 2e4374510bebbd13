"""`make audit`: pip-audit over every pinned package (constraints.txt), against PyPI's
vulnerability data and then OSV's.

Fails on any known vulnerability and on any package a reachable service could not audit.
Skips (exit 0, saying so on stderr) only when neither service answers from this machine:
each is probed first with a real request for a package that exists (Django at its pin).
With ``REDTHREAD_AUDIT_REQUIRED=1`` an unreachable service fails too.
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404 - runs pip-audit only, with fixed arguments
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints.txt"
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"
TIMEOUT = 20


def _pin(name: str) -> str:
    for line in CONSTRAINTS.read_text().splitlines():
        if line.lower().startswith(f"{name.lower()}=="):
            return line.split("==", 1)[1]
    raise SystemExit(f"audit: {name} is not pinned in constraints.txt")


def _reachable(service: str) -> str:
    """'' when ``service`` answers a real query, else why not."""
    version = _pin("Django")
    if service == "pypi":
        request = urllib.request.Request(f"https://pypi.org/pypi/Django/{version}/json")
    else:
        body = json.dumps({"package": {"name": "django", "ecosystem": "PyPI"}, "version": version})
        request = urllib.request.Request(
            "https://api.osv.dev/v1/query",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310  # nosec B310 - fixed https URLs
            data = json.load(response)
    except (OSError, ValueError) as error:
        return f"{request.full_url}: {error}"
    key = "vulnerabilities" if service == "pypi" else None
    if key and key not in data:
        return f"{request.full_url}: the answer holds no vulnerability data"
    return ""


def _audit(service: str) -> int:
    command = [
        str(PIP_AUDIT),
        "--vulnerability-service",
        service,
        "--requirement",
        str(CONSTRAINTS),
        "--no-deps",
        "--disable-pip",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--timeout",
        str(TIMEOUT),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603 - our own arguments
    try:
        report = json.loads(done.stdout)
    except ValueError:
        print(done.stderr, file=sys.stderr)
        print(f"audit: pip-audit ({service}) gave no report", file=sys.stderr)
        return 1
    dependencies = report["dependencies"]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(
                f"audit: {dependency['name']} {dependency['version']}: {vuln['id']} ({fixes})",
                file=sys.stderr,
            )
    for dependency in skipped:
        print(f"audit: not audited: {dependency['skip_reason']}", file=sys.stderr)
    audited = len(dependencies) - len(skipped)
    if vulnerable or skipped:
        print(
            f"audit: {service}: {len(vulnerable)} vulnerable, {len(skipped)} not audited, "
            f"{audited} audited",
            file=sys.stderr,
        )
        return 1
    print(f"audit: {service}: {audited} pinned packages, no known vulnerability")
    return 0


def main() -> int:
    reasons = []
    for service in ("pypi", "osv"):
        reason = _reachable(service)
        if not reason:
            return _audit(service)
        reasons.append(f"{service}: {reason}")
    message = "audit: SKIPPED, no vulnerability service reachable from this machine:\n  " + (
        "\n  ".join(reasons)
    )
    print(message, file=sys.stderr)
    return 1 if os.environ.get("REDTHREAD_AUDIT_REQUIRED") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
