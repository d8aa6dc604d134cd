"""Reads of meetings across organisations; every list starts from what the user may see.

Reading one meeting records the read (MEETING_VIEWED); a list that shows case references
and names records them with `read_cases` (which also logs disclosures to partners).
`list_meetings_of_participant` leaves the recording to its callers (Mitt arbete and the
calendar record everything they show in one go)."""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.access import visible_cases
from sia.cases.models import Case
from sia.cases.selectors import get_case, read_cases
from sia.collaboration import rules
from sia.collaboration.access import access_meeting, may_see_meeting, visible_meetings
from sia.collaboration.models import AgendaItem, Meeting, MeetingParty
from sia.consent.coverage import valid_on
from sia.consent.models import Consent
from sia.people.selectors import hide_protected_details


def _with_details(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related(
        "case__person",
        "case__owning_unit",
        "unit__organisation",
        "consent",
        "note_taker",
        "overall_responsible",
        "follow_up_of",
        "follow_up_convened_by",
        "created_by",
    ).prefetch_related(
        Prefetch(
            "parties",
            queryset=MeetingParty.objects.select_related(
                "user", "organisation", "signature_recorded_by"
            ).order_by("created_at"),
        ),
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.select_related("case").prefetch_related("tasks"),
        ),
        "follow_ups",
    )


def _seen(user: User, meetings: QuerySet[Meeting]) -> list[Meeting]:
    """Drop meetings about people whose meetings no consent shares with the user."""
    allowed: dict[UUID, bool] = {}
    shown = []
    for meeting in meetings:
        if meeting.case is not None:
            person_id = meeting.case.person_id
            if person_id not in allowed:
                allowed[person_id] = may_see_meeting(user, meeting)
            if not allowed[person_id]:
                continue
        shown.append(meeting)
    hide_protected_details(user, [m.case.person for m in shown if m.case is not None])
    return shown


def list_case_meetings(user: User, case: Case) -> list[Meeting]:
    """List the meetings about a case the user has already accessed, newest first."""
    meetings = (
        visible_meetings(user)
        .filter(case=case)
        .select_related("case__person", "unit", "created_by")
    )
    return _seen(user, meetings.order_by("-starts_at"))


def _read(user: User, shown: list[Meeting], channel: Channel) -> list[Meeting]:
    read_cases(user, [m.case for m in shown if m.case is not None], channel=channel)
    return shown


@transaction.atomic
def list_my_meetings(user: User, *, since: dt.datetime, channel: Channel) -> list[Meeting]:
    """List the user's meetings from `since` on: those they convene or take part in,
    and the case reviews of their units; records the read of the cases shown."""
    mine = Q(created_by=user) | Q(parties__user=user) | Q(case__isnull=True)
    ids = visible_meetings(user).filter(mine, starts_at__gte=since).values("pk")
    meetings = (
        Meeting.objects.filter(pk__in=ids)
        .select_related("case__person", "unit", "created_by")
        .order_by("starts_at")
    )
    return _read(user, _seen(user, meetings), channel)


def list_meetings_of_participant(user: User, start: dt.datetime, end: dt.datetime) -> list[Meeting]:
    """List the meetings between start and end that the user convenes or takes part in.

    The caller records the read of what it shows (`read_cases`)."""
    mine = Q(created_by=user) | Q(parties__user=user)
    ids = visible_meetings(user).filter(mine, starts_at__gte=start, starts_at__lt=end).values("pk")
    meetings = (
        Meeting.objects.filter(pk__in=ids)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("case__person", "unit")
        .order_by("starts_at")
    )
    return _seen(user, meetings)


@transaction.atomic
def list_visible_meetings(user: User, *, channel: Channel) -> list[Meeting]:
    """List every meeting the user may see, newest first (for the API); records the read
    of the cases shown."""
    meetings = visible_meetings(user).select_related("case__person", "unit")
    return _read(user, _seen(user, meetings.order_by("-starts_at")), channel)


def follow_up_not_needed(meeting: Meeting) -> bool:
    """Tell whether the organiser recorded that the meeting needs no follow-up."""
    return meeting.follow_up_not_needed


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting with its checklist, as shown on its page and in the API.

    `agenda_items` are the agenda points the reader may see: a case review's point about
    a case the reader may not see is left out (pages and API use this list, never
    `meeting.agenda_items`)."""

    meeting: Meeting
    checklist: list[rules.ChecklistItem]
    follow_up_not_needed: bool
    agenda_items: list[AgendaItem]


def record_of(meeting: Meeting, agenda_items: list[AgendaItem]) -> MeetingRecord:
    """Build the meeting's checklist from a loaded meeting and the points shown."""
    not_needed = follow_up_not_needed(meeting)
    items = rules.checklist(
        meeting,
        day=timezone.localdate(),
        follow_up_not_needed=not_needed,
        agenda_items=agenda_items,
    )
    return MeetingRecord(
        meeting=meeting,
        checklist=items,
        follow_up_not_needed=not_needed,
        agenda_items=agenda_items,
    )


@transaction.atomic
def get_meeting(user: User, meeting_id: UUID, *, channel: Channel) -> MeetingRecord:
    """Return a meeting the user may see with everything on it, recording the read."""
    meeting = access_meeting(user, meeting_id)
    if meeting.case is not None:
        get_case(user, meeting.case.pk, channel=channel)
    meeting = _with_details(Meeting.objects.filter(pk=meeting.pk)).get()
    changes = {"meeting": str(meeting.pk), "kind": meeting.kind}
    if meeting.case is not None:
        audit.record_case(
            actor=user,
            action=AuditAction.MEETING_VIEWED,
            channel=channel,
            case=meeting.case,
            changes=changes,
        )
        hide_protected_details(user, [meeting.case.person])
    else:
        audit.record(
            actor=user,
            action=AuditAction.MEETING_VIEWED,
            channel=channel,
            unit_id=meeting.unit_id,
            changes=changes,
        )
    return record_of(meeting, _visible_agenda_items(user, meeting))


def _visible_agenda_items(user: User, meeting: Meeting) -> list[AgendaItem]:
    """Return the agenda points, leaving out those about cases the user may not see."""
    items = list(meeting.agenda_items.all())
    case_ids = {item.case_id for item in items if item.case_id}
    if not case_ids:
        return items
    seen = set(visible_cases(user).filter(pk__in=case_ids).values_list("pk", flat=True))
    return [item for item in items if item.case_id is None or item.case_id in seen]


def list_consent_choices(meeting: Meeting) -> QuerySet[Consent]:
    """List the person's consents valid today that could be linked to the meeting."""
    if meeting.case is None:
        return Consent.objects.none()
    consents = Consent.objects.filter(person_id=meeting.case.person_id).filter(
        valid_on(timezone.localdate())
    )
    kind = rules.rules_for(meeting.kind).consent_kind
    if kind is not None:
        consents = consents.filter(kind=kind)
    return consents.prefetch_related("recipient_organisations", "recipient_units")
