"""Register and change newcomers. Every write is audited in its own transaction."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import INTAKE_ROLES, User
from sia.accounts.selectors import unit_ids_with_roles
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.core.exceptions import DuplicateRecord, NotFoundOrForbidden, ValidationFailed
from sia.people.access import (
    PROTECTED_FIELDS,
    access_person,
    can_change_person,
    visible_people,
)
from sia.people.identifiers import parse_dossier_number, parse_personal_number
from sia.people.models import HouseholdLink, Person, PersonIdentifier

# Fields whose values never go into the audit trail: only that they changed.
SENSITIVE_FIELDS = frozenset(PROTECTED_FIELDS)
IDENTIFIER_TAKEN = _(
    "Det finns redan en person med detta identitetsnummer. Registrera inte personen igen."
)
EDITABLE_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "gender",
    "arrival_category",
    "residence_permit_date",
    "reception_date",
    "preferred_languages",
    "interpreter_needed",
    "interpreter_language",
    "protected_identity",
    *PROTECTED_FIELDS,
)


@dataclass(frozen=True)
class IdentifierInput:
    """An identifier as typed by the user, before validation."""

    kind: str
    value: str
    valid_from: dt.date | None = None


@dataclass
class PersonInput:
    """What a user supplies to register a newcomer."""

    given_name: str
    family_name: str
    date_of_birth: dt.date
    gender: str
    arrival_category: str = ""
    residence_permit_date: dt.date | None = None
    reception_date: dt.date | None = None
    preferred_languages: list[str] = field(default_factory=list)
    interpreter_needed: bool = False
    interpreter_language: str = ""
    protected_identity: bool = False
    street_address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""


def normalise_identifier(*, kind: str, raw: str) -> str:
    """Validate an identifier of the given kind and return its stored form."""
    if kind == PersonIdentifier.Kind.DOSSIER:
        return parse_dossier_number(raw)
    if kind not in PersonIdentifier.Kind.values:
        raise ValidationFailed(_("Okänd typ av identitetsnummer."), field="identifier_kind")
    number = parse_personal_number(raw)
    if kind == PersonIdentifier.Kind.PERSONNUMMER and number.is_coordination_number:
        raise ValidationFailed(
            _("Numret är ett samordningsnummer (dagen är ökad med 60). Välj samordningsnummer.")
        )
    if kind == PersonIdentifier.Kind.SAMORDNINGSNUMMER and not number.is_coordination_number:
        raise ValidationFailed(
            _("Ett samordningsnummer har dagen ökad med 60. Numret är ett personnummer.")
        )
    return number.digits


def _check_identifier_matches_birth_date(kind: str, digits: str, birth: dt.date) -> None:
    if kind == PersonIdentifier.Kind.DOSSIER:
        return
    if parse_personal_number(digits).birth_date != birth:
        raise ValidationFailed(
            _("Födelsedatumet stämmer inte med identitetsnumret."), field="date_of_birth"
        )


def _validate_person(data: PersonInput) -> None:
    if not data.given_name.strip() or not data.family_name.strip():
        raise ValidationFailed(_("Ange både förnamn och efternamn."), field="given_name")
    if data.date_of_birth > timezone.localdate():
        raise ValidationFailed(
            _("Födelsedatumet kan inte ligga i framtiden."), field="date_of_birth"
        )
    if data.interpreter_needed and not data.interpreter_language:
        raise ValidationFailed(
            _("Ange tolkspråk när personen behöver tolk."), field="interpreter_language"
        )


def find_possible_duplicates(*, user: User, data: PersonInput) -> bool:
    """Tell whether someone the user may see has the same name and birth date.

    Only visible people count: telling a user that a hidden (perhaps protected)
    person with these details exists would reveal them.
    """
    return (
        visible_people(user)
        .filter(
            family_name__iexact=data.family_name.strip(),
            given_name__iexact=data.given_name.strip(),
            date_of_birth=data.date_of_birth,
        )
        .exists()
    )


@transaction.atomic
def register_person(
    *,
    registered_by: User,
    unit_id: UUID,
    data: PersonInput,
    identifiers: Sequence[IdentifierInput],
    confirmed_not_duplicate: bool,
    channel: Channel,
) -> Person:
    """Register a newcomer after a duplicate check; an identifier may belong to one person only."""
    if unit_id not in unit_ids_with_roles(registered_by, INTAKE_ROLES):
        raise NotFoundOrForbidden
    _validate_person(data)
    normalised = []
    for item in identifiers:
        value = normalise_identifier(kind=item.kind, raw=item.value)
        _check_identifier_matches_birth_date(item.kind, value, data.date_of_birth)
        normalised.append((item, value))
    if any(
        PersonIdentifier.objects.filter(kind=item.kind, value=value).exists()
        for item, value in normalised
    ):
        raise DuplicateRecord(IDENTIFIER_TAKEN)
    if not confirmed_not_duplicate and find_possible_duplicates(user=registered_by, data=data):
        raise DuplicateRecord(
            _(
                "Det finns redan en person med samma namn och födelsedatum. Kontrollera att det "
                "inte är samma person och bekräfta sedan registreringen."
            ),
            field="confirmed_not_duplicate",
        )
    person = Person.objects.create(
        registered_unit_id=unit_id, registered_by=registered_by, **data.__dict__
    )
    try:
        with transaction.atomic():
            PersonIdentifier.objects.bulk_create(
                PersonIdentifier(
                    person=person, kind=item.kind, value=value, valid_from=item.valid_from
                )
                for item, value in normalised
            )
    except IntegrityError:
        raise DuplicateRecord(IDENTIFIER_TAKEN) from None
    audit.record(
        actor=registered_by,
        action=AuditAction.PERSON_CREATED,
        channel=channel,
        person_id=person.pk,
        unit_id=unit_id,
        changes={
            "fields": sorted(k for k, v in data.__dict__.items() if v not in ("", None, [], False)),
            "identifiers": sorted(item.kind for item, _value in normalised),
        },
    )
    return person


def _audit_value(name: str, value: Any) -> Any:
    if name in SENSITIVE_FIELDS:
        return "***"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@transaction.atomic
def update_person(
    *, changed_by: User, person_id: UUID, changes: dict[str, Any], channel: Channel
) -> Person:
    """Change a person's details; contact details of protected people need the permission."""
    visible = access_person(changed_by, person_id)
    if not can_change_person(changed_by, visible):
        raise NotFoundOrForbidden
    person = Person.objects.select_for_update().get(pk=visible.pk)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Fältet kan inte ändras här."), field=sorted(unknown)[0])
    lifts_protection = changes.get("protected_identity") is False
    if (
        person.protected_identity
        and (set(changes) & SENSITIVE_FIELDS or lifts_protection)
        and not changed_by.has_perm("people.view_protected_details")
    ):
        raise ValidationFailed(
            _(
                "Du saknar behörighet att ändra adress, kontakt eller skyddet för en person "
                "med skyddade personuppgifter."
            )
        )
    diff = {
        name: {"from": _audit_value(name, getattr(person, name)), "to": _audit_value(name, value)}
        for name, value in changes.items()
        if getattr(person, name) != value
    }
    if not diff:
        return person
    for name in diff:
        setattr(person, name, changes[name])
    if "date_of_birth" in diff:
        for identifier in person.identifiers.all():
            _check_identifier_matches_birth_date(
                identifier.kind, identifier.value, person.date_of_birth
            )
    _validate_person(
        PersonInput(**{f: getattr(person, f) for f in PersonInput.__dataclass_fields__})
    )
    person.save(update_fields=[*diff, "updated_at"])
    audit.record(
        actor=changed_by,
        action=AuditAction.PERSON_UPDATED,
        channel=channel,
        person_id=person.pk,
        changes=diff,
    )
    return person


@transaction.atomic
def link_household(
    *, linked_by: User, person_id: UUID, relative_id: UUID, relation: str, channel: Channel
) -> HouseholdLink:
    """Record that the relative is the person's partner, child, sibling or other relative."""
    person = access_person(linked_by, person_id)
    relative = access_person(linked_by, relative_id)
    if person.pk == relative.pk:
        raise ValidationFailed(_("En person kan inte kopplas till sig själv."), field="relative")
    if relation not in HouseholdLink.Relation.values:
        raise ValidationFailed(_("Okänd relation."), field="relation")
    either_way = Q(person=person, relative=relative) | Q(person=relative, relative=person)
    if HouseholdLink.objects.filter(either_way).exists():
        raise DuplicateRecord(_("Kopplingen finns redan."))
    link = HouseholdLink.objects.create(person=person, relative=relative, relation=relation)
    audit.record(
        actor=linked_by,
        action=AuditAction.PERSON_UPDATED,
        channel=channel,
        person_id=person.pk,
        changes={"household": {"added": relation}},
    )
    return link
