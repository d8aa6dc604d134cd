"""Reads for the retention pages: the dry run as a reviewer may see it, and the log."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from sia.accounts.models import User
from sia.audit.models import Channel
from sia.people.models import Person
from sia.people.selectors import list_people, read_people
from sia.retention.models import DisposalRun
from sia.retention.registry import record_types
from sia.retention.rules import PersonPlan, Plan
from sia.retention.services import AUDIT_EVENTS, PENDING_IMPORTS, record_dry_run_viewed

RUNS_SHOWN = 50


@dataclass(frozen=True)
class TypeCount:
    name: str
    disposed: int
    kept: int


@dataclass(frozen=True)
class DuePerson:
    person: Person
    plan: PersonPlan
    kept: tuple[TypeCount, ...]


def type_names() -> dict[str, str]:
    """Each record type's name as users know it, by model label."""
    names = {kind.label: kind.name for kind in record_types()}
    names[AUDIT_EVENTS] = str(_audit_name())
    names[PENDING_IMPORTS] = str(_pending_imports_name())
    return names


def _pending_imports_name() -> str:
    from sia.imports.models import PendingImport

    return str(PendingImport._meta.verbose_name_plural)


def _audit_name() -> str:
    from sia.audit.models import AuditEvent

    return str(AuditEvent._meta.verbose_name_plural)


def _counts(disposed: dict[str, int], kept: dict[str, int]) -> tuple[TypeCount, ...]:
    names = type_names()
    labels = sorted(set(disposed) | set(kept), key=lambda label: names.get(label, label))
    return tuple(
        TypeCount(names.get(label, label), disposed.get(label, 0), kept.get(label, 0))
        for label in labels
    )


def plan_totals(plan: Plan) -> tuple[TypeCount, ...]:
    """What the plan would dispose of and keep, per record type, over every due person."""
    disposed: dict[str, set[Any]] = {}
    kept: dict[str, set[Any]] = {}
    # By id: a household link between two due people is one record.
    for person_plan in plan.due:
        for kind, ids in person_plan.dispose.items():
            disposed.setdefault(kind.label, set()).update(ids)
        for kind, ids in person_plan.keep.items():
            kept.setdefault(kind.label, set()).update(ids)
    return _counts(
        {label: len(ids) for label, ids in disposed.items()},
        {label: len(ids) for label, ids in kept.items()},
    )


def read_due_people(user: User, plan: Plan) -> list[DuePerson]:
    """The due people the reviewer may see, named; the listing is audited as reads."""
    plans = {person_plan.person_id: person_plan for person_plan in plan.due}
    people = list(list_people(user).filter(pk__in=list(plans)).order_by("family_name", "pk"))
    read_people(user, people, channel=Channel.WEB)
    record_dry_run_viewed(user=user, plan=plan, persons_shown=len(people))
    return [
        DuePerson(
            person=person,
            plan=plans[person.pk],
            kept=_counts({}, {kind.label: len(ids) for kind, ids in plans[person.pk].keep.items()}),
        )
        for person in people
    ]


def list_runs() -> QuerySet[DisposalRun]:
    return DisposalRun.objects.prefetch_related("counts").order_by("-started_at")


def run_counts(run: DisposalRun) -> tuple[TypeCount, ...]:
    return _counts(
        {count.record_type: count.disposed for count in run.counts.all()},
        {count.record_type: count.kept for count in run.counts.all()},
    )
