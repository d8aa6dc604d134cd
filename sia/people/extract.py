"""A person's own register extract (registerutdrag, article 15 GDPR): everything SIA holds
about one person, as ordered sections of records of labelled fields, for the PDF
(`extract_pdf`) and the machine-readable JSON file. The records are gathered in
`extract_records`.

Who may produce it: a deputy unit manager (biträdande enhetschef) of a unit that owns one
of the person's cases or registered the person; they answer for the unit's records. SIA
has no registrator function yet; when one exists it belongs in
`sia.people.access.can_make_extract`. Case workers, partners, analysts and administrators
get 404, as for a missing person. The extract of a person with protected identity holds
everything (it goes to the person), so only a manager who may see protected details
(`people.view_protected_details`) may produce it.

What it holds, and what it leaves out on purpose:
- Labels are the models' verbose names (Swedish, translatable); choices are shown by
  their labels, dates in ISO form; internal ids are left out (a case is named by its
  reference); fields without a value are left out.
- Staff are named by role and unit, never by name: the extract leaves the authority, and
  role and unit are what the audit trail records of them. Outside parties at meetings
  are named by organisation and function only.
- Journal notes name their author by the role and unit they wrote in; the person's
  objections (avvikande mening) follow them.
- Other people's data stays out: a relative is named (unless their identity is
  protected), a case review shows only this case's agenda item, a group only this
  person's enrolment and attendance.
- Recipients (article 15.1 c): every disclosure to another organisation, and a summary
  of the audit trail of reads and changes per day, organisation, unit, role and action.

Producing an extract is itself audited (EXTRACT_MADE with the format), in the same
transaction as the reads.
"""

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Organisation, User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.people.access import access_person_for_extract, extract_unit_ids
from sia.people.extract_records import (
    ExtractField,
    ExtractRecord,
    ExtractSection,
    Value,
    gather_sections,
)
from sia.people.models import Person

__all__ = [
    "ExtractField",
    "ExtractFormat",
    "ExtractRecord",
    "ExtractSection",
    "RegisterExtract",
    "build_extract",
    "extract_data",
    "extract_json",
    "get_person_for_extract",
    "make_extract",
]


class ExtractFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    JSON = "json", _("JSON (maskinläsbar fil)")


@dataclass(frozen=True)
class RegisterExtract:
    """Everything held about one person, in the order the extract shows it."""

    person_name: str
    produced_at: dt.datetime
    controller: str
    sections: tuple[ExtractSection, ...]


@transaction.atomic
def make_extract(
    user: User, person_id: UUID, *, output: ExtractFormat, channel: Channel
) -> RegisterExtract:
    """Gather the person's extract for the user, recording that it was made and its format."""
    person = access_person_for_extract(user, person_id)
    extract = build_extract(person)
    audit.record(
        actor=user,
        action=AuditAction.EXTRACT_MADE,
        channel=channel,
        person_id=person.pk,
        unit_id=min(extract_unit_ids(user, person), key=str),
        changes={"format": str(output)},
    )
    return extract


def build_extract(person: Person) -> RegisterExtract:
    """Gather everything held about the person; the caller checks access and audits."""
    cases = list(
        Case.objects.filter(person=person)
        .select_related("owning_unit__organisation")
        .order_by("first_contact_date", "created_at")
    )
    return RegisterExtract(
        person_name=person.full_name,
        produced_at=timezone.localtime(),
        controller=_controller(person, cases),
        sections=gather_sections(person, cases),
    )


def _controller(person: Person, cases: list[Case]) -> str:
    """Name the controller: the social services committee of the responsible municipality."""
    configured = str(getattr(settings, "SIA_EXTRACT_CONTROLLER", "") or "")
    if configured:
        return configured
    units = [case.owning_unit for case in cases] + [person.registered_unit]
    organisations = [unit.organisation for unit in units]
    municipal = [o for o in organisations if o.kind == Organisation.Kind.MUNICIPALITY]
    name = (municipal or organisations)[0].name
    return gettext("Socialnämnden i %(municipality)s") % {"municipality": name}


def json_value(value: Value) -> str | int | bool | list[str] | None:
    """Return a field's value for JSON: dates and times in ISO 8601."""
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    return value


def extract_data(extract: RegisterExtract) -> dict[str, Any]:
    """Return the extract as JSON-ready data, labels in the active language."""
    return {
        "document": gettext("Registerutdrag"),
        "legal_basis": gettext("Artikel 15 i dataskyddsförordningen (GDPR)"),
        "format_version": 1,
        "person": extract.person_name,
        "produced_at": extract.produced_at.isoformat(),
        "controller": extract.controller,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "records": [_record_data(record) for record in section.records],
            }
            for section in extract.sections
        ],
    }


def _record_data(record: ExtractRecord) -> dict[str, Any]:
    return {
        "title": record.title,
        "fields": [
            {"key": field.key, "label": field.label, "value": json_value(field.value)}
            for field in record.fields
        ],
    }


def extract_json(extract: RegisterExtract) -> bytes:
    """Return the extract as a UTF-8 JSON file."""
    return json.dumps(extract_data(extract), ensure_ascii=False, indent=2).encode("utf-8")


@transaction.atomic
def get_person_for_extract(user: User, person_id: UUID, *, channel: Channel) -> Person:
    """Return the person for the extract page if the user may produce it, recording the read."""
    person = access_person_for_extract(user, person_id)
    audit.record(actor=user, action=AuditAction.PERSON_VIEWED, channel=channel, person_id=person.pk)
    return person
