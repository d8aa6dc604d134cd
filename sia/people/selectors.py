"""Reads of people: every one starts from what the user may see and records the read."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.consent.models import Disclosure
from sia.consent.services import record_disclosures
from sia.consent.sharing import hide_unshared_identity
from sia.people.access import (
    PROTECTED_FIELDS,
    access_person,
    can_view_protected_details,
    visible_people,
)
from sia.people.identifiers import parse_personal_number
from sia.people.models import HouseholdLink, Person, PersonIdentifier


def hide_protected_details(user: User, people: Iterable[Person]) -> None:
    """Blank address and contact on protected people the user may not see in full.

    Only instances on their way to a page or response pass through here; services
    reload a person before they change it, so a blanked copy is never saved.
    """
    for person in people:
        person.details_hidden = not can_view_protected_details(user, person)
        if person.details_hidden:
            for field in PROTECTED_FIELDS:
                setattr(person, field, "")


def list_people(user: User) -> QuerySet[Person]:
    """List the people the user may see, with their identifiers."""
    return visible_people(user).prefetch_related("identifiers")


@transaction.atomic
def read_people(user: User, people: list[Person], *, channel: Channel) -> list[Person]:
    """Record that a page of people was shown, and hide what the user may not see."""
    audit.record_reads(
        actor=user,
        action=AuditAction.PERSON_LISTED,
        channel=channel,
        rows=[(person.pk, None) for person in people],
    )
    record_disclosures(
        user=user,
        rows=[(person.pk, None) for person in people],
        what=Disclosure.What.PERSON_LIST,
        channel=channel,
    )
    hide_protected_details(user, people)
    hide_unshared_identity(user, people)
    return people


def _with_details(person_id: UUID) -> Person:
    return (
        Person.objects.prefetch_related(
            "identifiers",
            Prefetch("household_links", queryset=HouseholdLink.objects.select_related("relative")),
        )
        .select_related("registered_unit")
        .get(pk=person_id)
    )


def reload_after_write(user: User, person_id: UUID) -> Person:
    """Return a person the user has just written, for the answer; the write was audited."""
    person = _with_details(access_person(user, person_id).pk)
    hide_protected_details(user, [person])
    return person


@transaction.atomic
def get_person(user: User, person_id: UUID, *, channel: Channel) -> Person:
    """Return a person the user may see, with identifiers and household, recording the read."""
    person = _with_details(access_person(user, person_id).pk)
    audit.record(actor=user, action=AuditAction.PERSON_VIEWED, channel=channel, person_id=person.pk)
    record_disclosures(
        user=user, rows=[(person.pk, None)], what=Disclosure.What.PERSON, channel=channel
    )
    hide_protected_details(user, [person])
    hide_unshared_identity(user, [person])
    return person


def list_relatives(user: User, person: Person) -> list[tuple[str, Person]]:
    """List the household members the user may see, from both sides of each link."""
    inverse = {
        HouseholdLink.Relation.CHILD: "parent",
        HouseholdLink.Relation.PARTNER: HouseholdLink.Relation.PARTNER,
        HouseholdLink.Relation.SIBLING: HouseholdLink.Relation.SIBLING,
        HouseholdLink.Relation.OTHER: HouseholdLink.Relation.OTHER,
    }
    visible = visible_people(user)
    forward = [
        (link.get_relation_display(), link.relative)
        for link in HouseholdLink.objects.filter(
            person=person, relative__in=visible
        ).select_related("relative")
    ]
    backward = [
        (_relation_label(inverse[HouseholdLink.Relation(link.relation)]), link.person)
        for link in HouseholdLink.objects.filter(
            relative=person, person__in=visible
        ).select_related("person")
    ]
    return [(str(label), relative) for label, relative in forward + backward]


def _relation_label(key: str) -> str:
    if key == "parent":
        return gettext("Förälder")
    return str(HouseholdLink.Relation(key).label)


def find_visible_by_identifier(user: User, identifier: str) -> Person | None:
    """Return the visible person holding the identifier, if any (ValidationFailed if malformed)."""
    kind, value = identifier_lookup(identifier)
    return visible_people(user).filter(identifiers__kind=kind, identifiers__value=value).first()


@dataclass(frozen=True)
class SearchResult:
    """People the user may see who match, and whether a hidden person holds the number."""

    matches: list[Person]
    identifier_taken_elsewhere: bool


def identifier_lookup(raw: str) -> tuple[str, str]:
    text = raw.strip()
    if "-" in text and len(text) == 9:
        return PersonIdentifier.Kind.DOSSIER, text
    number = parse_personal_number(text)
    kind = (
        PersonIdentifier.Kind.SAMORDNINGSNUMMER
        if number.is_coordination_number
        else PersonIdentifier.Kind.PERSONNUMMER
    )
    return kind, number.digits


@transaction.atomic
def search_people(
    user: User,
    *,
    identifier: str = "",
    family_name: str = "",
    date_of_birth: dt.date | None = None,
    channel: Channel,
) -> SearchResult:
    """Find people by identifier, or by family name and birth date, before registering anew.

    Raises ValidationFailed for a malformed identifier. The search terms are never
    written to the audit trail; the people shown are.
    """
    taken_elsewhere = False
    if identifier:
        lookup = identifier_lookup(identifier)
        holders = Person.objects.filter(identifiers__kind=lookup[0], identifiers__value=lookup[1])
        matches = list(list_people(user).filter(pk__in=holders.values("pk")))
        taken_elsewhere = not matches and holders.exists()
    elif date_of_birth is not None:
        matches = list(
            list_people(user).filter(
                family_name__iexact=family_name.strip(), date_of_birth=date_of_birth
            )
        )
    else:
        matches = []
    audit.record(
        actor=user,
        action=AuditAction.PERSON_SEARCHED,
        channel=channel,
        changes={"by": "identifier" if identifier else "name_and_birth_date", "hits": len(matches)},
    )
    read_people(user, matches, channel=channel)
    return SearchResult(matches=matches, identifier_taken_elsewhere=taken_elsewhere)
