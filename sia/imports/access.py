"""Who may import existing cases, and into which units.

Only a deputy manager imports, and only into the units they manage: an import opens many
cases at once, which is the manager's decision. A pending import is its owner's alone;
anyone else gets what a missing one gives.
"""

from uuid import UUID

from django.utils import timezone

from sia.accounts.models import INTAKE_ROLES, MANAGER_ROLES, Unit, User
from sia.accounts.selectors import memberships_of
from sia.core.exceptions import NotFoundOrForbidden
from sia.imports.models import PendingImport


def import_units(user: User) -> list[Unit]:
    """List the units the user may import cases into: those they manage and take cases in."""
    units = {
        m.unit_id: m.unit
        for m in memberships_of(user)
        if m.role in MANAGER_ROLES and m.role in INTAKE_ROLES
    }
    return sorted(units.values(), key=lambda unit: unit.name)


def can_import_cases(user: User) -> bool:
    """Tell whether the user may import cases at all."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(import_units(user))


def access_pending_import(user: User, pending_id: UUID) -> PendingImport:
    """Return the user's own pending import, expired or not; someone else's is missing."""
    if not can_import_cases(user):
        raise NotFoundOrForbidden
    pending = PendingImport.objects.filter(pk=pending_id, owner_id=user.pk).first()
    if pending is None:
        raise NotFoundOrForbidden
    return pending


def is_expired(pending: PendingImport) -> bool:
    """Tell whether the pending import may no longer be confirmed."""
    return pending.expires_at <= timezone.now()
