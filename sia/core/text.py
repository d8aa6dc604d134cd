"""Input rules for free text and planned dates, shared by every app's services."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.core.exceptions import ValidationFailed

# Long enough for minutes and assessments, short enough to refuse pasted documents.
MAX_TEXT = 10_000
# The furthest ahead anything may be planned: the longest programme runs 36 months.
MAX_AHEAD = dt.timedelta(days=3 * 365)


def clean_text(
    value: str | None, field: str, *, limit: int = MAX_TEXT, required: bool = False
) -> str:
    """Strip a text; refuse it when required and empty, or longer than `limit`."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("Fältet måste fyllas i."), field=field)
    if len(value) > limit:
        raise ValidationFailed(_("Texten är för lång."), field=field)
    return value


def check_not_too_far_ahead(day: dt.date, field: str) -> None:
    """Refuse a planned day more than `MAX_AHEAD` from today."""
    if day > timezone.localdate() + MAX_AHEAD:
        raise ValidationFailed(_("Datumet ligger för långt fram i tiden."), field=field)
