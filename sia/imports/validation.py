"""Read every row of an import file and check what can be checked without writing.

The rules the services themselves enforce (checksum, duplicates in the register, the
target group, the first-contact date) are checked by running the services in a
transaction that is rolled back (see `sia.imports.services`); this module adds what only
a file has: its headers, its cells, rows that repeat each other, and the units and
caseworkers the rows name.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sia.accounts.models import CASEWORK_ROLES, Membership, Organisation, Role, Unit
from sia.imports.columns import BY_HEADER, BY_KEY, COLUMNS, CellError, normalise_header
from sia.imports.reader import Sheet
from sia.people.identifiers import PersonalNumber


@dataclass(frozen=True)
class RowError:
    """One problem: the row number in the file, the column header ("" for the whole row)."""

    row: int
    column: str
    message: str


@dataclass
class ImportRow:
    """A data row whose cells could all be read."""

    number: int
    values: dict[str, Any]
    unit: Unit | None = None
    caseworker: Membership | None = None

    @property
    def personal_number(self) -> PersonalNumber:
        number: PersonalNumber = self.values["personal_number"]
        return number


@dataclass
class Checked:
    """The rows that could be read, and every error found so far."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def failed_rows(self) -> set[int]:
        return {error.row for error in self.errors}


def _header_errors(sheet: Sheet) -> tuple[dict[int, str], list[RowError]]:
    """Map column positions to column keys; report unknown, repeated and missing headers."""
    positions: dict[int, str] = {}
    errors: list[RowError] = []
    seen: set[str] = set()
    row = sheet.header_number
    for index, raw in enumerate(sheet.header):
        name = normalise_header(raw)
        if not name:
            continue
        column = BY_HEADER.get(name)
        if column is None:
            errors.append(RowError(row, str(raw).strip(), _("Okänd kolumn.")))
        elif column.key in seen:
            errors.append(RowError(row, column.header, _("Kolumnen finns två gånger.")))
        else:
            seen.add(column.key)
            positions[index] = column.key
    for column in COLUMNS:
        if column.required and column.key not in seen:
            errors.append(RowError(row, column.header, _("Kolumnen saknas.")))
    return positions, errors


def _read_row(number: int, cells: Sequence[Any], positions: dict[int, str]) -> Checked:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for index, key in positions.items():
        column = BY_KEY[key]
        raw = cells[index] if index < len(cells) else None
        if column.required and (raw is None or str(raw).strip() == ""):
            errors.append(RowError(number, column.header, _("Värde saknas.")))
            continue
        try:
            values[key] = column.read(raw)
        except CellError as error:
            errors.append(RowError(number, column.header, str(error.message)))
    present = set(positions.values())
    for column in COLUMNS:
        if column.key not in present and not column.required:
            values[column.key] = column.read(None)
    return Checked(rows=[ImportRow(number, values)] if not errors else [], errors=errors)


def _check_dates(row: ImportRow) -> list[RowError]:
    today = timezone.localdate()
    errors = []
    for key in ("residence_permit_date", "reception_date"):
        day: dt.date | None = row.values.get(key)
        if day is not None and day > today:
            errors.append(
                RowError(row.number, BY_KEY[key].header, _("Datumet kan inte ligga i framtiden."))
            )
    return errors


def _duplicates_in_file(rows: list[ImportRow]) -> list[RowError]:
    """Report a row that repeats an earlier row's number, or its name and birth date."""
    by_number: dict[str, int] = {}
    by_name: dict[tuple[str, str, dt.date], int] = {}
    errors = []
    for row in rows:
        number = row.personal_number
        first = by_number.setdefault(number.digits, row.number)
        if first != row.number:
            errors.append(
                RowError(
                    row.number,
                    "personnummer",
                    _("Samma nummer som på rad %(row)d.") % {"row": first},
                )
            )
            continue
        name = (
            row.values["given_name"].lower(),
            row.values["family_name"].lower(),
            number.birth_date,
        )
        first = by_name.setdefault(name, row.number)
        if first != row.number:
            errors.append(
                RowError(
                    row.number,
                    "förnamn",
                    _("Samma namn och födelsedatum som på rad %(row)d.") % {"row": first},
                )
            )
    return errors


# Who may be named as a row's caseworker: the municipality's own casework staff, not its
# providers (they serve by order, ADR 0011) nor partner organisations' staff.
CASEWORKER_ROLES = CASEWORK_ROLES - {Role.PROVIDER_STAFF, Role.PARTNER_CASEWORKER}


def _caseworkers(units: list[Unit], usernames: set[str]) -> dict[str, Membership]:
    """Find each named user's casework membership in a municipality the units belong to."""
    memberships = (
        Membership.objects.filter(
            user__username__in=usernames,
            user__is_active=True,
            role__in=list(CASEWORKER_ROLES),
            unit__organisation_id__in={unit.organisation_id for unit in units},
            unit__organisation__kind=Organisation.Kind.MUNICIPALITY,
        )
        .select_related("user", "unit")
        .order_by("created_at")
    )
    found: dict[str, Membership] = {}
    for membership in memberships:
        found.setdefault(membership.user.username, membership)
    return found


def _check_scope(rows: list[ImportRow], units: list[Unit]) -> list[RowError]:
    """Resolve each row's unit (one the importer manages) and caseworker (in that municipality)."""
    by_name = {unit.name.lower(): unit for unit in units}
    caseworkers = _caseworkers(units, {row.values["caseworker"] for row in rows} - {""})
    errors = []
    for row in rows:
        row.unit = by_name.get(row.values["unit"].lower())
        if row.unit is None:
            errors.append(
                RowError(row.number, "enhet", _("Ingen enhet med det namnet som du är chef för."))
            )
        username = row.values["caseworker"]
        if not username:
            continue
        row.caseworker = caseworkers.get(username)
        if row.caseworker is None or (
            row.unit is not None and row.caseworker.unit.organisation_id != row.unit.organisation_id
        ):
            errors.append(
                RowError(
                    row.number,
                    "handläggare",
                    _("Ingen aktiv handläggare i kommunen har det användarnamnet."),
                )
            )
    return errors


def read_rows(sheet: Sheet, *, units: list[Unit]) -> Checked:
    """Read and check every row; the rows with errors are left out of `rows`."""
    positions, header_errors = _header_errors(sheet)
    if header_errors:
        return Checked(errors=header_errors)
    checked = Checked()
    for number, cells in sheet.rows:
        result = _read_row(number, cells, positions)
        checked.rows += result.rows
        checked.errors += result.errors
    for row in checked.rows:
        checked.errors += _check_dates(row)
    checked.errors += _duplicates_in_file(checked.rows)
    checked.errors += _check_scope(checked.rows, units)
    return checked


def column_of(user_field: str | None, *, default: str) -> str:
    """Name the column a service's refusal is about."""
    fields = {
        "given_name": "förnamn",
        "family_name": "efternamn",
        "date_of_birth": "personnummer",
        "identifier_kind": "personnummer",
        "interpreter_language": "tolkspråk",
        "first_contact_date": "första kontakt",
        "confirmed_not_duplicate": "förnamn",
        "outside_target_group_confirmed": "utanför målgruppen",
        "user": "handläggare",
        "function": "handläggare",
    }
    return fields.get(user_field or "", default)
