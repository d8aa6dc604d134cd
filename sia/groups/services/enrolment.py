"""Invite cases to a series and move their enrolments.

Only the municipality enrols: inviting needs someone who may do the municipality's own SIA
casework on the case, and a status change (informed, accepted, declined, left) needs
municipal staff who run the series and see the participant, or that same casework right
on the case. A partner facilitator records attendance but never decides a place. Every
change is audited on the case. Capacity is checked with the series row locked, so two
accepts cannot both take the last place.
"""

from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.groups import access
from sia.groups.models import GroupEnrolment, GroupSeries
from sia.groups.services.common import Run, Status
from sia.people.models import Language
from sia.process.access import access_case_for, can_do_sia_casework


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
    """Invite a case the actor does the municipality's casework on to the series'
    information meeting (never a partner organisation's user)."""
    series = access.access_series(actor, series_id)
    case = access_case_for(actor, case_id, can_do_sia_casework)
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
    """Return the enrolment locked, if the actor decides enrolments of the series (municipal
    staff running it) and sees the participant, or does the municipality's casework on the
    participant's case."""
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
    decides = access.can_decide_enrolments(actor, series)
    if not (decides and access.visible_enrolments(actor, series).filter(pk=enrolment.pk).exists()):
        access_case_for(actor, enrolment.case_id, can_do_sia_casework)
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
