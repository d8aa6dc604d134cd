"""REST API plumbing shared by every app: error mapping."""

import logging
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from rest_framework.exceptions import NotFound
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


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: an address under /api/ that matches no operation (e.g. a malformed id)
    answers in JSON like the API's own 404s; any other address gets the 404 page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return page_not_found(request, exception)


# The error answers every operation can give, as exception_handler above shapes them.
_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_FIELD_ERRORS = {
    "type": "object",
    "description": "Messages by input field (nested for nested input); `detail` or "
    "`non_field_errors` when the message is about the request as a whole.",
    "additionalProperties": {},
}
_ERRORS: dict[str, tuple[str, str]] = {
    "400": ("FieldErrors", "The input breaks a rule; nothing was changed."),
    "401": ("ErrorDetail", "No valid credentials were given."),
    "403": ("ErrorDetail", "The credentials do not allow the call (e.g. a missing CSRF token)."),
    "404": ("ErrorDetail", "The record does not exist or you may not see it."),
    "409": ("FieldErrors", "The record is not in a state that allows the change."),
    "415": ("ErrorDetail", "The body is not in one of the documented media types."),
    "503": ("ErrorDetail", "The database cannot be reached; nothing was saved. Retry later."),
}
# A time of day as the API reads and writes it. OpenAPI's `format: time` is RFC 3339's
# full-time, which demands a UTC offset that a local time of day does not have.
_TIME_OF_DAY = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
    "example": "09:30:00",
}
_WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


def document_errors(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document the error answers of every operation.

    Every call is authenticated (401, 403), access-checked (404, also for lists such as the
    audit log that only some roles may read) and needs the database (503); input, in a body
    (400, 415) or the query (400), can be refused; and a write can meet a record in the wrong
    state, a duplicate or another person's newer change (409).
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorDetail", _DETAIL)
    schemas.setdefault("FieldErrors", _FIELD_ERRORS)
    _replace_time_format(result)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = {"401", "403", "404", "503"}
            if "requestBody" in operation or any(
                parameter.get("in") == "query" for parameter in operation.get("parameters", [])
            ):
                codes.add("400")
            if method in _WRITE_METHODS:
                codes |= {"400", "409"}
            if "requestBody" in operation:
                codes.add("415")
            for code in sorted(codes):
                component, description = _ERRORS[code]
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{component}"}
                            }
                        },
                    },
                )
    return result


def _replace_time_format(node: Any) -> None:
    """Describe every time of day in the schema by its pattern instead of `format: time`."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            del node["format"]
            node.update({k: v for k, v in _TIME_OF_DAY.items() if k not in node})
        for value in node.values():
            _replace_time_format(value)
    elif isinstance(node, list):
        for value in node:
            _replace_time_format(value)
