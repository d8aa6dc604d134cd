"""Bulk synthetic data: the requested number of cases, valid numbers, no leaks to outsiders,
process steps that agree with each case's stage and with the services' due dates, and
follow-up data (outcomes, programme, progress, enrolments, groups) that keeps every
model's rules and agrees with how and when each case was closed."""

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
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings

from sia.accounts.models import Role, User
from sia.assessments.models import Barrier, Enrolment, ProgressStep
from sia.audit.models import AuditEvent, Channel
from sia.cases.access import visible_cases
from sia.cases.models import Case, CaseTeamMember
from sia.demo.generate_data import ORGANISATION, generate_demo_slice
from sia.demo.management.commands import load_demo as load_demo_command
from sia.demo.municipality import load_demo
from sia.demo.staff import MUNICIPALITY
from sia.demo.synthetic import TEST_SERIALS
from sia.establishment.models import CaseOutcome, ConcernReport, ProgrammeStatus
from sia.groups.models import Attendance, GroupEnrolment, GroupSeries, GroupSession
from sia.people.identifiers import parse_personal_number
from sia.people.models import Person, PersonIdentifier
from sia.process.due import StepRule, compute_due_dates
from sia.process.models import CaseStep
from sia.process.services import complete_step

CASES = 300
Stage = Case.Stage
Reason = Case.ClosingReason
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


def _rows_written(text: str) -> dict[str, int]:
    return {
        kind: int(rows.replace(",", ""))
        for kind, rows in re.findall(r"^  (\w+) +([\d,]+)$", text, flags=re.MULTILINE)
    }


def test_the_same_seed_writes_the_same_rows(db: None) -> None:
    runs = []
    for _ in range(2):
        with transaction.atomic():
            runs.append(_rows_written(_generate(cases=80, seed=3)))
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert runs[0]["cases"] == 80
    assert runs[0]["case_outcomes"] > 0


def test_the_demo_slice_goes_to_the_demo_units_and_other_caseworkers(db: None) -> None:
    demo = load_demo(password="demo-password-for-tests")
    chef = User.objects.get(username="chef")
    before = {
        username: set(visible_cases(User.objects.get(username=username)).values_list("pk"))
        for username in ("socsek", "vagledare1", "ug")
    }
    audited = AuditEvent.objects.count()
    counts = generate_demo_slice(cases=40, seed=2026, password=None)
    sliced = Case.objects.exclude(team__user__username__in=["socsek", "vagledare1", "vagledare2"])
    assert counts["cases"] == 40 == sliced.count() == Case.objects.count() - demo["cases"]
    assert set(sliced.values_list("owning_unit__organisation__name", "owning_unit__name")) == {
        (MUNICIPALITY, "Mottagningsgruppen")
    }
    assert visible_cases(chef).filter(pk__in=sliced.values("pk")).count() == 40
    for username, visible in before.items():  # the personas' own work stays the demo's
        assert set(visible_cases(User.objects.get(username=username)).values_list("pk")) == visible
    assert set(
        GroupSeries.objects.filter(created_by=chef).values_list("unit__name", flat=True)
    ) == {"Mottagningsgruppen"}
    assert AuditEvent.objects.count() == audited


def test_load_demo_adds_the_slice_once(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_demo_command, "SLICE_CASES", 30)
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Added 30 bulk cases" in out.getvalue()
    cases = Case.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert Case.objects.count() == cases
    assert Case.objects.filter(first_contact_date__lt=timezone.localdate() - dt.timedelta(days=365))


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


# Follow-up data --------------------------------------------------------------------------


def _generated_cases() -> "list[Case]":
    return list(
        Case.objects.filter(owning_unit__organisation__name=ORGANISATION).select_related(
            "person", "outcome"
        )
    )


def _last_day(case: Case) -> dt.date:
    return case.closed_on or timezone.localdate()


def test_the_command_reports_the_follow_up_rows(generated: str) -> None:
    rows = _rows_written(generated)
    for kind, model in (
        ("case_outcomes", CaseOutcome),
        ("concern_reports", ConcernReport),
        ("programme_statuses", ProgrammeStatus),
        ("progress_steps", ProgressStep),
        ("barriers", Barrier),
        ("enrolments", Enrolment),
        ("group_series", GroupSeries),
        ("group_sessions", GroupSession),
        ("group_enrolments", GroupEnrolment),
        ("attendance", Attendance),
    ):
        assert rows[kind] == model.objects.count() > 0, kind


def test_most_cases_have_outcomes_from_first_contact_never_after_today_or_closing(
    generated: str,
) -> None:
    cases = _generated_cases()
    outcomes = [case.outcome for case in cases if hasattr(case, "outcome")]
    assert 0.75 * CASES <= len(outcomes) < CASES
    for case in cases:
        outcome = getattr(case, "outcome", None)
        if outcome is None:
            continue
        assert outcome.baseline_on == case.first_contact_date
        assert 0 <= outcome.baseline_concern_reports <= 2
        for day in (outcome.self_sufficient_on, outcome.own_lease_on):
            assert day is None or outcome.baseline_on <= day <= _last_day(case)
        if outcome.baseline_self_sufficient:
            assert outcome.self_sufficient_on == outcome.baseline_on
        if outcome.baseline_own_lease:
            assert outcome.own_lease_on == outcome.baseline_on
    reached = [o for o in outcomes if o.self_sufficient_on and not o.baseline_self_sufficient]
    assert reached
    assert any(o.baseline_self_sufficient for o in outcomes)
    assert any(o.self_sufficient_on is None for o in outcomes)


def test_a_case_closed_as_self_sufficient_was_self_sufficient_by_then(generated: str) -> None:
    closed = Case.objects.filter(
        owning_unit__organisation__name=ORGANISATION, closing_reason=Reason.SELF_SUFFICIENT
    )
    assert closed.exists()
    assert not closed.exclude(outcome__self_sufficient_on__lte=F("closed_on")).exists()
    assert (
        Case.objects.filter(owning_unit__organisation__name=ORGANISATION, stage=Stage.CLOSED)
        .exclude(closing_reason=Reason.SELF_SUFFICIENT)
        .exists()
    )


def test_concern_reports_come_after_first_contact(generated: str) -> None:
    reports = ConcernReport.objects.select_related("case")
    assert reports.exists()
    for report in reports:
        assert report.case.first_contact_date < report.received_on <= _last_day(report.case)


def test_programme_dates_follow_each_other_for_adults_of_working_age(generated: str) -> None:
    statuses = ProgrammeStatus.objects.select_related("case__person")
    assert statuses.count() > CASES // 3
    assert statuses.filter(sfi_started_on__isnull=False).count() > statuses.count() // 2
    assert statuses.filter(civic_orientation_started_on__isnull=False).count() > (
        statuses.count() // 2
    )
    for status in statuses:
        case = status.case
        age = (case.first_contact_date - case.person.date_of_birth).days / 365.25
        assert 20 <= age < 65
        assert status.af_registered_on is not None
        assert case.first_contact_date < status.af_registered_on <= _last_day(case)
        dated = [status.programme_started_on, status.action_plan_on]
        for later in (status.sfi_started_on, status.civic_orientation_started_on, *dated):
            assert later is None or status.af_registered_on < later <= _last_day(case)
        if status.programme_started_on and status.action_plan_on:
            assert status.programme_started_on < status.action_plan_on
        assert (status.programme_ends_on is None) == (status.programme_started_on is None)


def test_progress_steps_of_both_categories_lie_within_the_case(generated: str) -> None:
    steps = ProgressStep.objects.select_related("case")
    categories = set(steps.values_list("category", flat=True))
    assert categories == set(ProgressStep.Category.values)
    for step in steps:
        assert step.case.first_contact_date <= step.occurred_on <= _last_day(step.case)
        assert step.case.stage not in (Stage.INTAKE, Stage.ALIGNMENT, Stage.GUIDANCE)


def test_barriers_are_resolved_after_they_were_noted_or_not_at_all(generated: str) -> None:
    barriers = Barrier.objects.select_related("case")
    assert barriers.filter(resolved_on__isnull=True).exists()
    assert barriers.filter(resolved_on__isnull=False).exists()
    for barrier in barriers:
        assert barrier.case.first_contact_date <= barrier.noted_on <= _last_day(barrier.case)
        if barrier.resolved_on:
            assert barrier.noted_on <= barrier.resolved_on <= _last_day(barrier.case)
        assert (barrier.resolved_by_id is None) == (barrier.resolved_on is None)


def test_enrolments_last_six_months_at_most_and_none_stays_open_on_a_closed_case(
    generated: str,
) -> None:
    enrolments = Enrolment.objects.select_related("case")
    assert set(enrolments.values_list("max_months", flat=True)) == {6}
    assert enrolments.filter(discharged_on__isnull=True).exists()
    assert enrolments.exclude(discharge_reason="").exists()
    for enrolment in enrolments:
        case = enrolment.case
        assert case.first_contact_date <= enrolment.started_on <= _last_day(case)
        if enrolment.discharged_on is None:
            assert case.closed_on is None
            assert enrolment.discharge_reason == ""
        else:
            assert enrolment.started_on <= enrolment.discharged_on <= _last_day(case)
            assert enrolment.discharge_reason


def test_group_series_run_in_each_district_with_attendance_of_their_participants(
    generated: str,
) -> None:
    today = timezone.localdate()
    series = GroupSeries.objects.annotate(
        sessions_held=Count("sessions", filter=Q(sessions__held_on__lte=today), distinct=True),
        taking_part=Count(
            "enrolments",
            filter=Q(enrolments__status__in=["accepted", "left"]),
            distinct=True,
        ),
    )
    units = set(series.values_list("unit__name", flat=True))
    assert units == set(
        Case.objects.filter(owning_unit__organisation__name=ORGANISATION).values_list(
            "owning_unit__name", flat=True
        )
    )
    assert all(s.taking_part <= s.capacity for s in series)
    enrolments = GroupEnrolment.objects.select_related("case", "series")
    assert enrolments.exists()
    for enrolment in enrolments:
        assert enrolment.case.owning_unit_id == enrolment.series.unit_id
    attendance = Attendance.objects.select_related("session", "enrolment")
    assert attendance.filter(present=True).exists()
    assert attendance.filter(present=False).exists()
    for row in attendance:
        assert row.enrolment.status in ("accepted", "left")
        assert row.session.series_id == row.enrolment.series_id
        assert row.session.held_on <= today
        assert row.present == (row.run != "")
