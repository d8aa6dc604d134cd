"""The retention job: dispose of due people's records and old audit events, and log it.

Each person goes in one transaction, all or nothing: the plan is made again with the
person's row locked, every record that goes is removed, and the foreign keys are checked
before the transaction ends. Journal notes, objections and audit events refuse `delete()`
on their models and querysets; this module is the one narrow path that removes them, with
`QuerySet._raw_delete` on exactly the rows the rule selected. Their guards stay as they
are for everyone else.
"""

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, models, transaction

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.imports.services import expired_pending_imports
from sia.people.models import Person
from sia.retention.models import DisposalCount, DisposalRun
from sia.retention.registry import RecordType, record_types
from sia.retention.rules import (
    RESEARCH_DAYS,
    PersonPlan,
    Plan,
    RetentionRule,
    is_kept_for_research,
    make_plan,
    plan_person,
)

logger = logging.getLogger(__name__)

AUDIT_EVENTS = "audit.AuditEvent"
PENDING_IMPORTS = "imports.PendingImport"
CHUNK = 500
SYSTEM_ACTOR = "manage.py gallra"


@dataclass(frozen=True)
class Tally:
    """Counts per record type (model label), and people; nothing that names anyone."""

    disposed: Counter[str]
    kept: Counter[str]
    persons_disposed: int
    persons_research: int
    persons_failed: int


def _delete_rows(kind: RecordType, ids: Iterable[Any]) -> None:
    """Remove exactly these rows, past the model's own delete guards (see the module doc)."""
    chunk: list[Any] = []
    for pk in ids:
        chunk.append(pk)
        if len(chunk) == CHUNK:
            _raw_delete(kind.model, chunk)
            chunk = []
    if chunk:
        _raw_delete(kind.model, chunk)


def _raw_delete(model: type[models.Model], ids: list[Any]) -> None:
    queryset = model._base_manager.filter(pk__in=ids)
    queryset._raw_delete(queryset.db)


def dispose_person(plan: PersonPlan, rule: RetentionRule) -> PersonPlan | None:
    """Dispose of one person's records in one transaction; return what went, or None if the
    person is no longer due (a record was added since the plan was made)."""
    with transaction.atomic():
        person = (
            Person.objects.select_for_update()
            .prefetch_related("identifiers")
            .filter(pk=plan.person_id)
            .first()
        )
        if person is None or is_kept_for_research(person):
            return None
        fresh = plan_person(person, rule)
        if fresh is None or not fresh.dispose:
            return None
        # Children before parents; keys are also checked once all rows are gone.
        for kind in reversed(record_types()):
            if kind in fresh.dispose:
                _delete_rows(kind, fresh.dispose[kind])
        connection.check_constraints(table_names=[kind.table for kind in record_types()])
        return fresh


def dispose_audit_events(rule: RetentionRule, *, dry_run: bool) -> int:
    """Dispose of audit events older than their own period; return how many (would) go."""
    old = AuditEvent.objects.filter(occurred_at__lt=rule.audit_events_before)
    count = old.count()
    if count and not dry_run:
        with transaction.atomic():
            old._raw_delete(old.db)
    return count


def dispose_pending_imports(*, dry_run: bool) -> int:
    """Dispose of checked import files nobody confirmed in time; return how many (would) go.

    Each holds a whole file of personal data but belongs to no one person's record, so it
    is counted as a record type of its own, like audit events.
    """
    expired = expired_pending_imports()
    count = expired.count()
    if count and not dry_run:
        with transaction.atomic():
            expired.delete()
    return count


def _add(seen: dict[str, set[Any]], rows: Any) -> None:
    # By id: a household link is a record of both people, and counts once.
    for kind, ids in rows.items():
        seen.setdefault(kind.label, set()).update(ids)


def _apply(plan: Plan, rule: RetentionRule, *, dry_run: bool) -> Tally:
    went_ids: dict[str, set[Any]] = {}
    kept_ids: dict[str, set[Any]] = {}
    done = failed = 0
    for person_plan in plan.due:
        if dry_run:
            went: PersonPlan | None = person_plan
        else:
            try:
                went = dispose_person(person_plan, rule)
            except DatabaseError as error:
                # Never the person or the rows in the log: only that one person failed.
                logger.error("Disposal of one person failed: %s", type(error).__name__)
                failed += 1
                continue
        if went is None:
            continue
        done += 1
        _add(went_ids, went.dispose)
        _add(kept_ids, went.keep)
    disposed = Counter({label: len(ids) for label, ids in went_ids.items()})
    kept = Counter({label: len(ids) for label, ids in kept_ids.items()})
    audit_count = dispose_audit_events(rule, dry_run=dry_run)
    if audit_count:
        disposed[AUDIT_EVENTS] += audit_count
    imports_count = dispose_pending_imports(dry_run=dry_run)
    if imports_count:
        disposed[PENDING_IMPORTS] += imports_count
    return Tally(disposed, kept, done, plan.research, failed)


def run_retention(*, rule: RetentionRule, dry_run: bool, ran_by: str = SYSTEM_ACTOR) -> DisposalRun:
    """Run the retention job (or a dry run) under the rule and write its disposal log."""
    tally = _apply(make_plan(rule), rule, dry_run=dry_run)
    with transaction.atomic():
        run = DisposalRun.objects.create(
            applied_on=rule.today,
            dry_run=dry_run,
            ran_by=ran_by,
            retention_years=rule.years,
            audit_retention_years=rule.audit_years,
            kept_record_types=sorted(rule.keep),
            research_days=list(RESEARCH_DAYS),
            persons_disposed=tally.persons_disposed,
            persons_research=tally.persons_research,
            persons_failed=tally.persons_failed,
        )
        labels = sorted(set(tally.disposed) | set(tally.kept))
        DisposalCount.objects.bulk_create(
            DisposalCount(
                run=run,
                record_type=label,
                disposed=tally.disposed[label],
                kept=tally.kept[label],
            )
            for label in labels
        )
        AuditEvent(
            actor=None,
            actor_username=ran_by,
            action=AuditAction.RETENTION_DRY_RUN if dry_run else AuditAction.RETENTION_RUN,
            channel=Channel.SYSTEM,
            changes={
                "run": str(run.pk),
                "persons": tally.persons_disposed,
                "records": sum(tally.disposed.values()),
                "failed": tally.persons_failed,
            },
        ).save()
    return run


@transaction.atomic
def record_dry_run_viewed(*, user: User, plan: Plan, persons_shown: int) -> None:
    """Log that a reviewer looked at what the job would dispose of now (no people named)."""
    audit.record(
        actor=user,
        action=AuditAction.RETENTION_DRY_RUN,
        channel=Channel.WEB,
        changes={
            "applied_on": plan.rule.today.isoformat(),
            "persons_due": len(plan.due),
            "persons_shown": persons_shown,
        },
    )
