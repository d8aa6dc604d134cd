"""Book, rebook, cancel and record the guidance meeting (samhällsvägledningsmöte, SVA).

The booking can change while the meeting is booked; once held, its record is written
once and never changed. Every write is audited in its own transaction.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.meetings.models import GuidanceMeeting, MeetingMode
from sia.meetings.selectors_alignment import guidance_topics, list_guides_on_team
from sia.people.models import Language
from sia.process import services as process
from sia.process.access import access_case_for, can_do_sia_casework
from sia.process.models import CaseStep

MIN_MINUTES = 15
MAX_MINUTES = 480


@dataclass(frozen=True)
class GuidanceBooking:
    """When, where and how the guidance meeting is held."""

    guide_id: UUID
    starts_at: dt.datetime
    duration_minutes: int = 60
    place: str = ""
    mode: str = MeetingMode.ON_SITE
    interpreter_needed: bool = False
    interpreter_language: str = ""


BOOKING_FIELDS = frozenset(field.name for field in fields(GuidanceBooking))


def _case_for_work(user: User, case_id: UUID) -> Case:
    return access_case_for(user, case_id, can_do_sia_casework)


def _locked_meeting(case: Case, meeting_id: UUID) -> GuidanceMeeting:
    meeting = GuidanceMeeting.objects.select_for_update().filter(case=case, pk=meeting_id).first()
    if meeting is None:
        raise NotFoundOrForbidden
    return meeting


def _check_booking(case: Case, booking: GuidanceBooking) -> GuidanceBooking:
    if not list_guides_on_team(case).filter(pk=booking.guide_id).exists():
        raise ValidationFailed(
            _("Välj en samhällsvägledare som finns i ärendeteamet."), field="guide"
        )
    if not MIN_MINUTES <= booking.duration_minutes <= MAX_MINUTES:
        raise ValidationFailed(
            _("Längden ska vara mellan 15 och 480 minuter."), field="duration_minutes"
        )
    if booking.mode not in MeetingMode.values:
        raise ValidationFailed(_("Välj om mötet hålls på plats eller per telefon."), field="mode")
    if booking.interpreter_needed and not booking.interpreter_language:
        raise ValidationFailed(
            _("Ange vilket språk tolken ska tala."), field="interpreter_language"
        )
    if booking.interpreter_language and booking.interpreter_language not in Language.values:
        raise ValidationFailed(_("Okänt tolkspråk."), field="interpreter_language")
    return replace(
        booking,
        place=booking.place.strip(),
        interpreter_language=booking.interpreter_language if booking.interpreter_needed else "",
    )


def _booking_summary(meeting: GuidanceMeeting) -> dict[str, Any]:
    return {
        "meeting": str(meeting.pk),
        "starts_at": meeting.starts_at.isoformat(),
        "mode": meeting.mode,
        "interpreter_needed": meeting.interpreter_needed,
    }


def _audit(case: Case, user: User, action: AuditAction, channel: Channel, changes: Any) -> None:
    audit.record_case(
        actor=user,
        action=action,
        channel=channel,
        case=case,
        changes=changes,
    )


@transaction.atomic
def book_guidance_meeting(
    *, case_id: UUID, booking: GuidanceBooking, booked_by: User, channel: Channel
) -> GuidanceMeeting:
    """Book the guidance meeting with a guide on the case team; one booking at a time."""
    case = _case_for_work(booked_by, case_id)
    booking = _check_booking(case, booking)
    if GuidanceMeeting.objects.filter(case=case, status=GuidanceMeeting.Status.BOOKED).exists():
        raise InvalidTransition(
            _("Det finns redan ett bokat samhällsvägledningsmöte. Boka om det i stället.")
        )
    meeting = GuidanceMeeting.objects.create(
        case=case,
        guide_id=booking.guide_id,
        starts_at=booking.starts_at,
        duration_minutes=booking.duration_minutes,
        place=booking.place,
        mode=booking.mode,
        interpreter_needed=booking.interpreter_needed,
        interpreter_language=booking.interpreter_language,
        booked_by=booked_by,
    )
    _audit(case, booked_by, AuditAction.GUIDANCE_BOOKED, channel, _booking_summary(meeting))
    return meeting


def _booking_of(meeting: GuidanceMeeting) -> GuidanceBooking:
    return GuidanceBooking(**{name: getattr(meeting, name) for name in BOOKING_FIELDS})


@transaction.atomic
def change_guidance_booking(
    *,
    case_id: UUID,
    meeting_id: UUID,
    changes: Mapping[str, Any],
    changed_by: User,
    channel: Channel,
) -> GuidanceMeeting:
    """Rebook a booked meeting: change any of the booking's fields."""
    case = _case_for_work(changed_by, case_id)
    meeting = _locked_meeting(case, meeting_id)
    if meeting.status != GuidanceMeeting.Status.BOOKED:
        raise InvalidTransition(_("Bara ett bokat möte kan bokas om."))
    unknown = set(changes) - BOOKING_FIELDS
    if unknown:
        raise ValidationFailed(_("Okänt fält i bokningen."))
    current = _booking_of(meeting)
    booking = _check_booking(case, replace(current, **changes))
    changed = sorted(
        name for name in BOOKING_FIELDS if getattr(booking, name) != getattr(current, name)
    )
    if not changed:
        return meeting
    for name in changed:
        setattr(meeting, name, getattr(booking, name))
    meeting.save(update_fields=[*changed, "updated_at"])
    _audit(
        case,
        changed_by,
        AuditAction.GUIDANCE_CHANGED,
        channel,
        {**_booking_summary(meeting), "fields": changed},
    )
    return meeting


@transaction.atomic
def cancel_guidance_meeting(
    *, case_id: UUID, meeting_id: UUID, cancelled_by: User, channel: Channel
) -> GuidanceMeeting:
    """Cancel a booked meeting; a new one can then be booked."""
    case = _case_for_work(cancelled_by, case_id)
    meeting = _locked_meeting(case, meeting_id)
    if meeting.status != GuidanceMeeting.Status.BOOKED:
        raise InvalidTransition(_("Bara ett bokat möte kan ställas in."))
    meeting.status = GuidanceMeeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    _audit(
        case,
        cancelled_by,
        AuditAction.GUIDANCE_CHANGED,
        channel,
        {"meeting": str(meeting.pk), "status": ["booked", "cancelled"]},
    )
    return meeting


@transaction.atomic
def record_guidance_meeting(
    *,
    case_id: UUID,
    meeting_id: UUID,
    covered_topics: Sequence[str],
    notes: str,
    recorded_by: User,
    channel: Channel,
) -> GuidanceMeeting:
    """Write the record of a held meeting once: topics covered and notes; close the step."""
    case = _case_for_work(recorded_by, case_id)
    process.lock_steps(case)
    meeting = _locked_meeting(case, meeting_id)
    if meeting.status == GuidanceMeeting.Status.HELD:
        raise InvalidTransition(_("Mötet är redan dokumenterat och kan inte ändras."))
    if meeting.status != GuidanceMeeting.Status.BOOKED:
        raise InvalidTransition(_("Ett inställt möte kan inte dokumenteras."))
    if meeting.starts_at > timezone.now():
        raise ValidationFailed(
            _("Mötet kan inte dokumenteras innan det har börjat."), field="covered_topics"
        )
    known = list(guidance_topics(case).values_list("key", flat=True))
    covered = [key for key in known if key in set(covered_topics)]
    if len(covered) != len(set(covered_topics)):
        raise ValidationFailed(
            _("En av punkterna finns inte i checklistan."), field="covered_topics"
        )
    meeting.status = GuidanceMeeting.Status.HELD
    meeting.covered_topics = covered
    meeting.notes = notes.strip()
    meeting.recorded_by = recorded_by
    meeting.recorded_at = timezone.now()
    meeting.save(
        update_fields=[
            "status",
            "covered_topics",
            "notes",
            "recorded_by",
            "recorded_at",
            "updated_at",
        ]
    )
    _audit(
        case,
        recorded_by,
        AuditAction.GUIDANCE_RECORDED,
        channel,
        {"meeting": str(meeting.pk), "covered": covered, "of": len(known)},
    )
    step = CaseStep.objects.filter(case=case, key="guidance_meeting").first()
    if step is not None and step.status == CaseStep.Status.OPEN:
        process.complete_step(
            case=case,
            key="guidance_meeting",
            completed_by=recorded_by,
            channel=channel,
            done_on=timezone.localtime(meeting.starts_at).date(),
        )
    return meeting
