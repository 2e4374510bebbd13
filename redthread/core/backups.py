"""Backups of the database and the uploaded files, and restoring them, verified.

``redthread backup PATH`` writes one ``.tar.gz`` archive holding

- ``database.sqlite3`` (SQLite, copied with the online backup API, so the app and the task
  worker may go on writing while it runs) or ``database.dump`` (PostgreSQL, ``pg_dump
  --format=custom``, one consistent snapshot);
- ``media/``: everything under ``MEDIA_ROOT``;
- ``manifest.json``: when, from which engine, the number of rows of every table and the
  SHA-256 of every file in the archive.

``redthread restore PATH`` checks every checksum before it touches anything, restores the
database (the backup API into the SQLite file; ``pg_restore --clean --if-exists``) and the
media, and then counts the rows of every table again: a restore that does not give the
manifest's counts fails loudly (:class:`RestoreError`). It replaces what is there; stop
the app servers and the task worker first.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # runs pg_dump and pg_restore only, see _run  # nosec B404
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

MANIFEST = "manifest.json"
FORMAT_VERSION = 1


class RestoreError(Exception):
    """The archive is damaged or the restored data does not match what was backed up."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_row_counts() -> dict[str, int]:
    """Rows of every table of the database, by table name."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the catalogue  # nosec B608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return env, [*args, "--dbname", str(db["NAME"])]


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed programs, our own arguments  # nosec B603
    if result.returncode != 0:
        raise RestoreError(f"{command[0]} failed: {result.stderr.strip()}")


def _database_dump(into: Path) -> str:
    """Writes the database into ``into``; returns the file's name."""
    if connection.vendor == "sqlite":
        target = into / "database.sqlite3"
        connection.ensure_connection()
        source = connection.connection
        with sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
        return target.name
    if connection.vendor == "postgresql":
        target = into / "database.dump"
        env, args = _pg_env_and_args()
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
        return target.name
    raise RestoreError(f"backups of {connection.vendor} are not supported")


def backup_create(*, path: Path) -> dict[str, Any]:
    """Writes the archive at ``path`` (``.tar.gz``); returns its manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        staging = Path(work)
        database_file = _database_dump(staging)
        files = {database_file: _sha256(staging / database_file)}
        if media_root.is_dir():
            for item in sorted(media_root.rglob("*")):
                if item.is_file():
                    files[f"media/{item.relative_to(media_root).as_posix()}"] = _sha256(item)
        manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "engine": connection.vendor,
            "database_file": database_file,
            "tables": table_row_counts(),
            "files": files,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(staging / database_file, arcname=database_file)
            if media_root.is_dir():
                archive.add(media_root, arcname="media")
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        partial.replace(path)  # never a half-written archive under the real name
    return manifest


def _extract(path: Path, into: Path) -> dict[str, Any]:
    with tarfile.open(path, "r:gz") as archive:
        archive.extractall(into, filter="data")
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise RestoreError(f"{path} has no readable manifest") from error
    for name, expected in manifest["files"].items():
        file = into / name
        if not file.is_file() or _sha256(file) != expected:
            raise RestoreError(f"{name} in {path} is missing or its checksum does not match")
    checked: dict[str, Any] = manifest
    return checked


def backup_restore(*, path: Path) -> dict[str, Any]:
    """Replaces the database and the media with the archive at ``path`` after checking
    its checksums, then checks every table's row count; returns the manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        staging = Path(work)
        manifest = _extract(path, staging)
        if manifest["engine"] != connection.vendor:
            raise RestoreError(
                f"the backup is of {manifest['engine']}, the database is {connection.vendor}"
            )
        source = staging / manifest["database_file"]
        if connection.vendor == "sqlite":
            connections.close_all()
            connection.ensure_connection()
            with sqlite3.connect(source) as copy:
                copy.backup(connection.connection)
            copy.close()
        else:
            connections.close_all()
            env, args = _pg_env_and_args()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    str(source),
                ],
                env,
            )
        if (staging / "media").is_dir() or media_root.is_dir():
            if media_root.is_dir():
                shutil.rmtree(media_root)
            if (staging / "media").is_dir():
                shutil.copytree(staging / "media", media_root)
        connections.close_all()
        counts = table_row_counts()
        wrong = {
            table: (expected, counts.get(table))
            for table, expected in manifest["tables"].items()
            if counts.get(table) != expected
        }
        if wrong:
            raise RestoreError(f"row counts differ after the restore: {wrong}")
        for name, expected in manifest["files"].items():
            if name.startswith("media/"):
                restored = media_root / name.removeprefix("media/")
                if not restored.is_file() or _sha256(restored) != expected:
                    raise RestoreError(f"{name} was not restored intact")
    return manifest
