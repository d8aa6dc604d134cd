"""Page helpers shared by the apps' small POST endpoints (post, then redirect back)."""

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from sia.core.concurrency import EditConflict
from sia.core.exceptions import DomainError


def submit_form(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    success: str,
    *,
    error_messages: Callable[[forms.Form], Iterable[str]],
) -> None:
    """Validate ``form`` and call ``action`` with its cleaned data; say how it went.

    Invalid input: each text of ``error_messages(form)`` as an error message. A service's
    refusal (``DomainError``): its message, and nothing is written; an `EditConflict`
    propagates for the caller's 409 page. Else ``success``.
    The caller redirects (post/redirect/get).
    """
    if not form.is_valid():
        for text in error_messages(form):
            messages.error(request, text)
        return
    try:
        action(form.cleaned_data)
    except EditConflict:
        raise  # the caller answers 409 with the other person's change (sia.core.concurrency)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, success)
