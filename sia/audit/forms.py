"""The log review filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sia.audit.models import AuditAction
from sia.people.forms import DATE_WIDGET


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("Användarnamn"), required=False, max_length=150)
    person_id = forms.UUIDField(label=_("Person-id"), required=False)
    case_id = forms.UUIDField(label=_("Ärende-id"), required=False)
    action = forms.ChoiceField(
        label=_("Händelse"), choices=[("", _("Alla")), *AuditAction.choices], required=False
    )
    date_from = forms.DateField(label=_("Från och med"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Till och med"), required=False, widget=DATE_WIDGET)
