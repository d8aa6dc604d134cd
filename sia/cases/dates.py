"""The rule for a case's first-contact date, shared by opening a case and correcting it."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.core.exceptions import ValidationFailed

# How far back a first-contact date may be entered (late registration of old contacts).
MAX_BACKDATING_DAYS = 365


def check_first_contact_date(day: dt.date) -> None:
    """Refuse a first-contact date in the future or more than a year back."""
    today = timezone.localdate()
    if day > today:
        raise ValidationFailed(
            _("Aktualiseringsdatumet kan inte ligga i framtiden."), field="first_contact_date"
        )
    if (today - day).days > MAX_BACKDATING_DAYS:
        raise ValidationFailed(
            _("Aktualiseringsdatumet får ligga högst ett år bakåt i tiden."),
            field="first_contact_date",
        )
