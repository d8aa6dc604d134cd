"""Forms of group activities: a new series, a session's plan, an invitation, attendance
and the evaluation note."""

from typing import Any
from uuid import UUID

from django import forms
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Organisation, Unit, User
from sia.groups.models import (
    DEFAULT_CAPACITY,
    Attendance,
    GroupEnrolment,
    GroupSeries,
    GroupSession,
)
from sia.groups.presets import MAX_SESSIONS, preset_choices
from sia.groups.services import MAX_CAPACITY, AttendanceRow, SeriesInput, SessionInput
from sia.people.forms import DATE_WIDGET
from sia.people.models import Language

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SeriesForm(forms.Form):
    preset = forms.ChoiceField(label=_("Färdig serie"), required=False)
    title = forms.CharField(
        label=_("Namn"),
        max_length=200,
        required=False,
        help_text=_("Lämna tomt för att använda den färdiga seriens namn."),
    )
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unit = forms.TypedChoiceField(label=_("Ansvarig enhet"), coerce=UUID)
    organisations = forms.TypedMultipleChoiceField(
        label=_("Medverkande organisationer"),
        coerce=UUID,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sessions = forms.IntegerField(
        label=_("Antal tillfällen"),
        min_value=1,
        max_value=MAX_SESSIONS,
        required=False,
        help_text=_("Lämna tomt för den färdiga seriens antal."),
    )
    first_date = forms.DateField(label=_("Första tillfället"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Plats"), max_length=200)
    capacity = forms.IntegerField(
        label=_("Antal platser"), min_value=1, max_value=MAX_CAPACITY, initial=DEFAULT_CAPACITY
    )
    interpreter_languages = forms.MultipleChoiceField(
        label=_("Tolkspråk"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    info_meeting_at = forms.DateTimeField(
        label=_("Informationsmöte, tid"), required=False, widget=DATETIME_WIDGET
    )
    info_meeting_place = forms.CharField(
        label=_("Informationsmöte, plats"), max_length=200, required=False
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("preset", [("", _("– egen serie –")), *preset_choices()])
        self._choices("unit", [(str(u.pk), str(u)) for u in units])
        self._choices(
            "organisations", [(str(o.pk), o.name) for o in Organisation.objects.order_by("name")]
        )

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("preset") and not data.get("title"):
            self.add_error("title", _("Ange ett namn eller välj en färdig serie."))
        return data

    def to_input(self) -> SeriesInput:
        from sia.groups.presets import PRESETS

        data = self.cleaned_data
        preset = PRESETS.get(data["preset"])
        return SeriesInput(
            title=data["title"] or (str(preset.title) if preset else ""),
            description=data["description"] or (str(preset.description) if preset else ""),
            unit_id=data["unit"],
            first_date=data["first_date"],
            place=data["place"],
            organisation_ids=data["organisations"],
            capacity=data["capacity"],
            interpreter_languages=data["interpreter_languages"],
            info_meeting_at=data["info_meeting_at"],
            info_meeting_place=data["info_meeting_place"],
            preset=data["preset"],
            sessions=data["sessions"],
        )


class SessionForm(forms.Form):
    topic = forms.CharField(label=_("Tema"), max_length=200)
    held_on = forms.DateField(label=_("Datum"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Plats"), max_length=200)
    morning_starts = forms.TimeField(
        label=_("Förmiddag börjar"), required=False, widget=TIME_WIDGET
    )
    morning_ends = forms.TimeField(label=_("Förmiddag slutar"), required=False, widget=TIME_WIDGET)
    afternoon_starts = forms.TimeField(
        label=_("Eftermiddag börjar"), required=False, widget=TIME_WIDGET
    )
    afternoon_ends = forms.TimeField(
        label=_("Eftermiddag slutar"), required=False, widget=TIME_WIDGET
    )
    facilitators = forms.TypedMultipleChoiceField(
        label=_("Ledare"), coerce=UUID, required=False, widget=forms.CheckboxSelectMultiple
    )
    external_facilitators = forms.CharField(
        label=_("Andra ledare"),
        max_length=300,
        required=False,
        help_text=_("Ledare utan konto i SIA, med organisation, t.ex. 'Anna, SFI'."),
    )

    def __init__(self, *args: Any, users: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["facilitators"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [(str(u.pk), label) for u, label in _labelled(users)]

    def to_input(self) -> SessionInput:
        data = self.cleaned_data
        return SessionInput(
            held_on=data["held_on"],
            place=data["place"],
            topic=data["topic"],
            morning_starts=data["morning_starts"],
            morning_ends=data["morning_ends"],
            afternoon_starts=data["afternoon_starts"],
            afternoon_ends=data["afternoon_ends"],
            facilitator_ids=data["facilitators"],
            external_facilitators=data["external_facilitators"],
        )


def _labelled(users: list[User]) -> list[tuple[User, str]]:
    labelled = []
    for user in users:
        organisations = sorted({m.unit.organisation.name for m in user.memberships.all()})
        labelled.append(
            (user, f"{user.get_full_name() or user.username} ({', '.join(organisations)})")
        )
    return labelled


def session_initial(session: GroupSession) -> dict[str, Any]:
    """Start the session form from the stored session."""
    return {
        "topic": session.topic,
        "held_on": session.held_on,
        "place": session.place,
        "morning_starts": session.morning_starts,
        "morning_ends": session.morning_ends,
        "afternoon_starts": session.afternoon_starts,
        "afternoon_ends": session.afternoon_ends,
        "facilitators": [str(u.pk) for u in session.facilitators.all()],
        "external_facilitators": session.external_facilitators,
    }


class InviteForm(forms.Form):
    series = forms.TypedChoiceField(label=_("Gruppaktivitet"), coerce=UUID)
    preferred_run = forms.ChoiceField(
        label=_("Föredrar pass"),
        choices=[("", _("– inget önskemål –")), *GroupEnrolment.Run.choices],
        required=False,
    )
    interpreter_language = forms.ChoiceField(
        label=_("Behöver tolk på"),
        choices=[("", _("– ingen tolk –")), *Language.choices],
        required=False,
    )

    def __init__(self, *args: Any, series: list[GroupSeries], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["series"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [(str(s.pk), s.title) for s in series]


class EnrolmentStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (s, label)
            for s, label in GroupEnrolment.Status.choices
            if s != GroupEnrolment.Status.INVITED
        ]
    )


RUN_CHOICES = [("", _("– inget pass –")), *GroupEnrolment.Run.choices]


class AttendanceForm(forms.Form):
    """One row per accepted participant: present, which run, wants a follow-up."""

    def __init__(
        self,
        *args: Any,
        enrolments: list[GroupEnrolment],
        recorded: dict[UUID, Attendance],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        for enrolment in enrolments:
            done = recorded.get(enrolment.pk)
            name = f"{enrolment.case.person.given_name} {enrolment.case.person.family_name}"
            self.fields[f"present-{enrolment.pk}"] = forms.BooleanField(
                label=_("%(name)s närvarande") % {"name": name},
                required=False,
                initial=done.present if done else False,
            )
            self.fields[f"run-{enrolment.pk}"] = forms.ChoiceField(
                label=_("Pass för %(name)s") % {"name": name},
                choices=RUN_CHOICES,
                required=False,
                initial=done.run if done else enrolment.preferred_run,
            )
            self.fields[f"follow_up-{enrolment.pk}"] = forms.BooleanField(
                label=_("%(name)s önskar individuell uppföljning") % {"name": name},
                required=False,
                initial=done.wants_follow_up if done else False,
            )

    def rows(
        self,
    ) -> list[tuple[GroupEnrolment, forms.BoundField, forms.BoundField, forms.BoundField]]:
        """Return each participant with their three fields, for the table."""
        return [
            (e, self[f"present-{e.pk}"], self[f"run-{e.pk}"], self[f"follow_up-{e.pk}"])
            for e in self.enrolments
        ]

    def to_rows(self) -> list[AttendanceRow]:
        data = self.cleaned_data
        return [
            AttendanceRow(
                enrolment_id=e.pk,
                present=data[f"present-{e.pk}"],
                run=data[f"run-{e.pk}"],
                wants_follow_up=data[f"follow_up-{e.pk}"],
            )
            for e in self.enrolments
        ]


class EvaluationForm(forms.Form):
    note = forms.CharField(
        label=_("Utvärdering av tillfället"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("En kort anteckning: vad fungerade, vad ska ändras. Inga personuppgifter."),
    )
