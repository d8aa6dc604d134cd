"""Record postponed topics, barriers, and progress steps and outcomes."""

import datetime as dt
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.assessments.access import can_record_health
from sia.assessments.kinds import (
    HEALTH_BARRIER_KINDS,
    HEALTH_PROGRESS_KINDS,
    category_of,
)
from sia.assessments.models import (
    Barrier,
    PostponedTopic,
    ProgressStep,
)
from sia.assessments.services.common import (
    MAX_AHEAD,
    audit_case,
    check_day_since,
    check_past_day,
    clean_text,
    locked_case,
    locked_row,
)
from sia.audit.models import AuditAction, Channel
from sia.core.concurrency import check_unchanged, save_if_unchanged
from sia.core.exceptions import (
    InvalidTransition,
    NotFoundOrForbidden,
    ValidationFailed,
)

# Postponed topics

TOPIC = _("det uppskjutna ämnet")
RETURN_FIELDS = ("returned_on", "returned_by", "return_note")


@transaction.atomic
def postpone_topic(
    *,
    case_id: UUID,
    topic: str,
    remind_on: dt.date,
    recorded_by: User,
    channel: Channel,
    note: str = "",
) -> PostponedTopic:
    """Record a sensitive topic the person chose not to discuss now, with a reminder."""
    case = locked_case(recorded_by, case_id)
    today = timezone.localdate()
    if remind_on < today:
        raise ValidationFailed(_("Påminnelsen kan inte ligga före i dag."), field="remind_on")
    if remind_on > today + MAX_AHEAD:
        raise ValidationFailed(_("Datumet ligger för långt fram i tiden."), field="remind_on")
    row = PostponedTopic.objects.create(
        case=case,
        topic=clean_text(topic, "topic", required=True, limit=200),
        note=clean_text(note, "note"),
        postponed_on=today,
        remind_on=remind_on,
        recorded_by=recorded_by,
    )
    audit_case(
        recorded_by,
        case,
        AuditAction.TOPIC_POSTPONED,
        channel,
        topic=str(row.pk),
        remind_on=remind_on.isoformat(),
    )
    return row


@transaction.atomic
def return_to_topic(
    *,
    case_id: UUID,
    topic_id: UUID,
    returned_on: dt.date,
    recorded_by: User,
    channel: Channel,
    note: str = "",
    expected_version: int | None = None,
) -> PostponedTopic:
    """Record that the postponed topic was taken up again.

    With ``expected_version`` it is refused (`EditConflict`) if someone changed the topic,
    or took it up, after the user loaded it.
    """
    case = locked_case(recorded_by, case_id)
    row = locked_row(PostponedTopic, case, topic_id)
    check_unchanged(row, expected_version=expected_version, what=TOPIC, fields=("returned_on",))
    if row.returned_on is not None:
        raise InvalidTransition(_("Ämnet är redan taget upp igen."))
    check_day_since(
        returned_on,
        row.postponed_on,
        "returned_on",
        _("Datumet kan inte ligga före dagen ämnet sköts upp."),
    )
    row.returned_on = returned_on
    row.returned_by = recorded_by
    row.return_note = clean_text(note, "note")
    save_if_unchanged(
        row,
        expected_version=expected_version,
        fields=RETURN_FIELDS,
        changed_by=recorded_by,
        what=TOPIC,
        shown=("returned_on",),
    )
    audit_case(
        recorded_by,
        case,
        AuditAction.TOPIC_RETURNED,
        channel,
        topic=str(row.pk),
        returned_on=returned_on.isoformat(),
    )
    return row


# Barriers


@transaction.atomic
def record_barrier(
    *,
    case_id: UUID,
    kind: str,
    noted_on: dt.date,
    recorded_by: User,
    channel: Channel,
    description: str = "",
) -> Barrier:
    """Record a barrier (hinder) from the day it was noted; health barriers need health consent."""
    case = locked_case(recorded_by, case_id, health=kind in HEALTH_BARRIER_KINDS)
    if kind not in Barrier.Kind.values:
        raise ValidationFailed(_("Okänt hinder."), field="kind")
    check_past_day(case, noted_on, "noted_on")
    barrier = Barrier.objects.create(
        case=case,
        kind=kind,
        description=clean_text(description, "description"),
        noted_on=noted_on,
        recorded_by=recorded_by,
    )
    audit_case(
        recorded_by,
        case,
        AuditAction.BARRIER_RECORDED,
        channel,
        barrier=str(barrier.pk),
        kind=kind,
        noted_on=noted_on.isoformat(),
    )
    return barrier


@transaction.atomic
def resolve_barrier(
    *,
    case_id: UUID,
    barrier_id: UUID,
    resolved_on: dt.date,
    recorded_by: User,
    channel: Channel,
) -> Barrier:
    """Record the day a barrier was resolved (undanröjt)."""
    case = locked_case(recorded_by, case_id)
    barrier = locked_row(Barrier, case, barrier_id)
    if barrier.kind in HEALTH_BARRIER_KINDS and not can_record_health(recorded_by, case):
        raise NotFoundOrForbidden
    if barrier.resolved_on is not None:
        raise InvalidTransition(_("Hindret är redan undanröjt."))
    check_day_since(
        resolved_on,
        barrier.noted_on,
        "resolved_on",
        _("Hindret kan inte undanröjas före dagen det noterades."),
    )
    barrier.resolved_on = resolved_on
    barrier.resolved_by = recorded_by
    barrier.save(update_fields=["resolved_on", "resolved_by", "updated_at"])
    audit_case(
        recorded_by,
        case,
        AuditAction.BARRIER_RECORDED,
        channel,
        barrier=str(barrier.pk),
        resolved_on=resolved_on.isoformat(),
    )
    return barrier


# Progress steps and outcomes


@transaction.atomic
def record_progress(
    *,
    case_id: UUID,
    category: str,
    kind: str,
    occurred_on: dt.date,
    recorded_by: User,
    channel: Channel,
    note: str = "",
) -> ProgressStep:
    """Record a progress step (stegförflyttning) or an outcome; the kind must fit the category."""
    case = locked_case(recorded_by, case_id, health=kind in HEALTH_PROGRESS_KINDS)
    if category not in ProgressStep.Category.values:
        raise ValidationFailed(_("Okänd kategori."), field="category")
    if category_of(kind) != category:
        raise ValidationFailed(_("Det valda steget hör inte till kategorin."), field="kind")
    check_past_day(case, occurred_on, "occurred_on")
    step = ProgressStep.objects.create(
        case=case,
        category=category,
        kind=kind,
        occurred_on=occurred_on,
        note=clean_text(note, "note"),
        recorded_by=recorded_by,
    )
    audit_case(
        recorded_by,
        case,
        AuditAction.PROGRESS_RECORDED,
        channel,
        step=str(step.pk),
        category=category,
        kind=kind,
        occurred_on=occurred_on.isoformat(),
    )
    return step
