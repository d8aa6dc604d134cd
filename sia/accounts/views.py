"""The start page: what each role has in front of it."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from sia.accounts.models import CASEWORK_ROLES, Role
from sia.accounts.selectors import roles_of, works_for_partner_organisation
from sia.audit.models import Channel
from sia.cases.selectors import (
    count_open_cases_for_analysis,
    list_my_cases,
    list_waiting_for_allocation,
    read_cases,
)
from sia.core.http import AuthenticatedHttpRequest

START_LIST_SIZE = 25


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
    }
    return render(request, "accounts/start.html", context)
