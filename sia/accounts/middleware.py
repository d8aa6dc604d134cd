"""Send a signed-in user who has not yet passed the second factor to the code step."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from sia.accounts.sessions import second_factor_done
from sia.accounts.two_factor import has_confirmed_device
from sia.core.middleware import is_api_view, is_background

# Pages a signed-in user may reach before the second factor.
OPEN_URL_NAMES = frozenset(
    {"login", "logout", "set_language", "two-factor-verify", "two-factor-enrol"}
)


class SecondFactorMiddleware:
    """Require a second factor of every signed-in session when ``SIA_REQUIRE_MFA`` is on.

    Pages send the user to enrolment (no confirmed authenticator yet) or to the code
    step, with the page asked for as ``next``. Session-authenticated API calls get 403
    with a JSON body; token-authenticated calls have no session user and pass. A single
    sign-on that the identity provider vouched for is marked as passed (sessions.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: list[object],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        if not settings.SIA_REQUIRE_MFA or not request.user.is_authenticated:
            return None
        if second_factor_done(request.session) or _is_open(request):
            return None
        if is_background(request):
            return HttpResponse(status=401)
        if _is_api(request, view_func):
            detail = _("Tvåstegsverifiering krävs. Logga in med kod i webbläsaren först.")
            return JsonResponse({"detail": detail}, status=403)
        enrolled = has_confirmed_device(request.user)
        target = reverse("two-factor-verify" if enrolled else "two-factor-enrol")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


def _is_open(request: HttpRequest) -> bool:
    if request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
        return True
    match = request.resolver_match
    name = (match.url_name or "") if match is not None else ""
    # The single sign-on views (mozilla-django-oidc) are named oidc_*.
    return name in OPEN_URL_NAMES or name.startswith("oidc_")


def _is_api(request: HttpRequest, view_func: Callable[..., HttpResponse]) -> bool:
    return is_api_view(view_func) or request.path.startswith("/api/")
