"""The start page, logging out everywhere, and the login page when sign-in is locked."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sia.accounts import services
from sia.accounts.models import CASEWORK_ROLES, Role
from sia.accounts.selectors import lockout_ends_at, roles_of, works_for_partner_organisation
from sia.audit.models import Channel
from sia.cases.emergency import read_emergency_accesses_to_review
from sia.cases.forms import EmergencyReviewForm
from sia.cases.selectors import (
    count_open_cases_for_analysis,
    list_my_cases,
    list_waiting_for_allocation,
    read_cases,
)
from sia.core.http import AuthenticatedHttpRequest

START_LIST_SIZE = 25
LOCKED_OUT_STATUS = 429


def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the user's own cases, the unit's waiting cases for managers, aggregates for analysts."""
    user = request.user
    roles = roles_of(user)
    my_cases = list(list_my_cases(user)[:START_LIST_SIZE])
    waiting = list(list_waiting_for_allocation(user)[:START_LIST_SIZE])
    shown = {case.pk: case for case in my_cases + waiting}
    read_cases(user, list(shown.values()), channel=Channel.WEB)
    context = {
        "my_cases": my_cases,
        "waiting": waiting,
        "is_manager": Role.DEPUTY_UNIT_MANAGER in roles,
        "has_casework": bool(roles & CASEWORK_ROLES),
        "is_analyst": Role.ANALYST in roles,
        "is_partner": works_for_partner_organisation(user),
        "aggregates": count_open_cases_for_analysis(user) if Role.ANALYST in roles else None,
        "suppress_below": settings.SIA_SUPPRESS_BELOW,
        # Emergency accesses to the manager's units, flagged until reviewed (ADR 0014).
        "emergencies": read_emergency_accesses_to_review(
            user, limit=START_LIST_SIZE, channel=Channel.WEB
        ),
        "review_form": EmergencyReviewForm(),
    }
    return render(request, "accounts/start.html", context)


@require_http_methods(["GET", "POST"])
def log_out_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask, then end the user's sessions on every device, this one included."""
    if request.method != "POST":
        return render(request, "accounts/logout_everywhere.html")
    services.log_out_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("Du är utloggad överallt, även här."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show the login page with when to try again (django-axes's AXES_LOCKOUT_CALLABLE).

    The page is the same whether the username exists or not.
    """
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    ends_at = lockout_ends_at(
        username=username, ip_address=getattr(request, "axes_ip_address", None)
    )
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "next": request.POST.get("next", ""),
        "locked_until": timezone.localtime(ends_at) if ends_at else None,
        "locked_out": True,
    }
    return render(request, "accounts/login.html", context, status=LOCKED_OUT_STATUS)
