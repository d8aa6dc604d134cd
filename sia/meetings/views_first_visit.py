"""Pages of the first visit (nybesök, IB:3) and of the call-in of the standby guide."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sia.audit.models import Channel
from sia.cases.access import access_case
from sia.cases.selectors import get_case
from sia.consent.models import DataKind
from sia.core.exceptions import DomainError, InvalidTransition, NotFoundOrForbidden
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest
from sia.meetings import first_visit as services
from sia.meetings.forms_first_visit import FirstVisitForm, GuideCallAnswerForm, GuideCallForm
from sia.meetings.models import GuideCall
from sia.meetings.selectors_alignment import list_document_requests, list_guides_on_team
from sia.meetings.selectors_first_visit import (
    assessment_items,
    list_case_guide_calls,
    list_first_visits,
    list_open_calls_to,
    list_recent_calls_by,
    standby_guide,
    with_answer_labels,
)


def first_visit(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Show the first visit and let the social worker record it and call in the guide."""
    case = get_case(request.user, case_id, channel=Channel.WEB, kind=DataKind.ASSESSMENTS)
    may_record = services.can_record_first_visit(request.user, case)
    documents = list(list_document_requests(case))
    form = FirstVisitForm(
        request.POST or None, items=list(assessment_items(case)), documents=documents
    )
    if request.method == "POST":
        if not may_record:
            raise NotFoundOrForbidden
        if form.is_valid():
            try:
                services.record_first_visit(
                    case_id=case.pk,
                    held_at=form.cleaned_data["held_at"],
                    answers=form.answers(),
                    continuing_support_need=form.cleaned_data["continuing_support_need"],
                    notes=form.cleaned_data["notes"],
                    received_document_ids=form.cleaned_data["received_documents"],
                    recorded_by=request.user,
                    channel=Channel.WEB,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Nybesöket är dokumenterat och signerat."))
                return redirect("first-visit", case_id=case.pk)
    guides = list_guides_on_team(case)
    context = {
        "case": case,
        "form": form,
        "may_record": may_record,
        "documents": documents,
        "records": with_answer_labels(list_first_visits(case)),
        "standby_guide": standby_guide(case),
        "call_form": GuideCallForm(guides=guides),
        "calls": list_case_guide_calls(case),
    }
    return render(request, "meetings/first_visit.html", context)


@require_POST
def guide_call(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Call the standby guide into the first visit; the guide's banner shows it at once."""
    case = access_case(request.user, case_id, for_write=True)
    form = GuideCallForm(request.POST, guides=list_guides_on_team(case))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("first-visit", case_id=case.pk)
    guide = form.cleaned_data["guide"]
    try:
        services.call_guide(
            case_id=case.pk,
            called_by=request.user,
            channel=Channel.WEB,
            message=form.cleaned_data["message"],
            guide_id=guide.pk if guide else None,
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Samhällsvägledaren är inkallad. Svaret visas här."))
    return redirect("first-visit", case_id=case.pk)


def _incoming(call: GuideCall) -> dict[str, str]:
    return {
        "id": str(call.pk),
        "case_reference": call.case.reference,
        "caller_name": call.called_by.get_full_name() or call.called_by.get_username(),
        "message": call.message,
        "called_at": call.created_at.isoformat(),
        "answer_url": reverse("guide-call-answer", kwargs={"call_id": call.pk}),
    }


def _sent(call: GuideCall) -> dict[str, str | None]:
    return {
        "id": str(call.pk),
        "case_reference": call.case.reference,
        "guide_name": call.guide.get_full_name() or call.guide.get_username(),
        "answer": call.answer or None,
        "status_label": call_status_label(call),
        "answered_at": call.answered_at.isoformat() if call.answered_at else None,
    }


def call_status_label(call: GuideCall) -> str:
    """Say in words where a call-in stands."""
    if call.answer == GuideCall.Answer.ON_MY_WAY:
        return _("Svar: Jag kommer")
    if call.answer == GuideCall.Answer.CANNOT:
        return _("Svar: Kan inte komma")
    return _("Väntar på svar")


@require_GET
def guide_calls_poll(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Answer the live banner: open calls to me, and where my own calls stand.

    Only the case reference and staff names leave the server, no personal data of the
    newcomer, so a poll writes no audit event.
    """
    response = JsonResponse(
        {
            "calls": [_incoming(call) for call in list_open_calls_to(request.user)],
            "sent": [_sent(call) for call in list_recent_calls_by(request.user)],
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def _back(request: AuthenticatedHttpRequest, target: str) -> str:
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else reverse("start")


@require_POST
def guide_call_answer(request: AuthenticatedHttpRequest, call_id: UUID) -> HttpResponse:
    """Answer a call-in: "Jag kommer" or "Kan inte komma". A second answer is refused (409)."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = GuideCallAnswerForm(request.POST)
    if not form.is_valid():
        return _answer_refused(request, wants_json, _("Välj ett svar."), status=400)
    try:
        call = services.answer_guide_call(
            call_id=call_id,
            answer=form.cleaned_data["answer"],
            answered_by=request.user,
            channel=Channel.WEB,
        )
    except InvalidTransition as error:
        return _answer_refused(request, wants_json, str(error.message), status=409)
    text = _("Du har svarat: %(answer)s.") % {"answer": call.get_answer_display()}
    if wants_json:
        return JsonResponse({"answer": call.answer, "message": text})
    messages.success(request, text)
    return redirect(_back(request, form.cleaned_data["next"]))


def _answer_refused(
    request: AuthenticatedHttpRequest, wants_json: bool, text: str, *, status: int
) -> HttpResponse:
    if wants_json:
        return JsonResponse({"message": text}, status=status)
    back = _back(request, request.POST.get("next", ""))
    return render(
        request,
        "meetings/first_visit_call_refused.html",
        {"text": text, "back": back},
        status=status,
    )
