"""Forms for allocating, transferring and correcting the first-contact date of a case."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.people.forms import DATE_WIDGET


class StaffChoiceField(forms.ModelChoiceField[User]):
    """Choose a member of staff by name."""

    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField[User]):
    """Choose several members of staff by name."""

    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class AllocateForm(forms.Form):
    guides = StaffMultipleChoiceField(
        label=_("Samhällsvägledare"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Normalt två samhällsvägledare."),
        error_messages={"required": _("Välj minst en samhällsvägledare.")},
    )
    social_worker = StaffChoiceField(
        label=_("Socialsekreterare, mottagning"),
        queryset=User.objects.none(),
        empty_label=None,
    )

    def __init__(
        self,
        *args: Any,
        guides: QuerySet[User],
        social_workers: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        guide_field = self.fields["guides"]
        worker_field = self.fields["social_worker"]
        assert isinstance(guide_field, forms.ModelMultipleChoiceField)  # noqa: S101
        assert isinstance(worker_field, forms.ModelChoiceField)  # noqa: S101
        guide_field.queryset = guides
        worker_field.queryset = social_workers


class TransferForm(forms.Form):
    assessment_worker = StaffChoiceField(
        label=_("Socialsekreterare, utredning"),
        queryset=User.objects.none(),
        empty_label=_("Välj socialsekreterare"),
        error_messages={"required": _("Välj socialsekreterare i utredningsgruppen.")},
    )

    def __init__(self, *args: Any, assessment_workers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assessment_worker"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = assessment_workers


class FirstContactDateForm(forms.Form):
    first_contact_date = forms.DateField(
        label=_("Nytt aktualiseringsdatum"),
        help_text=_("De öppna stegens förfallodagar räknas om från det nya datumet."),
        widget=DATE_WIDGET,
    )
