"""Check and import existing cases from a CSV or XLSX file, all rows or none.

Checking runs every row through the same services a caseworker's registration and
aktualisering use (`register_person`, `open_case`, `add_team_member`), inside one
transaction that is always rolled back: the file is judged by exactly the rules a case
opened by hand meets, and nothing is written. A file without errors is kept as a
`PendingImport` (bytes and SHA-256 digest, owned by the user, expiring after
SIA_IMPORT_PENDING_MINUTES) until the user confirms; confirming checks the kept bytes again
and imports every row in one transaction, or none if anything changed in between.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field, fields
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.accounts.models import Role, User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case, TeamFunction
from sia.cases.services import open_case
from sia.core.exceptions import DomainError, NotFoundOrForbidden
from sia.core.uploads import CheckedUpload, UploadKind, UploadRefused, check_upload
from sia.imports.access import access_pending_import, import_units, is_expired
from sia.imports.columns import BY_KEY
from sia.imports.models import PendingImport
from sia.imports.reader import read_sheet
from sia.imports.validation import ImportRow, RowError, column_of, read_rows
from sia.people.models import PersonIdentifier
from sia.people.services import IdentifierInput, PersonInput, register_person
from sia.teamwork.services import add_team_member

DEFAULT_PENDING_MINUTES = 60
# What the sheet's columns say about the person (the birth date comes from the number).
PERSON_FIELDS = tuple(f.name for f in fields(PersonInput) if f.name in BY_KEY)


class ImportExpired(DomainError):
    """The checked file waited too long for confirmation; it must be uploaded again."""


@dataclass
class ImportResult:
    """The outcome of a check or an import: the rows, the errors and what was kept or made."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    pending: PendingImport | None = None
    cases: list[Case] = field(default_factory=list)
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def pending_minutes() -> int:
    """How long a checked file waits for confirmation, from SIA_IMPORT_PENDING_MINUTES."""
    return int(getattr(settings, "SIA_IMPORT_PENDING_MINUTES", DEFAULT_PENDING_MINUTES))


def _person_input(row: ImportRow) -> PersonInput:
    values = {name: row.values[name] for name in PERSON_FIELDS}
    return PersonInput(date_of_birth=row.personal_number.birth_date, **values)


def _identifier(row: ImportRow) -> IdentifierInput:
    number = row.personal_number
    kind = (
        PersonIdentifier.Kind.SAMORDNINGSNUMMER
        if number.is_coordination_number
        else PersonIdentifier.Kind.PERSONNUMMER
    )
    return IdentifierInput(kind=kind, value=number.digits)


def _import_row(*, user: User, row: ImportRow, channel: Channel) -> Case:
    """Register the row's person, open their case and put the caseworker on its team."""
    assert row.unit is not None  # noqa: S101 (rows without a unit have an error)
    try:
        person = register_person(
            registered_by=user,
            unit_id=row.unit.pk,
            data=_person_input(row),
            identifiers=[_identifier(row)],
            confirmed_not_duplicate=False,
            channel=channel,
        )
    except DomainError as error:
        if error.field == "confirmed_not_duplicate":
            error.message = _("Det finns redan en person med samma namn och födelsedatum.")
        error.field = error.field or "identifier_kind"
        raise
    case = open_case(
        opened_by=user,
        person_id=person.pk,
        unit_id=row.unit.pk,
        first_contact_date=row.values["first_contact_date"],
        channel=channel,
        outside_target_group_confirmed=row.values["outside_target_group_confirmed"],
    )
    if row.caseworker is not None:
        guide = row.caseworker.role == Role.COMMUNITY_GUIDE
        add_team_member(
            actor=user,
            case_id=case.pk,
            user_id=row.caseworker.user_id,
            function=TeamFunction.COMMUNITY_GUIDE if guide else TeamFunction.SOCIAL_WORKER,
            channel=channel,
        )
    return case


def _run_rows(*, user: User, rows: list[ImportRow], channel: Channel) -> ImportResult:
    """Run each row in its own savepoint, so one row's refusal leaves the others checkable."""
    result = ImportResult(rows=rows)
    for row in rows:
        try:
            with transaction.atomic():
                result.cases.append(_import_row(user=user, row=row, channel=channel))
        except DomainError as error:
            column = column_of(error.field, default="")
            result.errors.append(RowError(row.number, column, str(error.message)))
        except NotFoundOrForbidden:
            result.errors.append(
                RowError(row.number, "enhet", _("Du får inte öppna ärenden i enheten."))
            )
    return result


def _read(user: User, upload: CheckedUpload, channel: Channel) -> ImportResult:
    """Read the file and run every readable row, keeping the writes only if all pass."""
    sheet = read_sheet(upload)
    checked = read_rows(sheet, units=import_units(user))
    failed = checked.failed_rows()
    runnable = [row for row in checked.rows if row.number not in failed]
    result = _run_rows(user=user, rows=runnable, channel=channel)
    errors = sorted(checked.errors + result.errors, key=lambda e: (e.row, e.column))
    return ImportResult(rows=checked.rows, errors=errors, cases=result.cases, total=len(sheet.rows))


def _record_check(user: User, kind: str, result: ImportResult | None) -> None:
    changes: dict[str, object] = {"kind": kind}
    if result is None:
        changes["refused"] = True
    else:
        changes["rows"] = result.total
        changes["errors"] = len(result.errors)
        changes["rows_with_errors"] = len({e.row for e in result.errors})
    audit.record(
        actor=user, action=AuditAction.IMPORT_CHECKED, channel=Channel.WEB, changes=changes
    )


def _record_matches(user: User, rows: list[ImportRow]) -> None:
    """Log each row whose number belongs to someone already, as a search for that person.

    The check tells the user that a number is registered, whoever it belongs to (as
    registering by hand does), so every such answer is logged on the person it was about:
    probing many numbers shows in the log review's "many persons in a short time".
    Called after the check's writes are rolled back, so only people who really exist match.
    """
    wanted: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        identifier = _identifier(row)
        wanted.setdefault((identifier.kind, identifier.value), []).append(row.number)
    found = PersonIdentifier.objects.filter(
        value__in={value for _kind, value in wanted}
    ).values_list("kind", "value", "person_id")
    matches = sorted(
        (number, person_id)
        for kind, value, person_id in found
        for number in wanted.get((kind, value), [])
    )
    for number, person_id in matches:
        audit.record(
            actor=user,
            action=AuditAction.PERSON_SEARCHED,
            channel=Channel.WEB,
            person_id=person_id,
            changes={"source": "import_check", "row": number},
        )


def expired_pending_imports() -> QuerySet[PendingImport]:
    """Checked files nobody confirmed in time (also removed by the retention job)."""
    return PendingImport.objects.filter(expires_at__lte=timezone.now())


def _purge_expired() -> None:
    expired_pending_imports().delete()


def check_import(*, user: User, upload: CheckedUpload) -> ImportResult:
    """Check every row of the file without writing; keep a file without errors as pending."""
    if not import_units(user):
        raise NotFoundOrForbidden
    try:
        with transaction.atomic():
            result = _read(user, upload, Channel.WEB)
            transaction.set_rollback(True)
    except UploadRefused:
        with transaction.atomic():
            _record_check(user, upload.kind, None)
        raise
    with transaction.atomic():
        _record_check(user, upload.kind, result)
        _record_matches(user, result.rows)
        _purge_expired()
        result.cases = []
        if result.ok:
            result.pending = PendingImport.objects.create(
                owner=user,
                kind=upload.kind,
                content=upload.content,
                digest=hashlib.sha256(upload.content).hexdigest(),
                row_count=len(result.rows),
                expires_at=timezone.now() + dt.timedelta(minutes=pending_minutes()),
            )
    return result


def pending_upload(pending: PendingImport) -> CheckedUpload:
    """Check the kept bytes again (they pass the same upload check as when sent)."""
    content = bytes(pending.content)
    if hashlib.sha256(content).hexdigest() != pending.digest:
        raise ImportExpired(_("Den kontrollerade filen har ändrats. Ladda upp den igen."))
    return check_upload(content, allowed=frozenset({UploadKind(pending.kind)}))


def read_pending(*, user: User, pending_id: UUID) -> ImportResult:
    """Read the user's pending import for its summary, without writing."""
    pending = access_pending_import(user, pending_id)
    if is_expired(pending):
        pending.delete()
        raise ImportExpired(_("Kontrollen har gått ut. Ladda upp filen igen."))
    checked = read_rows(read_sheet(pending_upload(pending)), units=import_units(user))
    return ImportResult(rows=checked.rows, errors=checked.errors, pending=pending)


def make_import(*, user: User, pending_id: UUID) -> ImportResult:
    """Import every row of the user's pending import in one transaction, or none of them."""
    pending = access_pending_import(user, pending_id)
    if is_expired(pending):
        pending.delete()
        raise ImportExpired(_("Kontrollen har gått ut. Ladda upp filen igen."))
    with transaction.atomic():
        locked = PendingImport.objects.select_for_update().filter(pk=pending.pk).first()
        if locked is None:
            raise NotFoundOrForbidden
        upload = pending_upload(locked)
        with transaction.atomic():
            result = _read(user, upload, Channel.WEB)
            if not result.ok:
                transaction.set_rollback(True)
        locked.delete()
        if not result.ok:
            result.cases = []
            return result
        audit.record(
            actor=user,
            action=AuditAction.IMPORT_MADE,
            channel=Channel.WEB,
            changes={"kind": locked.kind, "rows": result.total, "cases": len(result.cases)},
        )
    return result
