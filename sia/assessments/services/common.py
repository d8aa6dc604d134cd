"""Helpers every assessment service shares: access with a lock, audit, text and dates."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.assessments.access import access_case_to_record
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.core.exceptions import ValidationFailed

MAX_TEXT = 10_000
MAX_STEPS = 30
MAX_MONTHS = 36
# A reminder or a step further ahead than the longest programme is a typing error.
MAX_AHEAD = dt.timedelta(days=3 * 365)


def locked_case(user: User, case_id: UUID, *, health: bool = False) -> Case:
    """Return the case the user may record on, locked against concurrent changes."""
    case = access_case_to_record(user, case_id, health=health)
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def audit_case(
    user: User, case: Case, action: AuditAction, channel: Channel, **changes: Any
) -> None:
    """Append one audit event about the case with the changes made."""
    audit.record_case(actor=user, action=action, channel=channel, case=case, changes=changes)


def clean_text(value: str, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    """Strip a text and refuse it when required and empty, or too long."""
    value = value.strip()
    if required and not value:
        raise ValidationFailed(_("Fältet måste fyllas i."), field=field)
    if len(value) > limit:
        raise ValidationFailed(_("Texten är för lång."), field=field)
    return value


def check_past_day(case: Case, day: dt.date, field: str) -> None:
    """Refuse a day in the future or before the case's first contact."""
    if day > timezone.localdate():
        raise ValidationFailed(_("Datumet kan inte ligga i framtiden."), field=field)
    if day < case.first_contact_date:
        raise ValidationFailed(_("Datumet kan inte ligga före aktualiseringsdatumet."), field=field)
