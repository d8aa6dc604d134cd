"""Form of a housing task's status, date and note."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sia.core.concurrency import VersionedForm
from sia.people.forms import DATE_WIDGET
from sia.settlement.models import HousingTask
from sia.settlement.services import MAX_NOTE


class TaskStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=HousingTask.Status.choices)
    status_date = forms.DateField(label=_("Datum"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
