"""The only writes of follow-up: the audit events that say who looked at which figures."""

from django.db import transaction

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.followup.filters import Filters


@transaction.atomic
def record_report_use(
    *, actor: User, dashboard: str, filters: Filters, channel: Channel, file_format: str = ""
) -> None:
    """Record that the user viewed (or, with a format, exported) a dashboard's figures.
    The figures hold no personal data; the event says which view of them was taken."""
    audit.record(
        actor=actor,
        action=AuditAction.REPORT_EXPORTED if file_format else AuditAction.REPORT_VIEWED,
        channel=channel,
        changes={"dashboard": dashboard, "format": file_format, **filters.as_query()},
    )
