"""The rules and checklist of each kind of meeting, as data and pure functions.

SIP and SamSIP follow the seed's checklist in full. Network and joint planning meetings
use the same steps with fewer formal requirements. A case review has no single case: it
has agenda items, each about one case, and decisions that become tasks.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.utils.translation import gettext as _

from sia.collaboration.models import (
    AgendaItem,
    InterpreterBooking,
    LifeArea,
    Meeting,
    MeetingParty,
)
from sia.consent.models import Consent

MAX_SIP_LIFE_AREAS = 3


@dataclass(frozen=True)
class KindRules:
    """What one kind of meeting requires."""

    has_case: bool
    asks_for_sip_wish: bool
    max_life_areas: int | None
    consent_kind: str | None  # None: a consent of any kind will do
    consent_always_required: bool
    sign_off_required: bool
    has_case_agenda: bool


# A SIP and a SamSIP follow the same checklist; so do network and joint planning meetings.
_SIP = KindRules(
    has_case=True,
    asks_for_sip_wish=True,
    max_life_areas=MAX_SIP_LIFE_AREAS,
    consent_kind=Consent.Kind.SIP,
    consent_always_required=True,
    sign_off_required=True,
    has_case_agenda=False,
)
_PLANNING = KindRules(
    has_case=True,
    asks_for_sip_wish=False,
    max_life_areas=None,
    consent_kind=None,
    consent_always_required=False,
    sign_off_required=False,
    has_case_agenda=False,
)

RULES: dict[str, KindRules] = {
    Meeting.Kind.SIP: _SIP,
    Meeting.Kind.SAMSIP: _SIP,
    Meeting.Kind.NETWORK: _PLANNING,
    Meeting.Kind.JOINT_PLANNING: _PLANNING,
    Meeting.Kind.CASE_REVIEW: KindRules(
        has_case=False,
        asks_for_sip_wish=False,
        max_life_areas=None,
        consent_kind=None,
        consent_always_required=False,
        sign_off_required=False,
        has_case_agenda=True,
    ),
}


def rules_for(kind: str) -> KindRules:
    """Return the rules of a kind of meeting."""
    return RULES[kind]


@dataclass(frozen=True)
class ChecklistItem:
    """One step of a meeting's checklist and whether it is done."""

    key: str
    label: str
    done: bool
    required: bool


def life_area_problem(kind: str, areas: Iterable[str]) -> str | None:
    """Say what is wrong with the chosen life areas, or None."""
    areas = list(areas)
    if any(area not in LifeArea.values for area in areas):
        return _("Okänt livsområde.")
    if len(set(areas)) != len(areas):
        return _("Samma livsområde är valt två gånger.")
    limit = rules_for(kind).max_life_areas
    if limit is not None and len(areas) > limit:
        return _(
            "En SIP tar upp högst tre livsområden. Fler livsområden delas upp på "
            "ytterligare eller uppföljande möten."
        )
    return None


def life_area_labels(meeting: Meeting) -> list[str]:
    """Name the meeting's life areas in the current language."""
    labels = dict(LifeArea.choices)
    return [str(labels.get(area, area)) for area in meeting.life_areas]


def consent_organisation_ids(consent: Consent) -> set[UUID]:
    """Return the organisations a consent names, directly or through one of their units."""
    named = {org.pk for org in consent.recipient_organisations.all()}
    named |= {unit.organisation_id for unit in consent.recipient_units.all()}
    return named


def other_organisation_ids(meeting: Meeting, parties: Iterable[MeetingParty]) -> set[UUID]:
    """Return the organisations of the parties other than the one owning the case.

    The consent must name every other organisation, the organiser's too when a partner
    organisation convenes the meeting (a case review has no case: its organiser's own)."""
    if meeting.case is not None:
        own = meeting.case.owning_unit.organisation_id
    else:
        own = meeting.unit.organisation_id
    return {
        party.organisation_id
        for party in parties
        if party.kind != MeetingParty.Kind.PERSON
        and party.organisation_id is not None
        and party.organisation_id != own
    }


def consent_problem(
    meeting: Meeting,
    consent: Consent | None,
    parties: Iterable[MeetingParty],
    day: dt.date,
) -> str | None:
    """Say why the linked consent does not allow inviting the parties, or None."""
    rules = rules_for(meeting.kind)
    if not rules.has_case:
        # A case review shares each case only with those who may see it (see selectors).
        return None
    others = other_organisation_ids(meeting, parties)
    if consent is None:
        if rules.consent_always_required:
            return _("Koppla ett giltigt samtycke till SIP innan kallelserna skickas.")
        if others:
            return _("Koppla ett giltigt samtycke innan parter från andra organisationer kallas.")
        return None
    if rules.consent_kind is not None and consent.kind != rules.consent_kind:
        return _("Samtycket är inte ett samtycke till SIP.")
    if not consent.is_valid_on(day):
        return _("Samtycket gäller inte i dag.")
    if meeting.case is not None and consent.person_id != meeting.case.person_id:
        return _("Samtycket gäller en annan person.")
    missing = others - consent_organisation_ids(consent)
    if missing:
        return _("Samtycket omfattar inte alla organisationer som ska kallas.")
    return None


def invitation_problems(meeting: Meeting, parties: list[MeetingParty], day: dt.date) -> list[str]:
    """List why the invitations may not go out yet; empty when they may."""
    rules = rules_for(meeting.kind)
    problems: list[str] = []
    if rules.asks_for_sip_wish and meeting.person_wants_sip is not True:
        problems.append(_("Personen ska först ha tillfrågats och vilja ha en SIP."))
    if rules.max_life_areas is not None and not meeting.life_areas:
        problems.append(_("Välj minst ett livsområde."))
    if rules.has_case and not any(p.kind == MeetingParty.Kind.PERSON for p in parties):
        problems.append(_("Lägg till personen själv som part."))
    if len(parties) < 2 and rules.has_case:
        problems.append(_("Lägg till de parter som ska kallas."))
    problem = consent_problem(meeting, meeting.consent, parties, day)
    if problem:
        problems.append(problem)
    return problems


def _booked(meeting: Meeting) -> bool:
    booking: InterpreterBooking | None = getattr(meeting, "interpreter_booking", None)
    return booking is not None and booking.status != InterpreterBooking.Status.CANCELLED


def _interpreter_needed(meeting: Meeting) -> bool:
    return meeting.case is not None and meeting.case.person.interpreter_needed


def _all(parties: list[MeetingParty], attribute: str) -> bool:
    return bool(parties) and all(getattr(party, attribute) for party in parties)


def _minutes_done(meeting: Meeting, parties: list[MeetingParty]) -> bool:
    if meeting.held_on is None:
        return False
    present = [p for p in parties if p.attended and p.kind != MeetingParty.Kind.PERSON]
    statements = all(p.statement.strip() for p in present)
    return statements and meeting.overall_responsible_id is not None


def checklist(
    meeting: Meeting,
    *,
    day: dt.date,
    follow_up_not_needed: bool = False,
    agenda_items: list[AgendaItem] | None = None,
) -> list[ChecklistItem]:
    """Return the meeting's checklist, in the order of the work, with what is done.

    `agenda_items` are the points the reader may see (default: all of them)."""
    rules = rules_for(meeting.kind)
    parties = list(meeting.parties.all())
    if agenda_items is None:
        agenda_items = list(meeting.agenda_items.all())
    items: list[ChecklistItem] = []
    if rules.asks_for_sip_wish:
        items.append(
            ChecklistItem(
                "sip_wish",
                _("Personen är tillfrågad och vill ha en SIP"),
                meeting.person_wants_sip is True,
                True,
            )
        )
    if rules.max_life_areas is not None:
        count = len(meeting.life_areas)
        items.append(
            ChecklistItem(
                "life_areas",
                _("Livsområden valda (högst tre)"),
                0 < count <= rules.max_life_areas,
                True,
            )
        )
    if rules.has_case:
        consent_ok = meeting.consent is not None and not consent_problem(
            meeting, meeting.consent, parties, day
        )
        needs_consent = rules.consent_always_required or bool(
            other_organisation_ids(meeting, parties)
        )
        items.append(
            ChecklistItem("consent", _("Samtycke kopplat och giltigt"), consent_ok, needs_consent)
        )
        items.append(
            ChecklistItem(
                "parties",
                _("Parter valda, personen själv inräknad"),
                any(p.kind == MeetingParty.Kind.PERSON for p in parties) and len(parties) > 1,
                True,
            )
        )
    else:
        items.append(
            ChecklistItem(
                "agenda_cases",
                _("Ärenden på dagordningen"),
                any(item.case_id for item in agenda_items),
                True,
            )
        )
    items.append(
        ChecklistItem(
            "invitations",
            _("Kallelse skickad till alla parter"),
            meeting.invitations_sent_at is not None and _all(parties, "invited_at"),
            rules.has_case,
        )
    )
    items.append(
        ChecklistItem(
            "agenda",
            _("Dagordning förberedd"),
            bool(meeting.agenda.strip()) or bool(agenda_items),
            rules.sign_off_required,
        )
    )
    if rules.has_case:
        items.append(
            ChecklistItem(
                "interpreter", _("Tolk bokad"), _booked(meeting), _interpreter_needed(meeting)
            )
        )
    if rules.has_case_agenda:
        items.append(
            ChecklistItem(
                "decisions",
                _("Beslut dokumenterade för varje punkt"),
                bool(agenda_items) and all(item.decision.strip() for item in agenda_items),
                True,
            )
        )
    items.append(
        ChecklistItem(
            "minutes",
            _("Mötet dokumenterat: parternas synpunkter, ansvar och övergripande ansvar"),
            _minutes_done(meeting, parties) if rules.has_case else meeting.held_on is not None,
            True,
        )
    )
    if rules.has_case:
        items.append(
            ChecklistItem(
                "follow_up",
                _("Uppföljning bokad eller inte behövs"),
                follow_up_not_needed or meeting.follow_ups.exists(),
                rules.sign_off_required,
            )
        )
        items.append(
            ChecklistItem(
                "signed",
                _("Signerat av alla parter och personen"),
                _all(parties, "signed_at"),
                rules.sign_off_required,
            )
        )
        items.append(
            ChecklistItem(
                "copies",
                _("Kopia lämnad till alla parter"),
                _all(parties, "copy_sent_on"),
                rules.sign_off_required,
            )
        )
    return items
