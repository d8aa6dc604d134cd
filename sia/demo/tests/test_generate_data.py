"""Bulk synthetic data: the requested number of cases, valid numbers, no leaks to outsiders."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django.fixtures import Settings

from sia.accounts.models import User
from sia.cases.access import visible_cases
from sia.cases.models import Case, CaseTeamMember
from sia.demo.generate_data import ORGANISATION
from sia.demo.municipality import load_demo
from sia.demo.synthetic import TEST_SERIALS
from sia.people.identifiers import parse_personal_number
from sia.people.models import Person, PersonIdentifier

CASES = 300


def _generate(cases: int = CASES, seed: int = 7) -> str:
    out = StringIO()
    call_command("generate_data", cases=cases, seed=seed, stdout=out)
    return out.getvalue()


def test_generates_the_requested_cases_each_with_a_person_and_team(db: None) -> None:
    _generate()
    cases = Case.objects.filter(owning_unit__organisation__name=ORGANISATION)
    assert cases.count() == CASES
    assert cases.values("person").distinct().count() == CASES
    assert not cases.filter(team__isnull=True).exists()
    assert CaseTeamMember.objects.filter(case__in=cases).count() >= CASES


def test_the_other_units_worker_sees_none_of_the_generated_cases(
    staff: dict[str, User],
) -> None:
    _generate()
    assert not visible_cases(staff["annan"]).exists()
    assert not visible_cases(staff["chef"]).exists()


def test_a_district_manager_sees_only_their_districts_cases(db: None) -> None:
    _generate()
    manager = User.objects.get(username="stor.norr.chef")
    visible = visible_cases(manager)
    assert 0 < visible.count() < CASES
    assert set(visible.values_list("owning_unit__name", flat=True)) == {"Mottagningsgruppen Norr"}


def test_runs_on_top_of_the_demo_and_twice_without_collisions(db: None) -> None:
    load_demo(password="demo-password-for-tests")
    demo_people = Person.objects.count()
    _generate(seed=1)
    _generate(seed=1)
    assert Case.objects.filter(owning_unit__organisation__name=ORGANISATION).count() == 2 * CASES
    assert Person.objects.count() > demo_people + 2 * CASES


def test_every_generated_number_is_a_valid_test_number(db: None) -> None:
    _generate()
    numbers = PersonIdentifier.objects.exclude(kind=PersonIdentifier.Kind.DOSSIER)
    assert numbers.count() > CASES // 2
    for identifier in numbers.select_related("person"):
        parsed = parse_personal_number(identifier.value)
        assert int(identifier.value[8:11]) in TEST_SERIALS
        assert parsed.birth_date == identifier.person.date_of_birth


def test_the_command_reports_rows_and_time(db: None) -> None:
    text = _generate(cases=20)
    assert "cases" in text
    assert "Wrote 20 cases in" in text


def test_the_command_is_refused_when_demo_is_off(db: None, settings: Settings) -> None:
    settings.SIA_DEMO = False
    with pytest.raises(CommandError, match="SIA_DEMO"):
        _generate()
    assert not Case.objects.exists()
