"""Swedish working days, for dates the platform proposes (a plan made from a template).

A working day is Monday to Friday and neither a public holiday (helgdag: New Year's Day,
Epiphany, Good Friday, Easter Monday, May Day, Ascension Day, the National Day, Midsummer
Day, All Saints' Day, Christmas Day, Boxing Day) nor one of the days Swedish workplaces
close de facto (Midsummer Eve, Christmas Eve, New Year's Eve). The calendar comes from the
``holidays`` library, which computes the movable feasts (Easter, Midsummer, All Saints')
for any year; it is not read from the network.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from holidays import PUBLIC
from holidays.countries.sweden import Sweden


@lru_cache(maxsize=64)
def _closed_days(year: int) -> frozenset[datetime.date]:
    # Sundays are left out of the holiday list: every weekend is closed anyway.
    calendar = Sweden(years=year, include_sundays=False, categories=(PUBLIC, "de_facto"))
    return frozenset(calendar.keys())


def is_swedish_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _closed_days(day.year)


def swedish_working_day_on_or_after(day: datetime.date) -> datetime.date:
    """``day`` if it is a working day, else the first working day after it (a proposed
    date moves later, never earlier, so a step is not planned before its predecessor)."""
    while not is_swedish_working_day(day):
        day += datetime.timedelta(days=1)
    return day
