"""Start a household's housing checklist and move its tasks' statuses.

The checklist comes from the configurable catalogue `housing-tasks`: starting it again
adds the active items the household lacks and never duplicates one. Every write is
audited with the item keys and statuses, never the note's text.
"""

import datetime as dt
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.core.concurrency import check_unchanged, save_if_unchanged
from sia.core.exceptions import NotFoundOrForbidden, ValidationFailed
from sia.core.text import clean_text
from sia.people.models import Person
from sia.process.access import access_case_for
from sia.settlement.access import can_change_housing
from sia.settlement.models import HousingTask
from sia.settlement.selectors import SETTLED_STATUSES, active_housing_items, list_tasks

MAX_BACK = dt.timedelta(days=365)
MAX_NOTE = 2_000
TASK = _("bostadsuppgiften")
TASK_FIELDS = ("status", "status_date", "note")


def _case_for_housing(actor: User, case_id: UUID) -> Case:
    case = access_case_for(actor, case_id, can_change_housing, with_orders=True)
    # Lock the household's head so two starts cannot add the same item twice.
    Person.objects.select_for_update().filter(pk=case.person_id).first()
    return case


@transaction.atomic
def start_checklist(*, actor: User, case_id: UUID, channel: Channel) -> list[HousingTask]:
    """Add a task (not started, dated today) for every active checklist item the
    household lacks; return the household's tasks."""
    case = _case_for_housing(actor, case_id)
    items = list(active_housing_items())
    if not items:
        raise ValidationFailed(_("Det finns ingen checklista för bostadsuppgifter."))
    existing = set(
        HousingTask.objects.filter(household_id=case.person_id).values_list("item_id", flat=True)
    )
    today = timezone.localdate()
    added = [
        HousingTask(
            household_id=case.person_id,
            item=item,
            status=HousingTask.Status.NOT_STARTED,
            status_date=today,
            changed_by=actor,
        )
        for item in items
        if item.pk not in existing
    ]
    if added:
        HousingTask.objects.bulk_create(added)
        audit.record_case(
            actor=actor,
            action=AuditAction.HOUSING_TASK_CHANGED,
            channel=channel,
            case=case,
            changes={
                "items": [task.item.key for task in added],
                "status": HousingTask.Status.NOT_STARTED.value,
            },
        )
    return list(list_tasks(case.person_id))


def _check_status_date(status: str, status_date: dt.date | None) -> dt.date:
    today = timezone.localdate()
    if status_date is None:
        if status in SETTLED_STATUSES:
            raise ValidationFailed(
                _("Ange datum när uppgiften är klar eller inte behövs."), field="status_date"
            )
        return today
    if status_date > today:
        raise ValidationFailed(_("Datumet kan inte ligga i framtiden."), field="status_date")
    if status_date < today - MAX_BACK:
        raise ValidationFailed(
            _("Datumet kan inte ligga mer än ett år bakåt i tiden."), field="status_date"
        )
    return status_date


@transaction.atomic
def set_task_status(
    *,
    actor: User,
    case_id: UUID,
    task_id: UUID,
    status: str,
    status_date: dt.date | None,
    note: str,
    channel: Channel,
    expected_version: int | None = None,
) -> HousingTask:
    """Give a household's task a status, its date and a note.

    With ``expected_version`` the change is refused (`EditConflict`) if someone changed the
    task after the user loaded it.
    """
    case = _case_for_housing(actor, case_id)
    task = (
        HousingTask.objects.select_for_update()
        .select_related("item")
        .filter(pk=task_id, household_id=case.person_id)
        .first()
    )
    if task is None:
        raise NotFoundOrForbidden
    check_unchanged(task, expected_version=expected_version, what=TASK, fields=TASK_FIELDS)
    if status not in HousingTask.Status.values:
        raise ValidationFailed(_("Välj en giltig status."), field="status")
    day = _check_status_date(status, status_date)
    text = clean_text(note, "note", limit=MAX_NOTE)
    changed = {
        "item": task.item.key,
        "status": status,
        "status_date": day.isoformat(),
    }
    if text != task.note:
        changed["note_changed"] = "yes"
    task.status = status
    task.status_date = day
    task.note = text
    task.changed_by = actor
    save_if_unchanged(
        task,
        expected_version=expected_version,
        fields=(*TASK_FIELDS, "changed_by"),
        changed_by=actor,
        what=TASK,
        shown=TASK_FIELDS,
    )
    audit.record_case(
        actor=actor,
        action=AuditAction.HOUSING_TASK_CHANGED,
        channel=channel,
        case=case,
        changes=changed,
    )
    return task
