"""Pages of the SIA plan: versions and the proposal, agreeing, activity status, print and PDF."""

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sia.audit.models import Channel
from sia.cases.selectors import get_case
from sia.consent.models import DataKind
from sia.core.concurrency import (
    Difference,
    EditConflict,
    ShownConflict,
    render_conflict_page,
    show_conflict,
)
from sia.core.exceptions import NotFoundOrForbidden
from sia.core.http import AuthenticatedHttpRequest
from sia.core.views import save_edit, submit_form
from sia.plans import services
from sia.plans.forms import (
    ActivityStatusForm,
    BaseActivityFormSet,
    PlanAgreeForm,
    PlanForm,
    activity_formset,
    plan_initial,
)
from sia.plans.models import PlanActivity, SiaPlan
from sia.plans.pdf import plan_pdf as render_pdf
from sia.plans.selectors import (
    activity_catalogue,
    assessment_from_first_visit,
    get_plan_for_print,
    list_plans,
    list_team_users,
)


def plan(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Show the latest plan version and the history; propose or change the draft."""
    case = get_case(request.user, case_id, channel=Channel.WEB, kind=DataKind.PLANS)
    plans = list(list_plans(case))
    latest = plans[0] if plans else None
    draft = latest if latest and latest.status == SiaPlan.Status.PROPOSED else None
    may_change = services.can_change_plan(request.user, case)
    initial, rows = plan_initial(latest, "" if latest else assessment_from_first_visit(case))
    form = PlanForm(request.POST or None, initial=initial)
    activities = activity_formset(
        request.POST or None,
        initial=rows,
        items=activity_catalogue(case),
        users=list_team_users(case),
    )
    context = {
        "case": case,
        "plans": plans,
        "latest": latest,
        "draft": draft,
        "may_change": may_change,
        "form": form,
        "activities": activities,
        "status_form": ActivityStatusForm(),
        "next_version": (latest.version + 1) if latest else 1,
    }
    if request.method == "POST":
        if not may_change:
            raise NotFoundOrForbidden
        if form.is_valid() and activities.is_valid():
            return save_edit(
                request,
                lambda: _save(request, case.pk, form, activities),
                form=form,
                conflict=lambda conflict: _plan_conflict(conflict, form, activities),
                template="plans/plan.html",
                context=context,
                success=_("Förslaget till SIA-plan är sparat."),
                done=reverse("plan", kwargs={"case_id": case.pk}),
            )
    return render(request, "plans/plan.html", context)


def _save(
    request: AuthenticatedHttpRequest,
    case_id: UUID,
    form: PlanForm,
    activities: BaseActivityFormSet,
) -> SiaPlan:
    return services.save_proposal(
        case_id=case_id,
        based_on=form.cleaned_data["based_on"],
        expected_version=form.cleaned_data["lock_version"],
        changed_by=request.user,
        channel=Channel.WEB,
        assessment=form.cleaned_data["assessment"],
        guidance_needs=form.cleaned_data["guidance_needs"],
        activities=activities.activity_inputs(),
    )


def _plan_conflict(
    conflict: EditConflict, form: PlanForm, activities: BaseActivityFormSet
) -> ShownConflict:
    plan = conflict.record
    assert isinstance(plan, SiaPlan)  # noqa: S101
    extra = [
        Difference(_("Status"), plan.get_status_display(), str(SiaPlan.Status.PROPOSED.label)),
        Difference(
            _("Aktiviteter"),
            "\n".join(f"{a.name} ({a.get_status_display()})" for a in plan.activities.all()),
            activities.activity_lines(),
        ),
    ]
    return show_conflict(conflict, form, extra=extra, rearm={"based_on": plan.pk})


@require_POST
def plan_agree(request: AuthenticatedHttpRequest, case_id: UUID, plan_id: UUID) -> HttpResponse:
    """Agree the proposal as the newcomer was shown it; 409 if someone changed it since."""
    form = PlanAgreeForm(request.POST)
    try:
        submit_form(
            request,
            form,
            lambda data: services.agree_plan(
                case_id=case_id,
                plan_id=plan_id,
                agreed_by=request.user,
                channel=Channel.WEB,
                expected_version=data["lock_version"],
            ),
            _("SIA-planen är överenskommen."),
            error_messages=lambda bad: [str(m) for errors in bad.errors.values() for m in errors],
        )
    except EditConflict as conflict:
        return render_conflict_page(
            request,
            _agree_conflict(conflict, form),
            back_url=reverse("plan", kwargs={"case_id": case_id}),
            title=_("SIA-plan"),
        )
    return redirect("plan", case_id=case_id)


def _agree_conflict(conflict: EditConflict, form: PlanAgreeForm) -> ShownConflict:
    """Show the proposal as it is saved now: the user agreed to it, changed nothing in it."""
    plan = conflict.record
    assert isinstance(plan, SiaPlan)  # noqa: S101
    labels = PlanForm.base_fields
    extra = [
        Difference(_("Status"), plan.get_status_display(), str(SiaPlan.Status.AGREED.label)),
        Difference(str(labels["assessment"].label), plan.assessment, ""),
        Difference(str(labels["guidance_needs"].label), plan.guidance_needs, ""),
        Difference(
            _("Aktiviteter"),
            "\n".join(f"{a.name} ({a.get_status_display()})" for a in plan.activities.all()),
            "",
        ),
    ]
    return show_conflict(conflict, form, extra=extra)


@require_POST
def plan_activity_status(
    request: AuthenticatedHttpRequest, case_id: UUID, plan_id: UUID, activity_id: UUID
) -> HttpResponse:
    """Move the status of an activity on the latest agreed version."""
    form = ActivityStatusForm(request.POST)
    try:
        submit_form(
            request,
            form,
            lambda data: services.update_activity_status(
                case_id=case_id,
                plan_id=plan_id,
                activity_id=activity_id,
                status=data["status"],
                changed_by=request.user,
                channel=Channel.WEB,
                expected_version=data["lock_version"],
            ),
            _("Aktivitetens status är sparad."),
            error_messages=lambda _form: [_("Välj en status.")],
        )
    except EditConflict as conflict:
        activity = conflict.record
        assert isinstance(activity, PlanActivity)  # noqa: S101
        return render_conflict_page(
            request,
            show_conflict(conflict, form),
            back_url=reverse("plan", kwargs={"case_id": case_id}),
            title=activity.name,
        )
    return redirect("plan", case_id=case_id)


@never_cache
def plan_print(request: AuthenticatedHttpRequest, case_id: UUID, plan_id: UUID) -> HttpResponse:
    """Show a plan version as a clean page to print for the newcomer."""
    case, plan = get_plan_for_print(
        request.user, case_id, plan_id, channel=Channel.WEB, output="html"
    )
    return render(request, "plans/print.html", {"case": case, "plan": plan})


@never_cache
def plan_pdf(request: AuthenticatedHttpRequest, case_id: UUID, plan_id: UUID) -> HttpResponse:
    """Download a plan version as a PDF named after the case reference."""
    case, plan = get_plan_for_print(
        request.user, case_id, plan_id, channel=Channel.WEB, output="pdf"
    )
    response = HttpResponse(render_pdf(case, plan), content_type="application/pdf")
    filename = f"sia-plan-{case.reference}-v{plan.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
