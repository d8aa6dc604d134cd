"""Sign-in bookkeeping on Django's and django-axes's signals; the work is in services."""

from typing import Any

from django.http import HttpRequest

from sia.accounts import services
from sia.accounts.models import User
from sia.accounts.sessions import start_session_clock


def stamp_login_time(
    sender: object, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """Start the session's idle and absolute clocks at login."""
    if request is not None and hasattr(request, "session"):
        start_session_clock(request.session)


def audit_lockout(
    sender: object,
    request: HttpRequest,
    username: str | None,
    ip_address: str | None,
    **kwargs: Any,
) -> None:
    """Record the failure that locked a username or address, not each refused try after it.

    django-axes signals again for every attempt refused during the lockout; only the
    attempt that reached the limit has a failure count on the request.
    """
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    services.record_lockout(username=username or "", ip_address=ip_address)
