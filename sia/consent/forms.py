"""Forms to record and withdraw a consent; the rules live in the services."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Organisation, Unit
from sia.consent.models import Consent, DataKind
from sia.people.forms import DATE_WIDGET


class RecipientUnitField(forms.ModelMultipleChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.organisation.name})"


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ av samtycke"),
        choices=Consent.Kind.choices,
        initial=Consent.Kind.GENERAL,
        widget=forms.RadioSelect,
    )
    recipient_organisations = forms.ModelMultipleChoiceField(
        label=_("Organisationer som får ta del av uppgifterna"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipient_units = RecipientUnitField(
        label=_("eller bara vissa enheter"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    data_kinds = forms.MultipleChoiceField(
        label=_("Uppgifter som får lämnas ut"),
        choices=DataKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(
        label=_("Syfte"),
        help_text=_("Varför uppgifterna lämnas ut, med ord som personen förstår."),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    given_by = forms.ChoiceField(
        label=_("Lämnat av"),
        choices=Consent.GivenBy.choices,
        initial=Consent.GivenBy.PERSON,
        widget=forms.RadioSelect,
    )
    given_by_name = forms.CharField(
        label=_("Företrädarens namn"),
        help_text=_("När samtycket lämnades av en vårdnadshavare eller legal företrädare."),
        required=False,
        max_length=200,
    )
    form = forms.ChoiceField(
        label=_("Form"), choices=Consent.Form.choices, widget=forms.RadioSelect
    )
    given_on = forms.DateField(label=_("Lämnat"), widget=DATE_WIDGET)
    valid_until = forms.DateField(
        label=_("Gäller till och med"),
        help_text=_("Lämna tomt om samtycket gäller tills det återkallas."),
        required=False,
        widget=DATE_WIDGET,
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        units: QuerySet[Unit],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"given_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        organisation_field = self.fields["recipient_organisations"]
        unit_field = self.fields["recipient_units"]
        assert isinstance(organisation_field, forms.ModelMultipleChoiceField)  # noqa: S101
        assert isinstance(unit_field, forms.ModelMultipleChoiceField)  # noqa: S101
        organisation_field.queryset = organisations
        unit_field.queryset = units

    def service_args(self) -> dict[str, Any]:
        """Return the cleaned data as the keyword arguments of `record_consent`."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "given_by": data["given_by"],
            "given_by_name": data["given_by_name"],
            "recipient_organisation_ids": [o.pk for o in data["recipient_organisations"]],
            "recipient_unit_ids": [u.pk for u in data["recipient_units"]],
            "data_kinds": data["data_kinds"],
            "purpose": data["purpose"],
            "form": data["form"],
            "given_on": data["given_on"],
            "valid_until": data["valid_until"],
        }


class WithdrawalForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Återkallat"), widget=DATE_WIDGET)
    withdrawal_form = forms.ChoiceField(
        label=_("Hur samtycket återkallades"),
        choices=Consent.WithdrawalForm.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"withdrawn_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
