"""Who may read and write the establishment programme, the outcomes and the reports of concern.

Decided for issue 5:

- Programme status (DataKind.PLANS): Arbetsförmedlingen owns the programme data, so a
  caseworker of an employment-service organisation on the case team, with a valid consent
  sharing "plans", may read *and* record it, as may the municipality's caseworkers on the
  case (`can_do_sia_casework`). Other partners (FK, region, provider) may read it with a
  "plans" consent but never change it.
- Outcomes (DataKind.CASE): partners may read them with a "case" consent; only the
  municipality records them.
- Reports of concern about children are social-services matters: only the municipality's
  staff see their count and record them; partners never see them.
- The group-level report: deputy managers (their units' cases) and analysts (their
  organisations' cases); aggregates only.
"""

from sia.accounts.models import Organisation, Role, User
from sia.accounts.selectors import memberships_of
from sia.cases.models import Case
from sia.consent.coverage import is_partner_user, may_see_kind
from sia.consent.models import DataKind
from sia.process.access import can_do_sia_casework, can_view_unit_overview, can_work_on_case


def works_for_employment_service(user: User) -> bool:
    """Tell whether the user does casework at Arbetsförmedlingen."""
    return any(
        m.role == Role.PARTNER_CASEWORKER
        and m.unit.organisation.kind == Organisation.Kind.EMPLOYMENT_SERVICE
        for m in memberships_of(user)
    )


def can_see_programme(user: User, case: Case) -> bool:
    """Tell whether the user may see the programme status of a case they can see."""
    return may_see_kind(user, case.person_id, DataKind.PLANS)


def can_change_programme(user: User, case: Case) -> bool:
    """Tell whether the user may record the programme status: the municipality's caseworkers
    on the case, or Arbetsförmedlingen's caseworker on the team with a "plans" consent."""
    if can_do_sia_casework(user, case):
        return True
    return (
        is_partner_user(user)
        and works_for_employment_service(user)
        and can_work_on_case(user, case)
        and may_see_kind(user, case.person_id, DataKind.PLANS)
    )


def can_see_outcome(user: User, case: Case) -> bool:
    """Tell whether the user may see the case's outcome measures."""
    return may_see_kind(user, case.person_id, DataKind.CASE)


def can_change_outcome(user: User, case: Case) -> bool:
    """Tell whether the user may record outcomes and reports of concern: municipality only."""
    return can_do_sia_casework(user, case)


def can_see_concern_reports(user: User, case: Case) -> bool:
    """Tell whether the user may see the reports of concern: never a partner's user."""
    return not is_partner_user(user)


def can_view_programme_report(user: User) -> bool:
    """Tell whether the user may see the group-level programme report."""
    return can_view_unit_overview(user) or any(m.role == Role.ANALYST for m in memberships_of(user))
