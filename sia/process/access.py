"""Who may do which step of a case. Seeing the case itself goes through cases.access."""

from collections.abc import Callable
from uuid import UUID

from sia.accounts.models import Role, User
from sia.accounts.selectors import managed_unit_ids, roles_of
from sia.cases.access import access_case, emergency_access_until
from sia.cases.models import Case, CaseTeamMember
from sia.consent.coverage import is_partner_user, may_see_kind
from sia.consent.models import DataKind
from sia.core.exceptions import NotFoundOrForbidden


def _team_roles(user: User, case: Case) -> set[str]:
    return set(
        CaseTeamMember.objects.filter(case=case, user_id=user.pk, left_at__isnull=True).values_list(
            "role", flat=True
        )
    )


def manages_case(user: User, case: Case) -> bool:
    """Tell whether the user manages the unit that owns the case."""
    return case.owning_unit_id in managed_unit_ids(user)


def can_allocate_case(user: User, case: Case) -> bool:
    """Tell whether the user may allocate the case: its unit's deputy manager, while open."""
    return case.is_open and manages_case(user, case)


def can_work_on_case(user: User, case: Case) -> bool:
    """Tell whether the user may write step records: an active team member, the manager, or
    a caseworker in emergency access (ADR 0014)."""
    if not case.is_open:
        return False
    if manages_case(user, case):
        return True
    if _team_roles(user, case):
        return True
    return emergency_access_until(user, case) is not None


def can_do_sia_casework(user: User, case: Case) -> bool:
    """Tell whether the user may write the municipality's own SIA records (alignment,
    guidance, documents, referrals, the SIA plan): as `can_work_on_case`, but never a
    partner organisation's user, whose consent-based access is to read and to the shared
    team work."""
    return can_work_on_case(user, case) and not is_partner_user(user)


def can_see_steps(user: User, case: Case) -> bool:
    """Tell whether the user may see the case's steps: a partner needs the consent's
    "case" data kind; municipal users see them whenever they see the case."""
    return may_see_kind(user, case.person_id, DataKind.CASE)


def can_see_timeline(user: User, case: Case) -> bool:
    """Tell whether the user may see the case's timeline (every action on it, by whom):
    the municipality's staff only, never a partner organisation's user."""
    return not is_partner_user(user)


def can_act_in_role(user: User, case: Case, roles: frozenset[str]) -> bool:
    """Tell whether the user is on the case's team in one of the roles, or manages it."""
    if not case.is_open:
        return False
    if manages_case(user, case):
        return True
    return bool(_team_roles(user, case) & roles)


def can_transfer_case(user: User, case: Case) -> bool:
    """Tell whether the user may hand the case to the assessment team."""
    return can_act_in_role(user, case, frozenset({Role.RECEPTION_SOCIAL_WORKER}))


def can_manage_templates(user: User) -> bool:
    """Tell whether the user may clone and adjust process templates."""
    return user.is_staff and (user.is_superuser or Role.ADMINISTRATOR in roles_of(user))


def can_change_first_contact_date(user: User, case: Case) -> bool:
    """Tell whether the user may correct the first-contact date: manager or social worker."""
    return can_allocate_case(user, case) or can_transfer_case(user, case)


def can_view_unit_overview(user: User) -> bool:
    """Tell whether the user may see the unit overview: a deputy manager of some unit."""
    return bool(managed_unit_ids(user))


def access_case_for(
    user: User,
    case_id: UUID,
    allowed: Callable[[User, Case], bool],
    *,
    with_orders: bool = False,
) -> Case:
    """Return an open case the user may see and do this to (`allowed`), else 404; with
    `with_orders` also a case the user's provider unit is ordered to serve."""
    case = access_case(user, case_id, for_write=True, with_orders=with_orders)
    if not allowed(user, case):
        raise NotFoundOrForbidden
    return case
