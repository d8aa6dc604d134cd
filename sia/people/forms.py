"""Forms for searching, registering and changing newcomers."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Unit
from sia.people.models import (
    ArrivalCategory,
    Gender,
    HouseholdLink,
    Language,
    Person,
    PersonIdentifier,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    identifier = forms.CharField(
        label=_("Personnummer, samordningsnummer eller dossiernummer"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    family_name = forms.CharField(label=_("Efternamn"), required=False, max_length=100)
    date_of_birth = forms.DateField(label=_("Födelsedatum"), required=False, widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by_identifier = bool(data.get("identifier"))
        by_name = bool(data.get("family_name")) and bool(data.get("date_of_birth"))
        if not by_identifier and not by_name:
            raise forms.ValidationError(
                _("Sök på identitetsnummer, eller på efternamn och födelsedatum.")
            )
        return data


class PersonFieldsForm(forms.Form):
    """The fields a person has, shared by registration and change."""

    given_name = forms.CharField(label=_("Förnamn"), max_length=100)
    family_name = forms.CharField(label=_("Efternamn"), max_length=100)
    date_of_birth = forms.DateField(label=_("Födelsedatum"), widget=DATE_WIDGET)
    gender = forms.ChoiceField(label=_("Kön"), choices=Gender.choices)
    arrival_category = forms.ChoiceField(
        label=_("Mottagningskategori"),
        choices=[("", _("Ej angiven")), *ArrivalCategory.choices],
        required=False,
    )
    residence_permit_date = forms.DateField(
        label=_("Uppehållstillstånd beviljat"), required=False, widget=DATE_WIDGET
    )
    reception_date = forms.DateField(
        label=_("Mottagen i kommunen"), required=False, widget=DATE_WIDGET
    )
    preferred_languages = forms.MultipleChoiceField(
        label=_("Språk"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpreter_needed = forms.BooleanField(label=_("Behöver tolk"), required=False)
    interpreter_language = forms.ChoiceField(
        label=_("Tolkspråk"), choices=[("", _("Inget")), *Language.choices], required=False
    )
    protected_identity = forms.BooleanField(
        label=_("Skyddade personuppgifter"),
        required=False,
        help_text=_("Adress och kontaktuppgifter döljs för alla utan särskild behörighet."),
    )
    street_address = forms.CharField(label=_("Gatuadress"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postnummer"), max_length=10, required=False)
    city = forms.CharField(label=_("Ort"), max_length=100, required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-post"), max_length=254, required=False)


class RegisterPersonForm(PersonFieldsForm):
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none(), empty_label=None)
    identifier_kind = forms.ChoiceField(
        label=_("Typ av identitetsnummer"),
        choices=[("", _("Inget ännu")), *PersonIdentifier.Kind.choices],
        required=False,
    )
    identifier_value = forms.CharField(
        label=_("Identitetsnummer"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    confirmed_not_duplicate = forms.BooleanField(
        label=_("Jag har kontrollerat att personen inte redan är registrerad"), required=False
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Unit.objects.filter(pk__in=[unit.pk for unit in units])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("identifier_kind")) != bool(data.get("identifier_value")):
            raise forms.ValidationError(_("Ange både typ och nummer, eller inget av dem."))
        return data


class HouseholdLinkForm(forms.Form):
    relation = forms.ChoiceField(
        label=_("Anhörigen är personens"), choices=HouseholdLink.Relation.choices
    )
    relative_identifier = forms.CharField(
        label=_("Anhörigens personnummer, samordningsnummer eller dossiernummer"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def person_initial(person: Person) -> dict[str, Any]:
    """Fill the change form from a person."""
    return {name: getattr(person, name) for name in PersonFieldsForm.base_fields}
