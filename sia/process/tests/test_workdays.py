"""Swedish working days: weekends, public holidays and the three eves workplaces close on."""

import datetime as dt

import pytest

from sia.process.workdays import (
    add_working_days,
    is_working_day,
    next_working_day,
    working_day_number,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2027, 3, 26), "långfredagen"),
        (D(2027, 3, 29), "annandag påsk"),
        (D(2027, 5, 6), "Kristi himmelsfärdsdag"),
        (D(2026, 5, 1), "första maj"),
        (D(2027, 6, 25), "midsommarafton"),
        (D(2026, 6, 19), "midsommarafton"),
        (D(2025, 12, 24), "julafton"),
        (D(2025, 12, 25), "juldagen"),
        (D(2025, 12, 26), "annandag jul"),
        (D(2025, 12, 31), "nyårsafton"),
        (D(2026, 1, 1), "nyårsdagen"),
        (D(2026, 1, 6), "trettondedag jul"),
        (D(2027, 6, 5), "en lördag"),
        (D(2027, 6, 6), "nationaldagen på en söndag"),
    ],
)
def test_holidays_eves_and_weekends_are_not_working_days(day: dt.date, name: str) -> None:
    assert not is_working_day(day), name


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2027, 3, 25), "skärtorsdagen"),
        (D(2027, 3, 30), "tisdagen efter påsk"),
        (D(2027, 6, 24), "torsdagen före midsommarafton"),
        (D(2027, 6, 28), "måndagen efter midsommar"),
        (D(2025, 12, 23), "dagen före julafton"),
        (D(2025, 12, 29), "mellandagarna"),
        (D(2026, 1, 5), "trettondagsafton"),
    ],
)
def test_ordinary_weekdays_around_the_holidays_are_working_days(day: dt.date, name: str) -> None:
    assert is_working_day(day), name


def test_the_next_working_day_of_a_working_day_is_the_day_itself() -> None:
    assert next_working_day(D(2027, 3, 24)) == D(2027, 3, 24)


def test_the_next_working_day_after_easter_saturday_is_the_tuesday_after_easter_monday() -> None:
    assert next_working_day(D(2027, 3, 27)) == D(2027, 3, 30)


def test_the_next_working_day_after_midsommarafton_is_the_monday() -> None:
    assert next_working_day(D(2027, 6, 25)) == D(2027, 6, 28)


def test_one_working_day_after_the_day_before_julafton_is_the_monday_after_christmas() -> None:
    assert add_working_days(D(2025, 12, 23), 1) == D(2025, 12, 29)


def test_counting_across_new_year_skips_nyarsafton_nyarsdagen_and_the_weekend() -> None:
    assert add_working_days(D(2026, 12, 30), 1) == D(2027, 1, 4)


def test_counting_past_trettondedag_jul_skips_it() -> None:
    assert add_working_days(D(2026, 1, 5), 1) == D(2026, 1, 7)


def test_zero_working_days_after_a_day_is_the_day_itself() -> None:
    assert add_working_days(D(2027, 3, 24), 0) == D(2027, 3, 24)


def test_working_day_three_counts_the_anchor_as_day_one_and_skips_easter() -> None:
    assert working_day_number(D(2027, 3, 24), 3) == D(2027, 3, 30)


def test_working_day_one_of_a_holiday_is_the_next_working_day() -> None:
    assert working_day_number(D(2026, 12, 24), 1) == D(2026, 12, 28)


def test_working_days_between_counts_the_days_after_the_start_up_to_the_end() -> None:
    assert working_days_between(D(2027, 3, 24), D(2027, 3, 30)) == 2
    assert working_days_between(D(2027, 3, 30), D(2027, 3, 24)) == -2
    assert working_days_between(D(2027, 3, 24), D(2027, 3, 24)) == 0
