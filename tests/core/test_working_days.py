from __future__ import annotations

import datetime

import pytest

from redthread.core.working_days import is_swedish_working_day, swedish_working_day_on_or_after

D = datetime.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 2, 2), D(2026, 2, 2)),  # an ordinary Monday
        (D(2026, 2, 7), D(2026, 2, 9)),  # Saturday → Monday
        (D(2026, 2, 8), D(2026, 2, 9)),  # Sunday → Monday
        (D(2026, 4, 3), D(2026, 4, 7)),  # Good Friday, Easter → the Tuesday after
        (D(2026, 5, 14), D(2026, 5, 15)),  # Ascension Day (moves with Easter)
        (D(2026, 6, 19), D(2026, 6, 22)),  # Midsummer Eve, closed de facto
        (D(2026, 12, 24), D(2026, 12, 28)),  # Christmas Eve, Christmas, Boxing Day, Sunday
        (D(2026, 12, 31), D(2027, 1, 4)),  # New Year's Eve and Day, a weekend, into 2027
        (D(2027, 1, 6), D(2027, 1, 7)),  # Epiphany
    ],
)
def test_a_date_moves_to_the_next_swedish_working_day(day, expected):
    assert swedish_working_day_on_or_after(day) == expected
    assert is_swedish_working_day(expected)


def test_a_national_day_on_a_weekday_is_no_working_day():
    assert not is_swedish_working_day(D(2025, 6, 6))  # a Friday
    assert is_swedish_working_day(D(2025, 6, 9))
