"""Personnummer, samordningsnummer and dossier numbers are checked before they are stored."""

import datetime as dt

import pytest

from sia.core.exceptions import ValidationFailed
from sia.demo.synthetic import personal_number
from sia.people.identifiers import parse_dossier_number, parse_personal_number

TODAY = dt.date(2026, 11, 23)


def test_a_valid_personnummer_is_stored_as_twelve_digits() -> None:
    number = personal_number(dt.date(1990, 3, 15), serial=982)
    parsed = parse_personal_number(f"{number[:8]}-{number[8:]}", today=TODAY)
    assert parsed.digits == number
    assert parsed.birth_date == dt.date(1990, 3, 15)
    assert not parsed.is_coordination_number


def test_a_ten_digit_number_gets_the_latest_century_that_is_not_in_the_future() -> None:
    number = personal_number(dt.date(2001, 6, 30), serial=990)
    assert parse_personal_number(f"{number[2:8]}-{number[8:]}", today=TODAY).digits == number


def test_a_plus_sign_marks_someone_over_a_hundred() -> None:
    number = personal_number(dt.date(1920, 2, 1), serial=985)
    assert parse_personal_number(f"{number[2:8]}+{number[8:]}", today=TODAY).digits == number


def test_a_bad_check_digit_is_refused_without_repeating_the_number() -> None:
    number = personal_number(dt.date(1990, 3, 15), serial=982)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    with pytest.raises(ValidationFailed) as error:
        parse_personal_number(wrong, today=TODAY)
    assert "Kontrollsiffran" in str(error.value)
    assert wrong not in str(error.value)
    assert wrong[2:] not in str(error.value)


@pytest.mark.parametrize("text", ["19900230-9823", "19901315-9823", "19900000-9823"])
def test_a_number_without_a_real_date_is_refused(text: str) -> None:
    with pytest.raises(ValidationFailed, match="giltigt datum"):
        parse_personal_number(text, today=TODAY)


def test_a_birth_date_in_the_future_is_refused() -> None:
    number = personal_number(dt.date(2026, 12, 24), serial=981)
    with pytest.raises(ValidationFailed, match="framtiden"):
        parse_personal_number(number, today=TODAY)


@pytest.mark.parametrize("text", ["", "abc", "199003159", "19900315-98234", "900315/9823"])
def test_malformed_input_gets_a_clear_swedish_message(text: str) -> None:
    with pytest.raises(ValidationFailed, match="ÅÅÅÅMMDD-NNNN"):
        parse_personal_number(text, today=TODAY)


def test_a_samordningsnummer_has_sixty_added_to_the_day() -> None:
    number = personal_number(dt.date(1988, 7, 9), serial=993, coordination=True)
    assert number[6:8] == "69"
    parsed = parse_personal_number(number, today=TODAY)
    assert parsed.is_coordination_number
    assert parsed.birth_date == dt.date(1988, 7, 9)


def test_a_samordningsnummer_with_an_impossible_day_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="giltigt datum"):
        parse_personal_number("19880292-9934", today=TODAY)


@pytest.mark.parametrize("text", ["12-345678", " 09-000001 "])
def test_a_dossier_number_is_two_digits_a_hyphen_and_six_digits(text: str) -> None:
    assert parse_dossier_number(text) == text.strip()


@pytest.mark.parametrize("text", ["12345678", "1-2345678", "12-34567", "AB-123456", "12-3456789"])
def test_a_malformed_dossier_number_is_refused(text: str) -> None:
    with pytest.raises(ValidationFailed, match="dossiernummer"):
        parse_dossier_number(text)


def test_synthetic_numbers_stay_in_the_test_range() -> None:
    with pytest.raises(ValueError, match="980-999"):
        personal_number(dt.date(1990, 1, 1), serial=123)
