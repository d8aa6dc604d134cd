"""Who may review the audit trail: managers, for their own units."""

from django.db.models import Q, QuerySet

from sia.accounts.models import User
from sia.accounts.selectors import managed_unit_ids
from sia.audit.models import AuditEvent


def can_review_audit(user: User) -> bool:
    """Tell whether the user manages a unit and so reviews its log (loggkontroll)."""
    return bool(managed_unit_ids(user))


def visible_audit_events(user: User) -> QuerySet[AuditEvent]:
    """Return the events done in the user's managed units or about their cases and people."""
    units = managed_unit_ids(user)
    if not units:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        Q(unit_id__in=units)
        | Q(case__owning_unit_id__in=units)
        | Q(person__registered_unit_id__in=units)
    )
