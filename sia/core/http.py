"""Typed requests: every page and API call past authentication has a real staff user."""

from django.http import HttpRequest
from rest_framework.request import Request

from sia.accounts.models import User
from sia.core.exceptions import NotFoundOrForbidden


class AuthenticatedHttpRequest(HttpRequest):
    """A page request; LoginRequiredMiddleware guarantees a signed-in user."""

    user: User


def api_user(request: Request) -> User:
    """Return the authenticated staff user of an API request."""
    user = request.user
    if not isinstance(user, User):
        raise NotFoundOrForbidden
    return user
