"""Form helpers shared by every app's pages."""

from django import forms

from sia.core.exceptions import DomainError


def add_domain_error(
    form: forms.Form, error: DomainError, *, default_field: str | None = None
) -> None:
    """Show a service's refusal on the form field it names, or above the form."""
    field = error.field if error.field in form.fields else default_field
    form.add_error(field, str(error.message))
