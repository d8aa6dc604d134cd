"""What a partner user gets of a person: the consent's data kinds applied to the instances
on their way to a page or response.

Called by the people and case selectors next to `hide_protected_details`. Municipal
users pass through without a query; for partner users one query covers every person.
"""

from collections.abc import Iterable

from sia.accounts.models import User
from sia.consent.coverage import covering_by_person, is_partner_user
from sia.consent.models import DataKind
from sia.people.access import PROTECTED_FIELDS
from sia.people.models import Person, PersonIdentifier


def hide_unshared_identity(user: User, people: Iterable[Person]) -> None:
    """Blank address, contact and identifiers of people whose consent leaves out identity.

    Sets `identity_hidden` on every person passed, so templates can show the name only.
    Like `hide_protected_details`, only copies on their way out pass through here.
    """
    people = list(people)
    if not people or not is_partner_user(user):
        return
    covering = covering_by_person(user, {person.pk for person in people})
    for person in people:
        kinds = {kind for consent in covering.get(person.pk, []) for kind in consent.data_kinds}
        hidden = DataKind.IDENTITY not in kinds
        setattr(person, "identity_hidden", hidden)  # noqa: B010
        if hidden:
            for field in PROTECTED_FIELDS:
                setattr(person, field, "")
            # Replace the loaded identifiers so neither a page nor the API shows them.
            cache = getattr(person, "_prefetched_objects_cache", None)
            if cache is None:
                cache = {}
                setattr(person, "_prefetched_objects_cache", cache)  # noqa: B010
            cache["identifiers"] = PersonIdentifier.objects.none()
