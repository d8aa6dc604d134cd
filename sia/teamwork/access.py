"""Who may change a case team, its shared action plan and answer consultations.

Seeing the case itself goes through `sia.cases.access` (partners only with a valid
consent). On top of that:

- the team is changed by the manager of the case's unit or a municipal team member;
  partner members (AF, FK, region, provider) take part but do not compose the team;
- a task's status is changed by municipal workers on the team (or the manager), and by
  partner members only for tasks their own organisation owns, while a consent covers
  plans;
- a consultation is answered by the named specialist, or when none is named by anyone
  who holds the function on an active team or has the specialist role; a consultation
  about a case only by members of that case's team who can see the case.
"""

from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet

from sia.accounts.models import CASEWORK_ROLES, Role, User
from sia.accounts.selectors import roles_of
from sia.cases.access import visible_cases
from sia.cases.models import Case, CaseTeamMember
from sia.consent.coverage import may_see_kind, partner_organisation_ids
from sia.consent.models import DataKind
from sia.process.access import can_work_on_case, manages_case
from sia.teamwork.models import Consultation, TeamTask


def is_partner_user(user: User) -> bool:
    """Tell whether the user does casework for an agency, region or provider."""
    return bool(partner_organisation_ids(user))


def does_casework(user: User) -> bool:
    """Tell whether the user holds a casework role in any unit."""
    return bool(roles_of(user) & CASEWORK_ROLES)


def can_manage_team(user: User, case: Case) -> bool:
    """Tell whether the user may add and remove team members: manager or municipal member
    (emergency access alone does not let a user join or change the team, ADR 0014)."""
    if not can_work_on_case(user, case):
        return False
    if manages_case(user, case):
        return True
    return not is_partner_user(user) and on_case_team(user, case.pk)


def can_see_tasks(user: User, case: Case) -> bool:
    """Tell whether the user may see the case's shared action plan (a consent covers plans)."""
    return may_see_kind(user, case.person_id, DataKind.PLANS)


def can_add_task(user: User, case: Case) -> bool:
    """Tell whether the user may add a task to the team's action plan."""
    return can_work_on_case(user, case) and can_see_tasks(user, case)


def updatable_task_organisations(user: User, case: Case) -> set[UUID] | None:
    """Return the organisations whose tasks the user may update on the case; None means all."""
    if not can_work_on_case(user, case):
        return set()
    if manages_case(user, case) or not is_partner_user(user):
        return None
    if not can_see_tasks(user, case):
        return set()
    return partner_organisation_ids(user)


def can_update_task(user: User, task: TeamTask) -> bool:
    """Tell whether the user may change the task's status."""
    allowed = updatable_task_organisations(user, task.case)
    return allowed is None or task.owner_organisation_id in allowed


def holds_function(user: User, function: str) -> bool:
    """Tell whether the user has the function on some active team, or the specialist role."""
    if Role.SPECIALIST in roles_of(user):
        return True
    return CaseTeamMember.objects.filter(
        user_id=user.pk, function=function, left_at__isnull=True
    ).exists()


def on_case_team(user: User, case_id: UUID) -> bool:
    """Tell whether the user is an active member of the case's team."""
    return CaseTeamMember.objects.filter(
        case_id=case_id, user_id=user.pk, left_at__isnull=True
    ).exists()


def may_read_consultation(user: User, consultation: Consultation) -> bool:
    """Tell whether the user may still read a consultation's case: anonymous ones always; one
    about a case while the user sees the case and, for a partner, while a consent shares
    its case data."""
    case = consultation.case
    if case is None:
        return True
    if not visible_cases(user).filter(pk=case.pk).exists():
        return False
    return may_see_kind(user, case.person_id, DataKind.CASE)


def can_answer_consultation(user: User, consultation: Consultation) -> bool:
    """Tell whether the user may answer the consultation."""
    if consultation.asked_by_id == user.pk:
        return False
    if not may_read_consultation(user, consultation):
        return False
    if consultation.case_id is not None and not on_case_team(user, consultation.case_id):
        return False
    if consultation.specialist_id is not None:
        return consultation.specialist_id == user.pk
    if consultation.case_id is not None:
        return CaseTeamMember.objects.filter(
            case_id=consultation.case_id,
            user_id=user.pk,
            function=consultation.specialist_function,
            left_at__isnull=True,
        ).exists() or (Role.SPECIALIST in roles_of(user))
    return holds_function(user, consultation.specialist_function)


def answerable_consultations(user: User) -> QuerySet[Consultation]:
    """Return the consultations the user may answer (any status); mirrors the rule above."""
    if not does_casework(user):
        return Consultation.objects.none()
    team_rows = CaseTeamMember.objects.filter(user_id=user.pk, left_at__isnull=True)
    case_ok = Q(case__isnull=True) | (
        Q(case__in=visible_cases(user).values("pk")) & Q(case__in=team_rows.values("case_id"))
    )
    unnamed = Q(specialist__isnull=True)
    if Role.SPECIALIST not in roles_of(user):
        functions = set(team_rows.exclude(function="").values_list("function", flat=True))
        holds_on_case = Exists(
            team_rows.filter(case_id=OuterRef("case_id"), function=OuterRef("specialist_function"))
        )
        unnamed &= (Q(case__isnull=True) & Q(specialist_function__in=functions)) | (
            Q(case__isnull=False) & Q(holds_on_case)
        )
    return Consultation.objects.filter((Q(specialist_id=user.pk) | unnamed) & case_ok).exclude(
        asked_by_id=user.pk
    )
