"""Forms of the two-factor sign-in pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One code: six digits from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Kod"),
        max_length=32,
        help_text=_("Sex siffror från appen, eller en av dina reservkoder."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class AppCodeForm(forms.Form):
    """A code from the authenticator app that is being set up."""

    code = forms.CharField(
        label=_("Kod från appen"),
        max_length=32,
        help_text=_("De sex siffror som appen visar just nu."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
