"""The registry of record types agrees with the register extract, and the research day."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from sia.cases.models import Case
from sia.demo.synthetic import personal_number
from sia.people import extract_records
from sia.people.extract import build_extract
from sia.people.models import Person, PersonIdentifier
from sia.retention.registry import record_types
from sia.retention.rules import day_of_birth, years_before

# Gathered by hand in the extract's person section, not through `section()`.
IN_THE_PERSON_SECTION = {"people.Person", "people.PersonIdentifier", "people.HouseholdLink"}
# A record of the person the extract does not show: who took emergency access to the
# case is in the audit trail part of the extract (the access events), not as a section.
NOT_IN_THE_EXTRACT = {"cases.EmergencyAccess"}


@pytest.mark.django_db
def test_every_kind_the_extract_gathers_is_a_record_type_and_back(
    make_case: Callable[..., Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    gathered: set[str] = set()
    real = extract_records._Gatherer.section

    def spy(self: Any, key: str, rows: Any, *args: Any, **kwargs: Any) -> Any:
        gathered.add(rows.model._meta.label)
        return real(self, key, rows, *args, **kwargs)

    monkeypatch.setattr(extract_records._Gatherer, "section", spy)
    build_extract(make_case().person)

    registry = {kind.label for kind in record_types() if not kind.model._meta.auto_created}
    assert gathered <= registry
    assert registry - gathered == IN_THE_PERSON_SECTION | NOT_IN_THE_EXTRACT


def test_parents_come_before_the_records_that_point_at_them() -> None:
    order = [kind.model for kind in record_types()]
    assert order[0] is Person
    assert order.index(Case) < [kind.label for kind in record_types()].index("journal.JournalEntry")


def _identifier(kind: str, value: str) -> PersonIdentifier:
    return PersonIdentifier(kind=kind, value=value)


@pytest.mark.parametrize(
    ("birth", "coordination", "day"),
    [
        (dt.date(1990, 4, 25), True, 25),  # stored day 85
        (dt.date(1990, 4, 5), True, 5),  # stored day 65
        (dt.date(1990, 4, 15), False, 15),
        (dt.date(1990, 4, 24), True, 24),  # stored day 84
    ],
)
def test_the_real_day_of_birth_comes_from_the_number(
    birth: dt.date, coordination: bool, day: int
) -> None:
    kind = "samordningsnummer" if coordination else "personnummer"
    number = personal_number(birth, serial=990, coordination=coordination)
    # The registered birth date is a different day: the number decides.
    person = Person(date_of_birth=dt.date(1990, 4, 1))
    assert day_of_birth(person, [_identifier(kind, number)]) == day


def test_without_a_number_the_birth_date_decides() -> None:
    person = Person(date_of_birth=dt.date(1970, 1, 15))
    assert day_of_birth(person, [_identifier("dossier", "12-345678")]) == 15


def test_a_leap_day_counts_back_to_the_28th() -> None:
    assert years_before(dt.date(2024, 2, 29), 5) == dt.date(2019, 2, 28)
    assert years_before(dt.date(2026, 6, 1), 5) == dt.date(2021, 6, 1)
