"""Pages of a case's assessments: the overview, a talk, the future and health plan, and the
small POST endpoints (topics, barriers, progress, enrolments) that redirect back."""

from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sia.assessments import services
from sia.assessments.access import can_record_assessments, can_record_health
from sia.assessments.forms import (
    AgreeForm,
    BarrierForm,
    BaseStepFormSet,
    DischargeForm,
    EnrolForm,
    FuturePlanForm,
    ProgressForm,
    ResolveForm,
    TalkForm,
    TopicForm,
    TopicReturnForm,
    future_plan_forms,
    talk_initial,
)
from sia.assessments.models import AssessmentTalk, FuturePlan, PostponedTopic
from sia.assessments.selectors import (
    assessment_overview,
    current_talk,
    get_case_for_assessments,
    labelled_answers,
    list_future_plans,
    list_talks,
    talk_items,
    talk_labels,
    talk_order_warning,
)
from sia.audit.models import Channel
from sia.core.concurrency import (
    Difference,
    EditConflict,
    ShownConflict,
    render_conflict_page,
    show_conflict,
)
from sia.core.exceptions import DomainError, NotFoundOrForbidden
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest
from sia.core.views import save_edit, submit_form


def case_assessments(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Show the talks, the future and health plan, topics, barriers, progress and enrolments."""
    case = get_case_for_assessments(request.user, case_id, channel=Channel.WEB)
    today = timezone.localdate()
    overview = assessment_overview(request.user, case, today)
    context = {
        "case": case,
        "o": overview,
        "today": today,
        # Several forms on one page: each its own id prefix, so no two inputs share an id.
        "topic_form": TopicForm(auto_id="topic-%s"),
        "barrier_form": BarrierForm(health=overview.show_health, auto_id="barrier-%s"),
        "progress_form": ProgressForm(auto_id="progress-%s"),
        "enrol_form": EnrolForm(auto_id="enrol-%s"),
        "discharge_form": DischargeForm(),
    }
    return render(request, "assessments/overview.html", context)


def assessment_talk(request: AuthenticatedHttpRequest, case_id: UUID, kind: str) -> HttpResponse:
    """Record a talk from its template, or correct it; earlier signed versions stay shown."""
    if kind not in AssessmentTalk.Kind.values:
        raise Http404
    case = get_case_for_assessments(request.user, case_id, channel=Channel.WEB)
    may_record = can_record_assessments(request.user, case)
    form = TalkForm(
        request.POST if request.method == "POST" else None,
        items=list(talk_items(kind)),
        initial=talk_initial(current_talk(case, kind)),
    )
    if request.method == "POST":
        if not may_record:
            raise NotFoundOrForbidden
        if form.is_valid():
            try:
                services.record_talk(
                    case_id=case.pk,
                    kind=kind,
                    held_on=form.cleaned_data["held_on"],
                    answers=form.answers(),
                    summary=form.cleaned_data["summary"],
                    participants=form.cleaned_data["participants"],
                    recorded_by=request.user,
                    channel=Channel.WEB,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Samtalet är signerat."))
                return redirect("assessment-talk", case_id=case.pk, kind=kind)
    talks = list(list_talks(case, kind))
    labels = talk_labels(kind)
    context = {
        "case": case,
        "kind_label": AssessmentTalk.Kind(kind).label,
        "form": form,
        "may_record": may_record,
        "records": [(talk, labelled_answers(talk, labels)) for talk in talks],
        "warning": talk_order_warning(case, kind),
    }
    return render(request, "assessments/talk.html", context)


def future_plan(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Show the future and health plan and its versions; save the draft or start a new one."""
    case = get_case_for_assessments(request.user, case_id, channel=Channel.WEB, health=True)
    plans = list(list_future_plans(case))
    latest = plans[0] if plans else None
    draft = latest if latest and latest.status == FuturePlan.Status.DRAFT else None
    may_change = can_record_health(request.user, case)
    form, steps = future_plan_forms(request.POST if request.method == "POST" else None, latest)
    context = {
        "case": case,
        "plans": plans,
        "latest": latest,
        "draft": draft,
        "may_change": may_change,
        "form": form,
        "steps": steps,
        "agree_form": AgreeForm(),
        "next_version": (latest.version + 1) if latest else 1,
    }
    if request.method == "POST":
        if not may_change:
            raise NotFoundOrForbidden
        if form.is_valid() and steps.is_valid():
            return save_edit(
                request,
                lambda: _save_future_plan(request, case.pk, form, steps),
                form=form,
                conflict=lambda conflict: _future_plan_conflict(conflict, form, steps),
                template="assessments/future_plan.html",
                context=context,
                success=_("Utkastet till framtids- och hälsoplan är sparat."),
                done=reverse("future-plan", kwargs={"case_id": case.pk}),
            )
    return render(request, "assessments/future_plan.html", context)


def _save_future_plan(
    request: AuthenticatedHttpRequest, case_id: UUID, form: FuturePlanForm, steps: BaseStepFormSet
) -> FuturePlan:
    return services.save_future_plan(
        case_id=case_id,
        saved_by=request.user,
        channel=Channel.WEB,
        goal=form.cleaned_data["goal"],
        health=form.cleaned_data["health"],
        steps=steps.step_inputs(),
        based_on=form.cleaned_data["based_on"],
        expected_version=form.cleaned_data["lock_version"],
    )


def _future_plan_conflict(
    conflict: EditConflict, form: FuturePlanForm, steps: BaseStepFormSet
) -> ShownConflict:
    plan = conflict.record
    assert isinstance(plan, FuturePlan)  # noqa: S101
    extra = [
        Difference(_("Status"), plan.get_status_display(), str(FuturePlan.Status.DRAFT.label)),
        Difference(
            _("Nästa steg"),
            "\n".join(f"{s.step}: {s.why}" for s in plan.steps.all()),
            "\n".join(f"{s.step}: {s.why}" for s in steps.step_inputs()),
        ),
    ]
    return show_conflict(conflict, form, extra=extra, rearm={"based_on": plan.pk})


def _post(
    request: AuthenticatedHttpRequest,
    case_id: UUID,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    done: str,
    anchor: str,
    *,
    target: str = "case-assessments",
) -> HttpResponse:
    """Validate a small form, call the service and redirect back with a message (PRG)."""
    submit_form(request, form, action, done, error_messages=_labelled_errors)
    return redirect(reverse(target, kwargs={"case_id": case_id}) + "#" + anchor)


def _labelled_errors(form: forms.Form) -> Iterator[str]:
    """Each error of an invalid form, after its field's label when it has one."""
    for name, errors in form.errors.get_json_data().items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            text = str(error["message"])
            yield f"{label}: {text}" if label else text


@require_POST
def future_plan_agree(
    request: AuthenticatedHttpRequest, case_id: UUID, plan_id: UUID
) -> HttpResponse:
    """Record that the person decided the draft they were shown; 409 if changed since."""
    form = AgreeForm(request.POST)
    try:
        return _post(
            request,
            case_id,
            form,
            lambda data: services.agree_future_plan(
                case_id=case_id,
                plan_id=plan_id,
                agreed_on=data["agreed_on"],
                agreed_by=request.user,
                channel=Channel.WEB,
                expected_version=data["lock_version"],
            ),
            _("Personen har beslutat planen."),
            "latest-title",
            target="future-plan",
        )
    except EditConflict as conflict:
        back = reverse("future-plan", kwargs={"case_id": case_id}) + "#latest-title"
        shown = _agree_conflict(conflict, form)
        return render_conflict_page(
            request, shown, back_url=back, title=_("Framtids- och hälsoplan")
        )


def _agree_conflict(conflict: EditConflict, form: AgreeForm) -> ShownConflict:
    """Show the draft as it is saved now: the user decided it, changed nothing in it."""
    plan = conflict.record
    assert isinstance(plan, FuturePlan)  # noqa: S101
    labels = FuturePlanForm.base_fields
    extra = [
        Difference(_("Status"), plan.get_status_display(), str(FuturePlan.Status.AGREED.label)),
        Difference(str(labels["goal"].label), plan.goal, ""),
        Difference(str(labels["health"].label), plan.health, ""),
        Difference(_("Nästa steg"), "\n".join(f"{s.step}: {s.why}" for s in plan.steps.all()), ""),
    ]
    return show_conflict(conflict, form, extra=extra)


@require_POST
def topic_add(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Record a topic the person chose not to discuss now."""
    return _post(
        request,
        case_id,
        TopicForm(request.POST),
        lambda data: services.postpone_topic(
            case_id=case_id, recorded_by=request.user, channel=Channel.WEB, **data
        ),
        _("Ämnet är uppskjutet."),
        "topics-title",
    )


@require_POST
def topic_return(request: AuthenticatedHttpRequest, case_id: UUID, topic_id: UUID) -> HttpResponse:
    """Record that a postponed topic was taken up again; 409 if someone changed it meanwhile."""
    form = TopicReturnForm(request.POST)
    try:
        return _post(
            request,
            case_id,
            form,
            lambda data: services.return_to_topic(
                case_id=case_id,
                topic_id=topic_id,
                recorded_by=request.user,
                channel=Channel.WEB,
                returned_on=data["returned_on"],
                note=data["note"],
                expected_version=data["lock_version"],
            ),
            _("Ämnet är markerat som upptaget."),
            "topics-title",
        )
    except EditConflict as conflict:
        topic = conflict.record
        assert isinstance(topic, PostponedTopic)  # noqa: S101
        note = Difference(_("Anteckning"), topic.return_note, form.cleaned_data["note"])
        shown = show_conflict(conflict, form, extra=[note])
        back = reverse("case-assessments", kwargs={"case_id": case_id}) + "#topics-title"
        return render_conflict_page(request, shown, back_url=back, title=topic.topic)


@require_POST
def barrier_add(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Record a barrier."""
    return _post(
        request,
        case_id,
        BarrierForm(request.POST),
        lambda data: services.record_barrier(
            case_id=case_id, recorded_by=request.user, channel=Channel.WEB, **data
        ),
        _("Hindret är sparat."),
        "barriers-title",
    )


@require_POST
def barrier_resolve(
    request: AuthenticatedHttpRequest, case_id: UUID, barrier_id: UUID
) -> HttpResponse:
    """Record the day a barrier was resolved."""
    return _post(
        request,
        case_id,
        ResolveForm(request.POST),
        lambda data: services.resolve_barrier(
            case_id=case_id,
            barrier_id=barrier_id,
            recorded_by=request.user,
            channel=Channel.WEB,
            **data,
        ),
        _("Hindret är markerat som undanröjt."),
        "barriers-title",
    )


@require_POST
def progress_add(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Record a progress step or an outcome."""
    return _post(
        request,
        case_id,
        ProgressForm(request.POST),
        lambda data: services.record_progress(
            case_id=case_id, recorded_by=request.user, channel=Channel.WEB, **data
        ),
        _("Stegförflyttningen är sparad."),
        "progress-title",
    )


@require_POST
def enrolment_add(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Enrol the person in a programme."""
    return _post(
        request,
        case_id,
        EnrolForm(request.POST),
        lambda data: services.enrol(
            case_id=case_id, enrolled_by=request.user, channel=Channel.WEB, **data
        ),
        _("Inskrivningen är sparad."),
        "enrolments-title",
    )


@require_POST
def enrolment_discharge(
    request: AuthenticatedHttpRequest, case_id: UUID, enrolment_id: UUID
) -> HttpResponse:
    """Discharge the person from a programme with a reason."""
    return _post(
        request,
        case_id,
        DischargeForm(request.POST),
        lambda data: services.discharge(
            case_id=case_id,
            enrolment_id=enrolment_id,
            discharged_by=request.user,
            channel=Channel.WEB,
            **data,
        ),
        _("Personen är utskriven ur insatsen."),
        "enrolments-title",
    )
