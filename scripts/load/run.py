"""`make load` / `make load-smoke`: the load test. Run inside scripts/with_postgres.py
(which gives ``DATABASE_URL`` of a throwaway PostgreSQL cluster): migrates, loads the
demo, collects the static files, starts gunicorn and the task worker on the loopback with
production settings (DEBUG off), runs locust headless (scripts/load/locustfile.py) for a
bounded time and number of requests, stops everything, and prints the errors and the
latency percentiles. Fails on any error (a failed request, a server error in a journey,
or locust's own failure).

    python scripts/with_postgres.py -- .venv/bin/python scripts/load/run.py \\
        --users 50 --run-time 2m --max-requests 40000
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import signal
import socket
import subprocess  # nosec B404 - starts our own programs
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, env=env, check=True, cwd=ROOT)  # noqa: S603  # nosec B603


def _wait_healthy(url: str, processes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise SystemExit(f"load: {process.args!r} ended with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # noqa: S310  # nosec B310 - the loopback
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("load: gunicorn did not answer /healthz in 60 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _report(prefix: Path) -> int:
    """Prints the stats and failures locust wrote; the number of failed requests."""
    with (prefix.parent / f"{prefix.name}_stats.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    columns = ["50%", "90%", "95%", "99%", "100%"]
    print(f"\n{'request':<44} {'count':>7} {'fail':>5} " + " ".join(f"{c:>7}" for c in columns))
    failures = 0
    for row in rows:
        name = row["Name"] if row["Type"] else "Aggregated"
        label = f"{row['Type']} {name}".strip()[:44]
        print(
            f"{label:<44} {row['Request Count']:>7} {row['Failure Count']:>5} "
            + " ".join(f"{row[c]:>7}" for c in columns)
        )
        if row["Name"] == "Aggregated":
            failures = int(row["Failure Count"])
            total = int(row["Request Count"])
            rate = row["Requests/s"]
    print("(milliseconds)")
    with (prefix.parent / f"{prefix.name}_failures.csv").open() as handle:
        for row in csv.DictReader(handle):
            print(
                f"load: FAILED {row['Occurrences']}x {row['Method']} {row['Name']}: {row['Error']}"
            )
    print(f"load: {total} requests, {failures} failed, {rate} requests/s")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--run-time", default="2m")
    parser.add_argument("--max-requests", type=int, default=40000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--out", default=str(ROOT / "var" / "load"))
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("load: run me inside scripts/with_postgres.py (DATABASE_URL)", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    var = Path(tempfile.mkdtemp(prefix="redthread-load-"))
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain http on the loopback: no TLS in front of gunicorn here.
        "SECURE_SSL_REDIRECT": "false",
        "REDTHREAD_VAR_DIR": str(var),
        "REDTHREAD_DEMO_ALLOWED": "true",
        # The journeys sign in with the demo's passwords; two-factor stays required for
        # admin only (no journey is an admin's).
        "REDTHREAD_REQUIRE_2FA_ROLES": "admin",
        "EMAIL_URL": "dummy://",
        "LOG_LEVEL": "WARNING",
    }
    redthread = str(BIN / "redthread")
    started = time.monotonic()
    _run([redthread, "migrate", "--no-input", "-v", "0"], env)
    _run([redthread, "demo"], env)
    _run([redthread, "collectstatic", "--no-input", "-v", "0"], env)
    print(f"load: database ready in {time.monotonic() - started:.0f} s", flush=True)
    logs = (out / "gunicorn.log").open("wb"), (out / "worker.log").open("wb")
    server = subprocess.Popen(  # noqa: S603  # nosec B603 - our own programs
        [
            str(BIN / "gunicorn"),
            "redthread.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
        ],
        env=env,
        cwd=ROOT,
        stdout=logs[0],
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(  # noqa: S603  # nosec B603 - our own programs
        [redthread, "db_worker"], env=env, cwd=ROOT, stdout=logs[1], stderr=subprocess.STDOUT
    )
    prefix = out / "locust"
    try:
        _wait_healthy(url, [server, worker])
        locust = subprocess.run(  # noqa: S603  # nosec B603 - our own programs
            [
                str(BIN / "locust"),
                "--locustfile",
                str(LOCUSTFILE),
                "--headless",
                "--host",
                url,
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.run_time,
                "--stop-timeout",
                "20",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**env, "LOAD_MAX_REQUESTS": str(args.max_requests)},
            cwd=ROOT,
            check=False,
        )
    finally:
        _stop(server)
        _stop(worker)
        for log in logs:
            log.close()
    failures = _report(prefix)
    errors = [
        line
        for line in (out / "gunicorn.log").read_text(errors="replace").splitlines()
        if "Traceback" in line or "[ERROR]" in line or "[CRITICAL]" in line
    ]
    for line in errors[:20]:
        print(f"load: gunicorn: {line}")
    if failures or errors or locust.returncode:
        print(f"load: FAILED (locust exit {locust.returncode})", file=sys.stderr)
        return 1
    print("load: no errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
