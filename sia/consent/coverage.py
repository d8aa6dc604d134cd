"""Which consents cover a partner user today. Kept free of case and person imports so the
case and person access rules can build on it."""

import datetime as dt
from collections.abc import Iterable
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from sia.accounts.models import CASEWORK_ROLES, Organisation, User
from sia.accounts.selectors import casework_organisation_ids, managed_unit_ids, memberships_of
from sia.consent.models import Consent


def partner_organisation_ids(user: User) -> set[UUID]:
    """Return the agencies, regions and providers in which the user does casework."""
    return {
        m.unit.organisation_id
        for m in memberships_of(user)
        if m.role in CASEWORK_ROLES and m.unit.organisation.kind != Organisation.Kind.MUNICIPALITY
    }


def partner_unit_ids(user: User) -> set[UUID]:
    """Return the user's casework units outside the municipality."""
    return {
        m.unit_id
        for m in memberships_of(user)
        if m.role in CASEWORK_ROLES and m.unit.organisation.kind != Organisation.Kind.MUNICIPALITY
    }


def valid_on(day: dt.date) -> Q:
    """Match consents that hold on the day: given, not expired, not withdrawn."""
    return (
        Q(given_on__lte=day)
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
    )


def consents_covering(user: User, day: dt.date | None = None) -> QuerySet[Consent]:
    """Return the consents valid today that name one of the user's partner organisations
    or units. Empty for users with no casework outside the municipality."""
    organisations = partner_organisation_ids(user)
    if not organisations:
        return Consent.objects.none()
    day = day or timezone.localdate()
    names_user = Q(recipient_organisations__in=organisations) | Q(
        recipient_units__in=partner_unit_ids(user)
    )
    return Consent.objects.filter(valid_on(day) & names_user)


def shared_kinds(user: User, person_id: UUID) -> frozenset[str] | None:
    """Return the kinds of data (`DataKind` values) the user may see about the person.

    None means no consent limit applies: the user works in the municipality that holds
    the records (inre sekretess is handled by case access). For a partner user it is the
    union of the data kinds of every valid consent naming their organisation or unit.
    """
    if not is_partner_user(user):
        return None
    kinds: set[str] = set()
    for row in (
        consents_covering(user).filter(person_id=person_id).values_list("data_kinds", flat=True)
    ):
        kinds.update(row)
    return frozenset(kinds)


def may_see_kind(user: User, person_id: UUID, kind: str) -> bool:
    """Tell whether a consent lets the user see this kind of data about the person."""
    kinds = shared_kinds(user, person_id)
    return kinds is None or kind in kinds


def is_partner_user(user: User) -> bool:
    """Tell whether the user reaches cases only as a partner organisation's caseworker: they
    do casework outside the municipality and neither casework nor management in one.

    The one definition of "partner user" for consent limits (from cached memberships).
    """
    return bool(partner_organisation_ids(user)) and not _works_in_municipality(user)


def persons_sharing(user: User, kind: str) -> set[UUID] | None:
    """Return the ids of the people whose valid consent shares this kind of data with the
    partner user; None when no consent limit applies (municipal users)."""
    if not is_partner_user(user):
        return None
    return {
        person_id
        for person_id, kinds in consents_covering(user).values_list("person_id", "data_kinds")
        if kind in kinds
    }


def covering_by_person(user: User, person_ids: Iterable[UUID]) -> dict[UUID, list[Consent]]:
    """Return, per person, the consents valid today that name the user's partner organisation
    or unit, latest first, with their recipients loaded (one query per call)."""
    ids = set(person_ids)
    if not ids:
        return {}
    consents = (
        consents_covering(user)
        .filter(person_id__in=ids)
        .prefetch_related("recipient_organisations", "recipient_units")
        .order_by("-given_on", "-created_at")
        .distinct()
    )
    found: dict[UUID, list[Consent]] = {}
    for consent in consents:
        found.setdefault(consent.person_id, []).append(consent)
    return found


def named_partner_organisation(user: User, consent: Consent) -> Organisation | None:
    """Return the user's partner organisation the consent names (directly or by a unit)."""
    organisations = partner_organisation_ids(user)
    for organisation in consent.recipient_organisations.all():
        if organisation.pk in organisations:
            return organisation
    units = partner_unit_ids(user)
    for membership in memberships_of(user):
        if membership.unit_id in units and any(
            unit.pk == membership.unit_id for unit in consent.recipient_units.all()
        ):
            return membership.unit.organisation
    return None


def _works_in_municipality(user: User) -> bool:
    # Casework or management in a municipality; an analyst's or administrator's membership
    # there gives no case access, so it lifts no consent limit either.
    return bool(casework_organisation_ids(user) or managed_unit_ids(user))
