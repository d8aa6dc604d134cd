"""Reads of a person's consents and of the disclosures made under them.

Every read starts from `access_person_for_consents`: the municipality's caseworkers
who can see the person. The person read is audited through `get_person`; a print of
a consent is audited as such.
"""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from sia.accounts.models import Organisation, Unit, User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.consent.access import access_person_for_consents, can_manage_consents
from sia.consent.models import Consent, Disclosure
from sia.core.exceptions import NotFoundOrForbidden
from sia.people.models import Person
from sia.people.selectors import get_person, hide_protected_details


@dataclass(frozen=True)
class ConsentRow:
    """A consent with its status today, in words."""

    consent: Consent
    status: str
    is_valid: bool


def consent_status(consent: Consent, day: dt.date) -> tuple[str, bool]:
    """Return the consent's status on the day in words, and whether it holds."""
    if consent.withdrawn_on is not None and consent.withdrawn_on <= day:
        return gettext("Återkallat %(day)s") % {"day": f"{consent.withdrawn_on:%Y-%m-%d}"}, False
    if consent.valid_until is not None and consent.valid_until < day:
        return gettext("Har upphört %(day)s") % {"day": f"{consent.valid_until:%Y-%m-%d}"}, False
    if consent.given_on > day:
        return gettext("Gäller från %(day)s") % {"day": f"{consent.given_on:%Y-%m-%d}"}, False
    return gettext("Gäller"), True


def list_consents(person: Person) -> QuerySet[Consent]:
    """List the person's consents, latest first, with recipients and recorders loaded."""
    return (
        Consent.objects.filter(person=person)
        .select_related("case", "recorded_by", "withdrawn_recorded_by")
        .prefetch_related("recipient_organisations", "recipient_units__organisation")
    )


def consent_rows(person: Person, day: dt.date | None = None) -> list[ConsentRow]:
    """List the person's consents with their status today."""
    day = day or timezone.localdate()
    return [ConsentRow(consent, *consent_status(consent, day)) for consent in list_consents(person)]


def get_person_with_consents(user: User, person_id: UUID, *, channel: Channel) -> Person:
    """Return a person whose consents the user manages, recording the read of the person."""
    access_person_for_consents(user, person_id)
    return get_person(user, person_id, channel=channel)


def get_consent(person: Person, consent_id: UUID) -> Consent:
    """Return one of the person's consents, or raise NotFoundOrForbidden."""
    consent = list_consents(person).filter(pk=consent_id).first()
    if consent is None:
        raise NotFoundOrForbidden
    return consent


def list_disclosures(person: Person, consent: Consent | None = None) -> QuerySet[Disclosure]:
    """List what was disclosed about the person (under one consent, if given), newest first."""
    disclosures = Disclosure.objects.filter(person=person).select_related(
        "organisation", "recipient", "case", "consent"
    )
    if consent is not None:
        disclosures = disclosures.filter(consent=consent)
    return disclosures


def valid_consents_for_person_page(user: User, person: Person) -> list[ConsentRow] | None:
    """List the person's valid consents for the person page; None when the user may not see
    consents (partner users, analysts), so the page leaves the section out."""
    if not can_manage_consents(user):
        return None
    return [row for row in consent_rows(person) if row.is_valid]


def recipient_organisations(person: Person) -> QuerySet[Organisation]:
    """List the organisations a consent of the person may name: all outside its municipality."""
    return Organisation.objects.exclude(kind=Organisation.Kind.MUNICIPALITY).exclude(
        pk=person.registered_unit.organisation_id
    )


def recipient_units(person: Person) -> QuerySet[Unit]:
    """List the units a consent of the person may name: the units of those organisations."""
    return Unit.objects.filter(organisation__in=recipient_organisations(person)).select_related(
        "organisation"
    )


@transaction.atomic
def get_consent_for_print(
    user: User, person_id: UUID, consent_id: UUID, *, channel: Channel
) -> tuple[Person, Consent]:
    """Return a consent for the print view shown to the person, recording the print."""
    person = access_person_for_consents(user, person_id)
    consent = get_consent(person, consent_id)
    audit.record(
        actor=user,
        action=AuditAction.CONSENT_PRINTED,
        channel=channel,
        person_id=person.pk,
        case_id=consent.case_id,
        changes={"consent": str(consent.pk)},
    )
    hide_protected_details(user, [person])
    return person, consent
