"""Domain errors raised by services and mapped to HTTP answers in one place.

    DomainError                  400: the request breaks a business rule
    ├── ValidationFailed         400: input that cannot be accepted, with per-field messages
    ├── InvalidTransition        409: the record is not in a state that allows the change
    └── DuplicateRecord          409: the record already exists (e.g. a person's identifier)
    NotFoundOrForbidden          404: missing and forbidden look the same to the caller

Messages are translated, user-facing and never contain a personnummer.
"""

from django.utils.functional import Promise


class DomainError(Exception):
    """A business rule stops the request; the message is shown to the user."""

    status_code = 400

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """Input that cannot be accepted."""


class InvalidTransition(DomainError):
    """The record is not in a state that allows this change."""

    status_code = 409


class DuplicateRecord(DomainError):
    """The record already exists."""

    status_code = 409


class NotFoundOrForbidden(Exception):
    """The record does not exist or the user may not see it; both answer 404."""
