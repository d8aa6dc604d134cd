"""Pages of the SIA alignment, the requested documents, referrals and the guidance meeting."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sia.accounts.models import User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.cases.selectors import get_case
from sia.consent.models import DataKind
from sia.core.concurrency import (
    Difference,
    EditConflict,
    ShownConflict,
    show_conflict,
    shown_value,
)
from sia.core.exceptions import DomainError, InvalidTransition, NotFoundOrForbidden
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest
from sia.core.views import save_edit
from sia.meetings import alignment as alignment_services
from sia.meetings import guidance as guidance_services
from sia.meetings.alignment import AlignmentInput, ReferralInput
from sia.meetings.forms_alignment import (
    AddDocumentForm,
    AlignmentForm,
    DocumentStatusForm,
    GuidanceBookingForm,
    GuidanceRecordForm,
    NeedFormSet,
    NewReferralForm,
    ReferralStatusForm,
)
from sia.meetings.guidance import GuidanceBooking
from sia.meetings.models import Alignment, GuidanceMeeting, MeetingMode, Referral
from sia.meetings.selectors_alignment import (
    guidance_topics,
    list_alignments,
    list_document_requests,
    list_guidance_meetings,
    list_guides_on_team,
    list_referral_units,
    list_referrals,
    next_alignment_kind,
    requestable_documents,
)
from sia.process.access import can_do_sia_casework

# The status a referral usually moves to next, offered first in its form.
NEXT_REFERRAL_STATUS: dict[str, str] = {
    Referral.Status.IDENTIFIED: Referral.Status.SENT,
    Referral.Status.SENT: Referral.Status.ACCEPTED,
    Referral.Status.ACCEPTED: Referral.Status.CLOSED,
    Referral.Status.DECLINED: Referral.Status.CLOSED,
}


GUIDANCE_DONE = {
    "book": gettext_lazy("Mötet är bokat."),
    "change": gettext_lazy("Mötet är ombokat."),
    "cancel": gettext_lazy("Mötet är inställt."),
    "record": gettext_lazy("Mötet är dokumenterat och signerat."),
}


def _case(request: AuthenticatedHttpRequest, case_id: UUID) -> tuple[Case, bool]:
    case = get_case(request.user, case_id, channel=Channel.WEB, kind=DataKind.CASE)
    return case, can_do_sia_casework(request.user, case)


def _post(request: AuthenticatedHttpRequest, may_work: bool) -> bool:
    if request.method != "POST":
        return False
    if not may_work:
        raise NotFoundOrForbidden
    return True


def _referral_inputs(formset: Any) -> list[ReferralInput]:
    return [
        ReferralInput(
            need=form.cleaned_data["need"],
            to_unit_id=form.cleaned_data["to_unit"].pk if form.cleaned_data["to_unit"] else None,
            to_unit_name=form.cleaned_data["to_unit_name"],
        )
        for form in formset
        if not form.is_blank
    ]


def _alignment_input(form: AlignmentForm, formset: Any) -> AlignmentInput:
    data = form.cleaned_data
    return AlignmentInput(
        held_on=data["held_on"],
        document_item_ids=[item.pk for item in data["documents"]],
        info_for_guide=data["info_for_guide"],
        first_visit_at=data["first_visit_at"],
        first_visit_minutes=data["first_visit_minutes"],
        standby_guide_id=data["standby_guide"].pk if data["standby_guide"] else None,
        notes=data["notes"],
        referrals=_referral_inputs(formset),
    )


def alignment(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Show the case's alignments, documents and referrals; record an alignment."""
    case, may_work = _case(request, case_id)
    data = request.POST if _post(request, may_work) else None
    alignments = list(list_alignments(case))
    guides = list_guides_on_team(case)
    initial = _alignment_initial(alignments[0] if alignments else None, list(guides))
    form = AlignmentForm(data, items=requestable_documents(case), guides=guides, initial=initial)
    formset = NeedFormSet(data, prefix="behov", form_kwargs={"units": list_referral_units(case)})
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            alignment_services.record_alignment(
                case_id=case.pk,
                data=_alignment_input(form, formset),
                recorded_by=request.user,
                channel=Channel.WEB,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Avstämningen är signerad."))
            return redirect("alignment", case_id=case.pk)
    context = {"case": case, "may_work": may_work, "form": form, "formset": formset}
    context["is_transfer"] = next_alignment_kind(case) == Alignment.Kind.TRANSFER
    return render(request, "meetings/alignment.html", {**context, **_lists(case, alignments)})


def _lists(case: Case, alignments: list[Alignment]) -> dict[str, Any]:
    return {
        "alignments": alignments,
        "documents": list(list_document_requests(case)),
        "referrals": list(list_referrals(case)),
    }


def _alignment_initial(latest: Alignment | None, guides: list[User]) -> dict[str, Any]:
    """Start a correction from the latest record; a first record from today and the team's guide."""
    initial: dict[str, Any] = {
        "held_on": timezone.localdate(),
        "first_visit_minutes": 60,
        "standby_guide": guides[0].pk if guides else None,
    }
    if latest is not None:
        initial.update(
            info_for_guide=latest.info_for_guide,
            first_visit_at=latest.first_visit_at,
            first_visit_minutes=latest.first_visit_minutes,
            standby_guide=latest.standby_guide_id or initial["standby_guide"],
            notes=latest.notes,
        )
    return initial


def documents(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Show the requested-documents list; change statuses or add an item."""
    case, may_work = _case(request, case_id)
    posting = _post(request, may_work)
    rows = list(list_document_requests(case))
    on_list = [row.item_id for row in rows]
    action = request.POST.get("action") if posting else None
    status_form = DocumentStatusForm(request.POST if action == "status" else None, rows=rows)
    add_form = AddDocumentForm(
        request.POST if action == "add" else None,
        items=requestable_documents(case).exclude(pk__in=on_list),
        prefix="ny",
    )
    form = status_form if action == "status" else add_form
    context = {"case": case, "may_work": may_work, "status_form": status_form, "add_form": add_form}
    if action in ("status", "add") and form.is_valid():
        return save_edit(
            request,
            lambda: _save_documents(request, case, status_form, add_form, action),
            form=form,
            conflict=lambda conflict: _documents_conflict(case, conflict, status_form),
            template="meetings/documents.html",
            context=context,
            success=_("Listan över handlingar är sparad."),
            done=reverse("documents", kwargs={"case_id": case.pk}),
        )
    return render(request, "meetings/documents.html", context)


def _documents_conflict(
    case: Case, conflict: EditConflict, form: DocumentStatusForm
) -> ShownConflict:
    """Show each item someone else changed that the user's save would change back."""
    now = {row.item_id: row for row in list_document_requests(case)}
    extra, rearm = [], {}
    for row in form.rows:
        saved = now[row.item_id]
        field = form.fields[form.field_name(row)]
        yours = form.cleaned_data[form.field_name(row)]
        if saved.lock_version != form.cleaned_data[form.version_name(row)]:
            theirs = shown_value(field, saved.status)
            extra.append(Difference(row.item.label, theirs, shown_value(field, yours)))
        rearm[form.version_name(row)] = saved.lock_version
    return show_conflict(conflict, form, extra=extra, rearm=rearm)


def _save_documents(
    request: AuthenticatedHttpRequest,
    case: Case,
    status_form: DocumentStatusForm,
    add_form: AddDocumentForm,
    action: str,
) -> None:
    if action == "status":
        alignment_services.set_document_statuses(
            case_id=case.pk,
            changes=status_form.changes(),
            on=status_form.cleaned_data["on"],
            changed_by=request.user,
            channel=Channel.WEB,
            expected_versions=status_form.versions(),
        )
        return
    alignment_services.add_document_request(
        case_id=case.pk,
        item_id=add_form.cleaned_data["item"].pk,
        on=add_form.cleaned_data["on"],
        added_by=request.user,
        channel=Channel.WEB,
    )


def referrals(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """List the referrals to other units, move one on or note a new need."""
    case, may_work = _case(request, case_id)
    posting = _post(request, may_work)
    action = request.POST.get("action") if posting else None
    new_form = NewReferralForm(
        request.POST if action == "new" else None, units=list_referral_units(case)
    )
    status_form = ReferralStatusForm(request.POST) if action == "status" else None
    form: Any = new_form if action == "new" else status_form
    if form is not None and form.is_valid():
        try:
            _save_referral(request, case, form)
        except DomainError as error:
            add_domain_error(form, error, default_field="status" if action == "status" else None)
        else:
            messages.success(request, _("Remissen är sparad."))
            return redirect("referrals", case_id=case.pk)
    rows = [(referral, _status_form(referral, status_form)) for referral in list_referrals(case)]
    context = {"case": case, "may_work": may_work, "rows": rows, "new_form": new_form}
    return render(request, "meetings/referrals.html", context)


def _status_form(
    referral: Referral, posted: ReferralStatusForm | None
) -> ReferralStatusForm | None:
    if referral.status == Referral.Status.CLOSED:
        return None
    if posted is not None and posted.data.get("referral") == str(referral.pk):
        posted.auto_id = f"remiss-{referral.pk}-%s"
        return posted
    return ReferralStatusForm(
        auto_id=f"remiss-{referral.pk}-%s",
        initial={"referral": referral.pk, "status": NEXT_REFERRAL_STATUS.get(referral.status)},
    )


def _save_referral(request: AuthenticatedHttpRequest, case: Case, form: Any) -> None:
    data = form.cleaned_data
    if isinstance(form, NewReferralForm):
        alignment_services.create_referral(
            case_id=case.pk,
            referral=ReferralInput(
                need=data["need"],
                to_unit_id=data["to_unit"].pk if data["to_unit"] else None,
                to_unit_name=data["to_unit_name"],
            ),
            on=data["on"],
            created_by=request.user,
            channel=Channel.WEB,
        )
        return
    alignment_services.update_referral_status(
        case_id=case.pk,
        referral_id=data["referral"],
        status=data["status"],
        on=data["on"],
        changed_by=request.user,
        channel=Channel.WEB,
    )


def guidance(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Book, rebook, cancel and record the guidance meeting."""
    case, may_work = _case(request, case_id)
    posting = _post(request, may_work)
    action = request.POST.get("action") if posting else None
    meetings = list(list_guidance_meetings(case))
    booked = next((m for m in meetings if m.status == GuidanceMeeting.Status.BOOKED), None)
    guides = list_guides_on_team(case)
    topics = list(guidance_topics(case))
    booking_data = request.POST if action in ("book", "change") else None
    booking_form = GuidanceBookingForm(
        booking_data, guides=guides, initial=_booking_initial(request, case, booked, guides)
    )
    record_form = GuidanceRecordForm(request.POST if action == "record" else None, topics=topics)
    form: Any = record_form if action == "record" else booking_form
    if action in ("book", "change", "cancel", "record") and (action == "cancel" or form.is_valid()):
        try:
            _save_guidance(request, case, booked, action, form)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, str(GUIDANCE_DONE[action]))
            return redirect("guidance", case_id=case.pk)
    context = {
        "case": case,
        "may_work": may_work,
        "meetings": meetings,
        "booked": booked,
        "booking_form": booking_form,
        "record_form": record_form,
        "topics": topics,
        "documents": list(list_document_requests(case)),
    }
    return render(request, "meetings/guidance.html", context)


def _booking_initial(
    request: AuthenticatedHttpRequest, case: Case, booked: GuidanceMeeting | None, guides: Any
) -> dict[str, Any]:
    if booked is not None:
        return {
            "guide": booked.guide_id,
            "starts_at": booked.starts_at,
            "duration_minutes": booked.duration_minutes,
            "place": booked.place,
            "mode": booked.mode,
            "interpreter_needed": booked.interpreter_needed,
            "interpreter_language": booked.interpreter_language,
        }
    is_guide = any(guide.pk == request.user.pk for guide in guides)
    return {
        "guide": request.user.pk if is_guide else None,
        "duration_minutes": 60,
        "mode": MeetingMode.ON_SITE,
        "interpreter_needed": case.person.interpreter_needed,
        "interpreter_language": case.person.interpreter_language,
    }


def _booking(form: GuidanceBookingForm) -> GuidanceBooking:
    data = form.cleaned_data
    return GuidanceBooking(
        guide_id=data["guide"].pk,
        starts_at=data["starts_at"],
        duration_minutes=data["duration_minutes"],
        place=data["place"],
        mode=data["mode"],
        interpreter_needed=data["interpreter_needed"],
        interpreter_language=data["interpreter_language"],
    )


def _save_guidance(
    request: AuthenticatedHttpRequest,
    case: Case,
    booked: GuidanceMeeting | None,
    action: str,
    form: Any,
) -> None:
    user, web = request.user, Channel.WEB
    if action == "book":
        guidance_services.book_guidance_meeting(
            case_id=case.pk, booking=_booking(form), booked_by=user, channel=web
        )
        return
    if booked is None:
        raise InvalidTransition(
            _("Det finns inget bokat möte. Ett dokumenterat möte kan inte ändras.")
        )
    if action == "change":
        changes = {**_booking(form).__dict__}
        guidance_services.change_guidance_booking(
            case_id=case.pk, meeting_id=booked.pk, changes=changes, changed_by=user, channel=web
        )
    elif action == "cancel":
        guidance_services.cancel_guidance_meeting(
            case_id=case.pk, meeting_id=booked.pk, cancelled_by=user, channel=web
        )
    else:
        guidance_services.record_guidance_meeting(
            case_id=case.pk,
            meeting_id=booked.pk,
            covered_topics=form.cleaned_data["covered_topics"],
            notes=form.cleaned_data["notes"],
            recorded_by=user,
            channel=web,
        )
