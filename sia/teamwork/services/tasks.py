"""Keep the team's shared action plan: tasks owned by one organisation (and person).

A task created from the team's own page (source TEAM or ASSESSMENT) needs a user who may
work on the case and see its plans. A task decided at a meeting (MEETING) or wished in a
group activity (GROUP) is created by the meeting's or group's own service, which has
already checked the actor's rights there: the actor need not be on the case team, but the
case must be open.
"""

import datetime as dt
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Membership, Organisation, User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.collaboration.models import AgendaItem
from sia.core.concurrency import check_unchanged, save_if_unchanged
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.process.access import access_case_for, can_work_on_case
from sia.teamwork import access
from sia.teamwork.models import TeamTask
from sia.teamwork.services.common import (
    MAX_TITLE,
    check_not_too_far_ahead,
    clean_text,
    lock_case,
)

TASK = _("uppgiften")
TASK_FIELDS = ("status", "done_on")


def _check_task_case(actor: User, case: Case, source: str) -> Case:
    if source not in TeamTask.Source.values:
        raise ValidationFailed(_("Okänt ursprung för uppgiften."), field="source")
    if source in (TeamTask.Source.MEETING, TeamTask.Source.GROUP):
        # The meeting's or group's own service has checked the actor's rights there.
        if not case.is_open:
            raise InvalidTransition(_("Ärendet är avslutat."))
        return lock_case(case.pk)
    checked = access_case_for(actor, case.pk, access.can_add_task)
    return lock_case(checked.pk)


def _check_owner(owner: User | None, organisation: Organisation) -> None:
    if owner is None:
        return
    belongs = Membership.objects.filter(
        user_id=owner.pk, user__is_active=True, unit__organisation_id=organisation.pk
    ).exists()
    if not belongs:
        raise ValidationFailed(
            _("Den ansvariga personen arbetar inte i den ansvariga organisationen."),
            field="owner",
        )


def _check_agenda_item(item: AgendaItem | None, case: Case) -> None:
    if item is None:
        return
    item_case = item.case_id or item.meeting.case_id
    if item_case != case.pk:
        raise ValidationFailed(
            _("Punkten på dagordningen gäller inte ärendet."), field="agenda_item"
        )


@transaction.atomic
def create_task(
    *,
    actor: User,
    case: Case,
    title: str,
    owner_organisation: Organisation,
    owner: User | None = None,
    due_on: dt.date | None = None,
    source: str,
    agenda_item: AgendaItem | None = None,
    description: str = "",
    channel: Channel,
) -> TeamTask:
    """Add a task, owned by one organisation (and person), to the case's shared action plan.

    For source MEETING or GROUP the caller has already checked the actor's rights at the
    meeting or group activity; otherwise the actor must be able to work on the case.
    """
    case = _check_task_case(actor, case, source)
    title = clean_text(title, "title", limit=MAX_TITLE, required=True)
    description = clean_text(description, "description")
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationFailed(_("Datumet kan inte ligga bakåt i tiden."), field="due_on")
    if due_on is not None:
        check_not_too_far_ahead(due_on, "due_on")
    _check_owner(owner, owner_organisation)
    _check_agenda_item(agenda_item, case)
    task = TeamTask.objects.create(
        case=case,
        title=title,
        description=description,
        owner_organisation=owner_organisation,
        owner=owner,
        due_on=due_on,
        source=source,
        agenda_item=agenda_item,
        created_by=actor,
    )
    audit.record_case(
        actor=actor,
        action=AuditAction.TASK_CREATED,
        channel=channel,
        case=case,
        changes={
            "task": str(task.pk),
            "source": source,
            "owner_organisation": str(owner_organisation.pk),
            "owner": str(owner.pk) if owner else None,
            "due_on": due_on.isoformat() if due_on else None,
        },
    )
    return task


def _task_for_update(actor: User, task_id: UUID, case_id: UUID | None) -> TeamTask:
    task = TeamTask.objects.select_related("case").filter(pk=task_id).first()
    if task is None or (case_id is not None and task.case_id != case_id):
        raise NotFoundOrForbidden
    access_case_for(actor, task.case_id, can_work_on_case)
    task = TeamTask.objects.select_for_update(of=("self",)).select_related("case").get(pk=task.pk)
    if not access.can_update_task(actor, task):
        raise NotFoundOrForbidden
    return task


def _check_done_on(status: str, done_on: dt.date | None, case: Case) -> dt.date | None:
    if status not in TeamTask.Status.values:
        raise ValidationFailed(_("Välj en status."), field="status")
    if status != TeamTask.Status.DONE:
        return None
    if done_on is None:
        raise ValidationFailed(_("Ange när uppgiften blev klar."), field="done_on")
    if done_on > timezone.localdate():
        raise ValidationFailed(_("Datumet kan inte ligga i framtiden."), field="done_on")
    if done_on < case.first_contact_date:
        raise ValidationFailed(
            _("Datumet kan inte ligga före aktualiseringsdatumet."), field="done_on"
        )
    return done_on


@transaction.atomic
def update_task(
    *,
    actor: User,
    task_id: UUID,
    status: str,
    done_on: dt.date | None = None,
    case_id: UUID | None = None,
    channel: Channel,
    expected_version: int | None = None,
) -> TeamTask:
    """Move a task's status; done needs the date it was done. `case_id` scopes the task.

    With ``expected_version`` the move is refused (`EditConflict`) if someone changed the
    task after the user loaded it.
    """
    task = _task_for_update(actor, task_id, case_id)
    check_unchanged(task, expected_version=expected_version, what=TASK, fields=TASK_FIELDS)
    done_on = _check_done_on(status, done_on, task.case)
    if task.status == status and task.done_on == done_on:
        return task
    changes = {"task": str(task.pk), "status": [task.status, status]}
    task.status = status
    task.done_on = done_on
    save_if_unchanged(
        task,
        expected_version=expected_version,
        fields=TASK_FIELDS,
        changed_by=actor,
        what=TASK,
    )
    audit.record_case(
        actor=actor,
        action=AuditAction.TASK_UPDATED,
        channel=channel,
        case=task.case,
        changes={**changes, "done_on": done_on.isoformat() if done_on else None},
    )
    return task
