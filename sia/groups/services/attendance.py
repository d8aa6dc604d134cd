"""Record attendance and evaluations of held sessions.

Attendance is about a case and audited on it; a follow-up wish becomes one task on the
case's shared action plan. An evaluation note holds no personal data and is audited on
the series' unit (GROUP_SESSION_EVALUATED), without its text.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.groups import access
from sia.groups.models import Attendance, GroupEnrolment, GroupSeries, GroupSession
from sia.groups.services.common import Run, Status, audit_series, clean_text, session_for
from sia.teamwork.models import TeamTask
from sia.teamwork.services import create_task


@dataclass(frozen=True)
class AttendanceRow:
    """Whether one accepted participant came to a session, to which run, and a follow-up wish."""

    enrolment_id: UUID
    present: bool
    run: str = ""
    wants_follow_up: bool = False


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
    session = session_for(actor, series_id, session_id)
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
    session = session_for(actor, series_id, session_id)
    if not access.can_evaluate_session(actor, session):
        raise NotFoundOrForbidden
    if session.held_on > timezone.localdate():
        raise InvalidTransition(_("Ett tillfälle kan utvärderas först när det har hållits."))
    session.evaluation_note = clean_text(note, "note", limit=5000, required=True)
    session.evaluated_by = actor
    session.save(update_fields=["evaluation_note", "evaluated_by", "updated_at"])
    audit_series(
        actor, session.series, AuditAction.GROUP_SESSION_EVALUATED, channel, session=session.number
    )
    return session
