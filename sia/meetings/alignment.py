"""Record the SIA alignment, keep the requested-documents list and the referrals to other units.

The alignment is a signed record: it is never changed, a correction is a new record
that supersedes the latest one of its kind. Every write is audited in its own
transaction; audit changes hold keys, ids and counts, never the free text.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.core.concurrency import check_unchanged, save_if_unchanged
from sia.core.exceptions import (
    DuplicateRecord,
    InvalidTransition,
    NotFoundOrForbidden,
    ValidationFailed,
)
from sia.meetings.models import Alignment, DocumentRequest, Referral
from sia.meetings.selectors_alignment import (
    current_alignment,
    list_guides_on_team,
    list_referral_units,
    next_alignment_kind,
    requestable_documents,
)
from sia.process import services as process
from sia.process.access import access_case_for, can_do_sia_casework
from sia.process.models import CaseStep

MIN_VISIT_MINUTES = 15
MAX_VISIT_MINUTES = 480

# Where a referral may go next; a closed referral stays closed.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    Referral.Status.IDENTIFIED: frozenset({Referral.Status.SENT, Referral.Status.CLOSED}),
    Referral.Status.SENT: frozenset(
        {Referral.Status.ACCEPTED, Referral.Status.DECLINED, Referral.Status.CLOSED}
    ),
    Referral.Status.ACCEPTED: frozenset({Referral.Status.CLOSED}),
    Referral.Status.DECLINED: frozenset({Referral.Status.CLOSED}),
    Referral.Status.CLOSED: frozenset(),
}

DOCUMENTS = _("listan över begärda handlingar")


@dataclass(frozen=True)
class ReferralInput:
    """A need for help at another unit: a unit of the municipality or a unit named in text."""

    need: str
    to_unit_id: UUID | None = None
    to_unit_name: str = ""


@dataclass(frozen=True)
class AlignmentInput:
    """What the SIA group agreed at the alignment."""

    held_on: dt.date
    document_item_ids: Sequence[UUID] = ()
    info_for_guide: str = ""
    first_visit_at: dt.datetime | None = None
    first_visit_minutes: int = 60
    standby_guide_id: UUID | None = None
    notes: str = ""
    referrals: Sequence[ReferralInput] = ()


def _case_for_work(user: User, case_id: UUID) -> Case:
    return access_case_for(user, case_id, can_do_sia_casework)


def _open_step_keys(case: Case) -> set[str]:
    return set(
        CaseStep.objects.filter(case=case, status=CaseStep.Status.OPEN).values_list(
            "key", flat=True
        )
    )


def _check_date(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationFailed(_("Datumet kan inte ligga i framtiden."), field=field)


def _standby_guide(case: Case, guide_id: UUID | None) -> User | None:
    if guide_id is None:
        return None
    guide = list_guides_on_team(case).filter(pk=guide_id).first()
    if guide is None:
        raise ValidationFailed(
            _("Välj en samhällsvägledare som finns i ärendeteamet."), field="standby_guide"
        )
    return guide


def _check_first_visit(data: AlignmentInput, kind: str) -> None:
    if not MIN_VISIT_MINUTES <= data.first_visit_minutes <= MAX_VISIT_MINUTES:
        raise ValidationFailed(
            _("Längden ska vara mellan 15 och 480 minuter."), field="first_visit_minutes"
        )
    if data.first_visit_at is None:
        if kind == Alignment.Kind.INITIAL:
            raise ValidationFailed(
                _("Ange den överenskomna tiden för nybesöket."), field="first_visit_at"
            )
        return
    if timezone.localtime(data.first_visit_at).date() < data.held_on:
        raise ValidationFailed(
            _("Nybesöket kan inte ligga före avstämningen."), field="first_visit_at"
        )
    if data.standby_guide_id is None:
        raise ValidationFailed(
            _("Välj vilken samhällsvägledare som är i beredskap under nybesöket."),
            field="standby_guide",
        )


def _document_items(case: Case, item_ids: Sequence[UUID]) -> dict[UUID, str]:
    """Return the wanted items' keys by id, refusing any item outside the step's catalogues."""
    wanted = list(dict.fromkeys(item_ids))
    keys = dict(requestable_documents(case).filter(pk__in=wanted).values_list("pk", "key"))
    if len(keys) != len(wanted):
        raise ValidationFailed(
            _("En av handlingarna finns inte i katalogen över handlingar."), field="documents"
        )
    return {item_id: keys[item_id] for item_id in wanted}


def _check_referral(case: Case, referral: ReferralInput) -> None:
    if not referral.need.strip():
        raise ValidationFailed(_("Beskriv behovet av hjälp."), field="referrals")
    if referral.to_unit_id is None and not referral.to_unit_name.strip():
        raise ValidationFailed(_("Välj en enhet eller skriv enhetens namn."), field="referrals")
    if referral.to_unit_id is not None and referral.to_unit_name.strip():
        raise ValidationFailed(
            _("Välj en enhet i listan eller skriv ett namn, inte båda."), field="referrals"
        )
    if (
        referral.to_unit_id is not None
        and not list_referral_units(case).filter(pk=referral.to_unit_id).exists()
    ):
        raise ValidationFailed(_("Enheten finns inte i kommunen."), field="referrals")


def _add_documents(
    case: Case, item_ids: Sequence[UUID], on: dt.date, user: User
) -> list[DocumentRequest]:
    present = set(
        DocumentRequest.objects.filter(case=case, item_id__in=item_ids).values_list(
            "item_id", flat=True
        )
    )
    rows = [
        DocumentRequest(
            case=case,
            item_id=item_id,
            status=DocumentRequest.Status.REQUESTED,
            status_date=on,
            changed_by=user,
        )
        for item_id in item_ids
        if item_id not in present
    ]
    DocumentRequest.objects.bulk_create(rows)
    return rows


def _save_referral(
    case: Case,
    referral: ReferralInput,
    *,
    on: dt.date,
    user: User,
    channel: Channel,
    alignment: Alignment | None,
) -> Referral:
    row = Referral.objects.create(
        case=case,
        alignment=alignment,
        to_unit_id=referral.to_unit_id,
        to_unit_name=referral.to_unit_name.strip(),
        need=referral.need.strip(),
        status=Referral.Status.IDENTIFIED,
        status_date=on,
        created_by=user,
    )
    audit.record_case(
        actor=user,
        action=AuditAction.REFERRAL_CREATED,
        channel=channel,
        case=case,
        changes={
            "referral": str(row.pk),
            "status": row.status,
            "to_unit_listed": bool(row.to_unit_id),
        },
    )
    return row


@transaction.atomic
def record_alignment(
    *, case_id: UUID, data: AlignmentInput, recorded_by: User, channel: Channel
) -> Alignment:
    """Sign the alignment, put the documents on the list, note the referrals and close the step.

    When the transfer step is open this is the new alignment with the guide after the
    transfer; a second record of the same kind is a correction of the latest one.
    """
    case = _case_for_work(recorded_by, case_id)
    process.lock_steps(case)
    open_steps = _open_step_keys(case)
    kind = next_alignment_kind(case)
    _check_date(data.held_on, "held_on")
    _check_first_visit(data, kind)
    guide = _standby_guide(case, data.standby_guide_id)
    items = _document_items(case, data.document_item_ids)
    for referral in data.referrals:
        _check_referral(case, referral)
    previous = current_alignment(case, kind)
    alignment = Alignment.objects.create(
        case=case,
        author=recorded_by,
        signed_at=timezone.now(),
        supersedes=previous,
        kind=kind,
        held_on=data.held_on,
        info_for_guide=data.info_for_guide.strip(),
        first_visit_at=data.first_visit_at,
        first_visit_minutes=data.first_visit_minutes,
        standby_guide=guide if data.first_visit_at else None,
        notes=data.notes.strip(),
    )
    added = _add_documents(case, list(items), data.held_on, recorded_by)
    for referral in data.referrals:
        _save_referral(
            case, referral, on=data.held_on, user=recorded_by, channel=channel, alignment=alignment
        )
    audit.record_case(
        actor=recorded_by,
        action=AuditAction.ALIGNMENT_RECORDED,
        channel=channel,
        case=case,
        changes={
            "alignment": str(alignment.pk),
            "kind": kind,
            "supersedes": str(previous.pk) if previous else None,
            "documents_added": sorted(items[row.item_id] for row in added),
            "referrals_added": len(data.referrals),
            "first_visit_booked": data.first_visit_at is not None,
        },
    )
    step_key = "transfer" if kind == Alignment.Kind.TRANSFER else "alignment"
    if step_key in open_steps:
        process.complete_step(
            case=case,
            key=step_key,
            completed_by=recorded_by,
            channel=channel,
            done_on=data.held_on,
        )
    if data.first_visit_at is not None:
        # The guidance meeting must come before the agreed first visit, not only its deadline.
        process.schedule_step(
            case=case, key="first_visit", on=timezone.localtime(data.first_visit_at).date()
        )
    return alignment


@transaction.atomic
def add_document_request(
    *, case_id: UUID, item_id: UUID, on: dt.date, added_by: User, channel: Channel
) -> DocumentRequest:
    """Put one more catalogue item on the case's requested-documents list."""
    case = _case_for_work(added_by, case_id)
    _check_date(on, "on")
    item = requestable_documents(case).filter(pk=item_id).first()
    if item is None:
        raise ValidationFailed(
            _("Handlingen finns inte i katalogen över handlingar."), field="item"
        )
    if DocumentRequest.objects.filter(case=case, item=item).exists():
        raise DuplicateRecord(_("Handlingen finns redan på listan."), field="item")
    row = DocumentRequest.objects.create(
        case=case,
        item=item,
        status=DocumentRequest.Status.REQUESTED,
        status_date=on,
        changed_by=added_by,
    )
    audit.record_case(
        actor=added_by,
        action=AuditAction.DOCUMENTS_UPDATED,
        channel=channel,
        case=case,
        changes={"added": item.key, "status": row.status},
    )
    return row


@transaction.atomic
def set_document_statuses(
    *,
    case_id: UUID,
    changes: Mapping[UUID, str],
    on: dt.date,
    changed_by: User,
    channel: Channel,
    expected_versions: Mapping[UUID, int] | None = None,
) -> list[DocumentRequest]:
    """Set the status of items on the requested-documents list, keyed by catalogue item id.

    Items whose status does not change are left alone; the changes are audited
    (item key, old and new status) and the changed rows returned. With
    ``expected_versions`` (item id to the version the user loaded) a change to an item
    someone else changed meanwhile refuses the whole save (`EditConflict`).
    """
    case = _case_for_work(changed_by, case_id)
    _check_date(on, "on")
    valid = set(DocumentRequest.Status.values)
    if any(status not in valid for status in changes.values()):
        raise ValidationFailed(_("Okänd status för en handling."), field="status")
    rows = {
        row.item_id: row
        for row in DocumentRequest.objects.select_for_update(of=("self",))
        .filter(case=case, item_id__in=list(changes))
        .select_related("item")
    }
    if len(rows) != len(changes):
        raise ValidationFailed(_("En av handlingarna finns inte på listan."), field="items")
    changed: dict[str, list[str]] = {}
    for item_id, status in changes.items():
        row = rows[item_id]
        if row.status == status:
            continue
        expected = None if expected_versions is None else expected_versions.get(item_id, -1)
        check_unchanged(row, expected_version=expected, what=DOCUMENTS, fields=["status"])
        changed[row.item.key] = [row.status, status]
        row.status, row.status_date, row.changed_by = status, on, changed_by
        save_if_unchanged(
            row,
            expected_version=expected,
            fields=["status", "status_date", "changed_by"],
            changed_by=changed_by,
            what=DOCUMENTS,
            shown=["status"],
        )
    if changed:
        audit.record_case(
            actor=changed_by,
            action=AuditAction.DOCUMENTS_UPDATED,
            channel=channel,
            case=case,
            changes={"status": changed, "on": on.isoformat()},
        )
    return [rows[item_id] for item_id in changes if rows[item_id].item.key in changed]


@transaction.atomic
def create_referral(
    *, case_id: UUID, referral: ReferralInput, on: dt.date, created_by: User, channel: Channel
) -> Referral:
    """Note a need for help at another unit, outside an alignment."""
    case = _case_for_work(created_by, case_id)
    _check_date(on, "on")
    _check_referral(case, referral)
    return _save_referral(case, referral, on=on, user=created_by, channel=channel, alignment=None)


@transaction.atomic
def update_referral_status(
    *,
    case_id: UUID,
    referral_id: UUID,
    status: str,
    on: dt.date,
    changed_by: User,
    channel: Channel,
) -> Referral:
    """Move a referral on: identified, sent, accepted or declined, closed."""
    case = _case_for_work(changed_by, case_id)
    referral = Referral.objects.select_for_update().filter(case=case, pk=referral_id).first()
    if referral is None:
        raise NotFoundOrForbidden
    _check_date(on, "on")
    if status not in REFERRAL_TRANSITIONS.get(referral.status, frozenset()):
        raise InvalidTransition(
            _("Remissen kan inte gå från %(old)s till %(new)s.")
            % {"old": referral.get_status_display(), "new": _status_label(status)},
            field="status",
        )
    if on < referral.status_date:
        raise ValidationFailed(
            _("Datumet kan inte ligga före remissens senaste ändring."), field="on"
        )
    old = referral.status
    referral.status, referral.status_date = status, on
    referral.save(update_fields=["status", "status_date", "updated_at"])
    audit.record_case(
        actor=changed_by,
        action=AuditAction.REFERRAL_UPDATED,
        channel=channel,
        case=case,
        changes={"referral": str(referral.pk), "status": [old, status], "on": on.isoformat()},
    )
    return referral


def _status_label(status: str) -> str:
    return str(dict(Referral.Status.choices).get(status, status))
