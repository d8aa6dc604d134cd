"""Swedish working days: not weekends, public holidays, midsommarafton, julafton or nyårsafton.

Holidays come from the `holidays` package (public holidays plus its de facto
category, which holds the three eves Swedish workplaces close on).
"""

import datetime as dt
from functools import lru_cache

import holidays

# The eves are "de facto" holidays in the package; Sundays are weekends here anyway.
_CATEGORIES = ("public", "de_facto")


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[dt.date]:
    calendar = holidays.country_holidays(
        "SE", years=year, categories=_CATEGORIES, include_sundays=False
    )
    return frozenset(calendar.keys())


def is_working_day(day: dt.date) -> bool:
    """Tell whether the day is a Swedish working day."""
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """Return the day itself if it is a working day, else the next working day."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def working_day_number(anchor: dt.date, number: int) -> dt.date:
    """Return working day `number`, counting the anchor (or the next working day) as day 1."""
    day = next_working_day(anchor)
    return add_working_days(day, max(number - 1, 0))


def add_working_days(start: dt.date, count: int) -> dt.date:
    """Return the day `count` working days after `start`."""
    day = start
    for _ in range(count):
        day = next_working_day(day + dt.timedelta(days=1))
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Count working days after `start` up to and including `end` (negative if end is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count
