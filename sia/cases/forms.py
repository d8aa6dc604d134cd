"""Forms for opening cases and for emergency access."""

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Unit
from sia.cases.emergency import MIN_REASON_LENGTH, default_hours, max_hours
from sia.core.text import MAX_TEXT
from sia.people.forms import DATE_WIDGET


class OpenCaseForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Ansvarig enhet"), queryset=Unit.objects.none(), empty_label=None
    )
    first_contact_date = forms.DateField(
        label=_("Aktualiseringsdatum"),
        help_text=_("Dagen då personen tog kontakt med enheten (IB:1)."),
        widget=DATE_WIDGET,
    )
    outside_target_group_confirmed = forms.BooleanField(
        label=_("Öppna ärendet ändå (personen ligger utanför målgruppen)"),
        required=False,
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"first_contact_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Unit.objects.filter(pk__in=[unit.pk for unit in units])


class EmergencyAccessForm(forms.Form):
    """Ask for emergency access (nödåtkomst): why, and for how long."""

    reason = forms.CharField(
        label=_("Skäl till nödåtkomsten"),
        help_text=_(
            "Beskriv nödsituationen. Skälet sparas i loggen och granskas av ansvarig "
            "biträdande enhetschef."
        ),
        min_length=MIN_REASON_LENGTH,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hours = forms.IntegerField(label=_("Antal timmar"), min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"hours": default_hours()})
        super().__init__(*args, **kwargs)
        hours = self.fields["hours"]
        assert isinstance(hours, forms.IntegerField)  # noqa: S101
        hours.max_value = max_hours()
        hours.validators.append(MaxValueValidator(max_hours()))
        hours.widget.attrs["max"] = str(max_hours())
        hours.help_text = _("Högst %(max)d timmar. Åtkomsten upphör av sig själv.") % {
            "max": max_hours()
        }


class EmergencyReviewForm(forms.Form):
    """A deputy manager's review of an emergency access."""

    note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
