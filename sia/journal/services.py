"""Write journal notes, corrections and the person's objections.

A note is never changed: a correction is a new note that points at the one it corrects,
and only the newest version of a note can be corrected. Every write is made by the
municipality's caseworker on the open case, numbered under a lock of the case, and
audited in the same transaction (without the note's text: the log holds no content).
"""

import datetime as dt
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.accounts.selectors import primary_membership
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case, CaseTeamMember
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.core.text import clean_text
from sia.journal.access import access_case_to_write
from sia.journal.models import JournalEntry, Objection

# How far back an event may be noted: the retention period of the records.
MAX_BACK = dt.timedelta(days=5 * 365)


def _locked_case(user: User, case_id: UUID) -> Case:
    case = access_case_to_write(user, case_id)
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def _check_occurred_at(occurred_at: dt.datetime) -> None:
    if timezone.is_naive(occurred_at):
        raise ValidationFailed(_("Ange händelsetiden med tidszon."), field="occurred_at")
    now = timezone.now()
    if occurred_at > now:
        raise ValidationFailed(_("Händelsetiden kan inte ligga i framtiden."), field="occurred_at")
    if occurred_at < now - MAX_BACK:
        raise ValidationFailed(
            _("Händelsetiden kan inte ligga mer än fem år tillbaka."), field="occurred_at"
        )


def _check_kind(kind: str) -> None:
    if kind not in JournalEntry.Kind.values:
        raise ValidationFailed(_("Välj typ av anteckning."), field="kind")


def _author_snapshot(user: User, case: Case) -> tuple[str, UUID | None]:
    """The role and unit the author writes in: their place on the case team, else their
    membership in the case's unit (the manager), else their first one."""
    member = (
        CaseTeamMember.objects.filter(case=case, user_id=user.pk, left_at__isnull=True)
        .order_by("created_at")
        .first()
    )
    if member is not None:
        return member.role, member.unit_id
    membership = primary_membership(user, case.owning_unit_id)
    return (membership.role, membership.unit_id) if membership else ("", None)


def _create_entry(case: Case, author: User, **fields: Any) -> JournalEntry:
    role, unit_id = _author_snapshot(author, case)
    number = (JournalEntry.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            return JournalEntry.objects.create(
                case=case,
                number=number,
                author=author,
                author_role=role,
                author_unit_id=unit_id,
                **fields,
            )
    except IntegrityError as error:
        raise InvalidTransition(
            _("Någon annan skrev i journalen samtidigt. Försök igen.")
        ) from error


def _audit(user: User, case: Case, action: AuditAction, channel: Channel, **changes: Any) -> None:
    audit.record_case(actor=user, action=action, channel=channel, case=case, changes=changes)


@transaction.atomic
def write_entry(
    *,
    case_id: UUID,
    occurred_at: dt.datetime,
    kind: str,
    text: str,
    written_by: User,
    channel: Channel,
) -> JournalEntry:
    """Write a signed journal note on the case, dated with when it happened."""
    case = _locked_case(written_by, case_id)
    _check_occurred_at(occurred_at)
    _check_kind(kind)
    entry = _create_entry(
        case,
        written_by,
        occurred_at=occurred_at,
        kind=kind,
        text=clean_text(text, "text", required=True),
    )
    _audit(
        written_by,
        case,
        AuditAction.JOURNAL_WRITTEN,
        channel,
        entry=str(entry.pk),
        number=entry.number,
        kind=kind,
        occurred_at=occurred_at.isoformat(),
    )
    return entry


@transaction.atomic
def correct_entry(
    *,
    case_id: UUID,
    entry_id: UUID,
    text: str,
    reason: str,
    written_by: User,
    channel: Channel,
    occurred_at: dt.datetime | None = None,
    kind: str | None = None,
) -> JournalEntry:
    """Correct a note with a new note that points at it; the old one stays as it was.

    Only the newest version can be corrected. What is omitted (the event time, the kind)
    is taken from the note corrected.
    """
    case = _locked_case(written_by, case_id)
    old = JournalEntry.objects.select_for_update().filter(case=case, pk=entry_id).first()
    if old is None:
        raise NotFoundOrForbidden
    newer = JournalEntry.objects.filter(corrects=old).values_list("number", flat=True).first()
    if newer is not None:
        raise InvalidTransition(
            _("Anteckningen är redan rättad. Rätta den senaste versionen, anteckning %(number)s.")
            % {"number": newer}
        )
    occurred_at = old.occurred_at if occurred_at is None else occurred_at
    kind = old.kind if kind is None else kind
    _check_occurred_at(occurred_at)
    _check_kind(kind)
    entry = _create_entry(
        case,
        written_by,
        occurred_at=occurred_at,
        kind=kind,
        text=clean_text(text, "text", required=True),
        corrects=old,
        correction_reason=clean_text(reason, "reason", required=True),
    )
    _audit(
        written_by,
        case,
        AuditAction.JOURNAL_CORRECTED,
        channel,
        entry=str(entry.pk),
        number=entry.number,
        corrects=str(old.pk),
        corrects_number=old.number,
        kind=kind,
        occurred_at=occurred_at.isoformat(),
    )
    return entry


@transaction.atomic
def record_objection(
    *,
    case_id: UUID,
    entry_id: UUID,
    text: str,
    received_as: str,
    received_on: dt.date,
    recorded_by: User,
    channel: Channel,
) -> Objection:
    """Attach the person's objection (avvikande mening), in their own words, to a note."""
    case = _locked_case(recorded_by, case_id)
    entry = JournalEntry.objects.filter(case=case, pk=entry_id).first()
    if entry is None:
        raise NotFoundOrForbidden
    if received_as not in Objection.ReceivedAs.values:
        raise ValidationFailed(_("Välj hur den avvikande meningen lämnades."), field="received_as")
    if received_on > timezone.localdate():
        raise ValidationFailed(_("Datumet kan inte ligga i framtiden."), field="received_on")
    if received_on < timezone.localdate(entry.written_at):
        raise ValidationFailed(
            _("Datumet kan inte ligga före dagen då anteckningen skrevs."), field="received_on"
        )
    objection = Objection.objects.create(
        entry=entry,
        text=clean_text(text, "text", required=True),
        received_as=received_as,
        received_on=received_on,
        recorded_by=recorded_by,
    )
    _audit(
        recorded_by,
        case,
        AuditAction.JOURNAL_OBJECTION,
        channel,
        entry=str(entry.pk),
        number=entry.number,
        objection=str(objection.pk),
        received_as=received_as,
        received_on=received_on.isoformat(),
    )
    return objection
