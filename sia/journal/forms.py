"""Forms of the journal: a note, a correction and the person's objection."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.core.text import MAX_TEXT
from sia.journal.models import JournalEntry, Objection

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntryForm(forms.Form):
    """A journal note: when it happened, what kind, and the text."""

    occurred_at = forms.DateTimeField(
        label=_("Händelsetid"),
        help_text=_("När det som antecknas hände."),
        widget=DATETIME_WIDGET,
    )
    kind = forms.ChoiceField(label=_("Typ"), choices=JournalEntry.Kind.choices)
    text = forms.CharField(
        label=_("Anteckning"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)


class CorrectionForm(EntryForm):
    """A correction: the note as it should read, and why it is corrected."""

    reason = forms.CharField(
        label=_("Skäl till rättelsen"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @classmethod
    def of(cls, entry: JournalEntry, data: Any = None) -> "CorrectionForm":
        """The form to correct the note, filled in with the note as it reads now."""
        return cls(
            data,
            initial={
                "occurred_at": timezone.localtime(entry.occurred_at),
                "kind": entry.kind,
                "text": entry.text,
            },
            auto_id="correction-%s",
        )


class ObjectionForm(forms.Form):
    """The person's objection: their own words, how and when it was received."""

    text = forms.CharField(
        label=_("Personens egna ord"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    received_as = forms.ChoiceField(
        label=_("Lämnades"),
        choices=Objection.ReceivedAs.choices,
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(label=_("Mottogs"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        kwargs.setdefault("auto_id", "objection-%s")
        super().__init__(*args, **kwargs)
