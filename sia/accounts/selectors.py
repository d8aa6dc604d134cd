"""Reads about staff: their memberships, roles and units."""

from uuid import UUID

from sia.accounts.models import (
    CASEWORK_ROLES,
    INTAKE_ROLES,
    MANAGER_ROLES,
    Membership,
    Organisation,
    Role,
    Unit,
    User,
)

_CACHE_ATTR = "_sia_memberships"


def memberships_of(user: User) -> list[Membership]:
    """List the user's unit roles, loaded once per request and kept on the user object."""
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user_id=user.pk).select_related("unit__organisation")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def roles_of(user: User) -> set[str]:
    """Return every role the user holds in any unit."""
    return {m.role for m in memberships_of(user)}


def unit_ids_with_roles(user: User, roles: frozenset[Role]) -> set[UUID]:
    """Return the ids of units where the user holds one of the roles."""
    return {m.unit_id for m in memberships_of(user) if m.role in roles}


def managed_unit_ids(user: User) -> set[UUID]:
    """Return the units the user manages."""
    return unit_ids_with_roles(user, MANAGER_ROLES)


def intake_units(user: User) -> list[Unit]:
    """List the units where the user may register people and open cases."""
    units = {m.unit_id: m.unit for m in memberships_of(user) if m.role in INTAKE_ROLES}
    return sorted(units.values(), key=lambda unit: unit.name)


def casework_organisation_ids(user: User) -> set[UUID]:
    """Return the municipalities in which the user does casework."""
    return {
        m.unit.organisation_id
        for m in memberships_of(user)
        if m.role in CASEWORK_ROLES and m.unit.organisation.kind == Organisation.Kind.MUNICIPALITY
    }


def works_for_partner_organisation(user: User) -> bool:
    """Tell whether the user belongs to an agency, region or provider outside the municipality."""
    return any(
        m.unit.organisation.kind != Organisation.Kind.MUNICIPALITY for m in memberships_of(user)
    )


def primary_membership(user: User, unit_id: UUID | None = None) -> Membership | None:
    """Pick the membership a user acts in: the one in the given unit, else the first."""
    memberships = memberships_of(user)
    for membership in memberships:
        if unit_id is not None and membership.unit_id == unit_id:
            return membership
    return memberships[0] if memberships else None
