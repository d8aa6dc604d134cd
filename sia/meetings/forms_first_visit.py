"""Forms of the first visit and the call-in of the standby guide."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.meetings.models import DocumentRequest, GuideCall
from sia.process.models import CatalogueItem

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ANSWER_PREFIX = "svar_"


class FirstVisitForm(forms.Form):
    """The in-depth assessment: one text per question of the template, and the documents."""

    held_at = forms.DateTimeField(label=_("Nybesöket hölls"), widget=DATETIME_WIDGET)
    continuing_support_need = forms.BooleanField(label=_("Fortsatt stödbehov"), required=False)
    notes = forms.CharField(
        label=_("Anteckningar"), required=False, max_length=10_000, widget=forms.Textarea
    )
    received_documents = forms.TypedMultipleChoiceField(
        label=_("Handlingar som lämnats in i dag"),
        required=False,
        coerce=UUID,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        items: Sequence[CatalogueItem],
        documents: Sequence[DocumentRequest],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("held_at", timezone.localtime())
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[ANSWER_PREFIX + item.key] = forms.CharField(
                label=item.label,
                help_text=item.help_text,
                required=False,
                max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        field = self.fields["received_documents"]
        assert isinstance(field, forms.TypedMultipleChoiceField)  # noqa: S101
        field.choices = [
            (str(row.item_id), row.item.label)
            for row in documents
            if row.status == DocumentRequest.Status.REQUESTED
        ]
        self.item_keys = [item.key for item in items]

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[ANSWER_PREFIX + key] for key in self.item_keys]

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data[ANSWER_PREFIX + key] for key in self.item_keys}


class GuideCallForm(forms.Form):
    """Call the standby guide into the room, with a short message such as the room."""

    message = forms.CharField(
        label=_("Meddelande till samhällsvägledaren"),
        help_text=_("Till exempel rummet: Rum 3, plan 2."),
        required=False,
        max_length=200,
    )
    guide = forms.ModelChoiceField(
        label=_("Samhällsvägledare"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Den som är i beredskap"),
    )

    def __init__(self, *args: Any, guides: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["guide"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = guides


class GuideCallAnswerForm(forms.Form):
    """The called guide's answer."""

    answer = forms.ChoiceField(label=_("Svar"), choices=GuideCall.Answer.choices)
    next = forms.CharField(required=False, max_length=2000)
