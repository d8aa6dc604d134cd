"""Who may decide on support, and who may log the work of an ordered provider.

Decisions, support plans and endings: the integration social worker on the case team,
or the manager of the unit that owns the case. The provider's log: staff of the unit
the decision orders to deliver the support (utförare), or the deciding social worker.
"""

from sia.accounts.models import Role, User
from sia.accounts.selectors import unit_ids_with_roles
from sia.cases.access import sees_whole_case as sees_whole_case
from sia.cases.models import Case
from sia.decisions.models import SupportDecision
from sia.process.access import can_act_in_role

DECIDER_ROLES = frozenset({Role.INTEGRATION_SOCIAL_WORKER})
PROVIDER_ROLES = frozenset({Role.PROVIDER_STAFF})


def can_decide(user: User, case: Case) -> bool:
    """Tell whether the user may decide on support for the open case: an integration
    social worker on its team, or the manager of its unit."""
    return can_act_in_role(user, case, DECIDER_ROLES)


def provides(user: User, decision: SupportDecision) -> bool:
    """Tell whether the user is staff of the unit ordered to deliver the decision."""
    return decision.provider_id is not None and decision.provider_id in unit_ids_with_roles(
        user, PROVIDER_ROLES
    )


def can_log_work(user: User, case: Case, decision: SupportDecision) -> bool:
    """Tell whether the user may log work or follow-ups on the decision."""
    return provides(user, decision) or can_decide(user, case)
