"""Record and withdraw a person's consent to share, and log disclosures to partners.

A consent names organisations or units outside the municipality that holds the
person's records (sharing inside it needs none), the kinds of data and why. It holds
from the day it is given until its end date or its withdrawal; a withdrawal dated
today ends the partners' access at once. Every change is audited; the audit holds
which organisations and kinds, never a personnummer.
"""

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Organisation, Unit, User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.access import visible_cases
from sia.consent.access import access_person_for_consents
from sia.consent.coverage import (
    covering_by_person,
    is_partner_user,
    named_partner_organisation,
    valid_on,
)
from sia.consent.models import Consent, DataKind, Disclosure
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.people.models import Person

MAX_PURPOSE = 5_000
MAX_NAME = 200


@transaction.atomic
def record_consent(
    *,
    actor: User,
    person_id: UUID,
    case_id: UUID | None = None,
    kind: str,
    given_by: str,
    given_by_name: str,
    recipient_organisation_ids: Sequence[UUID],
    recipient_unit_ids: Sequence[UUID],
    data_kinds: Sequence[str],
    purpose: str,
    form: str,
    given_on: dt.date,
    valid_until: dt.date | None,
    channel: Channel,
) -> Consent:
    """Record a consent the person (or their representative) gave to share their data."""
    person = access_person_for_consents(actor, person_id)
    if case_id is not None and not visible_cases(actor).filter(pk=case_id, person=person).exists():
        raise NotFoundOrForbidden
    _check_choice(kind, Consent.Kind.values, _("Välj typ av samtycke."), "kind")
    _check_choice(
        given_by, Consent.GivenBy.values, _("Ange vem som lämnade samtycket."), "given_by"
    )
    _check_choice(
        form, Consent.Form.values, _("Ange om samtycket är skriftligt eller muntligt."), "form"
    )
    name = _given_by_name(given_by, given_by_name)
    organisations, units = _recipients(person, recipient_organisation_ids, recipient_unit_ids)
    kinds = _data_kinds(data_kinds)
    purpose = _purpose(purpose)
    _check_period(given_on, valid_until)
    consent = Consent.objects.create(
        person=person,
        case_id=case_id,
        kind=kind,
        given_by=given_by,
        given_by_name=name,
        data_kinds=kinds,
        purpose=purpose,
        form=form,
        recorded_by=actor,
        given_on=given_on,
        valid_until=valid_until,
    )
    consent.recipient_organisations.set(organisations)
    consent.recipient_units.set(units)
    audit.record(
        actor=actor,
        action=AuditAction.CONSENT_RECORDED,
        channel=channel,
        person_id=person.pk,
        case_id=case_id,
        changes={
            "consent": str(consent.pk),
            "kind": kind,
            "given_by": given_by,
            "form": form,
            "organisations": sorted(organisation.name for organisation in organisations),
            "units": sorted(str(unit) for unit in units),
            "data_kinds": kinds,
            "given_on": given_on.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
        },
    )
    return consent


@transaction.atomic
def withdraw_consent(
    *,
    actor: User,
    consent_id: UUID,
    withdrawn_on: dt.date,
    withdrawal_form: str,
    note: str,
    channel: Channel,
) -> Consent:
    """Record that the consent was withdrawn; from that day on it covers no one."""
    person_id = Consent.objects.filter(pk=consent_id).values_list("person_id", flat=True).first()
    if person_id is None:
        raise NotFoundOrForbidden
    person = access_person_for_consents(actor, person_id)
    consent = Consent.objects.select_for_update().get(pk=consent_id, person=person)
    if consent.withdrawn_on is not None:
        raise InvalidTransition(_("Samtycket är redan återkallat."))
    _check_choice(
        withdrawal_form,
        Consent.WithdrawalForm.values,
        _("Ange om samtycket återkallades skriftligt eller muntligt."),
        "withdrawal_form",
    )
    if withdrawn_on > timezone.localdate():
        raise ValidationFailed(
            _("Datumet för återkallelsen kan inte ligga i framtiden."), field="withdrawn_on"
        )
    if withdrawn_on < consent.given_on:
        raise ValidationFailed(
            _("Samtycket kan inte återkallas före den dag det lämnades."), field="withdrawn_on"
        )
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_form = withdrawal_form
    consent.withdrawal_note = note.strip()[:MAX_PURPOSE]
    consent.withdrawn_recorded_by = actor
    consent.save(
        update_fields=[
            "withdrawn_on",
            "withdrawal_form",
            "withdrawal_note",
            "withdrawn_recorded_by",
            "updated_at",
        ]
    )
    audit.record(
        actor=actor,
        action=AuditAction.CONSENT_WITHDRAWN,
        channel=channel,
        person_id=person.pk,
        case_id=consent.case_id,
        changes={
            "consent": str(consent.pk),
            "withdrawn_on": withdrawn_on.isoformat(),
            "withdrawal_form": withdrawal_form,
        },
    )
    return consent


def record_disclosures(
    *, user: User, rows: Sequence[tuple[UUID, UUID | None]], what: str, channel: Channel
) -> int:
    """Log each (person id, case id) shown to a partner user, with the consent it rests on.

    Municipal users disclose nothing to another organisation: no row and no query. Call it
    inside the transaction of the read, like the audit of the read.
    """
    if not rows or not is_partner_user(user):
        return 0
    covering = covering_by_person(user, {person_id for person_id, _case_id in rows})
    disclosures = []
    for person_id, case_id in dict.fromkeys(rows):
        consent = next(iter(covering.get(person_id, [])), None)
        organisation = named_partner_organisation(user, consent) if consent else None
        if consent is None or organisation is None:
            continue
        disclosures.append(
            Disclosure(
                person_id=person_id,
                case_id=case_id,
                organisation=organisation,
                recipient=user,
                what=what,
                legal_basis=legal_basis_of(consent),
                consent=consent,
                channel=channel,
            )
        )
    Disclosure.objects.bulk_create(disclosures)
    return len(disclosures)


def consent_naming(person_id: UUID, organisation_id: UUID, day: dt.date) -> Consent | None:
    """Return the person's latest consent valid on the day that names the organisation
    (or one of its units), or None."""
    return (
        Consent.objects.filter(valid_on(day), person_id=person_id)
        .filter(
            Q(recipient_organisations__pk=organisation_id)
            | Q(recipient_units__organisation_id=organisation_id)
        )
        .order_by("-given_on", "-created_at")
        .first()
    )


def record_sent_disclosure(
    *,
    person_id: UUID,
    case_id: UUID | None,
    organisation_id: UUID,
    recipient: User | None,
    what: str,
    preferred: Consent | None,
    channel: Channel,
) -> Disclosure:
    """Log a document sent to another organisation (an invitation, a copy of minutes),
    resting on `preferred` when it names the organisation, else on another valid consent.

    Refuses, writing nothing, when no valid consent names the organisation: sending it
    would break confidentiality.
    """
    today = timezone.localdate()
    consent = (
        preferred
        if preferred is not None and _names(preferred, organisation_id, today)
        else consent_naming(person_id, organisation_id, today)
    )
    if consent is None:
        raise ValidationFailed(
            _("Inget giltigt samtycke omfattar mottagarens organisation."), field="consent"
        )
    return Disclosure.objects.create(
        person_id=person_id,
        case_id=case_id,
        organisation_id=organisation_id,
        recipient=recipient,
        what=what,
        legal_basis=legal_basis_of(consent),
        consent=consent,
        channel=channel,
    )


def _names(consent: Consent, organisation_id: UUID, day: dt.date) -> bool:
    return consent.is_valid_on(day) and (
        consent.recipient_organisations.filter(pk=organisation_id).exists()
        or consent.recipient_units.filter(organisation_id=organisation_id).exists()
    )


def legal_basis_of(consent: Consent) -> str:
    """Return the legal basis a disclosure under the consent rests on."""
    if consent.kind == Consent.Kind.SIP:
        return Disclosure.LegalBasis.SIP_CONSENT
    return Disclosure.LegalBasis.CONSENT


def _check_choice(value: str, allowed: list[str], message: object, field: str) -> None:
    if value not in allowed:
        raise ValidationFailed(str(message), field=field)


def _given_by_name(given_by: str, name: str) -> str:
    name = name.strip()
    if given_by != Consent.GivenBy.PERSON and not name:
        raise ValidationFailed(
            _("Ange namnet på vårdnadshavaren eller företrädaren som lämnade samtycket."),
            field="given_by_name",
        )
    if len(name) > MAX_NAME:
        raise ValidationFailed(_("Namnet är för långt."), field="given_by_name")
    return name if given_by != Consent.GivenBy.PERSON else ""


def _recipients(
    person: Person, organisation_ids: Sequence[UUID], unit_ids: Sequence[UUID]
) -> tuple[list[Organisation], list[Unit]]:
    if not organisation_ids and not unit_ids:
        raise ValidationFailed(
            _("Välj minst en organisation eller enhet som får ta del av uppgifterna."),
            field="recipient_organisations",
        )
    organisations = list(Organisation.objects.filter(pk__in=set(organisation_ids)))
    units = list(Unit.objects.select_related("organisation").filter(pk__in=set(unit_ids)))
    if len(organisations) != len(set(organisation_ids)) or len(units) != len(set(unit_ids)):
        raise ValidationFailed(_("En vald mottagare finns inte."), field="recipient_organisations")
    own = person.registered_unit.organisation_id
    if any(organisation.pk == own for organisation in organisations) or any(
        unit.organisation_id == own for unit in units
    ):
        raise ValidationFailed(
            _("Den egna kommunen behöver inget samtycke. Välj bara mottagare utanför kommunen."),
            field="recipient_organisations",
        )
    return organisations, units


def _data_kinds(data_kinds: Sequence[str]) -> list[str]:
    if not data_kinds:
        raise ValidationFailed(
            _("Välj minst en sorts uppgifter som får lämnas ut."), field="data_kinds"
        )
    if any(kind not in DataKind.values for kind in data_kinds):
        raise ValidationFailed(_("En vald sorts uppgifter finns inte."), field="data_kinds")
    return [kind for kind in DataKind.values if kind in data_kinds]


def _purpose(purpose: str) -> str:
    purpose = purpose.strip()
    if not purpose:
        raise ValidationFailed(_("Ange syftet med samtycket."), field="purpose")
    if len(purpose) > MAX_PURPOSE:
        raise ValidationFailed(_("Syftet är för långt."), field="purpose")
    return purpose


def _check_period(given_on: dt.date, valid_until: dt.date | None) -> None:
    if given_on > timezone.localdate():
        raise ValidationFailed(
            _("Datumet då samtycket lämnades kan inte ligga i framtiden."), field="given_on"
        )
    if valid_until is not None and valid_until < given_on:
        raise ValidationFailed(
            _("Samtycket kan inte gälla till ett datum före den dag det lämnades."),
            field="valid_until",
        )
