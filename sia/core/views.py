"""Page helpers shared by the apps' POST endpoints (post, then redirect back)."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sia.core.concurrency import EditConflict, ShownConflict, render_conflict
from sia.core.exceptions import DomainError
from sia.core.forms import add_domain_error


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


def save_edit(
    request: HttpRequest,
    save: Callable[[], object],
    *,
    form: forms.Form,
    conflict: Callable[[EditConflict], ShownConflict],
    template: str,
    context: Mapping[str, Any],
    success: str,
    done: str,
    default_field: str | None = None,
) -> HttpResponse:
    """Save a valid edit page with ``save``; answer as every versioned edit page does.

    Saved: ``success`` as a message and a redirect to ``done``. Someone else saved first
    (`EditConflict`): the page again as 409 with ``conflict(error)`` above the kept input.
    A service's refusal (``DomainError``): the page again with the message on ``form``.
    """
    try:
        save()
    except EditConflict as error:
        return render_conflict(request, template, context, conflict(error))
    except DomainError as error:
        add_domain_error(form, error, default_field=default_field)
        return render(request, template, context)
    messages.success(request, success)
    return redirect(done)
