"""Pages of the settlement unit: a household's housing checklist and the unit's worklist."""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sia.audit.models import Channel
from sia.cases.selectors import get_case
from sia.consent.models import DataKind
from sia.core.concurrency import EditConflict, render_conflict_page, show_conflict
from sia.core.exceptions import DomainError
from sia.core.http import AuthenticatedHttpRequest
from sia.core.views import submit_form
from sia.settlement import services
from sia.settlement.access import can_change_housing
from sia.settlement.forms import TaskStatusForm
from sia.settlement.models import HousingTask
from sia.settlement.selectors import (
    household_members,
    household_tasks,
    list_households_for_settlement,
)


@never_cache
def case_housing(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Show the household and its housing checklist; change a task per row."""
    case = get_case(
        request.user, case_id, channel=Channel.WEB, kind=DataKind.CASE, provider_ok=True
    )
    return render(
        request,
        "settlement/case_housing.html",
        {
            "case": case,
            "household": household_tasks(case),
            "members": household_members(request.user, case, channel=Channel.WEB),
            "may_change": can_change_housing(request.user, case),
            "statuses": HousingTask.Status.choices,
        },
    )


@require_POST
def housing_start(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Start the checklist, or add the items the household lacks."""
    try:
        services.start_checklist(actor=request.user, case_id=case_id, channel=Channel.WEB)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Checklistan för bostaden är startad."))
    return redirect("case-housing", case_id=case_id)


def _errors(form: forms.Form) -> Iterable[str]:
    for errors in form.errors.values():
        for error in errors:
            yield str(error)


@require_POST
def housing_task_status(
    request: AuthenticatedHttpRequest, case_id: UUID, task_id: UUID
) -> HttpResponse:
    """Save one task's status, date and note."""

    def save(data: dict[str, Any]) -> object:
        return services.set_task_status(
            actor=request.user,
            case_id=case_id,
            task_id=task_id,
            status=data["status"],
            status_date=data["status_date"],
            note=data["note"],
            channel=Channel.WEB,
            expected_version=data["lock_version"],
        )

    form = TaskStatusForm(request.POST)
    try:
        submit_form(request, form, save, _("Uppgiften är sparad."), error_messages=_errors)
    except EditConflict as conflict:
        task = conflict.record
        assert isinstance(task, HousingTask)  # noqa: S101
        back = reverse("case-housing", kwargs={"case_id": case_id})
        shown = show_conflict(conflict, form)
        return render_conflict_page(request, shown, back_url=back, title=task.item.label)
    return redirect("case-housing", case_id=case_id)


@never_cache
def settlement_worklist(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the settlement unit's households with open housing tasks, oldest first."""
    return render(
        request,
        "settlement/worklist.html",
        {
            "rows": list_households_for_settlement(request.user, channel=Channel.WEB),
            "statuses": HousingTask.Status.choices,
        },
    )
