"""REST API plumbing shared by every app: error mapping."""

import logging
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import Http404
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sia.core.exceptions import DomainError, NotFoundOrForbidden
from sia.core.middleware import DATABASE_RETRY_AFTER, database_unavailable_message

logger = logging.getLogger(__name__)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain errors to 400/409, hidden records to 404 and a lost database to 503."""
    if isinstance(exc, NotFoundOrForbidden):
        exc = Http404()
    if isinstance(exc, DomainError):
        key = exc.field or "detail"
        return Response({key: [str(exc.message)]}, status=exc.status_code)
    if isinstance(exc, OperationalError | InterfaceError):
        # The database went away: the transaction is lost, so nothing was saved.
        logger.error("Database unavailable during an API call: %s", type(exc).__name__)
        return Response(
            {"detail": database_unavailable_message()},
            status=503,
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
        )
    return drf_exception_handler(exc, context)
