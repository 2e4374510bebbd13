"""Reads a setting as production has it, in a fresh process with DEBUG off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def production_setting(name: str) -> Any:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(
        DEBUG="false",
        SECRET_KEY="a-production-secret-" + "k" * 40,
        ALLOWED_HOSTS="redthread.example.org",
        DATABASE_URL="sqlite:///var/check-deploy.sqlite3",
        DJANGO_SETTINGS_MODULE="redthread.settings",
    )
    env.pop("REDTHREAD_REQUIRE_2FA_ROLES", None)
    code = f"import json; from redthread import settings as s; print(json.dumps(s.{name}))"
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])
