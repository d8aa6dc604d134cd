"""Helpers the group services share: limits, dates, the session lock and the audit of
series changes.

The text and planned-date limits come from `sia.core.text`, re-exported here."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.core.exceptions import NotFoundOrForbidden, ValidationFailed
from sia.core.text import MAX_AHEAD as MAX_AHEAD
from sia.core.text import MAX_TEXT as MAX_TEXT
from sia.core.text import check_not_too_far_ahead
from sia.core.text import clean_text as clean_text
from sia.groups import access
from sia.groups.models import GroupEnrolment, GroupSeries, GroupSession

MAX_CAPACITY = 100
# Series are planned at most a year back (to record one afterwards) and `MAX_AHEAD` ahead;
# further is a typing error (and 9999-12-31 has no weekly sessions after it).
MAX_BACK = dt.timedelta(days=365)
Status = GroupEnrolment.Status
Run = GroupEnrolment.Run


def check_day(day: dt.date, field: str) -> None:
    """Refuse a date further back or ahead than a series is planned."""
    if day < timezone.localdate() - MAX_BACK:
        raise ValidationFailed(_("Datumet ligger för långt bak i tiden."), field=field)
    check_not_too_far_ahead(day, field)


def session_for(actor: User, series_id: UUID, session_id: UUID) -> GroupSession:
    """Return a session of a series the actor runs, locked, else 404."""
    series = access.access_series(actor, series_id, manage=True)
    session = GroupSession.objects.select_for_update().filter(series=series, pk=session_id).first()
    if session is None:
        raise NotFoundOrForbidden
    session.series = series
    return session


def audit_series(
    actor: User, series: GroupSeries, action: AuditAction, channel: Channel, **changes: Any
) -> None:
    """Record a change to a series or session on its unit; the changes name no participant."""
    audit.record(
        actor=actor,
        action=action,
        channel=channel,
        unit_id=series.unit_id,
        changes={"series": str(series.pk), **changes},
    )
