"""Forms of meetings across organisations; the rules themselves live in the services."""

from typing import Any
from uuid import UUID

from django import forms
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import CASEWORK_ROLES, Organisation, User
from sia.cases.models import Case, CaseTeamMember
from sia.collaboration.models import InterpreterBooking, LifeArea, Meeting, MeetingParty
from sia.collaboration.services import MeetingInput, PartyMinutes
from sia.consent.models import Consent
from sia.core.concurrency import VersionedForm
from sia.core.text import MAX_TEXT
from sia.people.forms import DATE_WIDGET
from sia.people.models import Language

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
WISH_CHOICES = [
    ("", _("Inte tillfrågad än")),
    ("yes", _("Ja, personen vill ha en SIP")),
    ("no", _("Nej, personen vill inte ha en SIP")),
]
CASE_KINDS = [(value, label) for value, label in Meeting.Kind.choices if value != "case_review"]


def _wish(value: bool | None) -> str:
    if value is None:
        return ""
    return "yes" if value else "no"


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ av möte"), choices=CASE_KINDS)
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    purpose = forms.CharField(
        label=_("Syfte"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Syftet står i kallelsen."),
    )
    person_wants_sip = forms.ChoiceField(
        label=_("Har personen tillfrågats om en SIP?"),
        choices=WISH_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Gäller SIP och SamSIP: personen ska vilja ha en SIP innan något annat görs."),
    )
    life_areas = forms.MultipleChoiceField(
        label=_("Livsområden"),
        choices=LifeArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("En SIP tar upp högst tre livsområden."),
    )
    starts_at = forms.DateTimeField(label=_("Datum och tid"), widget=DATETIME_WIDGET)
    minutes = forms.IntegerField(label=_("Längd (minuter)"), min_value=5, max_value=480, initial=90)
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    mode = forms.ChoiceField(label=_("Form"), choices=Meeting.Mode.choices)
    agenda = forms.CharField(
        label=_("Dagordning"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    preparations = forms.CharField(
        label=_("Underlag att samla in och ta med"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, review: bool = False, with_kind: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if review or not with_kind:
            del self.fields["kind"]
        if review:
            del self.fields["person_wants_sip"]
            del self.fields["life_areas"]

    def to_input(self) -> MeetingInput:
        data = self.cleaned_data
        wish = data.get("person_wants_sip", "")
        return MeetingInput(
            title=data["title"],
            starts_at=data["starts_at"],
            purpose=data.get("purpose", ""),
            minutes=data["minutes"],
            place=data.get("place", ""),
            mode=data["mode"],
            agenda=data.get("agenda", ""),
            preparations=data.get("preparations", ""),
            life_areas=list(data.get("life_areas") or []),
            person_wants_sip={"yes": True, "no": False}.get(wish) if wish else None,
        )


def meeting_initial(meeting: Meeting) -> dict[str, Any]:
    """Start the change form from the meeting."""
    return {
        "kind": meeting.kind,
        "title": meeting.title,
        "purpose": meeting.purpose,
        "person_wants_sip": _wish(meeting.person_wants_sip),
        "life_areas": meeting.life_areas,
        "starts_at": timezone.localtime(meeting.starts_at),
        "minutes": meeting.minutes,
        "place": meeting.place,
        "mode": meeting.mode,
        "agenda": meeting.agenda,
        "preparations": meeting.preparations,
    }


def staff_choices() -> list[tuple[str, str]]:
    """List the active staff with a casework role, with their organisation."""
    users = (
        User.objects.filter(is_active=True, memberships__role__in=CASEWORK_ROLES)
        .prefetch_related("memberships__unit__organisation")
        .distinct()
        .order_by("first_name", "last_name")
    )
    rows = [("", "–")]
    for user in users:
        organisation = next(iter(user.memberships.all())).unit.organisation.name
        rows.append((str(user.pk), f"{user.get_full_name() or user.username} ({organisation})"))
    return rows


class PartyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ av part"), choices=MeetingParty.Kind.choices, widget=forms.RadioSelect
    )
    user = forms.TypedChoiceField(
        label=_("Medarbetare"), required=False, coerce=UUID, empty_value=None
    )
    name = forms.CharField(label=_("Namn (annan part)"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation (annan part)"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    function = forms.CharField(label=_("Funktion"), max_length=200, required=False)
    invitation_language = forms.ChoiceField(
        label=_("Kallelsens språk"),
        choices=[("", _("Svenska")), *Language.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = staff_choices()


class ConsentChoiceField(forms.ModelChoiceField[Consent]):
    def label_from_instance(self, obj: Consent) -> str:
        names = ", ".join(org.name for org in obj.recipient_organisations.all())
        return f"{obj.get_kind_display()} {obj.given_on:%Y-%m-%d} ({names or '–'})"


class ConsentForm(forms.Form):
    consent = ConsentChoiceField(label=_("Samtycke"), queryset=Consent.objects.none())

    def __init__(self, *args: Any, consents: QuerySet[Consent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["consent"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = consents


class InterpreterConfirmForm(forms.Form):
    interpreter_reference = forms.CharField(
        label=_("Tolkens namn eller nummer hos tolkförmedlingen"), max_length=200
    )


class InterpreterForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Tolkspråk"),
        choices=[("", _("Personens tolkspråk")), *Language.choices],
        required=False,
    )
    mode = forms.ChoiceField(
        label=_("Typ av tolk"), choices=InterpreterBooking.Mode.choices, widget=forms.RadioSelect
    )
    same_interpreter_preferred = forms.BooleanField(
        label=_("Samma tolk som tidigare önskas"), required=False, initial=True
    )
    interpreter_reference = forms.CharField(
        label=_("Tolkens namn eller nummer hos tolkförmedlingen"), max_length=200, required=False
    )
    briefing_notes = forms.CharField(
        label=_("Introduktion till tolken"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Begrepp och upplägg som tolken behöver känna till före mötet."),
    )


ATTENDED_CHOICES = [("", _("Ej angivet")), ("yes", _("Närvarade")), ("no", _("Närvarade inte"))]


class MinutesForm(forms.Form):
    held_on = forms.DateField(label=_("Mötet hölls"), widget=DATE_WIDGET)
    note_taker = forms.TypedChoiceField(
        label=_("Antecknare"), required=False, coerce=UUID, empty_value=None
    )
    notes = forms.CharField(
        label=_("Minnesanteckningar"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    overall_responsible = forms.TypedChoiceField(
        label=_("Övergripande ansvar"), required=False, coerce=UUID, empty_value=None
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = list(meeting.parties.all())
        self.party_rows: list[tuple[MeetingParty, list[str]]] = []
        takers = [("", "–")] + [(str(p.user_id), p.name) for p in self.parties if p.user_id]
        self._set_choices("note_taker", takers)
        parties = [("", "–")] + [(str(p.pk), p.name) for p in self.parties]
        self._set_choices("overall_responsible", parties)
        for party in self.parties:
            names = [f"attended_{party.pk}", f"statement_{party.pk}", f"responsibility_{party.pk}"]
            self.fields[names[0]] = forms.ChoiceField(
                label=_("Närvaro"), choices=ATTENDED_CHOICES, required=False
            )
            self.fields[names[1]] = forms.CharField(
                label=_("Vad parten sa"),
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[names[2]] = forms.CharField(
                label=_("Ansvarar för"),
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.party_rows.append((party, names))

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = choices

    def main_fields(self) -> list[BoundField]:
        """Return the fields about the whole meeting, for the template."""
        return [self[name] for name in ("held_on", "note_taker", "notes", "overall_responsible")]

    def party_fieldsets(self) -> list[tuple[MeetingParty, list[BoundField]]]:
        """Return each party with its own fields, for one fieldset per party."""
        return [(party, [self[name] for name in names]) for party, names in self.party_rows]

    def party_minutes(self) -> list[PartyMinutes]:
        data = self.cleaned_data
        return [
            PartyMinutes(
                party_id=party.pk,
                attended={"yes": True, "no": False}.get(data.get(names[0]) or ""),
                statement=data.get(names[1], ""),
                responsibility=data.get(names[2], ""),
            )
            for party, names in self.party_rows
        ]


def minutes_initial(meeting: Meeting) -> dict[str, Any]:
    """Start the minutes form from what is already written."""
    initial: dict[str, Any] = {
        "held_on": meeting.held_on or timezone.localdate(),
        "note_taker": str(meeting.note_taker_id or ""),
        "notes": meeting.notes,
        "overall_responsible": str(meeting.overall_responsible_id or ""),
    }
    for party in meeting.parties.all():
        initial[f"attended_{party.pk}"] = _wish(party.attended)
        initial[f"statement_{party.pk}"] = party.statement
        initial[f"responsibility_{party.pk}"] = party.responsibility
    return initial


class FollowUpForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Tid för uppföljningen"), widget=DATETIME_WIDGET, required=False
    )
    convened_by = forms.TypedChoiceField(
        label=_("Sammankallas av"), required=False, coerce=UUID, empty_value=None
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["convened_by"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = [("", _("Jag själv"))] + [
            (str(p.pk), p.name) for p in meeting.parties.all() if p.kind == MeetingParty.Kind.STAFF
        ]


class CopyForm(forms.Form):
    sent_on = forms.DateField(label=_("Kopia lämnad"), widget=DATE_WIDGET)
    method = forms.ChoiceField(label=_("Hur"), choices=MeetingParty.CopyMethod.choices)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Orsak"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class AgendaItemForm(forms.Form):
    topic = forms.CharField(label=_("Punkt"), max_length=300)
    case = forms.TypedChoiceField(label=_("Ärende"), required=False, coerce=UUID, empty_value=None)

    def __init__(self, *args: Any, cases: QuerySet[Case] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cases is None:
            del self.fields["case"]
            return
        field = self.fields["case"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = [("", "–")] + [(str(c.pk), c.reference) for c in cases]


class DecisionForm(VersionedForm):
    decision = forms.CharField(
        label=_("Beslut"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


def team_member_choices(case: Case | None) -> list[tuple[str, str]]:
    """List the active members of the case's team, with their organisation."""
    rows = [("", "–")]
    if case is None:
        return rows
    members = (
        CaseTeamMember.objects.filter(case=case, left_at__isnull=True, user__is_active=True)
        .select_related("user", "unit__organisation")
        .order_by("user__first_name", "user__last_name")
    )
    for member in members:
        name = member.user.get_full_name() or member.user.get_username()
        rows.append((str(member.user_id), f"{name} ({member.unit.organisation.name})"))
    return rows


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Uppgift"), max_length=300)
    owner_organisation = forms.ModelChoiceField(
        label=_("Ansvarig organisation"), queryset=Organisation.objects.order_by("name")
    )
    owner = forms.TypedChoiceField(
        label=_("Ansvarig person"), required=False, coerce=UUID, empty_value=None
    )
    due_on = forms.DateField(label=_("Klart senast"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        """`case`: the case of the agenda point; its active team are the possible owners
        (the service checks that the owner works in the owner organisation)."""
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = team_member_choices(case)
