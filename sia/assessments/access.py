"""Who may see and record a case's assessments, future and health plan and progress.

Seeing the case goes through `sia.cases.access`; on top of that a partner user needs a
valid consent that shares assessments (and health, for the future and health plan and
health barriers). Municipal users have no data-kind limit.

Recording is the municipality's own documentation: a consent lets a partner read, not
write in the municipality's record (ADR 0010). Partners contribute through the shared
action plan, meeting minutes and consultations.
"""

from uuid import UUID

from sia.accounts.models import User
from sia.cases.models import Case
from sia.consent.coverage import may_see_kind
from sia.consent.models import DataKind
from sia.process.access import access_case_for, can_do_sia_casework


def can_see_assessments(user: User, case: Case) -> bool:
    """Tell whether a consent lets the user see the case's assessment records."""
    return may_see_kind(user, case.person_id, DataKind.ASSESSMENTS)


def can_see_health(user: User, case: Case) -> bool:
    """Tell whether the user may also see the health parts (future and health plan)."""
    return can_see_assessments(user, case) and may_see_kind(user, case.person_id, DataKind.HEALTH)


def can_record_assessments(user: User, case: Case) -> bool:
    """Tell whether the user may record talks, topics, barriers, progress and enrolments."""
    return can_do_sia_casework(user, case) and can_see_assessments(user, case)


def can_record_health(user: User, case: Case) -> bool:
    """Tell whether the user may change the future and health plan and health barriers."""
    return can_do_sia_casework(user, case) and can_see_health(user, case)


def access_case_to_record(user: User, case_id: UUID, *, health: bool = False) -> Case:
    """Return the open case the user may record assessments on, else 404."""
    return access_case_for(user, case_id, can_record_health if health else can_record_assessments)
