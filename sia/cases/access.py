"""Who may see and change which case (inre sekretess). The one door to cases.

A user sees a case when they are on its active case team in their own
municipality, or when they manage the unit that owns it. A user of a partner
organisation (AF, FK, a region, a provider) sees a case only while they are on its
team *and* a valid consent of the person names their organisation or unit;
withdrawing the consent cuts that access at once. Provider staff (utförare) see the
cases their unit was ordered to serve by a granted support decision that has not ended.
Analysts and administrators see no cases. Missing and forbidden both raise
NotFoundOrForbidden.
"""

from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet

from sia.accounts.models import INTAKE_ROLES, Role, User
from sia.accounts.selectors import (
    casework_organisation_ids,
    managed_unit_ids,
    unit_ids_with_roles,
)
from sia.cases.models import Case, CaseTeamMember
from sia.consent.coverage import consents_covering, partner_organisation_ids
from sia.core.exceptions import NotFoundOrForbidden
from sia.decisions.orders import ordered_decisions


def _on_team(user: User) -> Exists:
    return Exists(
        CaseTeamMember.objects.filter(case=OuterRef("pk"), user_id=user.pk, left_at__isnull=True)
    )


def visible_cases(user: User, *, with_orders: bool = False) -> QuerySet[Case]:
    """Return the cases the user may see as a whole (team, manager, consented partner).

    With `with_orders`, also the cases a provider's unit is ordered to serve by a support
    decision: only the lists and pages made for the provider ask for them (the case list,
    the provider's queue and pages reached with `get_case(..., provider_ok=True)`).
    """
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    managed = managed_unit_ids(user)
    organisations = casework_organisation_ids(user)
    partner = bool(partner_organisation_ids(user))
    provider_units = (
        unit_ids_with_roles(user, frozenset({Role.PROVIDER_STAFF})) if with_orders else set()
    )
    if not managed and not organisations and not partner and not provider_units:
        return Case.objects.none()
    visible = Q(owning_unit_id__in=managed) | (
        _on_team(user) & Q(owning_unit__organisation_id__in=organisations)
    )
    if partner:
        consented = Exists(consents_covering(user).filter(person_id=OuterRef("person_id")))
        visible |= _on_team(user) & consented
    if provider_units:
        visible |= Q(Exists(ordered_decisions(provider_units).filter(case_id=OuterRef("pk"))))
    return Case.objects.filter(visible)


def sees_whole_case(user: User, case: Case) -> bool:
    """Tell whether the user sees the case as its manager or a member of its team, not only
    as the provider a support decision ordered to serve it (who sees just the decision,
    its plan and log, and the housing tasks)."""
    if case.owning_unit_id in managed_unit_ids(user):
        return True
    return CaseTeamMember.objects.filter(case=case, user_id=user.pk, left_at__isnull=True).exists()


def access_case(
    user: User, case_id: UUID, *, for_write: bool = False, with_orders: bool = False
) -> Case:
    """Return the case if the user may see it (and change it, with for_write); with
    `with_orders` also a case the user's provider unit is ordered to serve."""
    case = (
        visible_cases(user, with_orders=with_orders)
        .select_related("person", "owning_unit__organisation", "opened_by")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFoundOrForbidden
    if for_write and not can_change_case(user, case):
        raise NotFoundOrForbidden
    return case


def can_change_case(user: User, case: Case) -> bool:
    """Tell whether the user may change a case they can see: it must still be open."""
    return case.is_open


def can_open_case(user: User, unit_id: UUID) -> bool:
    """Tell whether the user may open a case (aktualisering) in the unit."""
    return unit_id in unit_ids_with_roles(user, INTAKE_ROLES)
