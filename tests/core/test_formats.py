from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from redthread.core import formats
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


# --- redthread.core.formats: one way to write a figure or a date ---------------------

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", [f"1{NBSP}234,5", "0,3", "12", f"+1{NBSP}234", "−5,6", "0", f"46{NBSP}%"]),
        ("en", ["1,234.5", "0.3", "12", "+1,234", "−5.6", "0", f"46{NBSP}%"]),
    ],
)
def test_numbers_in_the_active_language(language, expected):
    with translation.override(language):
        assert [
            formats.number(1234.5, 1),
            formats.number(0.25, 1),  # half away from zero, never Django's truncation
            formats.number(12.0, 2, trim=True),
            formats.signed(1234),
            formats.signed(-5.55, 1),
            formats.signed(-0.04, 0),  # rounds to zero: no sign, never "-0"
            formats.percent(0.456),
        ] == expected
        assert formats.number(None) == "–"
        assert formats.interval(None, 2) == "–"


def test_amounts_intervals_dates_and_months():
    day = date(2026, 12, 2)
    with translation.override("sv"):
        assert formats.sek(Decimal("12345")) == f"12{NBSP}345{NBSP}kr"
        assert formats.interval(-1.25, 2, 1, sign=True) == "−1,3 – +2,0"
        assert formats.date_short(day) == "2026-12-02"
        assert formats.date_medium(day) == "2 dec. 2026"
        assert formats.month(day) == "december 2026"
    with translation.override("en"):
        assert formats.sek(12345) == "SEK 12,345"
        assert formats.interval(1, 2.5, 1) == "1.0 – 2.5"
        assert formats.date_short(day) == "2026-12-02"
        assert formats.date_medium(day) == "2 Dec 2026"
        assert formats.month(day) == "December 2026"


def test_djangos_own_filters_agree_with_the_formats_module():
    """FORMAT_MODULE_PATH: the date and number Django writes itself are ours."""
    template = Template("{{ d|date }} {{ n }} {{ d|date:'SHORT_DATE_FORMAT' }}")
    context = Context({"d": date(2026, 12, 2), "n": 1234.5})
    with translation.override("sv"):
        assert template.render(context) == f"2 dec. 2026 1{NBSP}234,5 2026-12-02"
    with translation.override("en"):
        # never the ambiguous 12/02/2026
        assert template.render(context) == "2 Dec 2026 1,234.5 2026-12-02"


def test_the_template_filters_are_the_formats_module():
    template = Template(
        "{% load redthread %}{{ a|number:1 }}|{{ b|number:-2 }}|{{ c|signed:1 }}|"
        "{{ s|percent }}|{{ d|date_medium }}|{{ none|number }}"
    )
    context = Context({"a": 1234.56, "b": 1.5, "c": -2, "s": 0.5, "d": date(2026, 12, 2)})
    with translation.override("sv"):
        assert template.render(context) == f"1{NBSP}234,6|1,5|−2,0|50{NBSP}%|2 dec. 2026|–"


def test_xlsx_number_formats_come_from_one_place():
    assert formats.xlsx_decimals(0) == formats.XLSX_INTEGER == "#,##0"
    assert formats.xlsx_decimals(2) == "#,##0.00"
