"""Pages of decisions on support: the case's decisions and a new one, one decision with
its plan, log, follow-ups and end, the decision letter, and the provider's queue."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sia.audit.models import Channel
from sia.cases.models import Case
from sia.cases.selectors import get_case
from sia.consent.models import DataKind
from sia.core.concurrency import EditConflict, render_conflict_page, show_conflict
from sia.core.exceptions import DomainError, NotFoundOrForbidden
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest
from sia.core.views import submit_form
from sia.decisions import services
from sia.decisions.access import can_decide, can_log_work
from sia.decisions.forms import (
    DecisionForm,
    EndForm,
    FollowUpForm,
    InformedForm,
    LogForm,
    MarkItemForm,
    PlanForm,
    PlanItemForm,
    error_texts,
)
from sia.decisions.models import PlanItem, SupportDecision, SupportPlan
from sia.decisions.selectors import (
    get_decision,
    has_ended,
    is_current,
    list_decisions,
    list_ordered_cases,
    log_totals,
    provider_units,
)


def _case(request: AuthenticatedHttpRequest, case_id: UUID) -> Case:
    return get_case(
        request.user, case_id, channel=Channel.WEB, kind=DataKind.CASE, provider_ok=True
    )


def _correction_initial(decision: SupportDecision) -> dict[str, Any]:
    return {
        "applied_for": decision.applied_for,
        "applied_on": decision.applied_on,
        "outcome": decision.outcome,
        "decided_support": decision.decided_support,
        "legal_basis": decision.legal_basis,
        "reasons": decision.reasons,
        "provider": decision.provider_id,
        "valid_from": decision.valid_from,
        "valid_until": decision.valid_until,
        "appeal_notice": decision.appeal_notice or services.DEFAULT_APPEAL_NOTICE,
    }


def _corrected(
    request: AuthenticatedHttpRequest, decisions: list[SupportDecision], may_decide: bool
) -> SupportDecision | None:
    """The current decision the form corrects (?rattelse=<id>, then the hidden field)."""
    corrects = request.POST.get("supersedes") or request.GET.get("rattelse")
    if not corrects or not may_decide:
        return None
    for decision in decisions:
        if str(decision.pk) == corrects and is_current(decision):
            return decision
    raise NotFoundOrForbidden


def _make(
    request: AuthenticatedHttpRequest,
    case: Case,
    form: DecisionForm,
    corrected: SupportDecision | None,
) -> SupportDecision:
    data = form.cleaned_data
    return services.make_decision(
        actor=request.user,
        case_id=case.pk,
        applied_for=data["applied_for"],
        applied_on=data["applied_on"],
        outcome=data["outcome"],
        decided_support=data["decided_support"],
        legal_basis=data["legal_basis"],
        reasons=data["reasons"],
        provider_id=data["provider"].pk if data["provider"] else None,
        valid_from=data["valid_from"],
        valid_until=data["valid_until"],
        appeal_notice=data["appeal_notice"],
        channel=Channel.WEB,
        supersedes_id=corrected.pk if corrected else None,
    )


def case_decisions(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """List the case's decisions with their history; make a new one or a correction."""
    case = _case(request, case_id)
    decisions = list_decisions(request.user, case)
    may_decide = can_decide(request.user, case)
    corrected = _corrected(request, decisions, may_decide)
    form_kwargs: dict[str, Any] = {"providers": provider_units(case)}
    if corrected:
        form_kwargs["initial"] = _correction_initial(corrected)
    # An empty POST is still a submission: bind it so that it shows the missing fields.
    form = DecisionForm(request.POST if request.method == "POST" else None, **form_kwargs)
    if request.method == "POST":
        if not may_decide:
            raise NotFoundOrForbidden
        if form.is_valid():
            try:
                decision = _make(request, case, form, corrected)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Beslutet är fattat och signerat."))
                return redirect("decision-detail", case_id=case.pk, decision_id=decision.pk)
    context = {"case": case, "decisions": decisions, "may_decide": may_decide}
    context |= {"form": form, "corrected": corrected}
    return render(request, "decisions/case_decisions.html", context)


def decision_detail(
    request: AuthenticatedHttpRequest, case_id: UUID, decision_id: UUID
) -> HttpResponse:
    """Show one decision: the signed record, telling the person, plan, log, follow-ups, end."""
    case = _case(request, case_id)
    decision = get_decision(request.user, case, decision_id)
    plan = SupportPlan.objects.filter(decision=decision).first()
    items = list(plan.items.select_related("marked_by")) if plan else []
    ongoing = (
        decision.outcome in services.GRANTING and is_current(decision) and not has_ended(decision)
    )
    may_decide = can_decide(request.user, case)
    totals, total = log_totals(decision)
    context = {
        "case": case,
        "decision": decision,
        "current": is_current(decision),
        "ended": has_ended(decision),
        "ongoing": ongoing,
        "may_decide": may_decide,
        "may_log": ongoing and can_log_work(request.user, case, decision),
        "plan": plan,
        "items": items,
        "checklist_met": bool(items) and all(item.met_on for item in items),
        "log": decision.log_entries.select_related("logged_by"),
        "totals": totals,
        "total": total,
        "follow_ups": decision.follow_ups.select_related("recorded_by"),
        "informed_form": InformedForm(),
        "plan_form": PlanForm(),
        "item_form": PlanItemForm(),
        "mark_form": MarkItemForm(),
        "log_form": LogForm(),
        "follow_up_form": FollowUpForm(),
        "end_form": EndForm(),
        "today": timezone.localdate(),
    }
    return render(request, "decisions/decision_detail.html", context)


@never_cache
def decision_print(
    request: AuthenticatedHttpRequest, case_id: UUID, decision_id: UUID
) -> HttpResponse:
    """Show the decision letter to the person, with the appeal notice, to print."""
    case = _case(request, case_id)
    decision = get_decision(request.user, case, decision_id)
    response = render(
        request, "decisions/decision_print.html", {"case": case, "decision": decision}
    )
    response["Cache-Control"] = "no-store, private"
    return response


def _post(
    request: AuthenticatedHttpRequest,
    case_id: UUID,
    decision_id: UUID,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponseRedirect:
    submit_form(request, form, action, success, error_messages=error_texts)
    if request.POST.get("next") == "queue":
        return redirect("provider-queue")
    return redirect("decision-detail", case_id=case_id, decision_id=decision_id)


@require_POST
def decision_informed(
    request: AuthenticatedHttpRequest, case_id: UUID, decision_id: UUID
) -> HttpResponse:
    """Record when and how the person was told of the decision."""
    return _post(
        request,
        case_id,
        decision_id,
        InformedForm(request.POST),
        lambda data: services.record_informed(
            actor=request.user,
            decision_id=decision_id,
            case_id=case_id,
            channel=Channel.WEB,
            **data,
        ),
        _("Det är registrerat att personen har underrättats."),
    )


@require_POST
def decision_plan(
    request: AuthenticatedHttpRequest, case_id: UUID, decision_id: UUID
) -> HttpResponse:
    """Make the support plan with its checklist."""
    form = PlanForm(request.POST)
    return _post(
        request,
        case_id,
        decision_id,
        form,
        lambda data: services.make_plan(
            actor=request.user,
            decision_id=decision_id,
            case_id=case_id,
            time_plan=data["time_plan"],
            expected_end_on=data["expected_end_on"],
            items=form.item_labels(),
            channel=Channel.WEB,
        ),
        _("Planen för insatsen är sparad."),
    )


@require_POST
def decision_plan_item(
    request: AuthenticatedHttpRequest, case_id: UUID, decision_id: UUID
) -> HttpResponse:
    """Add a point to the checklist."""
    return _post(
        request,
        case_id,
        decision_id,
        PlanItemForm(request.POST),
        lambda data: services.add_plan_item(
            actor=request.user,
            decision_id=decision_id,
            case_id=case_id,
            label=data["label"],
            channel=Channel.WEB,
        ),
        _("Punkten är tillagd i checklistan."),
    )


@require_POST
def decision_item_mark(
    request: AuthenticatedHttpRequest, case_id: UUID, decision_id: UUID, item_id: UUID
) -> HttpResponse:
    """Mark a checklist point met on a day, or back to not yet."""
    met = request.POST.get("met") == "1"
    form = MarkItemForm(request.POST)
    try:
        return _post(
            request,
            case_id,
            decision_id,
            form,
            lambda data: services.mark_item(
                actor=request.user,
                item_id=item_id,
                decision_id=decision_id,
                case_id=case_id,
                met_on=(data["met_on"] or timezone.localdate()) if met else None,
                channel=Channel.WEB,
                expected_version=data["lock_version"],
            ),
            _("Checklistan är uppdaterad."),
        )
    except EditConflict as conflict:
        if not met:
            form.cleaned_data["met_on"] = None
        back = reverse("decision-detail", kwargs={"case_id": case_id, "decision_id": decision_id})
        item = conflict.record
        assert isinstance(item, PlanItem)  # noqa: S101
        return render_conflict_page(
            request, show_conflict(conflict, form), back_url=back, title=item.label
        )


@require_POST
def decision_log(
    request: AuthenticatedHttpRequest, case_id: UUID, decision_id: UUID
) -> HttpResponse:
    """Log what the provider did."""
    return _post(
        request,
        case_id,
        decision_id,
        LogForm(request.POST),
        lambda data: services.log_work(
            actor=request.user,
            decision_id=decision_id,
            case_id=case_id,
            channel=Channel.WEB,
            **data,
        ),
        _("Insatsen är loggad."),
    )


@require_POST
def decision_follow_up(
    request: AuthenticatedHttpRequest, case_id: UUID, decision_id: UUID
) -> HttpResponse:
    """Record a follow-up meeting."""
    return _post(
        request,
        case_id,
        decision_id,
        FollowUpForm(request.POST),
        lambda data: services.record_follow_up(
            actor=request.user,
            decision_id=decision_id,
            case_id=case_id,
            channel=Channel.WEB,
            **data,
        ),
        _("Uppföljningen är sparad."),
    )


@require_POST
def decision_end(
    request: AuthenticatedHttpRequest, case_id: UUID, decision_id: UUID
) -> HttpResponse:
    """End the support with a reason."""
    return _post(
        request,
        case_id,
        decision_id,
        EndForm(request.POST),
        lambda data: services.end_support(
            actor=request.user,
            decision_id=decision_id,
            case_id=case_id,
            channel=Channel.WEB,
            **data,
        ),
        _("Insatsen är avslutad."),
    )


def provider_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the provider the cases their unit is ordered to serve, with a quick log form."""
    decisions = list_ordered_cases(request.user, channel=Channel.WEB)
    return render(
        request,
        "decisions/provider_queue.html",
        {"rows": [(d, LogForm(auto_id=f"log-{d.pk}-%s")) for d in decisions]},
    )
