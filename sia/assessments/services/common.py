"""Helpers every assessment service shares: access with a lock, audit, text and dates.

The text and planned-date limits come from `sia.core.text`, re-exported here."""

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
from sia.core.text import MAX_AHEAD as MAX_AHEAD
from sia.core.text import MAX_TEXT as MAX_TEXT
from sia.core.text import clean_text as clean_text

MAX_STEPS = 30
MAX_MONTHS = 36


def locked_case(user: User, case_id: UUID, *, health: bool = False) -> Case:
    """Return the case the user may record on, locked against concurrent changes."""
    case = access_case_to_record(user, case_id, health=health)
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def audit_case(
    user: User, case: Case, action: AuditAction, channel: Channel, **changes: Any
) -> None:
    """Append one audit event about the case with the changes made."""
    audit.record_case(actor=user, action=action, channel=channel, case=case, changes=changes)


def check_past_day(case: Case, day: dt.date, field: str) -> None:
    """Refuse a day in the future or before the case's first contact."""
    if day > timezone.localdate():
        raise ValidationFailed(_("Datumet kan inte ligga i framtiden."), field=field)
    if day < case.first_contact_date:
        raise ValidationFailed(_("Datumet kan inte ligga före aktualiseringsdatumet."), field=field)
