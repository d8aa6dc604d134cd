"""Pages for running the process: allocation, transfer, first-contact date, my work,
the unit overview and the calendar."""

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.accounts.models import User
from sia.audit.models import Channel
from sia.cases.access import access_case
from sia.cases.models import Case
from sia.cases.selectors import get_case
from sia.core.exceptions import DomainError, NotFoundOrForbidden
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest
from sia.process import services
from sia.process.access import (
    access_case_for,
    can_allocate_case,
    can_change_first_contact_date,
    can_transfer_case,
    can_view_unit_overview,
)
from sia.process.forms import AllocateForm, FirstContactDateForm, TransferForm
from sia.process.models import CaseStep
from sia.process.selectors import (
    count_unit_overview,
    list_allocation_candidates,
    list_assessment_candidates,
    load_steps,
    read_calendar,
    read_my_work,
)


def _posted(request: AuthenticatedHttpRequest) -> QueryDict | None:
    """Bind a form on POST even when nothing was chosen, so the error is shown."""
    return request.POST if request.method == "POST" else None


def _case_for(user: User, case_id: UUID, allowed: Callable[[User, Case], bool]) -> Case:
    """Return the case, read and audited, if the user may do this to it; else 404."""
    access_case_for(user, case_id, allowed)
    return get_case(user, case_id, channel=Channel.WEB)


def _step_status(case: Case, key: str) -> str | None:
    step = next((step for step in load_steps(case) if step.key == key), None)
    return step.status if step else None


def allocate(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Allocate a new case to the SIA group: guides and the reception social worker."""
    case = _case_for(request.user, case_id, can_allocate_case)
    guides, social_workers = list_allocation_candidates(case)
    form = AllocateForm(
        _posted(request),
        guides=guides,
        social_workers=social_workers,
        initial={"social_worker": case.opened_by_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.allocate_case(
                case_id=case.pk,
                guides=list(form.cleaned_data["guides"]),
                social_worker=form.cleaned_data["social_worker"],
                allocated_by=request.user,
                channel=Channel.WEB,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Ärendet är fördelat."))
            return redirect("case-detail", case_id=case.pk)
    is_open = _step_status(case, "allocation") == CaseStep.Status.OPEN
    return render(
        request, "process/allocate.html", {"case": case, "form": form, "is_open": is_open}
    )


def _after_transfer(user: User, case_id: UUID) -> HttpResponse:
    """Go back to the case, or to one's work if leaving the team took the case away."""
    try:
        access_case(user, case_id)
    except NotFoundOrForbidden:
        return redirect("my-work")
    return redirect("case-detail", case_id=case_id)


def transfer(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Hand the case to the assessment team's social worker."""
    case = _case_for(request.user, case_id, can_transfer_case)
    form = TransferForm(_posted(request), assessment_workers=list_assessment_candidates(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_case(
                case_id=case.pk,
                assessment_worker=form.cleaned_data["assessment_worker"],
                transferred_by=request.user,
                channel=Channel.WEB,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Ärendet är överfört till utredningsgruppen."))
            return _after_transfer(request.user, case.pk)
    can_start = _step_status(case, "transfer") == CaseStep.Status.PENDING
    return render(
        request, "process/transfer.html", {"case": case, "form": form, "can_start": can_start}
    )


def first_contact(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Correct the first-contact date; the open steps' due dates follow."""
    case = _case_for(request.user, case_id, can_change_first_contact_date)
    form = FirstContactDateForm(
        _posted(request), initial={"first_contact_date": case.first_contact_date}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_first_contact_date(
                case_id=case.pk,
                first_contact_date=form.cleaned_data["first_contact_date"],
                changed_by=request.user,
                channel=Channel.WEB,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Aktualiseringsdatumet är ändrat och stegen omräknade."))
            return redirect("case-detail", case_id=case.pk)
    return render(request, "process/first_contact.html", {"case": case, "form": form})


def my_work(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the user's due steps, today's meetings, standby slots, calls and queue."""
    work = read_my_work(request.user, channel=Channel.WEB)
    return render(request, "process/my_work.html", {"work": work})


def unit_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the deputy manager's units: open steps, stages, late steps and workload."""
    if not can_view_unit_overview(request.user):
        raise NotFoundOrForbidden
    overview = count_unit_overview(request.user)
    return render(
        request,
        "process/unit_overview.html",
        {"overview": overview, "today": timezone.localdate()},
    )


def calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the user's guidance meetings and standby slots for the coming two weeks."""
    today = timezone.localdate()
    days = read_calendar(request.user, start_day=today, channel=Channel.WEB)
    return render(request, "process/calendar.html", {"days": days, "today": today})
