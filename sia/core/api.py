"""REST API plumbing shared by every app: error mapping."""

from typing import Any

from django.http import Http404
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sia.core.exceptions import DomainError, NotFoundOrForbidden


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain errors to 400/409 and hidden records to 404, in one place."""
    if isinstance(exc, NotFoundOrForbidden):
        exc = Http404()
    if isinstance(exc, DomainError):
        key = exc.field or "detail"
        return Response({key: [str(exc.message)]}, status=exc.status_code)
    return drf_exception_handler(exc, context)
