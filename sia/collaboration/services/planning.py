"""Plan a meeting: what, when, who takes part, the consent, invitations, interpreter."""

from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import CASEWORK_ROLES, Membership, Organisation, User
from sia.accounts.selectors import memberships_of
from sia.audit.models import AuditAction, Channel
from sia.cases.access import visible_cases
from sia.cases.models import Case, CaseTeamMember, TeamFunction
from sia.collaboration import rules
from sia.collaboration.access import may_see_meeting
from sia.collaboration.models import InterpreterBooking, Meeting, MeetingParty
from sia.collaboration.services.common import (
    DEFAULT_FUNCTION,
    MAX_LINE,
    OPEN_STATUSES,
    MeetingInput,
    audit_meeting,
    check_fields,
    disclose_to_party,
    lock_meeting,
    person_party,
    require_status,
)
from sia.consent.coverage import valid_on
from sia.consent.models import Consent, Disclosure
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.core.text import clean_text
from sia.people.models import Language
from sia.process.access import access_case_for, can_work_on_case
from sia.teamwork import services as teamwork
from sia.teamwork.access import can_manage_team


@transaction.atomic
def create_meeting(
    *, actor: User, kind: str, case_id: UUID | None, data: MeetingInput, channel: Channel
) -> Meeting:
    """Plan a meeting about a case (or a case review without one) in the actor's unit.

    The organiser and, for a case meeting, the person are added as parties.
    """
    if kind not in Meeting.Kind.values:
        raise ValidationFailed(_("Välj typ av möte."), field="kind")
    kind_rules = rules.rules_for(kind)
    case: Case | None = None
    if kind_rules.has_case:
        if case_id is None:
            raise ValidationFailed(_("Mötet ska gälla ett ärende."), field="case")
        case = access_case_for(actor, case_id, can_work_on_case)
    elif case_id is not None:
        raise ValidationFailed(
            _("En ärendegenomgång gäller flera ärenden; lägg dem på dagordningen."), field="case"
        )
    # The convening unit is one where the actor does casework: an analyst's or an
    # administrator's seat convenes nothing.
    membership = next((m for m in memberships_of(actor) if m.role in CASEWORK_ROLES), None)
    if membership is None:
        raise NotFoundOrForbidden
    fields = check_fields(kind, data)
    meeting = Meeting(kind=kind, case=case, unit=membership.unit, created_by=actor, **fields)
    if case is not None and not may_see_meeting(actor, meeting):
        raise NotFoundOrForbidden
    meeting.save()
    MeetingParty.objects.create(
        meeting=meeting,
        kind=MeetingParty.Kind.STAFF,
        user=actor,
        organisation=membership.unit.organisation,
        name=actor.get_full_name() or actor.get_username(),
        function=str(membership.get_role_display()),
    )
    if case is not None:
        person_party(meeting).save()
    audit_meeting(
        actor, meeting, AuditAction.MEETING_CREATED, channel, life_areas=fields["life_areas"]
    )
    return meeting


@transaction.atomic
def update_meeting(
    *, actor: User, meeting_id: UUID, data: MeetingInput, channel: Channel
) -> Meeting:
    """Change what, when and where, while the meeting has not yet been held."""
    meeting = lock_meeting(actor, meeting_id)
    require_status(meeting, OPEN_STATUSES, _("Mötet är redan genomfört och ändras inte."))
    fields = check_fields(meeting.kind, data)
    changed = [name for name, value in fields.items() if getattr(meeting, name) != value]
    for name in changed:
        setattr(meeting, name, fields[name])
    meeting.save(update_fields=[*changed, "updated_at"])
    audit_meeting(actor, meeting, AuditAction.MEETING_UPDATED, channel, changed=changed)
    return meeting


def _staff_membership(user_id: UUID) -> Membership:
    membership = (
        Membership.objects.filter(user_id=user_id, user__is_active=True, role__in=CASEWORK_ROLES)
        .select_related("user", "unit__organisation")
        .order_by("created_at")
        .first()
    )
    if membership is None:
        raise ValidationFailed(
            _("Medarbetaren finns inte eller har ingen handläggarroll."), field="user"
        )
    return membership


def _join_case_team(
    actor: User, meeting: Meeting, membership: Membership, channel: Channel
) -> None:
    """Give a staff party who cannot yet see the case a place on its team: a partner, and
    a municipal colleague from another unit alike (else the invitation leads nowhere)."""
    case = meeting.case
    if case is None:
        return
    user = membership.user
    if visible_cases(user).filter(pk=case.pk).exists():
        return
    on_team = CaseTeamMember.objects.filter(
        case=case, user_id=user.pk, left_at__isnull=True
    ).exists()
    if on_team:
        # A partner on the team whose consent does not (yet) cover them: nothing to add.
        return
    if not can_manage_team(actor, case):
        raise ValidationFailed(
            _("Be en kommunal medlem i ärendeteamet att lägga till medarbetaren i teamet först."),
            field="user",
        )
    function = DEFAULT_FUNCTION.get(membership.unit.organisation.kind, TeamFunction.OTHER)
    teamwork.add_team_member(
        actor=actor, case_id=case.pk, user_id=user.pk, function=function, channel=channel
    )


@transaction.atomic
def add_party(
    *,
    actor: User,
    meeting_id: UUID,
    kind: str,
    channel: Channel,
    user_id: UUID | None = None,
    name: str = "",
    organisation_id: UUID | None = None,
    function: str = "",
    invitation_language: str = "",
) -> MeetingParty:
    """Add the person, a member of staff of any organisation or a named outside party.

    A member of staff who cannot yet see the case (a partner, or a colleague from another
    unit) also joins the case team.
    """
    meeting = lock_meeting(actor, meeting_id)
    require_status(meeting, OPEN_STATUSES, _("Parter läggs till innan mötet hålls."))
    if invitation_language and invitation_language not in Language.values:
        raise ValidationFailed(_("Okänt språk."), field="invitation_language")
    function = clean_text(function, "function", limit=MAX_LINE)
    if kind == MeetingParty.Kind.PERSON:
        party = _add_person(meeting, invitation_language)
    elif kind == MeetingParty.Kind.STAFF:
        party = _add_staff(actor, meeting, user_id, function, invitation_language, channel)
    elif kind == MeetingParty.Kind.EXTERNAL:
        organisation = (
            Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
        )
        if organisation is None:
            raise ValidationFailed(_("Välj partens organisation."), field="organisation")
        party = MeetingParty.objects.create(
            meeting=meeting,
            kind=kind,
            name=clean_text(name, "name", limit=MAX_LINE, required=True),
            organisation=organisation,
            function=function,
            invitation_language=invitation_language,
        )
    else:
        raise ValidationFailed(_("Välj typ av part."), field="kind")
    audit_meeting(
        actor,
        meeting,
        AuditAction.MEETING_UPDATED,
        channel,
        party=str(party.pk),
        party_kind=kind,
        organisation=str(party.organisation_id) if party.organisation_id else None,
    )
    return party


def _add_person(meeting: Meeting, language: str) -> MeetingParty:
    if meeting.case is None:
        raise ValidationFailed(_("En ärendegenomgång har ingen enskild person."), field="kind")
    if meeting.parties.filter(kind=MeetingParty.Kind.PERSON).exists():
        raise ValidationFailed(_("Personen är redan part i mötet."), field="kind")
    party = person_party(meeting)
    if language:
        party.invitation_language = language
    party.save()
    return party


def _add_staff(
    actor: User,
    meeting: Meeting,
    user_id: UUID | None,
    function: str,
    language: str,
    channel: Channel,
) -> MeetingParty:
    if user_id is None:
        raise ValidationFailed(_("Välj medarbetare."), field="user")
    membership = _staff_membership(user_id)
    if meeting.parties.filter(user_id=user_id).exists():
        raise ValidationFailed(_("Medarbetaren är redan part i mötet."), field="user")
    _join_case_team(actor, meeting, membership, channel)
    user = membership.user
    return MeetingParty.objects.create(
        meeting=meeting,
        kind=MeetingParty.Kind.STAFF,
        user=user,
        organisation=membership.unit.organisation,
        name=user.get_full_name() or user.get_username(),
        function=function or str(membership.get_role_display()),
        invitation_language=language,
    )


@transaction.atomic
def link_consent(*, actor: User, meeting_id: UUID, consent_id: UUID, channel: Channel) -> Meeting:
    """Link the person's consent that allows the meeting (for a SIP: a SIP consent)."""
    meeting = lock_meeting(actor, meeting_id)
    require_status(meeting, OPEN_STATUSES, _("Samtycket kopplas innan mötet hålls."))
    if meeting.case is None:
        raise ValidationFailed(_("En ärendegenomgång har inget samtycke."), field="consent")
    consent = (
        Consent.objects.filter(person_id=meeting.case.person_id, pk=consent_id)
        .filter(valid_on(timezone.localdate()))
        .first()
    )
    if consent is None:
        raise ValidationFailed(_("Välj ett giltigt samtycke för personen."), field="consent")
    kind = rules.rules_for(meeting.kind).consent_kind
    if kind is not None and consent.kind != kind:
        raise ValidationFailed(_("Samtycket är inte ett samtycke till SIP."), field="consent")
    meeting.consent = consent
    meeting.save(update_fields=["consent", "updated_at"])
    audit_meeting(actor, meeting, AuditAction.MEETING_UPDATED, channel, consent=str(consent.pk))
    return meeting


@transaction.atomic
def send_invitations(*, actor: User, meeting_id: UUID, channel: Channel) -> Meeting:
    """Mark the invitations (kallelser) as sent to every party not yet invited."""
    meeting = lock_meeting(actor, meeting_id)
    require_status(meeting, OPEN_STATUSES, _("Kallelser skickas innan mötet hålls."))
    parties = list(meeting.parties.select_for_update())
    problems = rules.invitation_problems(meeting, parties, timezone.localdate())
    if problems:
        raise ValidationFailed(" ".join(problems), field="invitations")
    now = timezone.now()
    invited = [party for party in parties if party.invited_at is None]
    for party in invited:
        party.invited_at = now
    MeetingParty.objects.bulk_update(invited, ["invited_at"])
    for party in invited:
        disclose_to_party(meeting, party, Disclosure.What.INVITATION, channel)
    meeting.invitations_sent_at = now
    meeting.status = Meeting.Status.INVITED
    meeting.save(update_fields=["invitations_sent_at", "status", "updated_at"])
    audit_meeting(
        actor, meeting, AuditAction.MEETING_INVITED, channel, parties=[str(p.pk) for p in invited]
    )
    return meeting


@transaction.atomic
def book_interpreter(
    *,
    actor: User,
    meeting_id: UUID,
    mode: str,
    channel: Channel,
    language: str = "",
    same_interpreter_preferred: bool = True,
    interpreter_reference: str = "",
    briefing_notes: str = "",
) -> InterpreterBooking:
    """Book (or change the booking of) the meeting's interpreter; language from the person."""
    meeting = lock_meeting(actor, meeting_id)
    require_status(meeting, OPEN_STATUSES, _("Tolk bokas innan mötet hålls."))
    if not language and meeting.case is not None:
        language = meeting.case.person.interpreter_language
    if language not in Language.values:
        raise ValidationFailed(_("Välj tolkspråk."), field="language")
    if mode not in InterpreterBooking.Mode.values:
        raise ValidationFailed(_("Välj platstolk eller telefontolk."), field="mode")
    booking, _created = InterpreterBooking.objects.update_or_create(
        meeting=meeting,
        defaults={
            "language": language,
            "mode": mode,
            "same_interpreter_preferred": same_interpreter_preferred,
            "interpreter_reference": clean_text(
                interpreter_reference, "interpreter_reference", limit=MAX_LINE
            ),
            "briefing_notes": clean_text(briefing_notes, "briefing_notes"),
            "status": InterpreterBooking.Status.REQUESTED,
            "booked_by": actor,
        },
    )
    audit_meeting(
        actor, meeting, AuditAction.INTERPRETER_BOOKED, channel, language=language, mode=mode
    )
    return booking


def _open_booking(actor: User, meeting_id: UUID, message: Any) -> InterpreterBooking:
    """The meeting's interpreter booking, locked, while the meeting is still to be held."""
    meeting = lock_meeting(actor, meeting_id)
    require_status(meeting, OPEN_STATUSES, message)
    booking = InterpreterBooking.objects.select_for_update().filter(meeting=meeting).first()
    if booking is None:
        raise ValidationFailed(_("Ingen tolk är bokad."), field="interpreter")
    booking.meeting = meeting
    return booking


@transaction.atomic
def confirm_interpreter(
    *, actor: User, meeting_id: UUID, interpreter_reference: str, channel: Channel
) -> InterpreterBooking:
    """Record that the interpreting agency confirmed the booking, with the interpreter's
    name or number there."""
    booking = _open_booking(actor, meeting_id, _("Tolken bekräftas innan mötet hålls."))
    if booking.status == InterpreterBooking.Status.CANCELLED:
        raise InvalidTransition(_("Tolken är avbokad; boka tolk på nytt."))
    reference = clean_text(interpreter_reference, "interpreter_reference", limit=MAX_LINE)
    if not reference:
        raise ValidationFailed(
            _("Ange tolkens namn eller nummer hos tolkförmedlingen."),
            field="interpreter_reference",
        )
    booking.interpreter_reference = reference
    booking.status = InterpreterBooking.Status.CONFIRMED
    booking.save(update_fields=["interpreter_reference", "status", "updated_at"])
    audit_meeting(
        actor,
        booking.meeting,
        AuditAction.INTERPRETER_BOOKED,
        channel,
        status=InterpreterBooking.Status.CONFIRMED.value,
    )
    return booking


@transaction.atomic
def cancel_interpreter(*, actor: User, meeting_id: UUID, channel: Channel) -> InterpreterBooking:
    """Record that the interpreter booking is cancelled (avbokad)."""
    booking = _open_booking(actor, meeting_id, _("Tolken avbokas innan mötet hålls."))
    if booking.status == InterpreterBooking.Status.CANCELLED:
        raise InvalidTransition(_("Tolken är redan avbokad."))
    booking.status = InterpreterBooking.Status.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    audit_meeting(
        actor,
        booking.meeting,
        AuditAction.INTERPRETER_BOOKED,
        channel,
        status=InterpreterBooking.Status.CANCELLED.value,
    )
    return booking
