"""Turn hidden records into the same 404 page a missing one gets."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
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
