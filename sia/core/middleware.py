"""Request plumbing: the interface language, and hidden records answered as missing ones."""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.defaults import page_not_found

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
