"""The checklist comes from the configurable catalogue; statuses are validated and audited."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import CaseFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.core.exceptions import ValidationFailed
from sia.process.models import CatalogueItem
from sia.settlement.models import HousingTask
from sia.settlement.selectors import HOUSING_CATALOGUE, household_tasks
from sia.settlement.services import set_task_status, start_checklist

pytestmark = pytest.mark.django_db


def test_the_shipped_catalogue_holds_the_seed_tasks() -> None:
    keys = list(
        CatalogueItem.objects.filter(catalogue__key=HOUSING_CATALOGUE)
        .order_by("order")
        .values_list("key", flat=True)
    )
    assert keys[:3] == ["hyresavtal", "nycklar", "hemforsakring"]
    assert {"mobler-kvotflyktingar", "bostadsinformation", "besiktning"} <= set(keys)


def test_start_adds_active_items_only_and_a_new_item_on_the_next_start_without_duplicates(
    staff: dict[str, User], make_case: CaseFactory
) -> None:
    case = make_case()
    lease = CatalogueItem.objects.get(catalogue__key=HOUSING_CATALOGUE, key="hyresavtal")
    lease.is_active = False
    lease.save()
    active = CatalogueItem.objects.filter(catalogue__key=HOUSING_CATALOGUE, is_active=True)

    tasks = start_checklist(actor=staff["socsek"], case_id=case.pk, channel=Channel.SYSTEM)

    assert len(tasks) == active.count()
    assert lease.pk not in {task.item_id for task in tasks}
    assert {task.status for task in tasks} == {HousingTask.Status.NOT_STARTED}
    assert {task.status_date for task in tasks} == {timezone.localdate()}

    CatalogueItem.objects.create(
        catalogue=lease.catalogue, key="parkering", label="Parkeringsplats", order=99
    )
    again = start_checklist(actor=staff["socsek"], case_id=case.pk, channel=Channel.SYSTEM)
    start_checklist(actor=staff["socsek"], case_id=case.pk, channel=Channel.SYSTEM)

    assert len(again) == len(tasks) + 1
    assert HousingTask.objects.filter(household=case.person).count() == len(tasks) + 1
    assert again[-1].item.key == "parkering"


@pytest.mark.parametrize(
    ("status", "days_back", "note"),
    [
        ("done", None, ""),  # done needs a date
        ("not_needed", None, ""),
        ("in_progress", -1, ""),  # tomorrow
        ("in_progress", 400, ""),  # more than a year back
        ("in_progress", 0, "x" * 2_001),  # too long a note
        ("bogus", 0, ""),
    ],
)
def test_a_bad_status_change_is_refused_and_writes_nothing(
    staff: dict[str, User],
    make_case: CaseFactory,
    status: str,
    days_back: int | None,
    note: str,
) -> None:
    case = make_case()
    task = start_checklist(actor=staff["socsek"], case_id=case.pk, channel=Channel.SYSTEM)[0]
    events = AuditEvent.objects.filter(action=AuditAction.HOUSING_TASK_CHANGED).count()
    day = None if days_back is None else timezone.localdate() - dt.timedelta(days=days_back)

    with pytest.raises(ValidationFailed):
        set_task_status(
            actor=staff["socsek"],
            case_id=case.pk,
            task_id=task.pk,
            status=status,
            status_date=day,
            note=note,
            channel=Channel.SYSTEM,
        )

    task.refresh_from_db()
    assert task.status == HousingTask.Status.NOT_STARTED
    assert task.note == ""
    assert AuditEvent.objects.filter(action=AuditAction.HOUSING_TASK_CHANGED).count() == events


def test_a_status_change_is_audited_with_key_and_status_never_the_note(
    staff: dict[str, User], make_case: CaseFactory
) -> None:
    case = make_case()
    tasks = start_checklist(actor=staff["socsek"], case_id=case.pk, channel=Channel.SYSTEM)
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    set_task_status(
        actor=staff["socsek"],
        case_id=case.pk,
        task_id=tasks[0].pk,
        status="done",
        status_date=yesterday,
        note="Nycklar hämtade hos Stångåstaden, port 3B",
        channel=Channel.SYSTEM,
    )
    set_task_status(
        actor=staff["socsek"],
        case_id=case.pk,
        task_id=tasks[1].pk,
        status="not_needed",
        status_date=yesterday,
        note="",
        channel=Channel.SYSTEM,
    )

    events = AuditEvent.objects.filter(action=AuditAction.HOUSING_TASK_CHANGED, case_id=case.pk)
    assert all("Stångåstaden" not in str(e.changes) for e in events)
    first = events.filter(changes__item=tasks[0].item.key).get()
    assert first.changes["status"] == "done"
    assert first.actor_username == "socsek"
    progress = household_tasks(case)
    assert (progress.settled, progress.total) == (2, len(tasks))
