"""Hold and document a meeting: minutes, follow-up, signatures, copies, cancelling."""

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.audit.models import AuditAction, Channel
from sia.collaboration import rules
from sia.collaboration.access import can_change_meeting
from sia.collaboration.models import InterpreterBooking, Meeting, MeetingParty
from sia.collaboration.services.common import (
    FOLLOW_UP_NOT_NEEDED,
    MAX_LINE,
    OPEN_STATUSES,
    RECORD_STATUSES,
    PartyMinutes,
    audit_meeting,
    check_start,
    disclose_to_party,
    lock_meeting,
    not_frozen,
    require_status,
)
from sia.consent.models import Disclosure
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.core.text import clean_text


def _party_of(meeting: Meeting, party_id: UUID | None, field: str) -> MeetingParty | None:
    if party_id is None:
        return None
    party = meeting.parties.filter(pk=party_id).first()
    if party is None:
        raise ValidationFailed(_("Parten finns inte i mötet."), field=field)
    return party


def recordable_statuses(kind: str) -> tuple[str, ...]:
    """Return the statuses in which the meeting's minutes may be written (a SIP: invited)."""
    if rules.rules_for(kind).sign_off_required:
        return (Meeting.Status.INVITED, Meeting.Status.HELD)
    return RECORD_STATUSES


@transaction.atomic
def record_minutes(
    *,
    actor: User,
    meeting_id: UUID,
    held_on: dt.date,
    channel: Channel,
    notes: str = "",
    note_taker_id: UUID | None = None,
    overall_responsible_id: UUID | None = None,
    parties: Sequence[PartyMinutes] = (),
) -> Meeting:
    """Write down what was said, who is responsible for what and who has overall
    responsibility; the meeting is held. Possible until the first party has signed: a
    signature vouches for the text as it stood."""
    meeting = lock_meeting(actor, meeting_id)
    not_frozen(meeting)
    require_status(
        meeting,
        recordable_statuses(meeting.kind),
        _("Skicka kallelserna innan mötet dokumenteras."),
    )
    rows = {party.pk: party for party in meeting.parties.select_for_update()}
    if any(party.signed_at is not None for party in rows.values()):
        raise InvalidTransition(_("Dokumentationen har börjat signeras och kan inte ändras."))
    if held_on > timezone.localdate():
        raise ValidationFailed(_("Datumet kan inte ligga framåt i tiden."), field="held_on")
    # A meeting is planned before it is held (planning in the past is refused).
    if held_on < timezone.localdate(meeting.created_at):
        raise ValidationFailed(
            _("Mötet kan inte ha hållits innan det planerades."), field="held_on"
        )
    overall = _party_of(meeting, overall_responsible_id, "overall_responsible")
    if note_taker_id is not None and not meeting.parties.filter(user_id=note_taker_id).exists():
        raise ValidationFailed(_("Antecknaren ska vara part i mötet."), field="note_taker")
    updated = []
    for row in parties:
        party = rows.get(row.party_id)
        if party is None:
            raise ValidationFailed(_("Parten finns inte i mötet."), field="parties")
        party.attended = row.attended
        party.statement = clean_text(row.statement, "parties")
        party.responsibility = clean_text(row.responsibility, "parties")
        updated.append(party)
    MeetingParty.objects.bulk_update(updated, ["attended", "statement", "responsibility"])
    meeting.held_on = held_on
    meeting.notes = clean_text(notes, "notes")
    meeting.note_taker_id = note_taker_id
    meeting.overall_responsible = overall
    meeting.status = Meeting.Status.HELD
    meeting.save(
        update_fields=[
            "held_on",
            "notes",
            "note_taker",
            "overall_responsible",
            "status",
            "updated_at",
        ]
    )
    audit_meeting(
        actor,
        meeting,
        AuditAction.MEETING_RECORDED,
        channel,
        held_on=held_on.isoformat(),
        parties=[str(p.pk) for p in updated],
    )
    return meeting


@transaction.atomic
def book_follow_up(
    *,
    actor: User,
    meeting_id: UUID,
    channel: Channel,
    starts_at: dt.datetime | None = None,
    convened_by_id: UUID | None = None,
    not_needed: bool = False,
) -> Meeting | None:
    """Book the follow-up meeting (same kind, parties and life areas), possibly convened
    by another party; or record that no follow-up is needed.

    One follow-up at a time: while a booked one is not cancelled, another is refused. The
    meeting row is locked first, so two bookings at once are taken one after the other."""
    meeting = lock_meeting(actor, meeting_id)
    require_status(
        meeting,
        (Meeting.Status.HELD, Meeting.Status.SIGNED),
        _("Uppföljningen bokas på eller efter mötet."),
    )
    if meeting.follow_ups.exclude(status=Meeting.Status.CANCELLED).exists():
        raise InvalidTransition(_("En uppföljning är redan bokad."))
    if not_needed:
        meeting.follow_up_not_needed = True
        meeting.save(update_fields=["follow_up_not_needed", "updated_at"])
        audit_meeting(
            actor, meeting, AuditAction.MEETING_RECORDED, channel, follow_up=FOLLOW_UP_NOT_NEEDED
        )
        return None
    if starts_at is None:
        raise ValidationFailed(_("Ange tid för uppföljningen."), field="starts_at")
    check_start(starts_at)
    convener = _party_of(meeting, convened_by_id, "convened_by")
    if convener is not None and convener.kind != MeetingParty.Kind.STAFF:
        raise ValidationFailed(
            _("Uppföljningen kan lämnas över till en medarbetare som är part."),
            field="convened_by",
        )
    follow_up = Meeting.objects.create(
        kind=meeting.kind,
        case=meeting.case,
        unit=meeting.unit,
        title=clean_text(f"{_('Uppföljning')}: {meeting.title}", "title", limit=MAX_LINE),
        purpose=meeting.purpose,
        person_wants_sip=meeting.person_wants_sip,
        life_areas=list(meeting.life_areas),
        consent=meeting.consent,
        starts_at=starts_at,
        minutes=meeting.minutes,
        place=meeting.place,
        mode=meeting.mode,
        follow_up_of=meeting,
        created_by=actor,
    )
    copies = {}
    for party in meeting.parties.order_by("created_at"):
        copies[party.pk] = MeetingParty.objects.create(
            meeting=follow_up,
            kind=party.kind,
            organisation=party.organisation,
            user=party.user,
            name=party.name,
            function=party.function,
            invitation_language=party.invitation_language,
        )
    if convener is not None:
        follow_up.follow_up_convened_by = copies[convener.pk]
        follow_up.save(update_fields=["follow_up_convened_by", "updated_at"])
    if meeting.follow_up_not_needed:
        meeting.follow_up_not_needed = False
        meeting.save(update_fields=["follow_up_not_needed", "updated_at"])
    audit_meeting(
        actor,
        meeting,
        AuditAction.MEETING_CREATED,
        channel,
        follow_up=str(follow_up.pk),
        convened_by=str(convener.pk) if convener else None,
    )
    return follow_up


def _all_signed(meeting: Meeting) -> bool:
    return not meeting.parties.filter(signed_at__isnull=True).exists()


@transaction.atomic
def sign(*, actor: User, meeting_id: UUID, party_id: UUID, channel: Channel) -> MeetingParty:
    """Sign the documentation: a party's own user in the system, or the organiser recording
    a paper signature of the person or an outside party. All signed: the record is frozen."""
    meeting = lock_meeting(actor, meeting_id, change=False)
    require_status(
        meeting, (Meeting.Status.HELD,), _("Dokumentationen signeras när mötet är dokumenterat.")
    )
    party = meeting.parties.select_for_update().filter(pk=party_id).first()
    if party is None:
        raise NotFoundOrForbidden
    if party.signed_at is not None:
        raise InvalidTransition(_("Parten har redan signerat."))
    if party.user_id == actor.pk:
        party.signature_method = MeetingParty.SignatureMethod.IN_SYSTEM
    elif party.user_id is None and can_change_meeting(actor, meeting):
        party.signature_method = MeetingParty.SignatureMethod.ON_PAPER
    elif party.user_id is None:
        raise NotFoundOrForbidden
    else:
        raise ValidationFailed(_("En medarbetare signerar själv i systemet."), field="party")
    party.signed_at = timezone.now()
    party.signature_recorded_by = actor
    party.save(
        update_fields=["signed_at", "signature_method", "signature_recorded_by", "updated_at"]
    )
    if _all_signed(meeting):
        meeting.status = Meeting.Status.SIGNED
        meeting.save(update_fields=["status", "updated_at"])
    audit_meeting(
        actor,
        meeting,
        AuditAction.MEETING_SIGNED,
        channel,
        party=str(party.pk),
        method=party.signature_method,
        all_signed=meeting.status == Meeting.Status.SIGNED,
    )
    return party


@transaction.atomic
def record_copy(
    *,
    actor: User,
    meeting_id: UUID,
    party_id: UUID,
    sent_on: dt.date,
    method: str,
    channel: Channel,
) -> MeetingParty:
    """Log that a party got a copy of the documentation, when and how."""
    meeting = lock_meeting(actor, meeting_id)
    require_status(
        meeting,
        (Meeting.Status.HELD, Meeting.Status.SIGNED),
        _("En kopia lämnas när mötet är dokumenterat."),
    )
    if method not in MeetingParty.CopyMethod.values:
        raise ValidationFailed(_("Välj hur kopian lämnades."), field="method")
    if sent_on > timezone.localdate():
        raise ValidationFailed(_("Datumet kan inte ligga framåt i tiden."), field="sent_on")
    party = meeting.parties.select_for_update().filter(pk=party_id).first()
    if party is None:
        raise NotFoundOrForbidden
    party.copy_sent_on = sent_on
    party.copy_method = method
    party.save(update_fields=["copy_sent_on", "copy_method", "updated_at"])
    disclose_to_party(meeting, party, Disclosure.What.MINUTES_COPY, channel)
    audit_meeting(
        actor,
        meeting,
        AuditAction.MEETING_COPY_SENT,
        channel,
        party=str(party.pk),
        sent_on=sent_on.isoformat(),
        method=method,
    )
    return party


@transaction.atomic
def cancel_meeting(*, actor: User, meeting_id: UUID, reason: str, channel: Channel) -> Meeting:
    """Cancel a meeting that has not been held, with the reason."""
    meeting = lock_meeting(actor, meeting_id)
    require_status(meeting, OPEN_STATUSES, _("Ett genomfört möte kan inte ställas in."))
    meeting.cancelled_reason = clean_text(reason, "reason", required=True)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["cancelled_reason", "status", "updated_at"])
    if hasattr(meeting, "interpreter_booking"):
        booking = meeting.interpreter_booking
        booking.status = InterpreterBooking.Status.CANCELLED
        booking.save(update_fields=["status", "updated_at"])
    audit_meeting(actor, meeting, AuditAction.MEETING_UPDATED, channel, status=meeting.status)
    return meeting
