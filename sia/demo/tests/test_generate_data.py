"""Bulk synthetic data: the requested number of cases, valid numbers, no leaks to outsiders,
and process steps that agree with each case's stage and with the services' due dates."""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings

from sia.accounts.models import Role, User
from sia.audit.models import Channel
from sia.cases.access import visible_cases
from sia.cases.models import Case, CaseTeamMember
from sia.demo.generate_data import ORGANISATION
from sia.demo.municipality import load_demo
from sia.demo.synthetic import TEST_SERIALS
from sia.people.identifiers import parse_personal_number
from sia.people.models import Person, PersonIdentifier
from sia.process.due import StepRule, compute_due_dates
from sia.process.models import CaseStep
from sia.process.services import complete_step

CASES = 300
Stage = Case.Stage
STEP_KEYS = ["allocation", "alignment", "guidance_meeting", "first_visit", "sia_plan", "transfer"]
# The steps done at each stage, besides the transfer (done or open once handed over).
DONE_AT: dict[str, int] = {
    Stage.INTAKE: 0,
    Stage.ALIGNMENT: 1,
    Stage.GUIDANCE: 2,
    Stage.FIRST_VISIT: 3,
    Stage.PLAN: 4,
    Stage.FOLLOW_UP: 5,
    Stage.ASSESSMENT: 5,
    Stage.CLOSED: 5,
}


def _generate(cases: int = CASES, seed: int = 7) -> str:
    out = StringIO()
    call_command("generate_data", cases=cases, seed=seed, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def generated_once(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """`CASES` cases generated once for the module on an empty database: its tests only read them.

    They live in a transaction that is rolled back after the module's last test, so
    nothing reaches another module or a reused database. Each test still runs in its own
    savepoint (through `db`), so whatever one test writes is gone for the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with translation.override(django_settings.LANGUAGE_CODE):
            text = _generate()
        with django_db_blocker.block():  # tests reach the database through `db` only
            yield text
        transaction.set_rollback(True)


@pytest.fixture
def generated(generated_once: str, db: None) -> str:
    """What the command printed; `db` rolls back whatever the test itself writes."""
    return generated_once


# These three generate (or refuse to) on an empty database themselves. They come before
# the tests that share the module's cases: once `generated_once` is set up, every later
# test of this module runs inside its transaction and would see those cases.


def test_runs_on_top_of_the_demo_and_twice_without_collisions(db: None) -> None:
    load_demo(password="demo-password-for-tests")
    demo_people = Person.objects.count()
    _generate(seed=1)
    _generate(seed=1)
    assert Case.objects.filter(owning_unit__organisation__name=ORGANISATION).count() == 2 * CASES
    assert Person.objects.count() > demo_people + 2 * CASES


def test_the_command_reports_rows_and_time(db: None) -> None:
    text = _generate(cases=20)
    assert "cases" in text
    assert "Wrote 20 cases in" in text


def test_the_command_is_refused_when_demo_is_off(db: None, settings: Settings) -> None:
    settings.SIA_DEMO = False
    with pytest.raises(CommandError, match="SIA_DEMO"):
        _generate()
    assert not Case.objects.exists()


def test_generates_the_requested_cases_each_with_a_person_and_team(generated: str) -> None:
    cases = Case.objects.filter(owning_unit__organisation__name=ORGANISATION)
    assert cases.count() == CASES
    assert cases.values("person").distinct().count() == CASES
    assert not cases.filter(team__isnull=True).exists()
    assert CaseTeamMember.objects.filter(case__in=cases).count() >= CASES


def test_the_other_units_worker_sees_none_of_the_generated_cases(
    generated: str, staff: dict[str, User]
) -> None:
    assert not visible_cases(staff["annan"]).exists()
    assert not visible_cases(staff["chef"]).exists()


def test_a_district_manager_sees_only_their_districts_cases(generated: str) -> None:
    manager = User.objects.get(username="stor.norr.chef")
    visible = visible_cases(manager)
    assert 0 < visible.count() < CASES
    assert set(visible.values_list("owning_unit__name", flat=True)) == {"Mottagningsgruppen Norr"}


def test_every_generated_number_is_a_valid_test_number(generated: str) -> None:
    numbers = PersonIdentifier.objects.exclude(kind=PersonIdentifier.Kind.DOSSIER)
    assert numbers.count() > CASES // 2
    for identifier in numbers.select_related("person"):
        parsed = parse_personal_number(identifier.value)
        assert int(identifier.value[8:11]) in TEST_SERIALS
        assert parsed.birth_date == identifier.person.date_of_birth


def _generated_steps() -> dict[Case, list[CaseStep]]:
    steps = (
        CaseStep.objects.filter(case__owning_unit__organisation__name=ORGANISATION)
        .select_related("case", "definition")
        .order_by("case", "order")
    )
    by_case: dict[Case, list[CaseStep]] = defaultdict(list)
    for step in steps:
        by_case[step.case].append(step)
    return by_case


def _done_on(step: CaseStep) -> dt.date | None:
    return step.completed_on


def test_every_case_has_the_steps_of_the_active_template(generated: str) -> None:
    by_case = _generated_steps()
    assert len(by_case) == CASES
    assert all([step.key for step in steps] == STEP_KEYS for steps in by_case.values())
    assert re.search(rf"case_steps +{CASES * len(STEP_KEYS):,}\n", generated)


def test_steps_are_done_in_order_up_to_the_cases_stage(generated: str) -> None:
    today = timezone.localdate()
    with_assessor = set(
        CaseTeamMember.objects.filter(role=Role.ASSESSMENT_SOCIAL_WORKER).values_list(
            "case_id", flat=True
        )
    )
    for case, steps in _generated_steps().items():
        *at_start, transfer = steps
        done = [step.key for step in at_start if step.status == CaseStep.Status.DONE]
        assert done == STEP_KEYS[: DONE_AT[case.stage]], case.stage
        days = [day for step in steps if (day := _done_on(step))]
        assert days == sorted(days)
        assert all(case.first_contact_date <= day <= (case.closed_on or today) for day in days)
        assert all(s.completed_by for s in steps if s.status == CaseStep.Status.DONE)
        handed_over = transfer.status != CaseStep.Status.PENDING
        assert handed_over == (case.pk in with_assessor)
        if case.stage == Stage.ASSESSMENT:
            assert handed_over
        if case.stage not in (Stage.ASSESSMENT, Stage.CLOSED):
            assert not handed_over


def test_every_opened_step_has_a_due_date_and_a_pending_one_none(generated: str) -> None:
    for steps in _generated_steps().values():
        for step in steps:
            if step.status == CaseStep.Status.PENDING:
                assert step.due_date is None
                assert step.opened_on is None
            else:
                assert step.due_date is not None
                assert step.opened_on is not None


def test_steps_not_done_are_due_when_the_services_would_say(generated: str) -> None:
    for case, steps in _generated_steps().items():
        rules = {
            step.key: StepRule(
                key=step.key,
                anchor=step.definition.anchor,
                anchor_step=step.definition.anchor_step,
                counting=step.definition.counting,
                days=step.definition.days,
                not_later_than_step=step.definition.not_later_than_step,
                is_open=step.status != CaseStep.Status.PENDING,
                opened_on=step.opened_on,
                completed_on=_done_on(step),
            )
            for step in steps
        }
        expected = compute_due_dates(case.first_contact_date, rules)
        for step in steps:
            if step.status != CaseStep.Status.DONE:
                assert step.due_date == expected[step.key], (case.stage, step.key)


def test_a_generated_case_goes_on_through_the_services(generated: str) -> None:
    case = Case.objects.filter(
        owning_unit__organisation__name=ORGANISATION, stage=Stage.GUIDANCE
    ).first()
    assert case is not None
    guide = case.team.filter(role=Role.COMMUNITY_GUIDE).first()
    assert guide is not None
    with transaction.atomic():
        complete_step(
            case=case, key="guidance_meeting", completed_by=guide.user, channel=Channel.SYSTEM
        )
    case.refresh_from_db()
    assert case.stage == Stage.FIRST_VISIT
