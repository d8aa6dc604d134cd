"""Propose, change and agree a case's SIA plan, and follow up its activities.

A proposal is a draft that may change until it is agreed; an agreed version is never
changed again: a change makes a new version, copied from the latest. Only an
activity's status moves on the latest agreed version, and every move is audited.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.core.concurrency import check_latest, check_unchanged, save_if_unchanged
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.plans.models import PlanActivity, SiaPlan
from sia.plans.selectors import assessment_from_first_visit, list_team_users
from sia.process.access import access_case_for, can_do_sia_casework
from sia.process.models import CaseStep, Catalogue, CatalogueItem
from sia.process.services import complete_step

MAX_ACTIVITIES = 50
MAX_TEXT = 10_000
MAX_LINE = 200
PLAN = _("SIA-planen")
PLAN_FIELDS = ("assessment", "guidance_needs", "status")
ACTIVITY = _("aktiviteten")


@dataclass(frozen=True)
class ActivityInput:
    """One activity of a plan: from the catalogue or free text, with who, when and status."""

    catalogue_item_id: UUID | None = None
    title: str = ""
    responsible: str = ""
    responsible_user_id: UUID | None = None
    start_date: dt.date | None = None
    target_date: dt.date | None = None
    status: str = PlanActivity.Status.PLANNED


def can_change_plan(user: User, case: Case) -> bool:
    """Tell whether the user may propose, change and agree the case's plan."""
    return can_do_sia_casework(user, case)


def _case_for_plan(user: User, case_id: UUID) -> Case:
    case = access_case_for(user, case_id, can_change_plan)
    # Lock the case so two proposals cannot take the same version number.
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def _lock_plan(case: Case, plan_id: UUID) -> SiaPlan:
    plan = SiaPlan.objects.select_for_update().filter(case=case, pk=plan_id).first()
    if plan is None:
        raise NotFoundOrForbidden
    return plan


def _latest(case: Case) -> SiaPlan | None:
    return SiaPlan.objects.filter(case=case).order_by("-version").first()


def _text(value: str, field: str, limit: int = MAX_TEXT) -> str:
    value = value.strip()
    if len(value) > limit:
        raise ValidationFailed(_("Texten är för lång."), field=field)
    return value


def _check_activity(activity: ActivityInput, item_ids: set[UUID], user_ids: set[UUID]) -> None:
    has_item = activity.catalogue_item_id is not None
    if has_item == bool(activity.title.strip()):
        raise ValidationFailed(
            _("Välj en aktivitet ur listan eller skriv en egen, inte båda."), field="activities"
        )
    if has_item and activity.catalogue_item_id not in item_ids:
        raise ValidationFailed(_("Aktiviteten finns inte i katalogen."), field="activities")
    if activity.responsible.strip() and activity.responsible_user_id is not None:
        raise ValidationFailed(
            _("Ange en ansvarig person eller organisation, eller en medarbetare, inte båda."),
            field="activities",
        )
    if activity.responsible_user_id is not None and activity.responsible_user_id not in user_ids:
        raise ValidationFailed(
            _("Den ansvariga medarbetaren finns inte i ärendeteamet."), field="activities"
        )
    if activity.start_date and activity.target_date and activity.target_date < activity.start_date:
        raise ValidationFailed(_("Måldatum kan inte ligga före startdatum."), field="activities")
    if activity.status not in PlanActivity.Status.values:
        raise ValidationFailed(_("Okänd status för en aktivitet."), field="activities")
    if len(activity.title.strip()) > MAX_LINE or len(activity.responsible.strip()) > MAX_LINE:
        raise ValidationFailed(_("Texten är för lång."), field="activities")


def _check_activities(case: Case, activities: Sequence[ActivityInput]) -> None:
    if len(activities) > MAX_ACTIVITIES:
        raise ValidationFailed(_("Planen har för många aktiviteter."), field="activities")
    item_ids = set(
        CatalogueItem.objects.filter(catalogue__kind=Catalogue.Kind.ACTIVITIES).values_list(
            "pk", flat=True
        )
    )
    user_ids = set(list_team_users(case).values_list("pk", flat=True))
    for activity in activities:
        _check_activity(activity, item_ids, user_ids)


def _copy(activity: PlanActivity) -> ActivityInput:
    return ActivityInput(
        catalogue_item_id=activity.catalogue_item_id,
        title=activity.title,
        responsible=activity.responsible,
        responsible_user_id=activity.responsible_user_id,
        start_date=activity.start_date,
        target_date=activity.target_date,
        status=activity.status,
    )


def _add_activities(plan: SiaPlan, activities: Sequence[ActivityInput]) -> None:
    PlanActivity.objects.bulk_create(
        PlanActivity(
            plan=plan,
            catalogue_item_id=activity.catalogue_item_id,
            title=activity.title.strip() if activity.catalogue_item_id is None else "",
            responsible=activity.responsible.strip(),
            responsible_user_id=activity.responsible_user_id,
            start_date=activity.start_date,
            target_date=activity.target_date,
            status=activity.status,
            order=order,
        )
        for order, activity in enumerate(activities, start=1)
    )


def _audit(
    user: User, case: Case, action: AuditAction, channel: Channel, **changes: object
) -> None:
    audit.record_case(
        actor=user,
        action=action,
        channel=channel,
        case=case,
        changes=changes,
    )


@transaction.atomic
def propose_plan(
    *,
    case_id: UUID,
    proposed_by: User,
    channel: Channel,
    assessment: str | None = None,
    guidance_needs: str | None = None,
    activities: Sequence[ActivityInput] | None = None,
) -> SiaPlan:
    """Start a new plan version as a proposal; what is not given is copied from the latest.

    Without an earlier version the assessment starts from the first-visit answers.
    """
    case = _case_for_plan(proposed_by, case_id)
    latest = _latest(case)
    if latest is not None and latest.status == SiaPlan.Status.PROPOSED:
        raise InvalidTransition(_("Det finns redan ett förslag. Ändra det i stället."))
    if assessment is None:
        assessment = latest.assessment if latest else assessment_from_first_visit(case)
    if guidance_needs is None:
        guidance_needs = latest.guidance_needs if latest else ""
    if activities is None:
        activities = [_copy(a) for a in latest.activities.all()] if latest else []
    _check_activities(case, activities)
    version = (SiaPlan.objects.filter(case=case).aggregate(v=Max("version"))["v"] or 0) + 1
    plan = SiaPlan.objects.create(
        case=case,
        version=version,
        status=SiaPlan.Status.PROPOSED,
        assessment=_text(assessment, "assessment"),
        guidance_needs=_text(guidance_needs, "guidance_needs"),
        created_by=proposed_by,
    )
    _add_activities(plan, activities)
    _audit(
        proposed_by, case, AuditAction.PLAN_PROPOSED, channel, plan=str(plan.pk), version=version
    )
    return plan


@transaction.atomic
def update_proposal(
    *,
    case_id: UUID,
    plan_id: UUID,
    changed_by: User,
    channel: Channel,
    assessment: str | None = None,
    guidance_needs: str | None = None,
    activities: Sequence[ActivityInput] | None = None,
    expected_version: int | None = None,
) -> SiaPlan:
    """Change a proposal that is not yet agreed; the activities given replace the old ones.

    With ``expected_version`` the change is refused (`EditConflict`) if someone saved the
    proposal after the user loaded it.
    """
    case = _case_for_plan(changed_by, case_id)
    plan = _lock_plan(case, plan_id)
    check_unchanged(plan, expected_version=expected_version, what=PLAN, fields=PLAN_FIELDS)
    if plan.status != SiaPlan.Status.PROPOSED:
        raise InvalidTransition(
            _("En överenskommen plan ändras aldrig. Gör ett nytt förslag i stället.")
        )
    changed = []
    if assessment is not None:
        plan.assessment = _text(assessment, "assessment")
        changed.append("assessment")
    if guidance_needs is not None:
        plan.guidance_needs = _text(guidance_needs, "guidance_needs")
        changed.append("guidance_needs")
    if activities is not None:
        _check_activities(case, activities)
    save_if_unchanged(
        plan,
        expected_version=expected_version,
        fields=changed,
        changed_by=changed_by,
        what=PLAN,
        shown=PLAN_FIELDS,
    )
    if activities is not None:
        plan.activities.all().delete()
        _add_activities(plan, activities)
        changed.append("activities")
    _audit(
        changed_by,
        case,
        AuditAction.PLAN_PROPOSED,
        channel,
        plan=str(plan.pk),
        version=plan.version,
        changed=changed,
    )
    return plan


@transaction.atomic
def agree_plan(
    *, case_id: UUID, plan_id: UUID, agreed_by: User, channel: Channel, expected_version: int
) -> SiaPlan:
    """Mark the latest proposal as agreed (överenskommen); it is frozen from now on.

    ``expected_version`` is the proposal's ``lock_version`` as the user showed it to the
    newcomer: if anyone changed it since, nothing is agreed (`EditConflict`).
    """
    case = _case_for_plan(agreed_by, case_id)
    plan = _lock_plan(case, plan_id)
    if plan.status != SiaPlan.Status.PROPOSED:
        raise InvalidTransition(_("Planen är redan överenskommen."))
    plan.status = SiaPlan.Status.AGREED
    plan.agreed_at = timezone.now()
    plan.agreed_by = agreed_by
    # Counted as a save, so a change loaded before the agreement is refused.
    save_if_unchanged(
        plan,
        expected_version=expected_version,
        fields=["status", "agreed_at", "agreed_by"],
        changed_by=agreed_by,
        what=PLAN,
        shown=PLAN_FIELDS,
    )
    if CaseStep.objects.filter(case=case, key="sia_plan", status=CaseStep.Status.OPEN).exists():
        complete_step(case=case, key="sia_plan", completed_by=agreed_by, channel=channel)
    _audit(
        agreed_by, case, AuditAction.PLAN_AGREED, channel, plan=str(plan.pk), version=plan.version
    )
    return plan


@transaction.atomic
def update_activity_status(
    *,
    case_id: UUID,
    plan_id: UUID,
    activity_id: UUID,
    status: str,
    changed_by: User,
    channel: Channel,
    expected_version: int | None = None,
) -> PlanActivity:
    """Move an activity's status on the latest agreed version (or on the proposal).

    With ``expected_version`` the move is refused (`EditConflict`) if someone changed the
    activity after the user loaded it.
    """
    case = _case_for_plan(changed_by, case_id)
    plan = _lock_plan(case, plan_id)
    newer_agreed = SiaPlan.objects.filter(
        case=case, status=SiaPlan.Status.AGREED, version__gt=plan.version
    ).exists()
    if plan.status == SiaPlan.Status.AGREED and newer_agreed:
        raise InvalidTransition(_("Den här versionen är ersatt av en nyare och ändras inte."))
    if plan.status == SiaPlan.Status.PROPOSED and _latest(case) != plan:
        raise InvalidTransition(_("Den här versionen är ersatt av en nyare och ändras inte."))
    if status not in PlanActivity.Status.values:
        raise ValidationFailed(_("Okänd status för en aktivitet."), field="status")
    activity = plan.activities.select_for_update().filter(pk=activity_id).first()
    if activity is None:
        raise NotFoundOrForbidden
    check_unchanged(activity, expected_version=expected_version, what=ACTIVITY, fields=["status"])
    old = activity.status
    if old != status:
        activity.status = status
        save_if_unchanged(
            activity,
            expected_version=expected_version,
            fields=["status"],
            changed_by=changed_by,
            what=ACTIVITY,
        )
        _audit(
            changed_by,
            case,
            AuditAction.PLAN_ACTIVITY_UPDATED,
            channel,
            plan=str(plan.pk),
            version=plan.version,
            activity=str(activity.pk),
            status=[old, status],
        )
    return activity


@transaction.atomic
def save_proposal(
    *,
    case_id: UUID,
    based_on: UUID | None,
    expected_version: int | None,
    changed_by: User,
    channel: Channel,
    assessment: str,
    guidance_needs: str,
    activities: Sequence[ActivityInput],
) -> SiaPlan:
    """Save the plan page: change the proposal or propose a new version after the latest.

    Refused with `EditConflict` unless the latest version is still the one the user loaded
    (``based_on``, at ``expected_version``): someone else's proposal, change or agreement
    is never overwritten.
    """
    case = _case_for_plan(changed_by, case_id)
    latest = _latest(case)
    check_latest(
        latest, based_on=based_on, expected_version=expected_version, what=PLAN, fields=PLAN_FIELDS
    )
    if latest is not None and latest.status == SiaPlan.Status.PROPOSED:
        return update_proposal(
            case_id=case.pk,
            plan_id=latest.pk,
            changed_by=changed_by,
            channel=channel,
            expected_version=expected_version,
            assessment=assessment,
            guidance_needs=guidance_needs,
            activities=activities,
        )
    return propose_plan(
        case_id=case.pk,
        proposed_by=changed_by,
        channel=channel,
        assessment=assessment,
        guidance_needs=guidance_needs,
        activities=activities,
    )
