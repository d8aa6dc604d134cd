"""Save, agree and version the future and health plan (framtids- och hälsoplan)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.assessments.models import (
    FuturePlan,
    FuturePlanStep,
)
from sia.assessments.services.common import (
    MAX_AHEAD,
    MAX_STEPS,
    MAX_TEXT,
    audit_case,
    check_past_day,
    clean_text,
    locked_case,
)
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.core.concurrency import check_latest, save_if_unchanged
from sia.core.exceptions import (
    InvalidTransition,
    NotFoundOrForbidden,
    ValidationFailed,
)

PLAN = _("framtids- och hälsoplanen")
PLAN_FIELDS = ("goal", "health", "status")


@dataclass(frozen=True)
class StepInput:
    """One next step of the future and health plan, with why the person chose it."""

    step: str
    why: str
    by_when: dt.date | None = None


def _latest_plan(case: Case) -> FuturePlan | None:
    return FuturePlan.objects.filter(case=case).order_by("-version").first()


def _check_step_dates(case: Case, steps: Sequence[StepInput]) -> None:
    """Refuse a step's date before the case began or further ahead than the longest programme."""
    latest_day = timezone.localdate() + MAX_AHEAD
    for row in steps:
        if row.by_when is None:
            continue
        if row.by_when < case.first_contact_date:
            raise ValidationFailed(
                _("Datumet kan inte ligga före aktualiseringsdatumet."), field="steps"
            )
        if row.by_when > latest_day:
            raise ValidationFailed(_("Datumet ligger för långt fram i tiden."), field="steps")


def _check_steps(steps: Sequence[StepInput]) -> list[StepInput]:
    if len(steps) > MAX_STEPS:
        raise ValidationFailed(_("Planen har för många steg."), field="steps")
    cleaned = []
    for row in steps:
        step, why = row.step.strip(), row.why.strip()
        if not step or not why:
            raise ValidationFailed(
                _("Varje steg behöver både vad och varför personen valt det."), field="steps"
            )
        if len(step) > 300 or len(why) > MAX_TEXT:
            raise ValidationFailed(_("Texten är för lång."), field="steps")
        cleaned.append(StepInput(step=step, why=why, by_when=row.by_when))
    return cleaned


def _replace_steps(plan: FuturePlan, steps: Sequence[StepInput]) -> None:
    plan.steps.all().delete()
    FuturePlanStep.objects.bulk_create(
        FuturePlanStep(plan=plan, order=order, step=row.step, why=row.why, by_when=row.by_when)
        for order, row in enumerate(steps, start=1)
    )


def _copy_steps(plan: FuturePlan | None) -> list[StepInput]:
    if plan is None:
        return []
    return [StepInput(step=s.step, why=s.why, by_when=s.by_when) for s in plan.steps.all()]


@transaction.atomic
def save_future_plan(
    *,
    case_id: UUID,
    saved_by: User,
    channel: Channel,
    goal: str | None = None,
    health: str | None = None,
    steps: Sequence[StepInput] | None = None,
    based_on: UUID | None = None,
    expected_version: int | None = None,
) -> FuturePlan:
    """Save the draft of the future and health plan; after an agreement this starts a new
    version. What is not given is copied from the latest version.

    With ``expected_version`` the save is refused (`EditConflict`) unless the latest version
    is still ``based_on`` at that version: nobody's later save is overwritten.
    """
    case = locked_case(saved_by, case_id, health=True)
    latest = _latest_plan(case)
    check_latest(
        latest, based_on=based_on, expected_version=expected_version, what=PLAN, fields=PLAN_FIELDS
    )
    goal = clean_text(goal if goal is not None else (latest.goal if latest else ""), "goal")
    if not goal:
        raise ValidationFailed(_("Skriv personens mål, med personens egna ord."), field="goal")
    health = clean_text(
        health if health is not None else (latest.health if latest else ""), "health"
    )
    if steps is not None:
        _check_step_dates(case, steps)
    cleaned = _check_steps(steps if steps is not None else _copy_steps(latest))
    if latest is not None and latest.status == FuturePlan.Status.DRAFT:
        plan = latest
        plan.goal, plan.health = goal, health
        save_if_unchanged(
            plan,
            expected_version=expected_version,
            fields=["goal", "health"],
            changed_by=saved_by,
            what=PLAN,
            shown=PLAN_FIELDS,
        )
    else:
        version = (FuturePlan.objects.filter(case=case).aggregate(v=Max("version"))["v"] or 0) + 1
        plan = FuturePlan.objects.create(
            case=case, version=version, goal=goal, health=health, created_by=saved_by
        )
    _replace_steps(plan, cleaned)
    audit_case(
        saved_by,
        case,
        AuditAction.FUTURE_PLAN_CHANGED,
        channel,
        plan=str(plan.pk),
        version=plan.version,
        steps=len(cleaned),
    )
    return plan


@transaction.atomic
def agree_future_plan(
    *,
    case_id: UUID,
    plan_id: UUID,
    agreed_by: User,
    channel: Channel,
    expected_version: int,
    agreed_on: dt.date | None = None,
) -> FuturePlan:
    """Record that the person decided the draft; the version is frozen from now on.

    ``expected_version`` is the draft's ``lock_version`` as the person was shown it: if
    anyone changed it since, nothing is agreed (`EditConflict`).
    """
    case = locked_case(agreed_by, case_id, health=True)
    plan = FuturePlan.objects.select_for_update().filter(case=case, pk=plan_id).first()
    if plan is None:
        raise NotFoundOrForbidden
    if plan.status != FuturePlan.Status.DRAFT:
        raise InvalidTransition(_("Planen är redan beslutad. En ändring blir en ny version."))
    agreed_on = agreed_on or timezone.localdate()
    check_past_day(case, agreed_on, "agreed_on")
    plan.status = FuturePlan.Status.AGREED
    plan.agreed_on = agreed_on
    plan.agreed_by = agreed_by
    # Counted as a save, so a change loaded before the agreement is refused.
    save_if_unchanged(
        plan,
        expected_version=expected_version,
        fields=["status", "agreed_on", "agreed_by"],
        changed_by=agreed_by,
        what=PLAN,
        shown=PLAN_FIELDS,
    )
    audit_case(
        agreed_by,
        case,
        AuditAction.FUTURE_PLAN_AGREED,
        channel,
        plan=str(plan.pk),
        version=plan.version,
        agreed_on=agreed_on.isoformat(),
    )
    return plan
