"""The database the suite runs on, and how DATABASE_URL becomes a DATABASES entry.

`make test-pg` runs the same suite on PostgreSQL through DATABASE_URL; the first test makes
sure that run really is on PostgreSQL (and the plain run on SQLite), rather than silently
falling back to the default."""

from __future__ import annotations

import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from redthread.settings import SQLITE_OPTIONS, database_from_url


def test_the_database_is_the_one_database_url_names(db):
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.fixture
def no_conn_max_age(monkeypatch):
    monkeypatch.delenv("CONN_MAX_AGE", raising=False)


def _postgres(**fields: object) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "redthread",
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {},
        **fields,
    }


@pytest.mark.usefixtures("no_conn_max_age")
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgres://red:s%40cret@db.example.org:5433/redthread?sslmode=require",
            _postgres(
                USER="red",
                PASSWORD="s@cret",
                HOST="db.example.org",
                PORT="5433",
                OPTIONS={"sslmode": "require"},
            ),
        ),
        ("postgresql://red@localhost/redthread", _postgres(USER="red", HOST="localhost")),
        (
            "postgres://postgres@/redthread?host=/run/pg%20sockets&port=54321",
            _postgres(USER="postgres", HOST="/run/pg sockets", PORT="54321"),
        ),
        (
            "postgres://postgres@:5433/redthread?host=/var/run/postgresql",
            _postgres(USER="postgres", HOST="/var/run/postgresql", PORT="5433"),
        ),
        (
            "sqlite:///var/redthread.sqlite3",
            {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": "var/redthread.sqlite3",
                "OPTIONS": SQLITE_OPTIONS,
            },
        ),
        (
            "sqlite:////srv/redthread/db.sqlite3",
            {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": "/srv/redthread/db.sqlite3",
                "OPTIONS": SQLITE_OPTIONS,
            },
        ),
    ],
)
def test_database_from_url(url, expected):
    assert database_from_url(url) == expected


def test_database_from_url_rejects_other_schemes():
    with pytest.raises(ImproperlyConfigured, match="postgres:// or sqlite://"):
        database_from_url("mysql://red@localhost/redthread")


def test_sqlite_from_database_url_keeps_wal_timeout_and_immediate_transactions():
    options = database_from_url("sqlite:////srv/db.sqlite3")["OPTIONS"]
    assert isinstance(options, dict)
    assert "journal_mode=WAL" in str(options["init_command"])
    assert options["timeout"] == 20
    assert options["transaction_mode"] == "IMMEDIATE"
