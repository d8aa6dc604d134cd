"""Due dates that move: a step done, the first contact corrected, a new template version."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from time_machine import TimeMachineFixture

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.process.models import CaseStep, ProcessTemplate
from sia.process.services import (
    activate_template,
    active_template,
    change_first_contact_date,
    clone_template,
    complete_step,
)

D = dt.date
STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A Wednesday before Easter 2027: Good Friday is 26 March, Easter Monday 29 March.
FIRST_CONTACT = D(2027, 3, 24)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=STOCKHOLM)


@pytest.fixture
def case(time_machine: TimeMachineFixture, make_case: CaseFactory) -> Case:
    """A case opened on its first contact, 24 March 2027."""
    time_machine.move_to(at(FIRST_CONTACT), tick=False)
    return make_case()


def due_dates(case: Case) -> dict[str, dt.date | None]:
    return {step.key: step.due_date for step in CaseStep.objects.filter(case=case)}


def statuses(case: Case) -> dict[str, str]:
    return {step.key: step.status for step in CaseStep.objects.filter(case=case)}


def complete(case: Case, key: str, user: User) -> CaseStep:
    with transaction.atomic():
        return complete_step(case=case, key=key, completed_by=user, channel=Channel.WEB)


def test_opening_a_case_before_easter_gives_its_steps_their_due_dates(case: Case) -> None:
    assert due_dates(case) == {
        "allocation": D(2027, 3, 24),
        "alignment": D(2027, 3, 30),
        "guidance_meeting": D(2027, 4, 13),
        "first_visit": D(2027, 4, 16),
        "sia_plan": D(2027, 4, 16),
        "transfer": None,
    }
    assert statuses(case)["transfer"] == CaseStep.Status.PENDING
    assert {s for k, s in statuses(case).items() if k != "transfer"} == {CaseStep.Status.OPEN}


def test_an_alignment_done_early_brings_the_guidance_meeting_forward(
    case: Case, staff: dict[str, User], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(at(D(2027, 3, 25)), tick=False)
    step = complete(case, "alignment", staff["socsek"])
    assert step.completed_by == staff["socsek"]
    assert due_dates(case)["guidance_meeting"] == D(2027, 4, 12)
    event = AuditEvent.objects.get(case=case, action=AuditAction.STEP_COMPLETED)
    assert event.changes == {
        "step": "alignment",
        "due_changed": {"guidance_meeting": ["2027-04-13", "2027-04-12"]},
    }


def test_an_alignment_done_late_leaves_the_guidance_meeting_due_with_the_first_visit(
    case: Case, staff: dict[str, User], time_machine: TimeMachineFixture
) -> None:
    # Ten working days after 7 April is 21 April, later than the first visit on 16 April.
    time_machine.move_to(at(D(2027, 4, 7)), tick=False)
    complete(case, "alignment", staff["socsek"])
    dates = due_dates(case)
    assert dates["alignment"] == D(2027, 3, 30)  # a done step keeps the date it had
    assert dates["guidance_meeting"] == D(2027, 4, 16)
    assert dates["first_visit"] == D(2027, 4, 16)


def test_an_alignment_signed_just_after_midnight_counts_from_the_swedish_day(
    case: Case, staff: dict[str, User], time_machine: TimeMachineFixture
) -> None:
    # 00:30 in Stockholm on 31 March is still 30 March in UTC.
    time_machine.move_to(at(D(2027, 3, 31), hour=0, minute=30), tick=False)
    complete(case, "alignment", staff["socsek"])
    assert due_dates(case)["guidance_meeting"] == D(2027, 4, 14)


def test_a_first_visit_done_early_brings_the_plan_forward(
    case: Case, staff: dict[str, User], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(at(D(2027, 4, 8)), tick=False)
    complete(case, "first_visit", staff["socsek"])
    dates = due_dates(case)
    assert dates["sia_plan"] == D(2027, 4, 8)
    assert dates["guidance_meeting"] == D(2027, 4, 8)


def test_a_step_already_done_or_not_yet_opened_cannot_be_completed(
    case: Case, staff: dict[str, User]
) -> None:
    complete(case, "alignment", staff["socsek"])
    with pytest.raises(InvalidTransition):
        complete(case, "alignment", staff["socsek"])
    with pytest.raises(InvalidTransition):
        complete(case, "transfer", staff["socsek"])
    assert statuses(case)["transfer"] == CaseStep.Status.PENDING


# Correcting the first-contact date ------------------------------------------------------


def correct(case: Case, day: dt.date, user: User) -> Case:
    return change_first_contact_date(
        case_id=case.pk, first_contact_date=day, changed_by=user, channel=Channel.WEB
    )


def test_correcting_the_first_contact_moves_open_steps_and_keeps_done_ones(
    case: Case, staff: dict[str, User], time_machine: TimeMachineFixture
) -> None:
    complete(case, "allocation", staff["chef"])
    time_machine.move_to(at(D(2027, 3, 25)), tick=False)

    correct(case, D(2027, 3, 22), staff["socsek"])

    case.refresh_from_db()
    assert case.first_contact_date == D(2027, 3, 22)
    assert due_dates(case) == {
        "allocation": D(2027, 3, 24),  # done: keeps its date
        "alignment": D(2027, 3, 24),
        "guidance_meeting": D(2027, 4, 9),
        "first_visit": D(2027, 4, 14),
        "sia_plan": D(2027, 4, 14),
        "transfer": None,
    }
    event = AuditEvent.objects.get(case=case, action=AuditAction.DUE_DATES_RECOMPUTED)
    assert event.actor == staff["socsek"]
    assert event.changes == {
        "first_contact_date": ["2027-03-24", "2027-03-22"],
        "due_changed": {
            "alignment": ["2027-03-30", "2027-03-24"],
            "guidance_meeting": ["2027-04-13", "2027-04-09"],
            "first_visit": ["2027-04-16", "2027-04-14"],
            "sia_plan": ["2027-04-16", "2027-04-14"],
        },
    }


def test_the_deputy_manager_may_correct_the_first_contact(
    case: Case, staff: dict[str, User]
) -> None:
    correct(case, D(2027, 3, 23), staff["chef"])
    assert due_dates(case)["alignment"] == D(2027, 3, 25)


@pytest.mark.parametrize("day", [D(2027, 3, 25), D(2025, 3, 1), D(1, 1, 1)])
def test_a_first_contact_in_the_future_or_over_a_year_back_is_refused_and_nothing_moves(
    case: Case, staff: dict[str, User], day: dt.date
) -> None:
    before = due_dates(case)
    with pytest.raises(ValidationFailed) as error:
        correct(case, day, staff["socsek"])
    assert error.value.field == "first_contact_date"
    case.refresh_from_db()
    assert case.first_contact_date == FIRST_CONTACT
    assert due_dates(case) == before
    assert not AuditEvent.objects.filter(action=AuditAction.DUE_DATES_RECOMPUTED).exists()


def test_the_same_first_contact_again_writes_no_event(case: Case, staff: dict[str, User]) -> None:
    correct(case, FIRST_CONTACT, staff["socsek"])
    assert not AuditEvent.objects.filter(action=AuditAction.DUE_DATES_RECOMPUTED).exists()


@pytest.mark.parametrize("username", ["vagledare1", "annan", "ug"])
def test_a_guide_or_an_outsider_may_not_correct_the_first_contact(
    case: Case, staff: dict[str, User], username: str
) -> None:
    with pytest.raises(NotFoundOrForbidden):
        correct(case, D(2027, 3, 22), staff[username])
    case.refresh_from_db()
    assert case.first_contact_date == FIRST_CONTACT


# Template versions ----------------------------------------------------------------------


def test_a_running_case_keeps_its_template_version_after_a_clone_is_activated(
    case: Case,
    staff: dict[str, User],
    make_case: CaseFactory,
    make_person: PersonFactory,
) -> None:
    original = active_template()
    clone = clone_template(template_id=original.pk, cloned_by=staff["admin"])
    clone.steps.filter(key="first_visit").update(days=20)
    activate_template(template_id=clone.pk, activated_by=staff["admin"])

    # Work on the running case recomputes with the version it started with.
    complete(case, "alignment", staff["socsek"])
    assert due_dates(case)["first_visit"] == D(2027, 4, 16)
    templates = CaseStep.objects.filter(case=case).values_list("definition__template", flat=True)
    assert set(templates) == {original.pk}

    newer = make_case(make_person())
    assert due_dates(newer)["first_visit"] == D(2027, 4, 23)
    templates = CaseStep.objects.filter(case=newer).values_list("definition__template", flat=True)
    assert set(templates) == {clone.pk}
    assert clone.version == original.version + 1
    assert list(ProcessTemplate.objects.filter(is_active=True)) == [clone]


def test_only_an_administrator_may_clone_a_template(staff: dict[str, User]) -> None:
    with pytest.raises(NotFoundOrForbidden):
        clone_template(template_id=active_template().pk, cloned_by=staff["chef"])
    assert ProcessTemplate.objects.count() == 1
