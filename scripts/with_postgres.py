"""Runs a command against a throwaway PostgreSQL cluster, then removes the cluster.

    python scripts/with_postgres.py -- .venv/bin/pytest -q

The suite must pass on PostgreSQL as well as SQLite, and neither a developer nor CI should
have to set up a server for that. So this starts a private cluster in a temporary directory,
reachable only through a unix socket there, with durability switched off (the data is
thrown away, and fsync dominates the cost of creating test databases). The command gets
``DATABASE_URL`` pointing at it and its exit code is ours. The cluster is stopped and the
directory removed however the command ends, Ctrl-C included.

PostgreSQL refuses to run as root, and CI runs as root: then the server programs run as the
``postgres`` user (through ``runuser``) and the directory belongs to that user. The client
side (the command) still runs as the caller, who reaches the socket as root can.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from types import FrameType
from urllib.parse import quote

SERVER_USER = "postgres"
DATABASE = "redthread"
# The data is thrown away: no crash safety needed, and without it initdb and CREATE DATABASE
# (one per xdist worker) are several times faster.
SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


def fail(message: str) -> int:
    print(f"with_postgres: {message}", file=sys.stderr)
    return 2


def find_bindir() -> Path | None:
    """The server programs are not on PATH on Debian; pg_config knows where they are.
    None when PostgreSQL (the server, not only the client library) is not installed."""
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    result = subprocess.run(  # noqa: S603 - pg_config found on PATH, fixed argument
        [pg_config, "--bindir"], capture_output=True, text=True, check=False
    )
    bindir = Path(result.stdout.strip())
    if result.returncode != 0 or not (bindir / "initdb").is_file():
        return None
    return bindir


def free_port() -> int:
    """The server listens on no TCP port, but the socket file is named after the port, and a
    free one keeps the name from meaning anything to a server someone runs by hand."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Cluster:
    """One temporary cluster: ``start``, then ``stop`` (always, and safe to call twice)."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="redthread-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.log = self.root / "postgres.log"
        self.port = free_port()
        self.started = False

    def server(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Runs a server program, as the postgres user when we are root. From inside the
        cluster directory, so that the postgres user is not left in a directory it cannot
        read (initdb and pg_ctl complain about that)."""
        command = [str(self.bindir / program), *args]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        return subprocess.run(  # noqa: S603 - our own fixed programs and arguments
            command, cwd=self.root, capture_output=True, text=True, check=False
        )

    def start(self) -> None:
        self.sockets.mkdir()
        if self.as_root:
            user = pwd.getpwnam(SERVER_USER)
            for path in (self.root, self.sockets):
                os.chown(path, user.pw_uid, user.pw_gid)
        initdb = self.server(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        if initdb.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{initdb.stdout}{initdb.stderr}")
        # Settings go into postgresql.conf rather than `pg_ctl -o`, which passes them through
        # a shell: a temporary path with a space in it would break that.
        settings = {
            **SETTINGS,
            "unix_socket_directories": f"'{self.sockets}'",
            "port": str(self.port),
        }
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# with_postgres.py\n")
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        # -w: wait until the server accepts connections (pg_ctl polls it as pg_isready does).
        pg_ctl = self.server(
            "pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60"
        )
        self.started = True  # even on failure: a server may be half up and must be stopped
        if pg_ctl.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed:\n{pg_ctl.stdout}{pg_ctl.stderr}{log}")
        createdb = subprocess.run(  # noqa: S603 - our own fixed program and arguments
            [str(self.bindir / "createdb"), *self.client_args(), DATABASE],
            capture_output=True,
            text=True,
            check=False,
        )
        if createdb.returncode != 0:
            raise RuntimeError(f"createdb failed:\n{createdb.stderr}")

    def client_args(self) -> list[str]:
        return ["-h", str(self.sockets), "-p", str(self.port), "-U", "postgres"]

    def url(self) -> str:
        """The form redthread.settings.database_from_url reads: socket directory and port
        in the query, as libpq's own URIs allow."""
        return f"postgres://postgres@/{DATABASE}?host={quote(str(self.sockets))}&port={self.port}"

    def version(self) -> str:
        result = subprocess.run(  # noqa: S603 - our own fixed program and argument
            [str(self.bindir / "postgres"), "--version"],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout.strip() or "postgres (version unknown)"

    def stop(self) -> None:
        """Immediate: nothing in the cluster is worth a clean shutdown."""
        if self.started:
            self.started = False
            self.server("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
        shutil.rmtree(self.root, ignore_errors=True)


def terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (a CI job cancelled) unwinds like Ctrl-C, so that the cluster is removed."""
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        return fail("usage: with_postgres.py -- COMMAND [ARGS...]")
    command = argv[argv.index("--") + 1 :]
    bindir = find_bindir()
    if bindir is None:
        return fail(
            "PostgreSQL 15 is not installed (pg_config --bindir holds no initdb). "
            "Run `make system-deps` first."
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return fail(f"running as root needs the {SERVER_USER!r} user: run `make system-deps`.")

    signal.signal(signal.SIGTERM, terminate)
    cluster = Cluster(bindir)
    try:
        cluster.start()
        print(
            f"with_postgres: {cluster.version()} on socket {cluster.sockets} port {cluster.port}",
            flush=True,
        )
        child = subprocess.run(  # noqa: S603 - the command we were asked to run
            command, env={**os.environ, "DATABASE_URL": cluster.url()}, check=False
        )
        # A command killed by a signal reports -N; a shell would say 128 + N.
        return child.returncode if child.returncode >= 0 else 128 - child.returncode
    except RuntimeError as error:
        return fail(str(error))
    except KeyboardInterrupt:
        return 130
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
