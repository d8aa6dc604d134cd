"""Reads about staff: their memberships, roles and units, and sign-in lockouts."""

import datetime as dt
from uuid import UUID

from axes.models import AccessAttempt  # type: ignore[import-untyped]
from django.conf import settings
from django.utils import timezone

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


def lockout_ends_at(*, username: str, ip_address: str | None) -> dt.datetime | None:
    """Return when a lockout of this username or address ends, or None if neither is locked.

    A lockout lasts while the failures newer than the cool-off reach the limit; each
    stored attempt counts until the cool-off has passed since its latest failure.
    """
    cool_off: dt.timedelta = settings.AXES_COOLOFF_TIME
    limit: int = settings.AXES_FAILURE_LIMIT
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
    ends: list[dt.datetime] = []
    for attempts in (
        recent.filter(username=username) if username else recent.none(),
        recent.filter(ip_address=ip_address) if ip_address else recent.none(),
    ):
        remaining = sum(attempt.failures_since_start for attempt in attempts)
        for attempt in attempts.order_by("attempt_time"):
            if remaining < limit:
                break
            remaining -= attempt.failures_since_start
            if remaining < limit:
                ends.append(attempt.attempt_time + cool_off)
    return max(ends, default=None)
