"""Pages to list, open and see cases."""

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.accounts.selectors import intake_units
from sia.audit.models import Channel
from sia.cases import services
from sia.cases.access import emergency_access_until, sees_whole_case
from sia.cases.emergency import (
    access_case_for_emergency,
    access_emergency_access,
    grant_emergency_access,
    read_emergency_accesses,
    review_emergency_access,
)
from sia.cases.forms import EmergencyAccessForm, EmergencyReviewForm, OpenCaseForm
from sia.cases.selectors import get_case, list_cases, read_cases
from sia.core.exceptions import DomainError, NotFoundOrForbidden
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest
from sia.people.selectors import get_person
from sia.process.access import (
    can_allocate_case,
    can_change_first_contact_date,
    can_do_sia_casework,
    can_see_steps,
    can_see_timeline,
    can_transfer_case,
)
from sia.process.selectors import check_eligibility, list_case_timeline, load_steps, next_step

PAGE_SIZE = 50


def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the cases the user may see, open ones first."""
    show_closed = request.GET.get("visa") == "alla"
    page = Paginator(list_cases(request.user, open_only=not show_closed), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    read_cases(request.user, list(page.object_list), channel=Channel.WEB)
    return render(request, "cases/list.html", {"page": page, "show_closed": show_closed})


def open_case(request: AuthenticatedHttpRequest, person_id: UUID) -> HttpResponse:
    """Open a case (aktualisering) for a registered person."""
    units = intake_units(request.user)
    if not units:
        raise NotFoundOrForbidden
    person = get_person(request.user, person_id, channel=Channel.WEB)
    form = OpenCaseForm(request.POST or None, units=units)
    valid = request.method == "POST" and form.is_valid()
    on = form.cleaned_data["first_contact_date"] if valid else timezone.localdate()
    eligibility = check_eligibility(person, on)
    if valid:
        try:
            case = services.open_case(
                opened_by=request.user,
                person_id=person.pk,
                unit_id=form.cleaned_data["unit"].pk,
                first_contact_date=form.cleaned_data["first_contact_date"],
                channel=Channel.WEB,
                outside_target_group_confirmed=form.cleaned_data["outside_target_group_confirmed"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Ärendet är aktualiserat."))
            return redirect("case-detail", case_id=case.pk)
    return render(
        request, "cases/open.html", {"form": form, "person": person, "eligibility": eligibility}
    )


def detail(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Show a case with its person, team, steps, what is next and what has happened."""
    user = request.user
    case = get_case(user, case_id, channel=Channel.WEB, provider_ok=True)
    # A provider ordered by a decision sees the case's decisions and housing tasks only;
    # a partner organisation's user sees only what the person's consent lets them see.
    provider_view = not sees_whole_case(user, case)
    show_steps = can_see_steps(user, case) and not provider_view
    show_timeline = can_see_timeline(user, case) and not provider_view
    steps = load_steps(case) if show_steps else []
    context = {
        "case": case,
        "is_partner": not can_see_timeline(user, case),
        "provider_view": provider_view,
        "show_steps": show_steps,
        "steps": steps,
        "next_step": next_step(steps),
        "timeline": list_case_timeline(case, steps) if show_timeline else [],
        "today": timezone.localdate(),
        "can_allocate": can_allocate_case(user, case),
        "can_transfer": can_transfer_case(user, case),
        "can_change_first_contact": can_change_first_contact_date(user, case),
        "can_work": can_do_sia_casework(user, case),
        "emergency_until": emergency_access_until(user, case),
    }
    return render(request, "cases/detail.html", context)


def emergency_access(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Take emergency access (nödåtkomst) to a case of one's municipality outside one's
    scope, stating why and for how long; nothing of the case is shown before."""
    case = access_case_for_emergency(request.user, case_id)
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant_emergency_access(
                user=request.user, case_id=case.pk, channel=Channel.WEB, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.warning(
                request, _("Du har fått nödåtkomst. Allt du gör loggas och granskas av chefen.")
            )
            return redirect("case-detail", case_id=case.pk)
    return render(request, "cases/emergency_access.html", {"case": case, "form": form})


def emergency_review(request: AuthenticatedHttpRequest, access_id: UUID) -> HttpResponse:
    """Show an emergency access to a case of the manager's unit, and record its review."""
    access = access_emergency_access(request.user, access_id)
    # The ids the review form's partial gives its field, so the error summary links to it.
    form = EmergencyReviewForm(request.POST or None, auto_id=f"%s-{access.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            review_emergency_access(
                reviewer=request.user,
                access_id=access.pk,
                note=form.cleaned_data["note"],
                channel=Channel.WEB,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Nödåtkomsten är granskad."))
            return redirect("start")
    read_emergency_accesses(request.user, [access], channel=Channel.WEB)
    return render(request, "cases/emergency_review.html", {"access": access, "form": form})
