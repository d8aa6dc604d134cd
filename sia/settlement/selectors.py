"""Reads of the settlement unit: a household's housing tasks with progress, and the unit's
worklist of households with open tasks."""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet

from sia.accounts.models import User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.cases.selectors import list_cases, read_cases
from sia.core.exceptions import NotFoundOrForbidden
from sia.decisions.orders import ordered_decisions
from sia.people.models import Person
from sia.people.selectors import list_relatives, read_people
from sia.process.models import Catalogue, CatalogueItem
from sia.settlement.access import settlement_unit_ids
from sia.settlement.models import HousingTask

HOUSING_CATALOGUE = "housing-tasks"
OPEN_STATUSES = (HousingTask.Status.NOT_STARTED, HousingTask.Status.IN_PROGRESS)
SETTLED_STATUSES = (HousingTask.Status.DONE, HousingTask.Status.NOT_NEEDED)


def active_housing_items() -> QuerySet[CatalogueItem]:
    """Return the active items of the housing checklist, in order."""
    return CatalogueItem.objects.filter(
        catalogue__key=HOUSING_CATALOGUE,
        catalogue__kind=Catalogue.Kind.HOUSING,
        is_active=True,
    ).order_by("order", "label")


def list_tasks(person_id: UUID) -> QuerySet[HousingTask]:
    """Return the household's tasks in checklist order."""
    return (
        HousingTask.objects.filter(household_id=person_id)
        .select_related("item", "changed_by")
        .order_by("item__order", "item__label")
    )


def get_task(case: Case, task_id: UUID) -> HousingTask:
    """Return one task of the case's household, else 404."""
    task = list_tasks(case.person_id).filter(pk=task_id).first()
    if task is None:
        raise NotFoundOrForbidden
    return task


@dataclass(frozen=True)
class HouseholdTasks:
    """A household's tasks and how far the checklist has come."""

    tasks: list[HousingTask]
    settled: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.settled / self.total) if self.total else 0


def household_tasks(case: Case) -> HouseholdTasks:
    """Return the tasks of the case's household (its head is the case's person)."""
    tasks = list(list_tasks(case.person_id))
    settled = sum(1 for task in tasks if task.status in SETTLED_STATUSES)
    return HouseholdTasks(tasks=tasks, settled=settled, total=len(tasks))


def household_members(user: User, case: Case, *, channel: Channel) -> list[tuple[str, Person]]:
    """Return the relatives of the household's head the user may see, recording the read."""
    members = list_relatives(user, case.person)
    read_people(user, [person for _relation, person in members], channel=channel)
    return members


@dataclass(frozen=True)
class HouseholdRow:
    """One household on the settlement unit's worklist."""

    case: Case
    counts: dict[str, int]
    settled: int
    total: int
    oldest_open: dt.date | None

    @property
    def percent(self) -> int:
        return round(100 * self.settled / self.total) if self.total else 0


def list_households_for_settlement(
    user: User, *, channel: Channel = Channel.WEB
) -> list[HouseholdRow]:
    """List the open cases the user's settlement unit is ordered to serve whose household
    has open housing tasks, the oldest open status first (the read is recorded)."""
    units = settlement_unit_ids(user)
    if not units:
        return []
    tasks = "person__housing_tasks"
    annotations = {
        status: Count(tasks, filter=Q(person__housing_tasks__status=status))
        for status in HousingTask.Status.values
    }
    cases = list(
        list_cases(user, open_only=True)
        .filter(Exists(ordered_decisions(units).filter(case_id=OuterRef("pk"))))
        .annotate(
            **{f"n_{status}": count for status, count in annotations.items()},
            oldest_open=Min(
                "person__housing_tasks__status_date",
                filter=Q(person__housing_tasks__status__in=OPEN_STATUSES),
            ),
        )
        .filter(
            Exists(
                HousingTask.objects.filter(
                    household_id=OuterRef("person_id"), status__in=OPEN_STATUSES
                )
            )
        )
        .order_by("oldest_open", "created_at")
    )
    read_cases(user, cases, channel=channel)
    rows = []
    for case in cases:
        counts = {status: int(getattr(case, f"n_{status}")) for status in HousingTask.Status.values}
        rows.append(
            HouseholdRow(
                case=case,
                counts=counts,
                settled=sum(counts[status] for status in SETTLED_STATUSES),
                total=sum(counts.values()),
                oldest_open=case.oldest_open,  # type: ignore[attr-defined]
            )
        )
    return rows
