"""Helpers every assessment service shares: access with a lock, audit, text and dates.

The text and planned-date limits come from `sia.core.text`, re-exported here."""

import datetime as dt
from typing import Any, TypeVar
from uuid import UUID

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.assessments.access import access_case_to_record
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.core.exceptions import NotFoundOrForbidden, ValidationFailed
from sia.core.text import MAX_AHEAD as MAX_AHEAD
from sia.core.text import MAX_TEXT as MAX_TEXT
from sia.core.text import clean_text as clean_text

MAX_STEPS = 30
MAX_MONTHS = 36

CaseRow = TypeVar("CaseRow", bound=models.Model)
"""A model with a ``case`` foreign key: a topic, a barrier, an enrolment, a plan."""


def locked_case(user: User, case_id: UUID, *, health: bool = False) -> Case:
    """Return the case the user may record on, locked against concurrent changes."""
    case = access_case_to_record(user, case_id, health=health)
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def audit_case(
    user: User, case: Case, action: AuditAction, channel: Channel, **changes: Any
) -> None:
    """Append one audit event about the case with the changes made."""
    audit.record_case(actor=user, action=action, channel=channel, case=case, changes=changes)


def locked_row(model: type[CaseRow], case: Case, pk: UUID) -> CaseRow:
    """Return the case's record of ``model`` with this id, locked; missing or another case's:
    NotFoundOrForbidden (404)."""
    row = model._default_manager.select_for_update().filter(case=case, pk=pk).first()
    if row is None:
        raise NotFoundOrForbidden
    return row


def check_day_since(day: dt.date, since: dt.date, field: str, too_early: str | Promise) -> None:
    """Refuse a day in the future, or before ``since`` with the message ``too_early``."""
    if day > timezone.localdate():
        raise ValidationFailed(_("Datumet kan inte ligga i framtiden."), field=field)
    if day < since:
        raise ValidationFailed(too_early, field=field)


def check_past_day(case: Case, day: dt.date, field: str) -> None:
    """Refuse a day in the future or before the case's first contact."""
    check_day_since(
        day,
        case.first_contact_date,
        field,
        _("Datumet kan inte ligga före aktualiseringsdatumet."),
    )
