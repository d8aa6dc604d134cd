"""The rules of talks, the future and health plan, topics, barriers, progress and enrolments."""

import datetime as dt

import pytest
from django.utils import timezone

from sia.accounts.models import User
from sia.assessments import services
from sia.assessments.kinds import KINDS_BY_CATEGORY, add_months
from sia.assessments.models import (
    AssessmentTalk,
    Enrolment,
    FuturePlan,
    PostponedTopic,
    ProgressStep,
)
from sia.assessments.selectors import count_progress, list_due_postponed_topics
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.core.exceptions import (
    DuplicateRecord,
    InvalidTransition,
    NotFoundOrForbidden,
    ValidationFailed,
)
from sia.process.models import Catalogue, CatalogueItem

WEB = Channel.WEB


def talk(case: Case, user: User, **overrides: object) -> AssessmentTalk:
    fields: dict[str, object] = {
        "case_id": case.pk,
        "kind": "talk_1",
        "held_on": timezone.localdate(),
        "answers": {"halsa-idag": "Sover dåligt."},
        "summary": "",
        "participants": "Handledare, tolk",
        "recorded_by": user,
        "channel": WEB,
    }
    fields.update(overrides)
    return services.record_talk(**fields)  # type: ignore[arg-type]


def test_the_four_talk_templates_are_shipped_as_assessment_catalogues(db: None) -> None:
    catalogues = Catalogue.objects.filter(
        kind="assessment", key__in=["talk_1", "talk_2", "talk_3", "joint_assessment"]
    )
    assert catalogues.count() == 4
    joint = catalogues.get(key="joint_assessment")
    assert list(joint.items.values_list("label", flat=True)) == [
        "Hälsa",
        "Utbildningsnivå",
        "Arbetslivserfarenhet",
        "Orsak till flykt eller flytt",
        "Familjesituation",
        "Problem i den nuvarande livssituationen",
    ]
    # The first visit labels its answers by key across assessment catalogues: no clashes.
    ib3 = set(CatalogueItem.objects.filter(catalogue__key="ib3-assessment").values_list("key"))
    ours = set(CatalogueItem.objects.filter(catalogue__in=catalogues).values_list("key"))
    assert ib3
    assert not ib3 & ours


def test_an_unknown_answer_key_is_refused_and_nothing_is_written(
    case: Case, staff: dict[str, User]
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        talk(case, staff["socsek"], answers={"halsa-idag": "Bra", "skostorlek": "42"})
    assert refused.value.field == "answers"
    assert not AssessmentTalk.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ASSESSMENT_RECORDED).exists()


@pytest.mark.parametrize("days", [1, -1])
def test_a_talk_cannot_be_held_in_the_future_or_before_first_contact(
    case: Case, staff: dict[str, User], days: int
) -> None:
    with pytest.raises(ValidationFailed):
        talk(case, staff["socsek"], held_on=timezone.localdate() + dt.timedelta(days=days))
    assert not AssessmentTalk.objects.exists()


def test_a_correction_supersedes_the_talk_and_leaves_the_original_unchanged(
    case: Case, staff: dict[str, User]
) -> None:
    first = talk(case, staff["socsek"])
    second = talk(case, staff["vagledare1"], answers={"halsa-idag": "Sover bättre."})
    first.refresh_from_db()
    assert second.supersedes == first
    assert first.answers == {"halsa-idag": "Sover dåligt."}
    assert first.author == staff["socsek"]
    events = AuditEvent.objects.filter(action=AuditAction.ASSESSMENT_RECORDED, case_id=case.pk)
    assert events.count() == 2


def test_talk_2_before_talk_1_is_allowed(case: Case, staff: dict[str, User]) -> None:
    record = talk(case, staff["socsek"], kind="talk_2", answers={"drommar": "Bli sjuksköterska"})
    assert record.supersedes is None


def test_agreeing_freezes_the_future_plan_and_a_change_makes_version_2(
    case: Case, staff: dict[str, User]
) -> None:
    steps = [services.StepInput(step="Börja SFI", why="För att kunna prata med grannarna")]
    plan = services.save_future_plan(
        case_id=case.pk, saved_by=staff["socsek"], channel=WEB, goal="Arbeta i vården", steps=steps
    )
    agreed = services.agree_future_plan(
        case_id=case.pk,
        plan_id=plan.pk,
        agreed_by=staff["socsek"],
        channel=WEB,
        expected_version=plan.lock_version,
    )
    with pytest.raises(InvalidTransition):
        services.agree_future_plan(
            case_id=case.pk,
            plan_id=plan.pk,
            agreed_by=staff["socsek"],
            channel=WEB,
            expected_version=agreed.lock_version,
        )
    second = services.save_future_plan(
        case_id=case.pk, saved_by=staff["socsek"], channel=WEB, goal="Arbeta som undersköterska"
    )
    plan.refresh_from_db()
    assert (plan.status, plan.goal, plan.agreed_on) == (
        FuturePlan.Status.AGREED,
        "Arbeta i vården",
        timezone.localdate(),
    )
    assert (second.version, second.status) == (2, FuturePlan.Status.DRAFT)
    assert [s.step for s in second.steps.all()] == ["Börja SFI"]
    assert [s.step for s in plan.steps.all()] == ["Börja SFI"]


def test_a_future_plan_needs_a_goal_and_every_step_a_why(
    case: Case, staff: dict[str, User]
) -> None:
    with pytest.raises(ValidationFailed):
        services.save_future_plan(case_id=case.pk, saved_by=staff["socsek"], channel=WEB, goal=" ")
    with pytest.raises(ValidationFailed):
        services.save_future_plan(
            case_id=case.pk,
            saved_by=staff["socsek"],
            channel=WEB,
            goal="Mål",
            steps=[services.StepInput(step="Börja SFI", why="")],
        )
    assert not FuturePlan.objects.exists()


def test_a_postponed_topic_is_due_from_its_reminder_day_until_it_is_returned_to(
    case: Case, staff: dict[str, User]
) -> None:
    today = timezone.localdate()
    topic = services.postpone_topic(
        case_id=case.pk,
        topic="Orsak till flykt",
        remind_on=today + dt.timedelta(days=7),
        recorded_by=staff["vagledare1"],
        channel=WEB,
    )
    guide = staff["vagledare1"]
    assert not list_due_postponed_topics(guide, today).exists()
    assert list(list_due_postponed_topics(guide, today + dt.timedelta(days=7))) == [topic]
    assert list(list_due_postponed_topics(guide, today + dt.timedelta(days=30))) == [topic]
    # Not on the team: the topic is not theirs to return to.
    assert not list_due_postponed_topics(staff["chef"], today + dt.timedelta(days=7)).exists()
    services.return_to_topic(
        case_id=case.pk, topic_id=topic.pk, returned_on=today, recorded_by=guide, channel=WEB
    )
    assert not list_due_postponed_topics(guide, today + dt.timedelta(days=30)).exists()
    with pytest.raises(InvalidTransition):
        services.return_to_topic(
            case_id=case.pk, topic_id=topic.pk, returned_on=today, recorded_by=guide, channel=WEB
        )


def test_a_reminder_cannot_be_set_in_the_past(case: Case, staff: dict[str, User]) -> None:
    with pytest.raises(ValidationFailed):
        services.postpone_topic(
            case_id=case.pk,
            topic="Familj",
            remind_on=timezone.localdate() - dt.timedelta(days=1),
            recorded_by=staff["socsek"],
            channel=WEB,
        )
    assert not PostponedTopic.objects.exists()


def test_a_progress_kind_of_the_other_category_is_refused(
    case: Case, staff: dict[str, User]
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.record_progress(
            case_id=case.pk,
            category="progress",
            kind="work",
            occurred_on=timezone.localdate(),
            recorded_by=staff["socsek"],
            channel=WEB,
        )
    assert refused.value.field == "kind"
    assert not ProgressStep.objects.exists()


def test_progress_steps_and_outcomes_are_counted_separately(
    case: Case, staff: dict[str, User]
) -> None:
    for category, kind in [
        ("progress", "sfi_started"),
        ("progress", "sfi_started"),
        ("progress", "debt_plan"),
        ("outcome", "work"),
    ]:
        services.record_progress(
            case_id=case.pk,
            category=category,
            kind=kind,
            occurred_on=timezone.localdate(),
            recorded_by=staff["socsek"],
            channel=WEB,
        )
    counts = count_progress(Case.objects.filter(pk=case.pk))
    assert (counts.total_progress, counts.total_outcomes) == (3, 1)
    assert {r.kind: r.count for r in counts.progress if r.count} == {
        "sfi_started": 2,
        "debt_plan": 1,
    }
    assert {r.kind: r.count for r in counts.outcomes if r.count} == {"work": 1}
    every_kind = {k for kinds in KINDS_BY_CATEGORY.values() for k in kinds}
    assert every_kind == set(ProgressStep.Kind.values)


def test_one_open_enrolment_per_programme_and_discharge_needs_a_reason(
    case: Case, staff: dict[str, User]
) -> None:
    today = timezone.localdate()
    fields = {
        "case_id": case.pk,
        "programme": "cross_agency_team",
        "started_on": today,
        "enrolled_by": staff["socsek"],
        "channel": WEB,
    }
    enrolment = services.enrol(**fields)  # type: ignore[arg-type]
    with pytest.raises(DuplicateRecord):
        services.enrol(**fields)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed):
        services.discharge(
            case_id=case.pk,
            enrolment_id=enrolment.pk,
            discharged_on=today,
            reason="",
            discharged_by=staff["socsek"],
            channel=WEB,
        )
    with pytest.raises(ValidationFailed):
        services.discharge(
            case_id=case.pk,
            enrolment_id=enrolment.pk,
            discharged_on=today,
            reason="time_limit",
            discharged_by=staff["socsek"],
            channel=WEB,
        )
    services.discharge(
        case_id=case.pk,
        enrolment_id=enrolment.pk,
        discharged_on=today,
        reason="goal_met",
        discharged_by=staff["socsek"],
        channel=WEB,
    )
    again = services.enrol(**fields)  # type: ignore[arg-type]
    assert Enrolment.objects.filter(case=case).count() == 2
    assert again.discharged_on is None


def test_time_limit_discharge_is_allowed_once_the_end_date_has_passed(
    case: Case, staff: dict[str, User]
) -> None:
    started = timezone.localdate() - dt.timedelta(days=200)
    Case.objects.filter(pk=case.pk).update(first_contact_date=started)
    enrolment = services.enrol(
        case_id=case.pk,
        programme="fixed_team",
        started_on=started,
        enrolled_by=staff["socsek"],
        channel=WEB,
    )
    done = services.discharge(
        case_id=case.pk,
        enrolment_id=enrolment.pk,
        discharged_on=timezone.localdate(),
        reason="time_limit",
        discharged_by=staff["socsek"],
        channel=WEB,
    )
    assert done.discharge_reason == "time_limit"


def test_a_barrier_cannot_be_resolved_before_it_was_noted(
    case: Case, staff: dict[str, User]
) -> None:
    today = timezone.localdate()
    barrier = services.record_barrier(
        case_id=case.pk, kind="housing", noted_on=today, recorded_by=staff["socsek"], channel=WEB
    )
    with pytest.raises(ValidationFailed):
        services.resolve_barrier(
            case_id=case.pk,
            barrier_id=barrier.pk,
            resolved_on=today - dt.timedelta(days=1),
            recorded_by=staff["socsek"],
            channel=WEB,
        )
    services.resolve_barrier(
        case_id=case.pk,
        barrier_id=barrier.pk,
        resolved_on=today,
        recorded_by=staff["socsek"],
        channel=WEB,
    )
    barrier.refresh_from_db()
    assert barrier.resolved_on == today


def test_someone_outside_the_team_cannot_record(case: Case, staff: dict[str, User]) -> None:
    with pytest.raises(NotFoundOrForbidden):
        talk(case, staff["annan"])
    with pytest.raises(NotFoundOrForbidden):
        services.record_barrier(
            case_id=case.pk,
            kind="housing",
            noted_on=timezone.localdate(),
            recorded_by=staff["vagledare2"],
            channel=WEB,
        )


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(dt.date(2026, 1, 15), 6) == dt.date(2026, 7, 15)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
