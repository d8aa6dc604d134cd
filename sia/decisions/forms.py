"""Forms of decisions on support: the decision, telling the person, the plan, the
provider's log, follow-ups and the end of the support."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from sia.accounts.models import Unit
from sia.core.concurrency import VersionedForm
from sia.core.text import MAX_TEXT
from sia.decisions.models import ProviderLogEntry, SupportDecision, SupportEnding
from sia.decisions.services import DEFAULT_APPEAL_NOTICE, MAX_ITEMS, MAX_LABEL
from sia.people.forms import DATE_WIDGET


def _text(
    label: StrPromise, *, required: bool = True, rows: int = 3, **kwargs: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class DecisionForm(forms.Form):
    applied_for = _text(_("Ansökan avser"))
    applied_on = forms.DateField(label=_("Ansökan inkom"), widget=DATE_WIDGET)
    outcome = forms.ChoiceField(
        label=_("Beslut"), choices=SupportDecision.Outcome.choices, widget=forms.RadioSelect
    )
    decided_support = _text(
        _("Beviljad insats"),
        required=False,
        help_text=_("Krävs när insatsen beviljas helt eller delvis."),
    )
    legal_basis = forms.ChoiceField(label=_("Lagrum"), choices=SupportDecision.LegalBasis.choices)
    reasons = _text(_("Skäl för beslutet"), rows=5)
    provider = forms.ModelChoiceField(
        label=_("Utförare"), queryset=Unit.objects.none(), required=False
    )
    valid_from = forms.DateField(label=_("Gäller från"), required=False, widget=DATE_WIDGET)
    valid_until = forms.DateField(
        label=_("Gäller till och med"), required=False, widget=DATE_WIDGET
    )
    appeal_notice = _text(
        _("Besvärshänvisning"),
        required=False,
        rows=6,
        help_text=_("Krävs vid avslag och delvis bifall."),
    )

    def __init__(self, *args: Any, providers: QuerySet[Unit], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"appeal_notice": DEFAULT_APPEAL_NOTICE, "applied_on": timezone.localdate()},
        )
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = providers


class InformedForm(forms.Form):
    informed_on = forms.DateField(
        label=_("Underrättad datum"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    informed_how = forms.ChoiceField(label=_("Hur"), choices=SupportDecision.InformedHow.choices)


class PlanForm(forms.Form):
    time_plan = _text(_("Ungefärlig tidsplan"))
    expected_end_on = forms.DateField(label=_("Beräknat slut"), required=False, widget=DATE_WIDGET)
    items = forms.CharField(
        label=_("Checklista: vad ska fungera tillräckligt bra"),
        help_text=_("En punkt per rad."),
        max_length=MAX_ITEMS * (MAX_LABEL + 2),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def item_labels(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class PlanItemForm(forms.Form):
    label = forms.CharField(label=_("Ny punkt i checklistan"), max_length=MAX_LABEL)


class MarkItemForm(VersionedForm):
    met_on = forms.DateField(
        label=_("Uppfyllt datum"), required=False, widget=DATE_WIDGET, initial=timezone.localdate
    )


class LogForm(forms.Form):
    performed_on = forms.DateField(label=_("Datum"), widget=DATE_WIDGET, initial=timezone.localdate)
    minutes = forms.IntegerField(label=_("Tid (minuter)"), min_value=1, max_value=1440)
    category = forms.ChoiceField(label=_("Vad"), choices=ProviderLogEntry.Category.choices)
    note = _text(_("Anteckning"), required=False, rows=2)


class FollowUpForm(forms.Form):
    held_on = forms.DateField(label=_("Hölls"), widget=DATE_WIDGET, initial=timezone.localdate)
    participants = _text(_("Deltagare"), rows=2)
    notes = _text(_("Anteckningar"), rows=4)
    next_follow_up_on = forms.DateField(
        label=_("Nästa uppföljning"), required=False, widget=DATE_WIDGET
    )


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Avslutad"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Orsak"), choices=SupportEnding.Reason.choices)
    note = _text(_("Anteckning"), required=False, rows=2, help_text=_("Krävs vid orsaken Annat."))


def error_texts(form: forms.Form) -> list[str]:
    """Each error of a small form as 'Label: message', for a flash message."""
    texts: list[str] = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        texts.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return texts
