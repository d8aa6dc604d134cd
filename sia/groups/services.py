"""Run group series: create them from a preset, plan sessions, enrol cases, record
attendance and evaluations.

Series and sessions hold no personal data, so their changes are not audited. Every
change to an enrolment or to attendance is about a case and is audited on it.
Capacity is checked with the series row locked, so two accepts cannot both take the
last place.
"""

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import CASEWORK_ROLES, Membership, Organisation, User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.groups import access
from sia.groups.models import (
    DEFAULT_CAPACITY,
    Attendance,
    GroupEnrolment,
    GroupSeries,
    GroupSession,
)
from sia.groups.presets import AFTERNOON, MAX_SESSIONS, MORNING, PRESETS, session_dates
from sia.people.models import Language
from sia.process.access import access_case_for, can_work_on_case
from sia.process.workdays import is_working_day
from sia.teamwork.models import TeamTask
from sia.teamwork.services import create_task

MAX_CAPACITY = 100
# Series are planned at most a year back (to record one afterwards) and three years ahead;
# further is a typing error (and 9999-12-31 has no weekly sessions after it).
MAX_BACK = dt.timedelta(days=365)
MAX_AHEAD = dt.timedelta(days=3 * 365)
Status = GroupEnrolment.Status
Run = GroupEnrolment.Run


@dataclass(frozen=True)
class SeriesInput:
    """What a new series needs; `preset` or `sessions` decides how many sessions it gets."""

    title: str
    unit_id: UUID
    first_date: dt.date
    place: str
    description: str = ""
    organisation_ids: Sequence[UUID] = ()
    capacity: int = DEFAULT_CAPACITY
    interpreter_languages: Sequence[str] = ()
    info_meeting_at: dt.datetime | None = None
    info_meeting_place: str = ""
    preset: str = ""
    sessions: int | None = None


@dataclass(frozen=True)
class SessionInput:
    """The plannable fields of one session; times may be left empty."""

    held_on: dt.date
    place: str
    topic: str
    morning_starts: dt.time | None = None
    morning_ends: dt.time | None = None
    afternoon_starts: dt.time | None = None
    afternoon_ends: dt.time | None = None
    facilitator_ids: Sequence[UUID] = ()
    external_facilitators: str = ""


@dataclass(frozen=True)
class AttendanceRow:
    """Whether one accepted participant came to a session, to which run, and a follow-up wish."""

    enrolment_id: UUID
    present: bool
    run: str = ""
    wants_follow_up: bool = False


def _text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationFailed(_("Fältet måste fyllas i."), field=field)
    if len(value) > limit:
        raise ValidationFailed(_("Texten är för lång."), field=field)
    return value


def _session_count(data: SeriesInput) -> int:
    preset = PRESETS.get(data.preset) if data.preset else None
    if data.preset and preset is None:
        raise ValidationFailed(_("Okänd typ av gruppaktivitet."), field="preset")
    count = data.sessions if data.sessions is not None else (preset.sessions if preset else None)
    if count is None:
        raise ValidationFailed(
            _("Ange antal tillfällen eller välj en färdig serie."), field="sessions"
        )
    low, high = (preset.min_sessions, preset.max_sessions) if preset else (1, MAX_SESSIONS)
    if not low <= count <= high:
        raise ValidationFailed(
            _("Antalet tillfällen ska vara mellan %(low)s och %(high)s.")
            % {"low": low, "high": high},
            field="sessions",
        )
    return count


def _check_day(day: dt.date, field: str) -> None:
    """Refuse a date further back or ahead than a series is planned."""
    today = timezone.localdate()
    if day < today - MAX_BACK:
        raise ValidationFailed(_("Datumet ligger för långt bak i tiden."), field=field)
    if day > today + MAX_AHEAD:
        raise ValidationFailed(_("Datumet ligger för långt fram i tiden."), field=field)


def _check_series(actor: User, data: SeriesInput) -> None:
    _check_day(data.first_date, "first_date")
    if data.info_meeting_at:
        _check_day(timezone.localdate(data.info_meeting_at), "info_meeting_at")
    if data.unit_id not in access.casework_unit_ids(actor):
        raise ValidationFailed(_("Välj en av dina egna enheter."), field="unit")
    if not 1 <= data.capacity <= MAX_CAPACITY:
        raise ValidationFailed(
            _("Antalet platser ska vara mellan 1 och %(max)s.") % {"max": MAX_CAPACITY},
            field="capacity",
        )
    unknown = set(data.interpreter_languages) - set(Language.values)
    if unknown:
        raise ValidationFailed(_("Okänt tolkspråk."), field="interpreter_languages")
    if data.info_meeting_at and timezone.localdate(data.info_meeting_at) > data.first_date:
        raise ValidationFailed(
            _("Informationsmötet ska hållas före första tillfället."), field="info_meeting_at"
        )


@transaction.atomic
def create_series(*, actor: User, data: SeriesInput, channel: Channel) -> GroupSeries:
    """Create a series in one of the actor's units, with its sessions on weekly working days."""
    _check_series(actor, data)
    count = _session_count(data)
    organisations = list(Organisation.objects.filter(pk__in=set(data.organisation_ids)))
    if len(organisations) != len(set(data.organisation_ids)):
        raise ValidationFailed(_("Okänd organisation."), field="organisations")
    preset = PRESETS.get(data.preset)
    series = GroupSeries.objects.create(
        title=_text(data.title, "title", 200, required=True),
        description=_text(data.description, "description", 5000),
        unit_id=data.unit_id,
        capacity=data.capacity,
        interpreter_languages=sorted(set(data.interpreter_languages)),
        info_meeting_at=data.info_meeting_at,
        info_meeting_place=_text(data.info_meeting_place, "info_meeting_place", 200),
        created_by=actor,
    )
    series.organisations.set(organisations)
    place = _text(data.place, "place", 200, required=True)
    GroupSession.objects.bulk_create(
        GroupSession(
            series=series,
            number=number,
            topic=preset.topic(number) if preset else str(_("Tillfälle %(n)s") % {"n": number}),
            held_on=day,
            place=place,
            morning_starts=MORNING[0],
            morning_ends=MORNING[1],
            afternoon_starts=AFTERNOON[0],
            afternoon_ends=AFTERNOON[1],
        )
        for number, day in enumerate(session_dates(data.first_date, count), start=1)
    )
    return series


def _check_times(data: SessionInput) -> None:
    runs = (
        (data.morning_starts, data.morning_ends, "morning_ends"),
        (data.afternoon_starts, data.afternoon_ends, "afternoon_ends"),
    )
    for starts, ends, field in runs:
        if (starts is None) != (ends is None):
            raise ValidationFailed(_("Ange både start- och sluttid för passet."), field=field)
        if starts is not None and ends is not None and ends <= starts:
            raise ValidationFailed(_("Passet måste sluta efter att det börjar."), field=field)
    if data.morning_ends and data.afternoon_starts and data.afternoon_starts < data.morning_ends:
        raise ValidationFailed(
            _("Eftermiddagspasset får inte börja innan förmiddagspasset har slutat."),
            field="afternoon_starts",
        )


def _facilitators(series: GroupSeries, ids: Sequence[UUID]) -> list[User]:
    """Return the facilitators: active staff of the unit's or a taking-part organisation."""
    allowed = {series.unit.organisation_id, *series.organisations.values_list("pk", flat=True)}
    memberships = Membership.objects.filter(
        user_id__in=set(ids),
        user__is_active=True,
        role__in=CASEWORK_ROLES,
        unit__organisation_id__in=allowed,
    ).select_related("user")
    users = {m.user_id: m.user for m in memberships}
    if len(users) != len(set(ids)):
        raise ValidationFailed(
            _("En ledare måste arbeta i en av de medverkande organisationerna."),
            field="facilitators",
        )
    return list(users.values())


def _session_for(actor: User, series_id: UUID, session_id: UUID) -> GroupSession:
    series = access.access_series(actor, series_id, manage=True)
    session = GroupSession.objects.select_for_update().filter(series=series, pk=session_id).first()
    if session is None:
        raise NotFoundOrForbidden
    session.series = series
    return session


@transaction.atomic
def update_session(
    *, actor: User, series_id: UUID, session_id: UUID, data: SessionInput, channel: Channel
) -> GroupSession:
    """Plan a session: date (a working day), place, topic, both runs and the facilitators."""
    session = _session_for(actor, series_id, session_id)
    if data.held_on != session.held_on:
        _check_day(data.held_on, "held_on")
    if not is_working_day(data.held_on):
        raise ValidationFailed(_("Datumet är inte en arbetsdag."), field="held_on")
    _check_times(data)
    facilitators = _facilitators(session.series, data.facilitator_ids)
    session.held_on = data.held_on
    session.place = _text(data.place, "place", 200, required=True)
    session.topic = _text(data.topic, "topic", 200, required=True)
    session.morning_starts, session.morning_ends = data.morning_starts, data.morning_ends
    session.afternoon_starts, session.afternoon_ends = data.afternoon_starts, data.afternoon_ends
    session.external_facilitators = _text(data.external_facilitators, "external_facilitators", 300)
    session.save(
        update_fields=[
            "held_on",
            "place",
            "topic",
            "morning_starts",
            "morning_ends",
            "afternoon_starts",
            "afternoon_ends",
            "external_facilitators",
            "updated_at",
        ]
    )
    session.facilitators.set(facilitators)
    return session


def _audit_enrolment(
    actor: User, enrolment: GroupEnrolment, channel: Channel, **changes: object
) -> None:
    audit.record_case(
        actor=actor,
        action=AuditAction.GROUP_ENROLMENT_CHANGED,
        channel=channel,
        case=enrolment.case,
        changes={"series": str(enrolment.series_id), "status": enrolment.status, **changes},
    )


@transaction.atomic
def invite(
    *,
    actor: User,
    series_id: UUID,
    case_id: UUID,
    channel: Channel,
    preferred_run: str = "",
    interpreter_language: str = "",
) -> GroupEnrolment:
    """Invite a case the actor works on to the series' information meeting."""
    series = access.access_series(actor, series_id)
    case = access_case_for(actor, case_id, can_work_on_case)
    if preferred_run and preferred_run not in Run.values:
        raise ValidationFailed(_("Okänt pass."), field="preferred_run")
    if interpreter_language and interpreter_language not in Language.values:
        raise ValidationFailed(_("Okänt tolkspråk."), field="interpreter_language")
    enrolment = GroupEnrolment.objects.select_for_update().filter(series=series, case=case).first()
    if enrolment is not None and enrolment.status not in (Status.DECLINED, Status.LEFT):
        raise InvalidTransition(_("Personen är redan inbjuden till gruppaktiviteten."))
    if enrolment is None:
        enrolment = GroupEnrolment(series=series, case=case)
    enrolment.status = Status.INVITED
    enrolment.preferred_run = preferred_run
    enrolment.interpreter_language = interpreter_language
    enrolment.decided_on = None
    enrolment.changed_by = actor
    enrolment.save()
    _audit_enrolment(actor, enrolment, channel, action="invited")
    return enrolment


def _enrolment_for(actor: User, series_id: UUID, enrolment_id: UUID) -> GroupEnrolment:
    """Return the enrolment locked, if the actor runs the series and sees the participant
    or works on the participant's case."""
    series = access.access_series(actor, series_id)
    # Lock the series: accepting checks its capacity.
    GroupSeries.objects.select_for_update().filter(pk=series.pk).first()
    enrolment = (
        GroupEnrolment.objects.select_for_update(of=("self",))
        .select_related("case")
        .filter(series=series, pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        raise NotFoundOrForbidden
    if not access.visible_enrolments(actor, series).filter(pk=enrolment.pk).exists():
        access_case_for(actor, enrolment.case_id, can_work_on_case)
    enrolment.series = series
    return enrolment


def _accepted_count(series: GroupSeries) -> int:
    return GroupEnrolment.objects.filter(series=series, status=Status.ACCEPTED).count()


def places_left(series: GroupSeries) -> int:
    """Count the places not taken by accepted participants."""
    return max(series.capacity - _accepted_count(series), 0)


_ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    Status.INFORMED: (Status.INVITED,),
    Status.ACCEPTED: (Status.INFORMED,),
    Status.DECLINED: (Status.INVITED, Status.INFORMED, Status.ACCEPTED),
    Status.LEFT: (Status.ACCEPTED,),
}


def _check_transition(enrolment: GroupEnrolment, status: str) -> None:
    if status not in _ALLOWED_FROM:
        raise ValidationFailed(_("Okänd status."), field="status")
    if enrolment.status in _ALLOWED_FROM[status]:
        return
    if status == Status.ACCEPTED and enrolment.status == Status.INVITED:
        raise InvalidTransition(
            _("Personen kan tacka ja först efter att ha deltagit i informationsmötet.")
        )
    raise InvalidTransition(
        _("Det går inte att ändra från ”%(old)s” till ”%(new)s”.")
        % {"old": enrolment.get_status_display(), "new": Status(status).label}
    )


@transaction.atomic
def change_enrolment(
    *, actor: User, series_id: UUID, enrolment_id: UUID, status: str, channel: Channel
) -> GroupEnrolment:
    """Move an enrolment: informed, accepted (only after the information meeting and while
    places are left), declined or left (both free the place)."""
    enrolment = _enrolment_for(actor, series_id, enrolment_id)
    _check_transition(enrolment, status)
    series = enrolment.series
    if status == Status.ACCEPTED and _accepted_count(series) >= series.capacity:
        raise InvalidTransition(
            _("Gruppen är full: alla %(capacity)s platser är tagna.")
            % {"capacity": series.capacity}
        )
    old = enrolment.status
    enrolment.status = status
    enrolment.changed_by = actor
    if status in (Status.ACCEPTED, Status.DECLINED):
        enrolment.decided_on = timezone.localdate()
    enrolment.save(update_fields=["status", "changed_by", "decided_on", "updated_at"])
    _audit_enrolment(actor, enrolment, channel, old_status=old)
    return enrolment


def mark_informed(
    *, actor: User, series_id: UUID, enrolment_id: UUID, channel: Channel
) -> GroupEnrolment:
    """Record that the participant came to the information meeting."""
    return change_enrolment(
        actor=actor,
        series_id=series_id,
        enrolment_id=enrolment_id,
        status=Status.INFORMED,
        channel=channel,
    )


def accept(*, actor: User, series_id: UUID, enrolment_id: UUID, channel: Channel) -> GroupEnrolment:
    """Give the participant a place, after the information meeting and within capacity."""
    return change_enrolment(
        actor=actor,
        series_id=series_id,
        enrolment_id=enrolment_id,
        status=Status.ACCEPTED,
        channel=channel,
    )


def decline(
    *, actor: User, series_id: UUID, enrolment_id: UUID, channel: Channel
) -> GroupEnrolment:
    """Record that the participant said no; a place they held is freed."""
    return change_enrolment(
        actor=actor,
        series_id=series_id,
        enrolment_id=enrolment_id,
        status=Status.DECLINED,
        channel=channel,
    )


def leave(*, actor: User, series_id: UUID, enrolment_id: UUID, channel: Channel) -> GroupEnrolment:
    """Record that an accepted participant left the series; the place is freed."""
    return change_enrolment(
        actor=actor,
        series_id=series_id,
        enrolment_id=enrolment_id,
        status=Status.LEFT,
        channel=channel,
    )


def _check_rows(
    session: GroupSession, rows: Sequence[AttendanceRow], accepted: dict[UUID, GroupEnrolment]
) -> None:
    ids = [row.enrolment_id for row in rows]
    if len(ids) != len(set(ids)):
        raise ValidationFailed(
            _("En deltagare kan bara vara med på ett pass per tillfälle."), field="rows"
        )
    for row in rows:
        if row.enrolment_id not in accepted:
            raise ValidationFailed(
                _("Närvaro kan bara registreras för antagna deltagare."), field="rows"
            )
        if row.present and row.run not in Run.values:
            raise ValidationFailed(
                _("Ange vilket pass en närvarande deltagare var på."), field="rows"
            )


def _check_run_capacity(session: GroupSession, rows: Sequence[AttendanceRow]) -> None:
    changed = {row.enrolment_id for row in rows}
    kept = Attendance.objects.filter(session=session, present=True).exclude(
        enrolment_id__in=changed
    )
    counts = Counter(kept.values_list("run", flat=True))
    counts.update(row.run for row in rows if row.present)
    capacity = session.series.capacity
    for run, count in counts.items():
        if count > capacity:
            raise ValidationFailed(
                _("%(run)s har %(count)s närvarande men bara %(capacity)s platser.")
                % {"run": Run(run).label, "count": count, "capacity": capacity},
                field="rows",
            )


def _follow_up(actor: User, session: GroupSession, case: Case, channel: Channel) -> TeamTask:
    title = _("Individuell uppföljning efter %(series)s tillfälle %(number)s") % {
        "series": session.series.title,
        "number": session.number,
    }
    task: TeamTask = create_task(
        actor=actor,
        case=case,
        title=str(title),
        owner_organisation=session.series.unit.organisation,
        source=TeamTask.Source.GROUP,
        channel=channel,
    )
    return task


def _save_row(
    actor: User,
    session: GroupSession,
    enrolment: GroupEnrolment,
    row: AttendanceRow,
    channel: Channel,
) -> Attendance:
    attendance, _created = Attendance.objects.select_for_update().get_or_create(
        session=session,
        enrolment=enrolment,
        defaults={"present": False, "run": "", "recorded_by": actor},
    )
    attendance.present = row.present
    attendance.run = row.run if row.present else ""
    attendance.wants_follow_up = row.wants_follow_up or attendance.follow_up_task_id is not None
    attendance.recorded_by = actor
    if attendance.wants_follow_up and attendance.follow_up_task_id is None:
        attendance.follow_up_task = _follow_up(actor, session, enrolment.case, channel)
    attendance.save()
    audit.record_case(
        actor=actor,
        action=AuditAction.GROUP_ATTENDANCE_RECORDED,
        channel=channel,
        case=enrolment.case,
        changes={
            "series": str(session.series_id),
            "session": session.number,
            "present": attendance.present,
            "run": attendance.run,
            "wants_follow_up": attendance.wants_follow_up,
            "follow_up_task": str(attendance.follow_up_task_id or ""),
        },
    )
    return attendance


@transaction.atomic
def record_attendance(
    *,
    actor: User,
    series_id: UUID,
    session_id: UUID,
    rows: Sequence[AttendanceRow],
    channel: Channel,
) -> list[Attendance]:
    """Record who came to a held session and to which run; a follow-up wish becomes one task.

    Only accepted participants the actor may see, one run each, no run above capacity;
    any refusal writes nothing.
    """
    session = _session_for(actor, series_id, session_id)
    GroupSeries.objects.select_for_update().filter(pk=session.series_id).first()
    if session.held_on > timezone.localdate():
        raise InvalidTransition(
            _("Närvaro kan inte registreras för ett tillfälle som inte har hållits än.")
        )
    accepted = {
        e.pk: e
        for e in access.visible_enrolments(actor, session.series)
        .filter(status=Status.ACCEPTED)
        .select_related("case")
    }
    _check_rows(session, rows, accepted)
    _check_run_capacity(session, rows)
    return [_save_row(actor, session, accepted[row.enrolment_id], row, channel) for row in rows]


@transaction.atomic
def record_evaluation(
    *, actor: User, series_id: UUID, session_id: UUID, note: str, channel: Channel
) -> GroupSession:
    """Write the short evaluation of a held session: by its facilitator or the unit's staff."""
    session = _session_for(actor, series_id, session_id)
    if not access.can_evaluate_session(actor, session):
        raise NotFoundOrForbidden
    if session.held_on > timezone.localdate():
        raise InvalidTransition(_("Ett tillfälle kan utvärderas först när det har hållits."))
    session.evaluation_note = _text(note, "note", 5000, required=True)
    session.evaluated_by = actor
    session.save(update_fields=["evaluation_note", "evaluated_by", "updated_at"])
    return session
