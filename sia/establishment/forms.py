"""Forms of the establishment page: the programme, the outcome baseline and dates, and a
report of concern. The services check the rules; the forms only parse the input."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sia.core.text import MAX_TEXT
from sia.establishment.models import CaseOutcome, ProgrammeStatus
from sia.establishment.services import MAX_LINE, ProgrammeInput
from sia.people.forms import DATE_WIDGET

YES_NO_UNKNOWN = [("", _("Vet inte")), ("yes", _("Ja")), ("no", _("Nej"))]


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DATE_WIDGET)


class ProgrammeForm(forms.Form):
    af_registered_on = _date(_("Inskriven på Arbetsförmedlingen"))
    programme_started_on = _date(_("Anvisad till etableringsprogrammet"))
    programme_ends_on = _date(_("Programmet slutar"))
    action_plan_on = _date(_("Individuell handlingsplan upprättad"))
    sfi_started_on = _date(_("SFI började"))
    civic_orientation_started_on = _date(_("Samhällsorienteringen började"))
    education_duty = forms.TypedChoiceField(
        label=_("Omfattas av utbildningsplikt"),
        choices=YES_NO_UNKNOWN,
        required=False,
        coerce=lambda value: value == "yes",
        empty_value=None,
    )
    intensive_year_started_on = _date(_("Intensivår började"))
    reduced_work_capacity = forms.BooleanField(label=_("Nedsatt arbetsförmåga"), required=False)
    adaptation_needs = forms.CharField(
        label=_("Behov av anpassning"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    af_contact = forms.CharField(
        label=_("Kontakt på Arbetsförmedlingen"), required=False, max_length=MAX_LINE
    )
    other_contacts = forms.CharField(
        label=_("Andra kontaktvägar"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def to_input(self) -> ProgrammeInput:
        """Return the cleaned data as the service's input."""
        return ProgrammeInput(**self.cleaned_data)


def programme_initial(status: ProgrammeStatus | None) -> dict[str, Any]:
    """Return the form's initial values from the recorded status."""
    if status is None:
        return {}
    initial: dict[str, Any] = {name: getattr(status, name) for name in ProgrammeForm.base_fields}
    duty = status.education_duty
    initial["education_duty"] = "" if duty is None else ("yes" if duty else "no")
    return initial


class BaselineForm(forms.Form):
    baseline_on = forms.DateField(label=_("Ingångsvärdena gäller per"), widget=DATE_WIDGET)
    self_sufficient = forms.BooleanField(label=_("Egen försörjning vid start"), required=False)
    own_lease = forms.BooleanField(label=_("Eget kontrakt vid start"), required=False)
    concern_reports_last_year = forms.IntegerField(
        label=_("Orosanmälningar om barnen det senaste året före start"),
        min_value=0,
        max_value=100,
        initial=0,
    )


class OutcomeForm(forms.Form):
    self_sufficient_on = _date(_("Egen försörjning från"))
    own_lease_on = _date(_("Eget kontrakt från"))


def outcome_initial(outcome: CaseOutcome | None) -> dict[str, Any]:
    """Return the outcome form's initial values."""
    if outcome is None:
        return {}
    return {"self_sufficient_on": outcome.self_sufficient_on, "own_lease_on": outcome.own_lease_on}


class ConcernReportForm(forms.Form):
    received_on = forms.DateField(label=_("Orosanmälan inkom"), widget=DATE_WIDGET)
