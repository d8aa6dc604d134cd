"""Who may read and write a case's journal.

Seeing the case goes through `sia.cases.access`. The journal is the municipality's own
record: its caseworkers on the case (and the unit's manager) write it while the case is
open; a partner organisation's user never writes it and reads it only with a valid
consent that shares the case (`DataKind.CASE`). Missing and forbidden both answer 404.
"""

from uuid import UUID

from sia.accounts.models import User
from sia.cases.models import Case
from sia.consent.models import DataKind
from sia.process.access import access_case_for, can_do_sia_casework

# The consent data kind a partner needs to read the journal.
JOURNAL_KIND = DataKind.CASE


def can_write_journal(user: User, case: Case) -> bool:
    """Tell whether the user may write notes, corrections and objections in the journal."""
    return can_do_sia_casework(user, case)


def access_case_to_write(user: User, case_id: UUID) -> Case:
    """Return the open case whose journal the user may write, else 404."""
    return access_case_for(user, case_id, can_write_journal)
