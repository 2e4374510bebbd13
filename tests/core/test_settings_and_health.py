"""Start-up and health, checked in fresh processes so the real settings module is read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from redthread.accounts.models import Membership, User
from redthread.registry.models import Organisation

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-" + "k" * 40,
    "ALLOWED_HOSTS": "redthread.example.org",
    "DATABASE_URL": "sqlite:///var/check-deploy.sqlite3",
}


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="redthread.settings")
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_secret_key_in_production_names_the_variable():
    result = _run("import django; django.setup()", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _run(
        "from redthread.cli import main;"
        "main(['redthread', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_healthz_answers_503_when_the_database_is_down():
    # A PostgreSQL URL where nothing listens: a real refused connection, not a mock.
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    result = _run(code, DATABASE_URL="postgres://nobody@127.0.0.1:9/none?connect_timeout=2")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer == {"status": 503, "body": {"status": "error", "database": "unavailable"}}


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_demo_is_idempotent(db):
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    first = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    second = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    assert first == second
    assert User.objects.filter(email__endswith="@demo.test").count() == first[1]
    assert Organisation.objects.filter(kind="partner", region__gt="").count() == 8


def test_demo_logins_work(client, db):
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for email in ["admin@demo.test", "programledare@demo.test", "foretag@demo.test"]:
        response = client.post("/login/", {"username": email, "password": "demo"})
        assert response.status_code == 302, email
        client.logout()


def test_demo_refuses_to_run_with_debug_off(db, settings):
    settings.REDTHREAD_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("demo")
    assert not User.objects.exists()


def test_redthread_command_runs_djangos_commands():
    result = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "redthread"), "help", "demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: redthread demo" in result.stdout
