"""Forms of the alignment, requested documents, referrals and guidance meeting pages."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Unit, User
from sia.meetings.models import DocumentRequest, MeetingMode, Referral
from sia.people.forms import DATE_WIDGET
from sia.people.models import Language
from sia.process.models import CatalogueItem

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NOTES_WIDGET = forms.Textarea(attrs={"rows": 4})


class ItemChoiceField(forms.ModelMultipleChoiceField[CatalogueItem]):
    def label_from_instance(self, obj: CatalogueItem) -> str:
        return str(obj.label)


class GuideChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return str(obj.name)


def _set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
    field.queryset = queryset


class AlignmentForm(forms.Form):
    held_on = forms.DateField(label=_("Avstämningen hölls"), widget=DATE_WIDGET)
    documents = ItemChoiceField(
        label=_("Handlingar att begära"),
        queryset=CatalogueItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    info_for_guide = forms.CharField(
        label=_("Det här vill socialsekreteraren att samhällsvägledaren tar upp med personen"),
        required=False,
        widget=NOTES_WIDGET,
    )
    first_visit_at = forms.DateTimeField(
        label=_("Överenskommen tid för nybesök"), required=False, widget=DATETIME_WIDGET
    )
    first_visit_minutes = forms.IntegerField(
        label=_("Nybesökets längd (minuter)"), min_value=15, max_value=480, initial=60
    )
    standby_guide = GuideChoiceField(
        label=_("Samhällsvägledare i beredskap under nybesöket"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Ingen vald"),
    )
    notes = forms.CharField(label=_("Anteckningar"), required=False, widget=NOTES_WIDGET)

    def __init__(
        self,
        *args: Any,
        items: QuerySet[CatalogueItem],
        guides: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate(), "first_visit_minutes": 60})
        super().__init__(*args, **kwargs)
        _set_queryset(self, "documents", items)
        _set_queryset(self, "standby_guide", guides)


class NeedForm(forms.Form):
    """A need for help at another unit: choose the unit or write its name."""

    to_unit = UnitChoiceField(
        label=_("Enhet i kommunen"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Ingen vald"),
    )
    to_unit_name = forms.CharField(label=_("Eller enhetens namn"), max_length=200, required=False)
    need = forms.CharField(
        label=_("Behov"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "to_unit", units)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_unit = bool(data.get("to_unit")) or bool(data.get("to_unit_name", "").strip())
        has_need = bool(data.get("need", "").strip())
        if has_unit and not has_need:
            self.add_error("need", _("Beskriv behovet av hjälp."))
        if has_need and not has_unit:
            self.add_error("to_unit", _("Välj en enhet eller skriv enhetens namn."))
        if data.get("to_unit") and data.get("to_unit_name", "").strip():
            self.add_error(
                "to_unit_name", _("Välj en enhet i listan eller skriv ett namn, inte båda.")
            )
        return data

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("to_unit") or data.get("to_unit_name") or data.get("need"))


NeedFormSet = forms.formset_factory(NeedForm, extra=3, max_num=10)


class DocumentStatusForm(forms.Form):
    """One status field per item on the list, and the day the changes happened."""

    on = forms.DateField(label=_("Datum"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, rows: list[DocumentRequest], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[self.field_name(row)] = forms.ChoiceField(
                label=row.item.label,
                choices=DocumentRequest.Status.choices,
                initial=row.status,
            )
            # The version of the row the user loaded: a change over someone else's is refused.
            self.fields[self.version_name(row)] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=0, initial=row.lock_version
            )

    @staticmethod
    def field_name(row: DocumentRequest) -> str:
        return f"status_{row.item_id}"

    @staticmethod
    def version_name(row: DocumentRequest) -> str:
        return f"version_{row.item_id}"

    def versions(self) -> dict[Any, int]:
        return {row.item_id: self.cleaned_data[self.version_name(row)] for row in self.rows}

    def status_fields(self) -> list[tuple[DocumentRequest, forms.BoundField]]:
        return [(row, self[self.field_name(row)]) for row in self.rows]

    def changes(self) -> dict[Any, str]:
        return {row.item_id: self.cleaned_data[self.field_name(row)] for row in self.rows}


class AddDocumentForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("Handling"), queryset=CatalogueItem.objects.none(), empty_label=None
    )
    on = forms.DateField(label=_("Begärd"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, items: QuerySet[CatalogueItem], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        _set_queryset(self, "item", items)


class ReferralStatusForm(forms.Form):
    referral = forms.UUIDField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Ny status"), choices=Referral.Status.choices)
    on = forms.DateField(label=_("Datum"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class NewReferralForm(NeedForm):
    on = forms.DateField(label=_("Datum"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, units=units, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and self.is_blank:
            self.add_error("need", _("Beskriv behovet av hjälp."))
        return data


class GuidanceBookingForm(forms.Form):
    guide = GuideChoiceField(
        label=_("Samhällsvägledare"), queryset=User.objects.none(), empty_label=None
    )
    starts_at = forms.DateTimeField(label=_("Datum och tid"), widget=DATETIME_WIDGET)
    duration_minutes = forms.IntegerField(
        label=_("Längd (minuter)"), min_value=15, max_value=480, initial=60
    )
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    mode = forms.ChoiceField(label=_("Form"), choices=MeetingMode.choices, widget=forms.RadioSelect)
    interpreter_needed = forms.BooleanField(label=_("Tolk behövs"), required=False)
    interpreter_language = forms.ChoiceField(
        label=_("Tolkspråk"), choices=[("", _("Inget")), *Language.choices], required=False
    )

    def __init__(self, *args: Any, guides: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "guide", guides)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("interpreter_needed") and not data.get("interpreter_language"):
            self.add_error("interpreter_language", _("Ange vilket språk tolken ska tala."))
        return data


class GuidanceRecordForm(forms.Form):
    covered_topics = forms.MultipleChoiceField(
        label=_("Genomgångna informationspunkter"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Anteckningar"), required=False, widget=NOTES_WIDGET)

    def __init__(self, *args: Any, topics: list[CatalogueItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["covered_topics"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101
        field.choices = [(item.key, item.label) for item in topics]
