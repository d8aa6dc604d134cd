"""SIA's target group (målgrupp): who is inside, and a Swedish sentence for every reason why not."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import PersonFactory
from sia.accounts.models import Unit, User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.cases.services import open_case
from sia.core.exceptions import ValidationFailed
from sia.people.models import ArrivalCategory, Person
from sia.process.eligibility import eligibility_problems
from sia.process.models import CaseStep, ProcessTemplate
from sia.process.services import active_template

D = dt.date
ON = D(2027, 3, 24)
ADULT = D(1990, 6, 1)
RECENT_PERMIT = D(2026, 10, 1)


@pytest.fixture
def sia(db: None) -> ProcessTemplate:
    """The shipped SIA template, whose eligibility rules are data."""
    return active_template()


def newcomer(
    *,
    born: dt.date = ADULT,
    permit: dt.date | None = RECENT_PERMIT,
    category: str = ArrivalCategory.ABO,
) -> Person:
    return Person(date_of_birth=born, residence_permit_date=permit, arrival_category=category)


@pytest.mark.parametrize(
    "category",
    [
        ArrivalCategory.ABO,
        ArrivalCategory.EBO,
        ArrivalCategory.QUOTA_REFUGEE,
        ArrivalCategory.FAMILY_REUNIFICATION,
    ],
)
def test_an_adult_with_a_recent_permit_in_a_sia_category_is_inside_the_target_group(
    sia: ProcessTemplate, category: str
) -> None:
    assert eligibility_problems(newcomer(category=category), sia, ON) == []


def test_someone_without_a_residence_permit_is_outside(sia: ProcessTemplate) -> None:
    assert eligibility_problems(newcomer(permit=None), sia, ON) == [
        "Inget beviljat uppehållstillstånd är registrerat."
    ]


def test_someone_who_is_seventeen_is_outside_and_told_the_age_limit(sia: ProcessTemplate) -> None:
    problems = eligibility_problems(newcomer(born=D(2009, 3, 25)), sia, ON)
    assert problems == ["Personen är 17 år; målgruppen är från 18 år."]


def test_someone_who_turns_eighteen_on_the_day_is_inside(sia: ProcessTemplate) -> None:
    assert eligibility_problems(newcomer(born=D(2009, 3, 24)), sia, ON) == []


def test_someone_who_is_sixty_four_is_inside(sia: ProcessTemplate) -> None:
    assert eligibility_problems(newcomer(born=D(1962, 3, 25)), sia, ON) == []


def test_someone_who_turns_sixty_five_on_the_day_is_outside(sia: ProcessTemplate) -> None:
    problems = eligibility_problems(newcomer(born=D(1962, 3, 24)), sia, ON)
    assert problems == ["Personen är 65 år; målgruppen är till och med 64 år."]


def test_a_permit_granted_more_than_three_years_ago_is_outside(sia: ProcessTemplate) -> None:
    problems = eligibility_problems(newcomer(permit=D(2024, 3, 23)), sia, ON)
    assert problems == ["Uppehållstillståndet beviljades för mer än 3 år sedan."]


def test_a_permit_granted_a_day_short_of_three_years_ago_is_inside(sia: ProcessTemplate) -> None:
    assert eligibility_problems(newcomer(permit=D(2024, 3, 25)), sia, ON) == []


def test_temporary_protection_is_not_one_of_sias_arrival_categories(sia: ProcessTemplate) -> None:
    problems = eligibility_problems(
        newcomer(category=ArrivalCategory.TEMPORARY_PROTECTION), sia, ON
    )
    assert problems == [
        "Mottagningskategorin (Tillfälligt skydd (massflyktsdirektivet)) ingår inte i målgruppen."
    ]


def test_a_missing_arrival_category_is_named_as_not_given(sia: ProcessTemplate) -> None:
    problems = eligibility_problems(newcomer(category=""), sia, ON)
    assert problems == ["Mottagningskategorin (ej angiven) ingår inte i målgruppen."]


def test_every_reason_is_given_when_several_apply(sia: ProcessTemplate) -> None:
    person = newcomer(
        born=D(2010, 1, 1), permit=None, category=ArrivalCategory.TEMPORARY_PROTECTION
    )
    problems = eligibility_problems(person, sia, ON)
    assert len(problems) == 3
    assert problems[0] == "Inget beviljat uppehållstillstånd är registrerat."
    assert problems[1].startswith("Personen är 17 år")
    assert problems[2].startswith("Mottagningskategorin")


def test_a_programme_without_limits_takes_in_everyone() -> None:
    open_to_all = ProcessTemplate(key="oppen", name="Öppen", require_residence_permit=False)
    person = newcomer(
        born=D(1950, 1, 1), permit=None, category=ArrivalCategory.TEMPORARY_PROTECTION
    )
    assert eligibility_problems(person, open_to_all, ON) == []


# Opening a case for someone outside the target group --------------------------------------


def open_for(person: Person, staff: dict[str, User], reception: Unit, **options: bool) -> Case:
    return open_case(
        opened_by=staff["socsek"],
        person_id=person.pk,
        unit_id=reception.pk,
        first_contact_date=timezone.localdate(),
        channel=Channel.WEB,
        **options,
    )


def test_a_case_outside_the_target_group_is_not_opened_without_confirmation(
    make_person: PersonFactory, staff: dict[str, User], reception: Unit
) -> None:
    person = make_person(arrival_category=ArrivalCategory.TEMPORARY_PROTECTION)
    with pytest.raises(ValidationFailed) as error:
        open_for(person, staff, reception)
    assert error.value.field == "outside_target_group_confirmed"
    assert str(error.value.message).startswith("Personen ligger utanför målgruppen:")
    assert "Tillfälligt skydd" in str(error.value.message)
    assert not Case.objects.filter(person=person).exists()
    assert not CaseStep.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_CREATED).exists()


def test_a_confirmed_case_outside_the_target_group_is_opened_and_the_log_says_so(
    make_person: PersonFactory, staff: dict[str, User], reception: Unit
) -> None:
    person = make_person(arrival_category=ArrivalCategory.TEMPORARY_PROTECTION)
    case = open_for(person, staff, reception, outside_target_group_confirmed=True)
    assert case.steps.count() == 6
    event = AuditEvent.objects.get(action=AuditAction.CASE_CREATED, case=case)
    assert event.changes["outside_target_group"] is True


def test_a_case_inside_the_target_group_is_logged_as_inside(
    make_person: PersonFactory, staff: dict[str, User], reception: Unit
) -> None:
    case = open_for(make_person(), staff, reception)
    event = AuditEvent.objects.get(action=AuditAction.CASE_CREATED, case=case)
    assert event.changes["outside_target_group"] is False
