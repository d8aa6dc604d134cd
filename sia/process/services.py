"""Run a case through its process: start it, complete and open steps, recompute due dates,
allocate the case to the SIA group and transfer it to the assessment team.

Step record services (alignment, guidance meeting, first visit, plan) call
`complete_step` in their own transaction once their record is signed.
"""

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Role, User
from sia.accounts.selectors import memberships_of
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.dates import check_first_contact_date
from sia.cases.models import Case, CaseTeamMember
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.process.access import (
    access_case_for,
    can_allocate_case,
    can_change_first_contact_date,
    can_manage_templates,
    can_transfer_case,
)
from sia.process.due import StepRule, compute_due_dates
from sia.process.models import CaseStep, ProcessTemplate

DEFAULT_TEMPLATE_KEY = "sia"

# The case's coarse stage follows the first step still open (templates may add other keys).
STAGE_BY_OPEN_STEP: dict[str, str] = {
    "allocation": Case.Stage.INTAKE,
    "alignment": Case.Stage.ALIGNMENT,
    "guidance_meeting": Case.Stage.GUIDANCE,
    "first_visit": Case.Stage.FIRST_VISIT,
    "sia_plan": Case.Stage.PLAN,
    "transfer": Case.Stage.ASSESSMENT,
}


def active_template(key: str = DEFAULT_TEMPLATE_KEY) -> ProcessTemplate:
    """Return the template version new cases start."""
    template = ProcessTemplate.objects.filter(key=key, is_active=True).first()
    if template is None:
        raise ValidationFailed(_("Det finns ingen aktiv processmall för ärendet."))
    return template


def lock_steps(case: Case) -> list[CaseStep]:
    """Lock and return the case's steps, in order, with their definitions."""
    return list(
        CaseStep.objects.select_for_update(of=("self",))
        .filter(case=case)
        .select_related("definition")
        .order_by("order")
    )


def _rule(step: CaseStep) -> StepRule:
    definition = step.definition
    return StepRule(
        key=step.key,
        anchor=definition.anchor,
        anchor_step=definition.anchor_step,
        counting=definition.counting,
        days=definition.days,
        not_later_than_step=definition.not_later_than_step,
        is_open=step.status != CaseStep.Status.PENDING,
        opened_on=step.opened_on,
        completed_on=step.completed_on,
        scheduled_on=step.scheduled_on,
    )


def _apply_due_dates(case: Case, steps: list[CaseStep]) -> dict[str, list[str | None]]:
    """Recompute the due dates of steps not yet done; return what changed."""
    due = compute_due_dates(case.first_contact_date, {step.key: _rule(step) for step in steps})
    changed: dict[str, list[str | None]] = {}
    for step in steps:
        if step.status == CaseStep.Status.DONE or step.due_date == due[step.key]:
            continue
        old, step.due_date = step.due_date, due[step.key]
        changed[step.key] = [old.isoformat() if old else None, _iso(step.due_date)]
        step.save(update_fields=["due_date", "updated_at"])
    return changed


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _sync_stage(case: Case, steps: list[CaseStep]) -> None:
    open_steps = [step for step in steps if step.status == CaseStep.Status.OPEN]
    if any(step.key == "transfer" and step.status != CaseStep.Status.PENDING for step in steps):
        stage: str = Case.Stage.ASSESSMENT
    elif open_steps:
        stage = STAGE_BY_OPEN_STEP.get(open_steps[0].key, case.stage)
    else:
        stage = Case.Stage.FOLLOW_UP
    if case.is_open and stage != case.stage:
        case.stage = stage
        case.save(update_fields=["stage", "updated_at"])


def start_process(
    *, case: Case, started_by: User, channel: Channel, template: ProcessTemplate | None = None
) -> list[CaseStep]:
    """Create the case's steps from the active template version and set their due dates."""
    template = template or active_template()
    today = timezone.localdate()
    steps = [
        CaseStep(
            case=case,
            definition=definition,
            key=definition.key,
            order=definition.order,
            status=CaseStep.Status.OPEN if definition.opens_at_start else CaseStep.Status.PENDING,
            opened_on=today if definition.opens_at_start else None,
        )
        for definition in template.steps.order_by("order")
    ]
    CaseStep.objects.bulk_create(steps)
    due = compute_due_dates(case.first_contact_date, {step.key: _rule(step) for step in steps})
    for step in steps:
        step.due_date = due[step.key]
    CaseStep.objects.bulk_update(steps, ["due_date"])
    audit.record_case(
        actor=started_by,
        action=AuditAction.STEP_OPENED,
        channel=channel,
        case=case,
        changes={
            "template": f"{template.key} v{template.version}",
            "due": {step.key: _iso(step.due_date) for step in steps},
        },
    )
    return steps


def complete_step(
    *,
    case: Case,
    key: str,
    completed_by: User,
    channel: Channel,
    done_on: dt.date | None = None,
) -> CaseStep:
    """Mark an open step done, recompute what depends on it and move the case's stage.

    `done_on` is the day the work was done (the meeting's day), when it was recorded later;
    steps that count from this one count from that day.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("complete_step must run inside the record's transaction.")
    steps = lock_steps(case)
    step = next((s for s in steps if s.key == key), None)
    if step is None or step.status != CaseStep.Status.OPEN:
        raise InvalidTransition(_("Steget är inte öppet och kan inte slutföras."))
    step.status = CaseStep.Status.DONE
    step.completed_at = timezone.now()
    step.completed_on = min(done_on or timezone.localdate(), timezone.localdate())
    step.completed_by = completed_by
    step.save(
        update_fields=["status", "completed_at", "completed_on", "completed_by", "updated_at"]
    )
    changed = _apply_due_dates(case, steps)
    _sync_stage(case, steps)
    audit.record_case(
        actor=completed_by,
        action=AuditAction.STEP_COMPLETED,
        channel=channel,
        case=case,
        changes={"step": key, "due_changed": changed} if changed else {"step": key},
    )
    return step


def schedule_step(*, case: Case, key: str, on: dt.date | None) -> dict[str, list[str | None]]:
    """Book an open step for a day (the agreed first visit); steps that count from it move.

    The caller audits the booking with its record; the due dates that moved are returned.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("schedule_step must run inside the record's transaction.")
    steps = lock_steps(case)
    step = next((s for s in steps if s.key == key), None)
    if step is None or step.status != CaseStep.Status.OPEN or step.scheduled_on == on:
        return {}
    step.scheduled_on = on
    step.save(update_fields=["scheduled_on", "updated_at"])
    return _apply_due_dates(case, steps)


def open_step(*, case: Case, key: str, opened_by: User, channel: Channel) -> CaseStep:
    """Open a step that waits for an event (such as the transfer) and give it its due date."""
    steps = lock_steps(case)
    step = next((s for s in steps if s.key == key), None)
    if step is None or step.status != CaseStep.Status.PENDING:
        raise InvalidTransition(_("Steget kan inte öppnas."))
    step.status = CaseStep.Status.OPEN
    step.opened_on = timezone.localdate()
    step.save(update_fields=["status", "opened_on", "updated_at"])
    _apply_due_dates(case, steps)
    _sync_stage(case, steps)
    audit.record_case(
        actor=opened_by,
        action=AuditAction.STEP_OPENED,
        channel=channel,
        case=case,
        changes={"step": key, "due": _iso(step.due_date)},
    )
    return step


@transaction.atomic
def change_first_contact_date(
    *, case_id: UUID, first_contact_date: dt.date, changed_by: User, channel: Channel
) -> Case:
    """Correct the first-contact date and recompute the open steps' due dates, audited."""
    case = access_case_for(changed_by, case_id, can_change_first_contact_date)
    check_first_contact_date(first_contact_date)
    old = case.first_contact_date
    if old == first_contact_date:
        return case
    case.first_contact_date = first_contact_date
    case.save(update_fields=["first_contact_date", "updated_at"])
    changed = _apply_due_dates(case, lock_steps(case))
    audit.record_case(
        actor=changed_by,
        action=AuditAction.DUE_DATES_RECOMPUTED,
        channel=channel,
        case=case,
        changes={
            "first_contact_date": [old.isoformat(), first_contact_date.isoformat()],
            "due_changed": changed,
        },
    )
    return case


@transaction.atomic
def refresh_due_dates(
    *, case_id: UUID, actor: User, channel: Channel
) -> dict[str, list[str | None]]:
    """Recompute the open steps' due dates as the system (loaders, commands); audited."""
    case = Case.objects.get(pk=case_id)
    changed = _apply_due_dates(case, lock_steps(case))
    if changed:
        audit.record_case(
            actor=actor,
            action=AuditAction.DUE_DATES_RECOMPUTED,
            channel=channel,
            case=case,
            changes={"due_changed": changed},
        )
    return changed


def _holds_role(
    user: User, role: Role, organisation_id: UUID, unit_id: UUID | None
) -> CaseTeamMember | None:
    """Return an unsaved team row for the user in the role, if they hold it in the municipality
    (and in the given unit, when one is given)."""
    for membership in memberships_of(user):
        if membership.role != role or membership.unit.organisation_id != organisation_id:
            continue
        if unit_id is None or membership.unit_id == unit_id:
            return CaseTeamMember(user=user, role=role, unit=membership.unit)
    return None


def _add_to_team(case: Case, rows: list[CaseTeamMember], added_by: User) -> list[str]:
    current = set(
        CaseTeamMember.objects.filter(case=case, left_at__isnull=True).values_list(
            "user_id", "role"
        )
    )
    added = []
    for row in rows:
        if (row.user.pk, row.role) in current:
            continue
        row.case = case
        row.added_by = added_by
        row.save()
        added.append(f"{row.user.username}:{row.role}")
    return added


def _team_rows(
    users: Sequence[User], role: Role, case: Case, field: str, *, own_unit: bool = False
) -> list[CaseTeamMember]:
    organisation_id = case.owning_unit.organisation_id
    unit_id = case.owning_unit_id if own_unit else None
    rows = []
    for user in users:
        row = _holds_role(user, role, organisation_id, unit_id)
        if row is None or not user.is_active:
            raise ValidationFailed(
                _("%(name)s har inte rollen %(role)s i kommunen.")
                % {"name": user, "role": role.label},
                field=field,
            )
        rows.append(row)
    return rows


@transaction.atomic
def allocate_case(
    *,
    case_id: UUID,
    guides: Sequence[User],
    social_worker: User,
    allocated_by: User,
    channel: Channel,
) -> Case:
    """Hand a new case to the SIA group (guides and the reception social worker) in one action."""
    case = access_case_for(allocated_by, case_id, can_allocate_case)
    if not guides:
        raise ValidationFailed(_("Välj minst en samhällsvägledare."), field="guides")
    if len({guide.pk for guide in guides}) != len(guides):
        raise ValidationFailed(_("Samma samhällsvägledare är vald två gånger."), field="guides")
    rows = _team_rows(guides, Role.COMMUNITY_GUIDE, case, "guides")
    # The reception social worker comes from the case's own unit; guides from anywhere in
    # the municipality (they usually sit in a guidance unit of their own).
    rows += _team_rows(
        [social_worker], Role.RECEPTION_SOCIAL_WORKER, case, "social_worker", own_unit=True
    )
    added = _add_to_team(case, rows, allocated_by)
    complete_step(case=case, key="allocation", completed_by=allocated_by, channel=channel)
    audit.record_case(
        actor=allocated_by,
        action=AuditAction.CASE_ALLOCATED,
        channel=channel,
        case=case,
        changes={"team_added": added},
    )
    return case


@transaction.atomic
def transfer_case(
    *, case_id: UUID, assessment_worker: User, transferred_by: User, channel: Channel
) -> Case:
    """Hand the case to the assessment team: add its social worker and open the transfer step.

    The reception social workers leave the team; the guides and the plan stay. The
    transfer step is done when the new SIA alignment with the guide is recorded.
    """
    case = access_case_for(transferred_by, case_id, can_transfer_case)
    if case.stage == Case.Stage.INTAKE:
        raise InvalidTransition(_("Ärendet måste fördelas innan det kan överföras."))
    rows = _team_rows([assessment_worker], Role.ASSESSMENT_SOCIAL_WORKER, case, "assessment_worker")
    step = open_step(case=case, key="transfer", opened_by=transferred_by, channel=channel)
    added = _add_to_team(case, rows, transferred_by)
    left = CaseTeamMember.objects.filter(
        case=case, role=Role.RECEPTION_SOCIAL_WORKER, left_at__isnull=True
    ).update(left_at=timezone.now())
    audit.record_case(
        actor=transferred_by,
        action=AuditAction.CASE_TRANSFERRED,
        channel=channel,
        case=case,
        changes={"team_added": added, "reception_left": left, "due": _iso(step.due_date)},
    )
    return case


@transaction.atomic
def clone_template(*, template_id: UUID, cloned_by: User) -> ProcessTemplate:
    """Copy a template as the next version of its key; it is used once made active."""
    if not can_manage_templates(cloned_by):
        raise NotFoundOrForbidden
    source = ProcessTemplate.objects.filter(pk=template_id).first()
    if source is None:
        raise NotFoundOrForbidden
    latest = ProcessTemplate.objects.filter(key=source.key).aggregate(v=Max("version"))["v"]
    steps = list(source.steps.prefetch_related("catalogues"))
    clone = ProcessTemplate.objects.get(pk=source.pk)
    clone.pk = None
    clone.id = None
    clone._state.adding = True
    clone.version = (latest or 0) + 1
    clone.is_active = False
    clone.cloned_from = source
    clone.created_by = cloned_by
    clone.save()
    for step in steps:
        catalogues = list(step.catalogues.all())
        step.pk = None
        step.id = None
        step._state.adding = True
        step.template = clone
        step.save()
        step.catalogues.set(catalogues)
    return clone


@transaction.atomic
def activate_template(*, template_id: UUID, activated_by: User) -> ProcessTemplate:
    """Make a template version the one new cases start; running cases keep theirs."""
    if not can_manage_templates(activated_by):
        raise NotFoundOrForbidden
    template = ProcessTemplate.objects.select_for_update().filter(pk=template_id).first()
    if template is None:
        raise NotFoundOrForbidden
    ProcessTemplate.objects.filter(key=template.key, is_active=True).exclude(pk=template.pk).update(
        is_active=False
    )
    if not template.is_active:
        template.is_active = True
        template.save(update_fields=["is_active", "updated_at"])
    return template
