from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from redthread.core.templatetags.redthread import sek


def test_sek_in_swedish_and_english():
    with translation.override("sv"):
        assert sek(1234567) == "1\xa0234\xa0567\xa0kr"
        assert sek(Decimal("12345.5"), 2) == "12\xa0345,50\xa0kr"
        assert sek(None) == ""
    with translation.override("en"):
        assert sek(1234567) == "SEK 1,234,567"


def test_swedish_numbers_and_dates_in_templates():
    template = Template('{{ n }} {{ d|date:"SHORT_DATE_FORMAT" }} {{ x }}')
    context = Context({"n": 12345, "d": date(2026, 11, 25), "x": 1.5})
    with translation.override("sv"):
        assert template.render(context) == "12\xa0345 2026-11-25 1,5"
