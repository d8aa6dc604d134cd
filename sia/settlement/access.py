"""Who may change a household's housing tasks.

Seeing them follows the case (`get_case` with the consent's "case" data kind). Changing
them: the settlement unit's staff while a current support decision orders their unit to
serve the case, and the municipality's caseworkers on the case. Never a partner
organisation's user.
"""

from uuid import UUID

from sia.accounts.models import Role, Unit, User
from sia.accounts.selectors import unit_ids_with_roles
from sia.cases.models import Case
from sia.consent.coverage import is_partner_user
from sia.decisions.orders import ordered_decisions
from sia.process.access import can_do_sia_casework

PROVIDER_ROLES = frozenset({Role.PROVIDER_STAFF})


def settlement_unit_ids(user: User) -> set[UUID]:
    """Return the settlement units where the user is provider staff."""
    units = unit_ids_with_roles(user, PROVIDER_ROLES)
    if not units:
        return set()
    return set(
        Unit.objects.filter(pk__in=units, kind=Unit.Kind.SETTLEMENT).values_list("pk", flat=True)
    )


def is_ordered_settlement_staff(user: User, case: Case) -> bool:
    """Tell whether a current decision orders one of the user's settlement units to serve
    the case."""
    units = settlement_unit_ids(user)
    return bool(units) and ordered_decisions(units).filter(case_id=case.pk).exists()


def can_change_housing(user: User, case: Case) -> bool:
    """Tell whether the user may start the checklist and change task statuses."""
    if not case.is_open or is_partner_user(user):
        return False
    return can_do_sia_casework(user, case) or is_ordered_settlement_staff(user, case)
