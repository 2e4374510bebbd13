"""The importer framework: real files in, a Table or a clear Swedish message out."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redthread.core.importing import (
    parse_int,
    parse_number,
)

# --- Numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12 345", "12345"),
        ("12 345,5", "12345.5"),
        ("12\u00a0345,5", "12345.5"),
        ("12\u202f345,5", "12345.5"),
        ("1\u202f234\u202f567", "1234567"),
        ("12345.5", "12345.5"),
        ("12345,5", "12345.5"),
        ("1,234,567", "1234567"),
        ("1.234.567", "1234567"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        ("1 234.5", "1234.5"),
        ("-3", "-3"),
        ("\u22123", "-3"),
        ("+3", "3"),
        ("12 345 kr", "12345"),
        ("12 345kr", "12345"),
        ("-12 kr", "-12"),
        ("SEK 12 345", "12345"),
        ("SEK -12", "-12"),
        ("12 345 SEK", "12345"),
        ("495:-", "495"),
        ("12 345,-", "12345"),
        (",5", "0.5"),
        ("007", "7"),
        # The ambiguous case, decided for Swedish: a lone comma is a decimal comma.
        ("1,234", "1.234"),
        ("SEK 12,345", "12.345"),
        ("1.234", "1.234"),
        ("  42  ", "42"),
    ],
)
def test_parse_number(text, number):
    assert parse_number(text) == Decimal(number)


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "12 tkr",  # thousands: refused rather than read 1 000 times too small
        "5 mkr",
        "1e5",
        "12,",
        "1 2",
        "12 34",
        "1,23,456",
        "1.234,5,6",
        "1 234,567,8",
        "12 %",
        "--3",
        "-",
        "kr",
        "12 345 kr 50",
        "(123)",
    ],
)
def test_parse_number_refuses_garbage_with_a_swedish_message(text):
    with pytest.raises(ValueError, match=r"är inte ett tal"):
        parse_number(text)


def test_parse_number_on_nothing_and_on_long_garbage():
    with pytest.raises(ValueError, match="Ett tal saknas"):
        parse_number(" \u00a0")
    with pytest.raises(ValueError, match="är inte ett tal") as caught:
        parse_number("x" * 500)
    assert len(str(caught.value)) < 120  # the value is shortened, not echoed whole


@pytest.mark.parametrize(
    ("text", "number"),
    [("12 345", 12345), ("1,234,567", 1234567), ("−7", -7), ("12,0", 12), ("0", 0)],
)
def test_parse_int(text, number):
    assert parse_int(text) == number


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12,5", "”12,5” är inte ett heltal."),
        ("0,123", "”0,123” är inte ett heltal."),
        ("1,234", "”1,234” är inte ett entydigt heltal. Om du menar 1234, skriv det utan "),
        ("1.000", "”1.000” är inte ett entydigt heltal. Om du menar 1000, skriv det utan "),
        ("tolv", "”tolv” är inte ett tal."),
    ],
)
def test_parse_int_refuses(text, message):
    with pytest.raises(ValueError, match="är inte ett") as caught:
        parse_int(text)
    assert str(caught.value).startswith(message)


@given(st.integers(min_value=-(10**18), max_value=10**18), st.sampled_from(" \u00a0\u202f"))
def test_swedish_grouped_integers_read_back(number, space):
    assert parse_int(f"{number:,}".replace(",", space)) == number


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_swedish_amounts_with_oere_read_back(cents):
    sign = "-" if cents < 0 else ""
    kronor, oere = divmod(abs(cents), 100)
    text = f"{sign}{kronor:,}".replace(",", "\u00a0") + f",{oere:02d}\u00a0kr"
    assert parse_number(text) == Decimal(cents) / 100


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2))
def test_english_amounts_read_back(amount):
    assert parse_number(f"{amount:,.2f}") == amount


@given(st.text(max_size=30))
def test_parse_number_only_ever_raises_value_error(text):
    try:
        result = parse_number(text)
    except ValueError:
        return
    assert result.is_finite()
