"""Who may see the follow-up dashboards, and over which units.

Decided for issue 6:

- Deputy unit managers see the figures of the units they manage, unsuppressed, and the
  list of late steps with case references (their own cases to act on).
- Analysts see the figures of every unit in their organisations, as aggregates only:
  every count below `SIA_SUPPRESS_BELOW`, and every figure computed from fewer people
  than that, is suppressed, and so is a figure from which a suppressed one could be
  worked out. They never see a case reference or a worker's caseload by name.
- A user who is both sees the union of both scopes; figures are suppressed as soon as the
  scope holds a unit the user does not manage.
- The committee report (PDF) is meant to leave the unit, so it is always suppressed.
- Nobody else (caseworkers, partners, providers) sees the dashboards.
"""

from dataclasses import dataclass
from uuid import UUID

from sia.accounts.models import Organisation, Role, Unit, User
from sia.accounts.selectors import managed_unit_ids, memberships_of


@dataclass(frozen=True)
class Scope:
    """The units a user's dashboards count over, and whether small figures are hidden."""

    unit_ids: frozenset[UUID]
    suppress: bool
    may_see_cases: bool

    def suppressed(self) -> "Scope":
        """Return the same scope with every small figure hidden (for the committee)."""
        return Scope(unit_ids=self.unit_ids, suppress=True, may_see_cases=False)


def _analyst_unit_ids(user: User) -> set[UUID]:
    organisations = {
        m.unit.organisation_id
        for m in memberships_of(user)
        if m.role == Role.ANALYST and m.unit.organisation.kind == Organisation.Kind.MUNICIPALITY
    }
    if not organisations:
        return set()
    return set(Unit.objects.filter(organisation_id__in=organisations).values_list("pk", flat=True))


def can_view_followup(user: User) -> bool:
    """Tell whether the user may see the follow-up dashboards at all."""
    return bool(managed_unit_ids(user)) or any(
        m.role == Role.ANALYST and m.unit.organisation.kind == Organisation.Kind.MUNICIPALITY
        for m in memberships_of(user)
    )


def scope_of(user: User) -> Scope:
    """Return the units the user's dashboards cover (empty when they may see none)."""
    managed = managed_unit_ids(user)
    analysed = _analyst_unit_ids(user)
    units = frozenset(managed | analysed)
    suppress = not units <= managed
    return Scope(unit_ids=units, suppress=suppress, may_see_cases=not suppress)
