"""Forms of the assessment pages: a talk from its template, the future and health plan with
its steps, and the small forms for topics, barriers, progress and enrolments."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.assessments.kinds import HEALTH_BARRIER_KINDS, KINDS_BY_CATEGORY
from sia.assessments.models import (
    AssessmentTalk,
    Barrier,
    Enrolment,
    FuturePlan,
    ProgressStep,
)
from sia.assessments.services import MAX_STEPS, StepInput
from sia.core.concurrency import VersionedForm
from sia.people.forms import DATE_WIDGET
from sia.process.models import CatalogueItem

ANSWER_PREFIX = "svar_"
EXTRA_STEPS = 3


def _today() -> Any:
    return timezone.localdate()


class TalkForm(forms.Form):
    """A talk record: one text per question of the template, a summary and who took part."""

    held_on = forms.DateField(label=_("Samtalet hölls"), widget=DATE_WIDGET, initial=_today)
    participants = forms.CharField(
        label=_("Deltagare"),
        help_text=_("Till exempel handledare, psykolog och tolk."),
        required=False,
        max_length=2000,
    )
    summary = forms.CharField(
        label=_("Sammanfattning"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, items: Sequence[CatalogueItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[ANSWER_PREFIX + item.key] = forms.CharField(
                label=item.label,
                help_text=item.help_text,
                required=False,
                max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.item_keys = [item.key for item in items]

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[ANSWER_PREFIX + key] for key in self.item_keys]

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data[ANSWER_PREFIX + key] for key in self.item_keys}


def talk_initial(talk: AssessmentTalk | None) -> dict[str, Any]:
    """Start a correction from the current record."""
    if talk is None:
        return {}
    initial: dict[str, Any] = {
        "held_on": talk.held_on,
        "participants": talk.participants,
        "summary": talk.summary,
    }
    initial.update({ANSWER_PREFIX + key: value for key, value in talk.answers.items()})
    return initial


class FuturePlanForm(VersionedForm):
    # The version the user started from; the save is refused if another is the latest now.
    based_on = forms.UUIDField(widget=forms.HiddenInput, required=False)

    goal = forms.CharField(
        label=_("Personens mål"),
        help_text=_("Med personens egna ord."),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    health = forms.CharField(
        label=_("Hälsa och vad som behövs för att må bra"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StepForm(forms.Form):
    step = forms.CharField(label=_("Nästa steg"), max_length=300)
    why = forms.CharField(
        label=_("Varför personen valt steget"), widget=forms.Textarea(attrs={"rows": 2})
    )
    by_when = forms.DateField(label=_("När"), required=False, widget=DATE_WIDGET)


class BaseStepFormSet(forms.BaseFormSet[StepForm]):
    def step_inputs(self) -> list[StepInput]:
        """Return the filled-in rows not marked for removal, in order."""
        return [
            StepInput(
                step=form.cleaned_data["step"],
                why=form.cleaned_data["why"],
                by_when=form.cleaned_data.get("by_when"),
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


StepFormSet = forms.formset_factory(
    StepForm,
    formset=BaseStepFormSet,
    extra=EXTRA_STEPS,
    can_delete=True,
    max_num=MAX_STEPS,
    validate_max=True,
)


def future_plan_forms(
    data: Any, latest: FuturePlan | None
) -> tuple[FuturePlanForm, BaseStepFormSet]:
    """Build the plan form and its step rows, started from the latest version."""
    initial: dict[str, Any] = {"lock_version": 0}
    if latest:
        initial = {
            "goal": latest.goal,
            "health": latest.health,
            "based_on": latest.pk,
            "lock_version": latest.lock_version,
        }
    rows = (
        [{"step": s.step, "why": s.why, "by_when": s.by_when} for s in latest.steps.all()]
        if latest
        else []
    )
    steps = StepFormSet(data, initial=rows, prefix="steg")
    assert isinstance(steps, BaseStepFormSet)  # noqa: S101
    return FuturePlanForm(data, initial=initial), steps


class AgreeForm(VersionedForm):
    """Agree the draft the person was shown (its lock_version): stale if changed since."""

    agreed_on = forms.DateField(
        label=_("Personen beslutade planen"), widget=DATE_WIDGET, initial=_today
    )


class TopicForm(forms.Form):
    topic = forms.CharField(label=_("Ämne"), max_length=200)
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    remind_on = forms.DateField(label=_("Påminn mig"), widget=DATE_WIDGET)


class TopicReturnForm(VersionedForm):
    returned_on = forms.DateField(label=_("Togs upp"), widget=DATE_WIDGET, initial=_today)
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=10_000)


class BarrierForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hinder"), choices=Barrier.Kind.choices)
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    noted_on = forms.DateField(label=_("Noterat"), widget=DATE_WIDGET, initial=_today)

    def __init__(self, *args: Any, health: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not health:
            field = self.fields["kind"]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101
            field.choices = [c for c in Barrier.Kind.choices if c[0] not in HEALTH_BARRIER_KINDS]


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(label=_("Undanröjt"), widget=DATE_WIDGET, initial=_today)


def _grouped_kinds() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            str(ProgressStep.Category(category).label),
            [(kind, str(ProgressStep.Kind(kind).label)) for kind in kinds],
        )
        for category, kinds in KINDS_BY_CATEGORY.items()
    ]


class ProgressForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), choices=ProgressStep.Category.choices)
    kind = forms.ChoiceField(label=_("Vad"), choices=_grouped_kinds)
    occurred_on = forms.DateField(label=_("Datum"), widget=DATE_WIDGET, initial=_today)
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=10_000)


class EnrolForm(forms.Form):
    programme = forms.ChoiceField(label=_("Insats"), choices=Enrolment.Programme.choices)
    started_on = forms.DateField(label=_("Inskriven"), widget=DATE_WIDGET, initial=_today)
    max_months = forms.IntegerField(
        label=_("Längsta tid (månader)"), min_value=1, max_value=36, initial=6
    )


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(label=_("Utskriven"), widget=DATE_WIDGET, initial=_today)
    reason = forms.ChoiceField(
        label=_("Orsak"), choices=[("", "–"), *Enrolment.DischargeReason.choices]
    )
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=10_000)
