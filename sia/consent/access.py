"""Who may record, withdraw and read a person's consents.

Consents are the municipality's record: its caseworkers who can see the person
record and withdraw them and see the log of disclosures. Partner users, analysts and
administrators see no consent pages; for them a person's consents answer 404.
"""

from uuid import UUID

from sia.accounts.models import User
from sia.accounts.selectors import casework_organisation_ids
from sia.consent.coverage import is_partner_user
from sia.core.exceptions import NotFoundOrForbidden
from sia.people.access import visible_people
from sia.people.models import Person


def can_manage_consents(user: User) -> bool:
    """Tell whether the user does casework in a municipality (and so records consents)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_partner_user(user):
        return False
    return bool(casework_organisation_ids(user))


def access_person_for_consents(user: User, person_id: UUID) -> Person:
    """Return the person if the user may see them and manage their consents."""
    if not can_manage_consents(user):
        raise NotFoundOrForbidden
    person = (
        visible_people(user)
        .select_related("registered_unit__organisation")
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        raise NotFoundOrForbidden
    return person
