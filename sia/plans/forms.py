"""Forms of the SIA plan: the proposal with its activities, and an activity's status."""

from typing import Any
from uuid import UUID

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.core.concurrency import VersionedForm, shown_value
from sia.people.forms import DATE_WIDGET
from sia.plans.models import PlanActivity, SiaPlan
from sia.plans.services import MAX_ACTIVITIES, ActivityInput
from sia.process.models import CatalogueItem

EXTRA_ROWS = 3


class PlanForm(VersionedForm):
    # The version the user started from; the save is refused if another is the latest now.
    based_on = forms.UUIDField(widget=forms.HiddenInput, required=False)
    assessment = forms.CharField(
        label=_("Kartläggning, sammanfattning"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    guidance_needs = forms.CharField(
        label=_("Behov av samhällsvägledning framöver"),
        help_text=_("Till exempel förstärkt bostadsvägledning."),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanAgreeForm(VersionedForm):
    """Agree the proposal the newcomer was shown (its lock_version): stale if changed since."""


class ActivityForm(forms.Form):
    # Plain choices built once for all rows, so the rows do not query the database each.
    catalogue_item = forms.TypedChoiceField(
        label=_("Aktivitet ur listan"), required=False, coerce=UUID, empty_value=None
    )
    title = forms.CharField(label=_("eller egen aktivitet"), required=False, max_length=200)
    responsible = forms.CharField(
        label=_("Ansvarig person eller organisation"), required=False, max_length=200
    )
    responsible_user = forms.TypedChoiceField(
        label=_("eller ansvarig i ärendeteamet"), required=False, coerce=UUID, empty_value=None
    )
    start_date = forms.DateField(label=_("Start"), required=False, widget=DATE_WIDGET)
    target_date = forms.DateField(label=_("Måldatum"), required=False, widget=DATE_WIDGET)
    status = forms.ChoiceField(
        label=_("Status"), choices=PlanActivity.Status.choices, initial=PlanActivity.Status.PLANNED
    )

    def __init__(
        self,
        *args: Any,
        items: list[tuple[str, str]],
        users: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("catalogue_item", items), ("responsible_user", users)):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
            field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("catalogue_item")) == bool(data.get("title")):
            raise forms.ValidationError(
                _("Välj en aktivitet ur listan eller skriv en egen, inte båda.")
            )
        if data.get("responsible") and data.get("responsible_user"):
            raise forms.ValidationError(
                _("Ange en ansvarig person eller organisation, eller en medarbetare, inte båda.")
            )
        start, target = data.get("start_date"), data.get("target_date")
        if start and target and target < start:
            self.add_error("target_date", _("Måldatum kan inte ligga före startdatum."))
        return data

    def to_input(self) -> ActivityInput:
        data = self.cleaned_data
        return ActivityInput(
            catalogue_item_id=data.get("catalogue_item"),
            title=data.get("title", ""),
            responsible=data.get("responsible", ""),
            responsible_user_id=data.get("responsible_user"),
            start_date=data.get("start_date"),
            target_date=data.get("target_date"),
            status=data.get("status", PlanActivity.Status.PLANNED),
        )


class BaseActivityFormSet(forms.BaseFormSet[ActivityForm]):
    def activity_inputs(self) -> list[ActivityInput]:
        """Return the rows that are filled in and not marked for removal, in order."""
        return [
            form.to_input()
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def activity_lines(self) -> str:
        """Name the rows that are kept, one a line, as the conflict page compares them."""
        lines = []
        for form in self.forms:
            data = form.cleaned_data
            if data and not data.get("DELETE"):
                item = shown_value(form.fields["catalogue_item"], data.get("catalogue_item"))
                status = shown_value(form.fields["status"], data.get("status"))
                lines.append(f"{data.get('title') or item} ({status})")
        return "\n".join(lines)


ActivityFormSet = forms.formset_factory(
    ActivityForm,
    formset=BaseActivityFormSet,
    extra=EXTRA_ROWS,
    can_delete=True,
    max_num=MAX_ACTIVITIES,
    validate_max=True,
)


def activity_formset(
    data: Any,
    *,
    initial: list[dict[str, Any]],
    items: QuerySet[CatalogueItem],
    users: QuerySet[User],
) -> BaseActivityFormSet:
    """Build the activity rows of the proposal form."""
    kwargs = {
        "items": [("", _("– egen aktivitet –")), *((str(i.pk), i.label) for i in items)],
        "users": [("", "–"), *((str(u.pk), u.get_full_name() or u.username) for u in users)],
    }
    formset = ActivityFormSet(data, initial=initial, form_kwargs=kwargs)
    assert isinstance(formset, BaseActivityFormSet)  # noqa: S101
    return formset


def plan_initial(
    plan: SiaPlan | None, assessment: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Start the form from a plan version (its activities copied), or from the first visit."""
    if plan is None:
        return {"assessment": assessment, "guidance_needs": "", "lock_version": 0}, []
    rows = [
        {
            "catalogue_item": str(activity.catalogue_item_id or ""),
            "title": activity.title,
            "responsible": activity.responsible,
            "responsible_user": str(activity.responsible_user_id or ""),
            "start_date": activity.start_date,
            "target_date": activity.target_date,
            "status": activity.status,
        }
        for activity in plan.activities.all()
    ]
    initial = {
        "assessment": plan.assessment,
        "guidance_needs": plan.guidance_needs,
        "based_on": plan.pk,
        "lock_version": plan.lock_version,
    }
    return initial, rows


class ActivityStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=PlanActivity.Status.choices)
