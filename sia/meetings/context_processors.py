"""The call-in banner on every page: open calls to the signed-in guide, without JavaScript."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sia.accounts.models import User
from sia.meetings.selectors_first_visit import list_open_calls_to


def guide_calls(request: HttpRequest) -> dict[str, object]:
    """Offer the open call-ins to the user; the query runs only if a template shows them."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"open_guide_calls": []}
    return {"open_guide_calls": SimpleLazyObject(lambda: list(list_open_calls_to(user)))}
