"""Forms for opening cases."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Unit
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
