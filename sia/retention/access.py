"""Who may see the retention job's dry run and its disposal log."""

from sia.accounts.models import Role, User
from sia.accounts.selectors import managed_unit_ids, roles_of


def can_view_retention(user: User) -> bool:
    """Deputy unit managers (who see their own units' people in the dry run) and system
    administrators (who see counts only)."""
    if managed_unit_ids(user):
        return True
    return Role.ADMINISTRATOR in roles_of(user)
