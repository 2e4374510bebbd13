"""Machine values in templates are never localised: with USE_THOUSAND_SEPARATOR a primary key
printed as a form value reads "2 096" past 999 and the post that carries it fails."""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2] / "redthread"
KEY_AS_VALUE = re.compile(r'value="\{\{\s*[\w.]+\.(pk|id)\s*\}\}"')


def test_no_template_prints_a_key_as_a_localised_value():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted(ROOT.rglob("templates/**/*.html"))
        for match in KEY_AS_VALUE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "add |unlocalize (and {% load l10n %}):\n" + "\n".join(found)


def test_unlocalize_keeps_a_large_key_whole():
    with translation.override("sv"):
        shown = Template("{{ pk }}").render(Context({"pk": 2096}))
        kept = Template("{% load l10n %}{{ pk|unlocalize }}").render(Context({"pk": 2096}))
    assert shown != "2096"  # the reason for the rule: Swedish groups the digits
    assert kept == "2096"
