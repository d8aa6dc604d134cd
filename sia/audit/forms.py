"""The log review filter, the period and sample of a check, and the record of a check."""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from sia.audit.models import AuditAction, LogReview
from sia.audit.review import check_period
from sia.audit.selectors_review import (
    SAMPLE_DEFAULT,
    SAMPLE_MAX,
    SEED_MAX,
    Period,
    last_month,
    new_seed,
)
from sia.core.exceptions import ValidationFailed
from sia.core.forms import add_domain_error
from sia.core.text import MAX_TEXT
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


class ReviewPeriodForm(forms.Form):
    """The period of a log review: whole days, both ends included."""

    fran = forms.DateField(label=_("Från och med"), widget=DATE_WIDGET)
    till = forms.DateField(label=_("Till och med"), widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "fran" in cleaned and "till" in cleaned:
            try:
                check_period(Period(cleaned["fran"], cleaned["till"]))
            except ValidationFailed as error:
                add_domain_error(self, error)
        return cleaned

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["fran"], self.cleaned_data["till"])


class SampleForm(ReviewPeriodForm):
    """A random sample of the period's events; the seed draws the same sample again."""

    antal = forms.IntegerField(
        label=_("Antal händelser"), min_value=1, max_value=SAMPLE_MAX, initial=SAMPLE_DEFAULT
    )
    seed = forms.IntegerField(
        label=_("Slumpfrö"),
        min_value=1,
        max_value=SEED_MAX,
        required=False,
        help_text=_("Lämna tomt för ett nytt stickprov; samma frö ger samma stickprov."),
    )


class LogReviewForm(forms.Form):
    """The record that a check was done, with its result; the period comes from the page."""

    result = forms.ChoiceField(
        label=_("Resultat"), choices=LogReview.Result.choices, widget=forms.RadioSelect
    )
    findings = forms.CharField(
        label=_("Anmärkningar"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Krävs vid anmärkningar. Hänvisa till ärendets referens, aldrig personnummer."),
    )
    follow_up = forms.CharField(
        label=_("Åtgärd"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def with_review_defaults(data: QueryDict, *, sample: bool) -> QueryDict:
    """Fill in last month when no period is given, and a fresh seed when a sample has none."""
    data = data.copy()
    if "fran" not in data and "till" not in data:
        period = last_month()
        data.update({"fran": period.start.isoformat(), "till": period.end.isoformat()})
    if sample:
        data.setdefault("antal", str(SAMPLE_DEFAULT))
        if not data.get("seed"):
            data["seed"] = str(new_seed())
    return data
