"""Forms of the case team, its shared action plan and consultations."""

from typing import Any
from uuid import UUID

from django import forms
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Membership, Organisation
from sia.cases.models import TeamFunction
from sia.core.concurrency import VersionedForm
from sia.people.forms import DATE_WIDGET
from sia.teamwork.models import TeamTask
from sia.teamwork.services import MAX_TITLE

FUNCTION_CHOICES = [("", _("Välj funktion")), *TeamFunction.choices]
NO_PERSONAL_DATA = _(
    "Skriv inga namn, personnummer, samordningsnummer eller andra uppgifter som kan "
    "peka ut personen. Beskriv bara situationen."
)


def _label(membership: Membership) -> str:
    user = membership.user
    return f"{user.get_full_name() or user.username} – {membership.get_role_display()}"


class AddMemberForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Medarbetare"), coerce=UUID)
    function = forms.ChoiceField(label=_("Funktion i teamet"), choices=FUNCTION_CHOICES)

    def __init__(
        self, *args: Any, staff: list[tuple[Organisation, list[Membership]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        # Grouped by organisation: the picker shows one <optgroup> per organisation.
        field.choices = [
            ("", _("Välj medarbetare")),
            *[
                (organisation.name, [(str(m.user_id), _label(m)) for m in memberships])
                for organisation, memberships in staff
            ],
        ]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Uppgift"), max_length=MAX_TITLE)
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Ansvarig part"), queryset=Organisation.objects.none()
    )
    owner = forms.TypedChoiceField(
        label=_("Ansvarig person"), required=False, coerce=UUID, empty_value=None
    )
    due_on = forms.DateField(label=_("Klart senast"), required=False, widget=DATE_WIDGET)

    def __init__(
        self,
        *args: Any,
        organisations: Any,
        owners: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["owner_organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)  # noqa: S101
        organisation.queryset = organisations
        owner = self.fields["owner"]
        assert isinstance(owner, forms.TypedChoiceField)  # noqa: S101
        owner.choices = [("", _("Ingen namngiven")), *owners]


class TaskStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=TeamTask.Status.choices)
    done_on = forms.DateField(
        label=_("Klar datum"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Krävs när uppgiften är klar."),
    )


class ConsultationForm(forms.Form):
    specialist_function = forms.ChoiceField(label=_("Specialistfunktion"), choices=FUNCTION_CHOICES)
    specialist = forms.TypedChoiceField(
        label=_("Specialist (valfritt)"), required=False, coerce=UUID, empty_value=None
    )
    question = forms.CharField(
        label=_("Fråga"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(
        self,
        *args: Any,
        specialists: list[Membership],
        anonymous: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        specialist = self.fields["specialist"]
        assert isinstance(specialist, forms.TypedChoiceField)  # noqa: S101
        specialist.choices = [
            ("", _("Vem som helst med funktionen")),
            *[(str(m.user_id), _label(m)) for m in specialists],
        ]
        if anonymous:
            self.fields["question"].help_text = NO_PERSONAL_DATA


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Svar"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )
