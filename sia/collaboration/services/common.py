"""Shared pieces of the meeting services: inputs, limits, locking, checks and audit."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Organisation, User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import TeamFunction
from sia.collaboration import rules
from sia.collaboration.access import access_meeting, can_change_meeting
from sia.collaboration.models import Meeting, MeetingParty
from sia.consent.services import record_sent_disclosure
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.core.text import check_not_too_far_ahead, clean_text
from sia.people.models import Language

MAX_LINE = 200
OPEN_STATUSES = (Meeting.Status.PLANNED, Meeting.Status.INVITED)
RECORD_STATUSES = (Meeting.Status.PLANNED, Meeting.Status.INVITED, Meeting.Status.HELD)
FOLLOW_UP_NOT_NEEDED = "not_needed"

# The team function a partner gets on the case team when added as a meeting party.
DEFAULT_FUNCTION: dict[str, str] = {
    Organisation.Kind.EMPLOYMENT_SERVICE: TeamFunction.EMPLOYMENT_OFFICER,
    Organisation.Kind.SOCIAL_INSURANCE: TeamFunction.FK_CASEWORKER,
    Organisation.Kind.REGION: TeamFunction.REHAB_COORDINATOR,
}


@dataclass(frozen=True)
class MeetingInput:
    """What a meeting is about, and when and where it is held."""

    title: str
    starts_at: dt.datetime
    purpose: str = ""
    minutes: int = 90
    place: str = ""
    mode: str = Meeting.Mode.ON_SITE
    agenda: str = ""
    preparations: str = ""
    life_areas: Sequence[str] = ()
    person_wants_sip: bool | None = None


@dataclass(frozen=True)
class PartyMinutes:
    """What one party said at the meeting and what they are responsible for."""

    party_id: UUID
    attended: bool | None = None
    statement: str = ""
    responsibility: str = ""


# --- helpers ------------------------------------------------------------------------------


def audit_meeting(
    actor: User, meeting: Meeting, action: AuditAction, channel: Channel, **changes: Any
) -> None:
    changes = {"meeting": str(meeting.pk), "kind": meeting.kind, **changes}
    if meeting.case is not None:
        audit.record_case(
            actor=actor, action=action, channel=channel, case=meeting.case, changes=changes
        )
    else:
        audit.record(
            actor=actor, action=action, channel=channel, unit_id=meeting.unit_id, changes=changes
        )


def lock_meeting(actor: User, meeting_id: UUID, *, change: bool = True) -> Meeting:
    """Return the meeting locked for the write, if the actor may see (and change) it."""
    meeting = access_meeting(actor, meeting_id)
    if change and not can_change_meeting(actor, meeting):
        raise NotFoundOrForbidden
    locked = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("case__person", "case__owning_unit", "unit__organisation", "consent")
        .get(pk=meeting.pk)
    )
    if locked.case is not None and not locked.case.is_open:
        raise InvalidTransition(_("Ärendet är avslutat."))
    return locked


def disclose_to_party(meeting: Meeting, party: MeetingParty, what: str, channel: Channel) -> None:
    """Log a document about the case sent to a party of another organisation than the one
    that owns the case, with the consent it rests on; refuse when no consent covers it."""
    case = meeting.case
    if case is None or party.organisation_id is None:
        return
    if party.organisation_id == case.owning_unit.organisation_id:
        return
    record_sent_disclosure(
        person_id=case.person_id,
        case_id=case.pk,
        organisation_id=party.organisation_id,
        recipient=party.user,
        what=what,
        preferred=meeting.consent,
        channel=channel,
    )


def require_status(meeting: Meeting, allowed: Sequence[str], message: Any) -> None:
    if meeting.status not in allowed:
        raise InvalidTransition(message)


def not_frozen(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.SIGNED:
        raise InvalidTransition(_("Dokumentationen är signerad av alla och kan inte ändras."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise InvalidTransition(_("Mötet är inställt."))


def check_start(starts_at: dt.datetime) -> None:
    if timezone.is_naive(starts_at):
        raise ValidationFailed(_("Ange en tid med tidszon."), field="starts_at")
    if starts_at < timezone.now():
        raise ValidationFailed(_("Tiden kan inte ligga bakåt i tiden."), field="starts_at")
    check_not_too_far_ahead(timezone.localdate(starts_at), "starts_at")


def check_fields(kind: str, data: MeetingInput) -> dict[str, Any]:
    problem = rules.life_area_problem(kind, data.life_areas)
    if problem:
        raise ValidationFailed(problem, field="life_areas")
    check_start(data.starts_at)
    if data.mode not in Meeting.Mode.values:
        raise ValidationFailed(_("Okänd form för mötet."), field="mode")
    if not 5 <= data.minutes <= 8 * 60:
        raise ValidationFailed(_("Ange en längd mellan 5 och 480 minuter."), field="minutes")
    wants = data.person_wants_sip if rules.rules_for(kind).asks_for_sip_wish else None
    return {
        "title": clean_text(data.title, "title", limit=MAX_LINE, required=True),
        "purpose": clean_text(data.purpose, "purpose"),
        "starts_at": data.starts_at,
        "minutes": data.minutes,
        "place": clean_text(data.place, "place", limit=MAX_LINE),
        "mode": data.mode,
        "agenda": clean_text(data.agenda, "agenda"),
        "preparations": clean_text(data.preparations, "preparations"),
        "life_areas": list(data.life_areas),
        "person_wants_sip": wants,
    }


def person_party(meeting: Meeting) -> MeetingParty:
    assert meeting.case is not None  # noqa: S101
    person = meeting.case.person
    language = person.interpreter_language or next(iter(person.preferred_languages), "")
    return MeetingParty(
        meeting=meeting,
        kind=MeetingParty.Kind.PERSON,
        name=f"{person.given_name} {person.family_name}".strip(),
        invitation_language=language if language in Language.values else "",
    )
