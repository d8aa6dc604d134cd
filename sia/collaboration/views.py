"""Pages of meetings across organisations: lists, the meeting's page with a small form per
step (post, then redirect with a message), the invitation letter and the calendar file."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sia.audit.models import Channel
from sia.cases.selectors import get_case, list_cases
from sia.collaboration import services
from sia.collaboration.access import access_meeting, can_change_meeting
from sia.collaboration.calendar import meeting_ics
from sia.collaboration.forms import (
    AgendaItemForm,
    CancelForm,
    ConsentForm,
    CopyForm,
    DecisionForm,
    FollowUpForm,
    InterpreterConfirmForm,
    InterpreterForm,
    MeetingForm,
    MinutesForm,
    PartyForm,
    TaskForm,
    meeting_initial,
    minutes_initial,
    team_member_choices,
)
from sia.collaboration.models import AgendaItem, Meeting
from sia.collaboration.rules import life_area_labels, rules_for
from sia.collaboration.selectors import (
    MeetingRecord,
    get_meeting,
    list_case_meetings,
    list_consent_choices,
    list_my_meetings,
)
from sia.consent.models import DataKind
from sia.core.concurrency import EditConflict, render_conflict_page, show_conflict
from sia.core.exceptions import DomainError, NotFoundOrForbidden
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest
from sia.core.views import submit_form
from sia.process.access import can_work_on_case
from sia.teamwork.access import does_casework

WEB = Channel.WEB


def case_meetings(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """List a case's meetings across organisations and plan a new one."""
    case = get_case(request.user, case_id, channel=WEB, kind=DataKind.MEETINGS)
    may_plan = can_work_on_case(request.user, case)
    form = MeetingForm(request.POST if request.method == "POST" else None, initial={"minutes": 90})
    if request.method == "POST":
        if not may_plan:
            raise NotFoundOrForbidden
        if form.is_valid():
            try:
                meeting = services.create_meeting(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    case_id=case.pk,
                    data=form.to_input(),
                    channel=WEB,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Mötet är planerat."))
                return redirect("meeting-detail", meeting_id=meeting.pk)
    context = {
        "case": case,
        "meetings": list_case_meetings(request.user, case),
        "may_plan": may_plan,
        "form": form,
    }
    return render(request, "collaboration/case_meetings.html", context)


def meetings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the user's coming meetings and case reviews; plan a case review."""
    if not does_casework(request.user):
        raise NotFoundOrForbidden
    form = MeetingForm(
        request.POST if request.method == "POST" else None, review=True, initial={"minutes": 90}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(
                actor=request.user,
                kind=Meeting.Kind.CASE_REVIEW,
                case_id=None,
                data=form.to_input(),
                channel=WEB,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Ärendegenomgången är planerad."))
            return redirect("meeting-detail", meeting_id=meeting.pk)
    since = timezone.now() - timedelta(days=1)
    context = {
        "meetings": list_my_meetings(request.user, since=since, channel=WEB),
        "form": form,
    }
    return render(request, "collaboration/meetings.html", context)


def _forms(request: AuthenticatedHttpRequest, record: MeetingRecord) -> dict[str, Any]:
    meeting = record.meeting
    review = meeting.case is None
    agenda_cases = list_cases(request.user, open_only=True) if review else None
    return {
        "meeting_form": MeetingForm(
            initial=meeting_initial(meeting), review=review, with_kind=False
        ),
        "party_form": PartyForm(),
        "consent_form": ConsentForm(consents=list_consent_choices(meeting)),
        "interpreter_form": InterpreterForm(auto_id="id_interpreter_%s"),
        "interpreter_confirm_form": InterpreterConfirmForm(auto_id="id_interpreter_confirm_%s"),
        "minutes_form": MinutesForm(meeting=meeting, initial=minutes_initial(meeting)),
        "follow_up_form": FollowUpForm(meeting=meeting),
        "copy_form": CopyForm(initial={"sent_on": timezone.localdate()}),
        "cancel_form": CancelForm(),
        "agenda_form": AgendaItemForm(cases=agenda_cases),
        "decision_form": DecisionForm(),
        "task_form": TaskForm(),
    }


def _agenda_rows(
    record: MeetingRecord, may_change: bool
) -> list[tuple[AgendaItem, list[tuple[str, str]]]]:
    """Pair each agenda point shown with the team members who may own its task."""
    owners: dict[UUID | None, list[tuple[str, str]]] = {}
    rows = []
    for item in record.agenda_items:
        case = item.case or record.meeting.case
        key = case.pk if case is not None else None
        if may_change and key not in owners:
            owners[key] = team_member_choices(case)
        rows.append((item, owners.get(key, [])))
    return rows


def meeting_detail(request: AuthenticatedHttpRequest, meeting_id: UUID) -> HttpResponse:
    """Show everything about a meeting, with the checklist and a form for each step."""
    record = get_meeting(request.user, meeting_id, channel=WEB)
    meeting = record.meeting
    may_change = can_change_meeting(request.user, meeting)
    context = {
        "record": record,
        "meeting": meeting,
        "rules": rules_for(meeting.kind),
        "life_area_labels": life_area_labels(meeting),
        "may_change": may_change,
        "is_open": meeting.status in services.OPEN_STATUSES,
        "may_record": meeting.status in services.recordable_statuses(meeting.kind),
        "interpreter": getattr(meeting, "interpreter_booking", None),
        "agenda_rows": _agenda_rows(record, may_change),
        **(_forms(request, record) if may_change else {}),
    }
    return render(request, "collaboration/meeting.html", context)


def _errors(form: forms.Form) -> list[str]:
    """All the errors of an invalid form, as one message."""
    return [" ".join(str(error) for errors in form.errors.values() for error in errors)]


def _act(
    request: AuthenticatedHttpRequest,
    meeting_id: UUID,
    form: forms.Form,
    call: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """Post one of the meeting page's small forms and go back to the meeting (PRG)."""
    submit_form(request, form, call, success, error_messages=_errors)
    return redirect("meeting-detail", meeting_id=meeting_id)


@require_POST
def meeting_update(request: AuthenticatedHttpRequest, meeting_id: UUID) -> HttpResponse:
    """Change what, when and where while the meeting is not yet held."""
    meeting = access_meeting(request.user, meeting_id)
    form = MeetingForm(request.POST, review=meeting.case is None, with_kind=False)
    return _act(
        request,
        meeting_id,
        form,
        lambda _data: services.update_meeting(
            actor=request.user, meeting_id=meeting_id, data=form.to_input(), channel=WEB
        ),
        _("Mötet är ändrat."),
    )


@require_POST
def meeting_party(request: AuthenticatedHttpRequest, meeting_id: UUID) -> HttpResponse:
    """Add the person, a member of staff or an outside party."""
    return _act(
        request,
        meeting_id,
        PartyForm(request.POST),
        lambda data: services.add_party(
            actor=request.user,
            meeting_id=meeting_id,
            kind=data["kind"],
            user_id=data.get("user"),
            name=data.get("name", ""),
            organisation_id=data["organisation"].pk if data.get("organisation") else None,
            function=data.get("function", ""),
            invitation_language=data.get("invitation_language", ""),
            channel=WEB,
        ),
        _("Parten är tillagd."),
    )


@require_POST
def meeting_consent(request: AuthenticatedHttpRequest, meeting_id: UUID) -> HttpResponse:
    """Link the consent that allows the meeting."""
    meeting = access_meeting(request.user, meeting_id)
    return _act(
        request,
        meeting_id,
        ConsentForm(request.POST, consents=list_consent_choices(meeting)),
        lambda data: services.link_consent(
            actor=request.user, meeting_id=meeting_id, consent_id=data["consent"].pk, channel=WEB
        ),
        _("Samtycket är kopplat till mötet."),
    )


@require_POST
def meeting_invitations(request: AuthenticatedHttpRequest, meeting_id: UUID) -> HttpResponse:
    """Mark the invitations as sent to every party."""
    return _act(
        request,
        meeting_id,
        forms.Form(request.POST),
        lambda _data: services.send_invitations(
            actor=request.user, meeting_id=meeting_id, channel=WEB
        ),
        _("Kallelserna är markerade som skickade."),
    )


@require_POST
def meeting_interpreter(request: AuthenticatedHttpRequest, meeting_id: UUID) -> HttpResponse:
    """Book the interpreter."""
    return _act(
        request,
        meeting_id,
        InterpreterForm(request.POST, auto_id="id_interpreter_%s"),
        lambda data: services.book_interpreter(
            actor=request.user, meeting_id=meeting_id, channel=WEB, **data
        ),
        _("Tolken är beställd."),
    )


@require_POST
def meeting_interpreter_confirm(
    request: AuthenticatedHttpRequest, meeting_id: UUID
) -> HttpResponse:
    """Record that the interpreting agency confirmed the interpreter."""
    return _act(
        request,
        meeting_id,
        InterpreterConfirmForm(request.POST, auto_id="id_interpreter_confirm_%s"),
        lambda data: services.confirm_interpreter(
            actor=request.user,
            meeting_id=meeting_id,
            interpreter_reference=data["interpreter_reference"],
            channel=WEB,
        ),
        _("Tolken är bekräftad."),
    )


@require_POST
def meeting_interpreter_cancel(request: AuthenticatedHttpRequest, meeting_id: UUID) -> HttpResponse:
    """Record that the interpreter booking is cancelled."""
    return _act(
        request,
        meeting_id,
        forms.Form(request.POST),
        lambda _data: services.cancel_interpreter(
            actor=request.user, meeting_id=meeting_id, channel=WEB
        ),
        _("Tolken är avbokad."),
    )


@require_POST
def meeting_minutes(request: AuthenticatedHttpRequest, meeting_id: UUID) -> HttpResponse:
    """Document the meeting: what each party said and who is responsible for what."""
    meeting = access_meeting(request.user, meeting_id)
    form = MinutesForm(request.POST, meeting=meeting)
    return _act(
        request,
        meeting_id,
        form,
        lambda data: services.record_minutes(
            actor=request.user,
            meeting_id=meeting_id,
            held_on=data["held_on"],
            notes=data.get("notes", ""),
            note_taker_id=data.get("note_taker"),
            overall_responsible_id=data.get("overall_responsible"),
            parties=form.party_minutes(),
            channel=WEB,
        ),
        _("Dokumentationen av mötet är sparad."),
    )


@require_POST
def meeting_follow_up(request: AuthenticatedHttpRequest, meeting_id: UUID) -> HttpResponse:
    """Book the follow-up meeting, or record that none is needed."""
    meeting = access_meeting(request.user, meeting_id)
    not_needed = request.POST.get("action") == "not_needed"
    return _act(
        request,
        meeting_id,
        FollowUpForm(request.POST, meeting=meeting),
        lambda data: services.book_follow_up(
            actor=request.user,
            meeting_id=meeting_id,
            starts_at=data.get("starts_at"),
            convened_by_id=data.get("convened_by"),
            not_needed=not_needed,
            channel=WEB,
        ),
        _("Ingen uppföljning behövs.") if not_needed else _("Uppföljningen är bokad."),
    )


@require_POST
def meeting_signature(
    request: AuthenticatedHttpRequest, meeting_id: UUID, party_id: UUID
) -> HttpResponse:
    """Sign for oneself, or record a paper signature of the person or an outside party."""
    return _act(
        request,
        meeting_id,
        forms.Form(request.POST),
        lambda _data: services.sign(
            actor=request.user, meeting_id=meeting_id, party_id=party_id, channel=WEB
        ),
        _("Signeringen är registrerad."),
    )


@require_POST
def meeting_copy(
    request: AuthenticatedHttpRequest, meeting_id: UUID, party_id: UUID
) -> HttpResponse:
    """Log that a party got a copy."""
    return _act(
        request,
        meeting_id,
        CopyForm(request.POST),
        lambda data: services.record_copy(
            actor=request.user,
            meeting_id=meeting_id,
            party_id=party_id,
            sent_on=data["sent_on"],
            method=data["method"],
            channel=WEB,
        ),
        _("Kopian är registrerad."),
    )


@require_POST
def meeting_cancel(request: AuthenticatedHttpRequest, meeting_id: UUID) -> HttpResponse:
    """Cancel the meeting with a reason."""
    return _act(
        request,
        meeting_id,
        CancelForm(request.POST),
        lambda data: services.cancel_meeting(
            actor=request.user, meeting_id=meeting_id, reason=data["reason"], channel=WEB
        ),
        _("Mötet är inställt."),
    )


@require_POST
def meeting_agenda_item(request: AuthenticatedHttpRequest, meeting_id: UUID) -> HttpResponse:
    """Add a point (in a case review: a case) to the agenda."""
    meeting = access_meeting(request.user, meeting_id)
    cases = list_cases(request.user, open_only=True) if meeting.case is None else None
    return _act(
        request,
        meeting_id,
        AgendaItemForm(request.POST, cases=cases),
        lambda data: services.add_agenda_item(
            actor=request.user,
            meeting_id=meeting_id,
            topic=data["topic"],
            case_id=data.get("case"),
            channel=WEB,
        ),
        _("Punkten är tillagd."),
    )


@require_POST
def meeting_decision(
    request: AuthenticatedHttpRequest, meeting_id: UUID, item_id: UUID
) -> HttpResponse:
    """Write down the decision on an agenda point; 409 if someone changed it meanwhile."""
    form = DecisionForm(request.POST)
    try:
        return _act(
            request,
            meeting_id,
            form,
            lambda data: services.record_decision(
                actor=request.user,
                meeting_id=meeting_id,
                item_id=item_id,
                decision=data["decision"],
                channel=WEB,
                expected_version=data["lock_version"],
            ),
            _("Beslutet är sparat."),
        )
    except EditConflict as conflict:
        item = conflict.record
        assert isinstance(item, AgendaItem)  # noqa: S101
        back = reverse("meeting-detail", kwargs={"meeting_id": meeting_id}) + f"#item-{item.pk}"
        shown = show_conflict(conflict, form)
        return render_conflict_page(request, shown, back_url=back, title=item.topic)


@require_POST
def meeting_task(
    request: AuthenticatedHttpRequest, meeting_id: UUID, item_id: UUID
) -> HttpResponse:
    """Turn a decision into a task of the case's shared action plan, owned by an
    organisation and, optionally, one of the case's team members."""
    meeting = access_meeting(request.user, meeting_id)
    item = AgendaItem.objects.select_related("case").filter(meeting=meeting, pk=item_id).first()
    if item is None:
        raise NotFoundOrForbidden
    return _act(
        request,
        meeting_id,
        TaskForm(request.POST, case=item.case or meeting.case),
        lambda data: services.decide_task(
            actor=request.user,
            meeting_id=meeting_id,
            item_id=item_id,
            title=data["title"],
            owner_organisation_id=data["owner_organisation"].pk,
            owner_id=data.get("owner"),
            due_on=data.get("due_on"),
            channel=WEB,
        ),
        _("Uppgiften är tillagd i handlingsplanen."),
    )


@never_cache
def meeting_invitation(
    request: AuthenticatedHttpRequest, meeting_id: UUID, party_id: UUID
) -> HttpResponse:
    """Print the invitation letter (kallelse) to one party, in their language if the
    interface has it, else in Swedish with a line saying so."""
    record = get_meeting(request.user, meeting_id, channel=WEB)
    party = next((p for p in record.meeting.parties.all() if p.pk == party_id), None)
    if party is None:
        raise NotFoundOrForbidden
    available = {code for code, _name in settings.LANGUAGES}
    wanted = party.invitation_language or settings.LANGUAGE_CODE
    language = wanted if wanted in available else settings.LANGUAGE_CODE
    context = {
        "meeting": record.meeting,
        "party": party,
        "in_swedish_note": wanted not in available,
        "ends_at": record.meeting.starts_at + timedelta(minutes=record.meeting.minutes),
        "life_area_labels": life_area_labels(record.meeting),
        "interpreter": getattr(record.meeting, "interpreter_booking", None),
    }
    with translation.override(language):
        html = render_to_string("collaboration/invitation.html", context, request=request)
    return HttpResponse(html)


@never_cache
def meeting_calendar(request: AuthenticatedHttpRequest, meeting_id: UUID) -> HttpResponse:
    """Download the meeting as an iCalendar file, without any person's name."""
    record = get_meeting(request.user, meeting_id, channel=WEB)
    link = request.build_absolute_uri(reverse("meeting-detail", args=[meeting_id]))
    response = HttpResponse(
        meeting_ics(record.meeting, link), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="sia-mote-{meeting_id}.ics"'
    return response
