"""Who may see and change which case (inre sekretess). The one door to cases.

A user sees a case when they are on its active case team in their own
municipality, or when they manage the unit that owns it. A user of a partner
organisation (AF, FK, a region, a provider) sees a case only while they are on its
team *and* a valid consent of the person names their organisation or unit;
withdrawing the consent cuts that access at once. Provider staff (utförare) see the
cases their unit was ordered to serve by a granted support decision that has not ended.
A municipal caseworker who took emergency access (nödåtkomst, `sia.cases.emergency`) to
a case of their own municipality sees it until the access expires.
Analysts and administrators see no cases. Missing and forbidden both raise
NotFoundOrForbidden.
"""

import datetime as dt
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from sia.accounts.models import CASEWORK_ROLES, INTAKE_ROLES, Organisation, Role, User
from sia.accounts.selectors import (
    casework_organisation_ids,
    managed_unit_ids,
    memberships_of,
    unit_ids_with_roles,
)
from sia.cases.models import Case, CaseTeamMember, EmergencyAccess
from sia.consent.coverage import consents_covering, partner_organisation_ids
from sia.core.exceptions import NotFoundOrForbidden
from sia.decisions.orders import ordered_decisions


def _on_team(user: User) -> Exists:
    return Exists(
        CaseTeamMember.objects.filter(case=OuterRef("pk"), user_id=user.pk, left_at__isnull=True)
    )


# Who may take emergency access: the municipality's own caseworkers, never its providers or
# a partner organisation's caseworkers (nor analysts and administrators, who hold no
# casework role).
EMERGENCY_ROLES = CASEWORK_ROLES - {Role.PROVIDER_STAFF, Role.PARTNER_CASEWORKER}


def emergency_organisation_ids(user: User) -> set[UUID]:
    """Return the municipalities to whose cases the user may take emergency access."""
    return {
        m.unit.organisation_id
        for m in memberships_of(user)
        if m.role in EMERGENCY_ROLES and m.unit.organisation.kind == Organisation.Kind.MUNICIPALITY
    }


def _in_emergency(user: User) -> Exists:
    # Compared with the application's clock (not the database's), so that the moment an
    # access ends is the same in every check and in tests that move time.
    return Exists(
        EmergencyAccess.objects.filter(
            user_id=user.pk, case=OuterRef("pk"), expires_at__gt=timezone.now()
        )
    )


def visible_cases(user: User, *, with_orders: bool = False) -> QuerySet[Case]:
    """Return the cases the user may see as a whole (team, manager, consented partner,
    emergency access).

    With `with_orders`, also the cases a provider's unit is ordered to serve by a support
    decision: only the lists and pages made for the provider ask for them (the case list,
    the provider's queue and pages reached with `get_case(..., provider_ok=True)`).
    """
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    managed = managed_unit_ids(user)
    organisations = casework_organisation_ids(user)
    partner = bool(partner_organisation_ids(user))
    provider_units = (
        unit_ids_with_roles(user, frozenset({Role.PROVIDER_STAFF})) if with_orders else set()
    )
    if not managed and not organisations and not partner and not provider_units:
        return Case.objects.none()
    visible = Q(owning_unit_id__in=managed) | (
        _on_team(user) & Q(owning_unit__organisation_id__in=organisations)
    )
    emergency = emergency_organisation_ids(user)
    if emergency:
        # Emergency access: an unexpired grant to the user, for a case of a municipality
        # where they still do casework. The next request after expiry no longer sees it.
        visible |= _in_emergency(user) & Q(owning_unit__organisation_id__in=emergency)
    if partner:
        consented = Exists(consents_covering(user).filter(person_id=OuterRef("person_id")))
        visible |= _on_team(user) & consented
    if provider_units:
        visible |= Q(Exists(ordered_decisions(provider_units).filter(case_id=OuterRef("pk"))))
    return Case.objects.filter(visible)


def sees_whole_case(user: User, case: Case) -> bool:
    """Tell whether the user sees the case as its manager, a member of its team or in
    emergency access, not only as the provider a support decision ordered to serve it (who
    sees just the decision, its plan and log, and the housing tasks)."""
    if case.owning_unit_id in managed_unit_ids(user):
        return True
    if CaseTeamMember.objects.filter(case=case, user_id=user.pk, left_at__isnull=True).exists():
        return True
    return emergency_access_until(user, case) is not None


def emergency_access_until(user: User, case: Case) -> dt.datetime | None:
    """Return when the user's emergency access to the case ends, or None without one."""
    if case.owning_unit.organisation_id not in emergency_organisation_ids(user):
        return None
    return (
        EmergencyAccess.objects.filter(user_id=user.pk, case=case, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )


def access_case(
    user: User, case_id: UUID, *, for_write: bool = False, with_orders: bool = False
) -> Case:
    """Return the case if the user may see it (and change it, with for_write); with
    `with_orders` also a case the user's provider unit is ordered to serve."""
    case = (
        visible_cases(user, with_orders=with_orders)
        .select_related("person", "owning_unit__organisation", "opened_by")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFoundOrForbidden
    if for_write and not can_change_case(user, case):
        raise NotFoundOrForbidden
    return case


def can_change_case(user: User, case: Case) -> bool:
    """Tell whether the user may change a case they can see: it must still be open."""
    return case.is_open


def can_open_case(user: User, unit_id: UUID) -> bool:
    """Tell whether the user may open a case (aktualisering) in the unit."""
    return unit_id in unit_ids_with_roles(user, INTAKE_ROLES)
