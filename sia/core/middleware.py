"""Request plumbing: the interface language, hidden records answered as missing, session limits."""

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found, server_error
from rest_framework.views import APIView

from sia.accounts.sessions import SessionEnd, end_message, note_activity, session_end
from sia.core.exceptions import NotFoundOrForbidden


class NotFoundOrForbiddenMiddleware:
    """Answer NotFoundOrForbidden raised by a page with the ordinary 404 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFoundOrForbidden):
            return page_not_found(request, Http404())
        return None


logger = logging.getLogger(__name__)

# Seconds the browser or API client is told to wait before trying again.
DATABASE_RETRY_AFTER = 30


def database_unavailable_message() -> str:
    """What the user is told when the database cannot be reached, on a page or in the API."""
    return _(
        "Systemet når inte databasen just nu. Ingenting av det du skickade sparades. "
        "Försök igen om en stund."
    )


def database_unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
    """Say that the database could not be reached and nothing was saved (503).

    Built without touching the database: no request context (no user, session or
    messages), a self-contained template. Every write is one transaction, so a failure
    part-way leaves nothing behind; the next request reconnects (CONN_HEALTH_CHECKS).
    """
    match = request.resolver_match
    # The view's name and the error's class only: an error message may quote data.
    logger.error(
        "Database unavailable during %s %s: %s",
        request.method,
        match.view_name if match else "-",
        type(error).__name__,
    )
    message = database_unavailable_message()
    response: HttpResponse
    if match is not None and is_api_view(match.func):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


class DatabaseUnavailableMiddleware:
    """Answer a lost or unreachable database during a page with the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return database_unavailable(request, exception)
        return None


def handle_server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 page when the database failed outside a view, else the 500 page.

    Sessions and the signed-in user are read and saved by middleware, outside the view,
    where DatabaseUnavailableMiddleware does not see the error.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable(request, error)
    return server_error(request)


class SwedishFirstLocaleMiddleware:
    """Speak Swedish unless the user chose English; the browser's language is not asked.

    Caseworkers in Swedish municipalities often run English-language browsers, and
    the product's working language is Swedish; English is a choice made in the page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


# Requests the browser makes on its own, which must not keep an idle session alive.
BACKGROUND_URL_NAMES = frozenset({"guide-calls-poll"})


class SessionLimitsMiddleware:
    """End a signed-in session after the idle time and after the absolute limit.

    A page request to an ended session logs out, says why on the login page and returns
    there afterwards; an API request is answered as unauthenticated. The call-in banner's
    background poll neither counts as activity nor ends the session: it gets 401, so the
    user's next own request can still tell them why they were logged out. Sessions that
    Django itself refuses (logout everywhere, a changed password) are explained too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Read before anything resolves request.user, which flushes a refused session.
        request.sia_had_login = SESSION_KEY in request.session  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: list[object],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        background = is_background(request)
        if not request.user.is_authenticated:
            if getattr(request, "sia_had_login", False) and not background:
                self._explain(request, view_func, SessionEnd.ENDED_ELSEWHERE)
            return None
        end = session_end(request.session)
        if end is None:
            if not background:
                note_activity(request.session)
            return None
        if background:
            return HttpResponse(status=401)
        logout(request)
        self._explain(request, view_func, end)
        if getattr(view_func, "login_required", True) and not is_api_view(view_func):
            return redirect_to_login(request.get_full_path())
        return None

    @staticmethod
    def _explain(
        request: HttpRequest, view_func: Callable[..., HttpResponse], end: SessionEnd
    ) -> None:
        if not is_api_view(view_func):
            messages.info(request, end_message(end))


def is_background(request: HttpRequest) -> bool:
    """Whether the browser made this request on its own (`BACKGROUND_URL_NAMES`)."""
    match = request.resolver_match
    return match is not None and match.url_name in BACKGROUND_URL_NAMES


def is_api_view(view_func: Callable[..., HttpResponse]) -> bool:
    """Whether the view is an API view (Django REST framework), answered in JSON."""
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)
