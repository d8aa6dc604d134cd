"""Write audit events in the same transaction as the work they describe."""

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction

from sia.accounts.models import User
from sia.accounts.selectors import primary_membership
from sia.audit.models import AuditAction, AuditEvent, Channel

if TYPE_CHECKING:
    from sia.cases.models import Case


def _event(
    *,
    actor: User,
    action: AuditAction,
    channel: Channel,
    person_id: UUID | None,
    case_id: UUID | None,
    unit_id: UUID | None,
    role: str,
    changes: Mapping[str, Any] | None,
) -> AuditEvent:
    membership = primary_membership(actor, unit_id)
    return AuditEvent(
        actor=actor,
        actor_username=actor.get_username(),
        role=role or (membership.role if membership else ""),
        unit_id=membership.unit_id if membership else unit_id,
        action=action,
        channel=channel,
        person_id=person_id,
        case_id=case_id,
        changes=dict(changes or {}),
    )


def record(
    *,
    actor: User,
    action: AuditAction,
    channel: Channel,
    person_id: UUID | None = None,
    case_id: UUID | None = None,
    unit_id: UUID | None = None,
    role: str = "",
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event; call it inside the transaction that does the work."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit events must be written inside the work's transaction.")
    event = _event(
        actor=actor,
        action=action,
        channel=channel,
        person_id=person_id,
        case_id=case_id,
        unit_id=unit_id,
        role=role,
        changes=changes,
    )
    event.save()
    return event


def record_case(
    *,
    actor: User,
    action: AuditAction,
    channel: Channel,
    case: "Case",
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event about a case (and its person, in its owning unit)."""
    return record(
        actor=actor,
        action=action,
        channel=channel,
        person_id=case.person_id,
        case_id=case.pk,
        unit_id=case.owning_unit_id,
        changes=changes,
    )


@transaction.atomic
def record_reads(
    *,
    actor: User,
    action: AuditAction,
    channel: Channel,
    rows: Iterable[tuple[UUID | None, UUID | None]],
) -> int:
    """Append one event per (person id, case id) shown in a list, in a single insert."""
    events = [
        _event(
            actor=actor,
            action=action,
            channel=channel,
            person_id=person_id,
            case_id=case_id,
            unit_id=None,
            role="",
            changes=None,
        )
        for person_id, case_id in rows
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)
