"""Read the audit trail with the filters a manager uses when reviewing it."""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.access import visible_audit_events
from sia.audit.models import AuditAction, AuditEvent, Channel


@dataclass(frozen=True)
class AuditFilter:
    """The filters of the log review; empty values do not filter."""

    username: str = ""
    person_id: UUID | None = None
    case_id: UUID | None = None
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def list_audit_events(user: User, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """List the events the user may review, filtered, newest first."""
    events = visible_audit_events(user).select_related("unit", "person", "case")
    if filters.username:
        events = events.filter(actor_username=filters.username)
    if filters.person_id:
        events = events.filter(person_id=filters.person_id)
    if filters.case_id:
        events = events.filter(case_id=filters.case_id)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.date_from:
        events = events.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(occurred_at__date__lte=filters.date_to)
    return events


@transaction.atomic
def record_review(user: User, filters: AuditFilter, *, channel: Channel) -> None:
    """Record that the user reviewed the log, and with which filters."""
    audit.record(
        actor=user,
        action=AuditAction.AUDIT_VIEWED,
        channel=channel,
        person_id=filters.person_id,
        case_id=filters.case_id,
        changes={
            "filters": {
                "username": filters.username,
                "action": filters.action,
                "date_from": filters.date_from.isoformat() if filters.date_from else "",
                "date_to": filters.date_to.isoformat() if filters.date_to else "",
            }
        },
    )
