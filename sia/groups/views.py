"""Pages of group activities: the series list, a series with its participants, a session
with attendance and evaluation, and a case's groups."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sia.audit.models import Channel
from sia.cases.selectors import get_case
from sia.consent.models import DataKind
from sia.core.exceptions import DomainError, NotFoundOrForbidden
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest
from sia.groups import access, selectors, services
from sia.groups.forms import (
    AttendanceForm,
    EnrolmentStatusForm,
    EvaluationForm,
    InviteForm,
    SeriesForm,
    SessionForm,
    session_initial,
)
from sia.groups.models import GroupEnrolment, GroupSeries, GroupSession
from sia.people.models import Language
from sia.process.access import can_do_sia_casework


def groups(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the group series and create a new one, from a preset or from scratch."""
    if not access.can_see_series_list(request.user):
        raise NotFoundOrForbidden
    form = SeriesForm(
        request.POST if request.method == "POST" else None,
        units=selectors.list_my_units(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            series = services.create_series(
                actor=request.user, data=form.to_input(), channel=Channel.WEB
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Gruppaktiviteten är skapad."))
            return redirect("group-series", series_id=series.pk)
    context = {"series_list": selectors.list_series(request.user), "form": form}
    return render(request, "groups/groups.html", context)


def group_series(request: AuthenticatedHttpRequest, series_id: UUID) -> HttpResponse:
    """Show a series: sessions with both runs, places left and the participants."""
    series = selectors.get_series(request.user, series_id)
    participants = selectors.read_participants(request.user, series, channel=Channel.WEB)
    context = {
        "series": series,
        "sessions": list(series.sessions.all()),
        "participants": participants,
        "may_manage": access.can_manage_series(request.user, series),
        "may_decide": access.can_decide_enrolments(request.user, series),
        "languages": selectors.language_labels(series.interpreter_languages),
        "language_choices": Language.choices,
    }
    return render(request, "groups/series.html", context)


@require_POST
def group_enrolment_status(
    request: AuthenticatedHttpRequest, series_id: UUID, enrolment_id: UUID
) -> HttpResponse:
    """Move a participant: at the information meeting, accepted, declined or left."""
    form = EnrolmentStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj en ny status."))
        return redirect("group-series", series_id=series_id)
    try:
        enrolment = services.change_enrolment(
            actor=request.user,
            series_id=series_id,
            enrolment_id=enrolment_id,
            status=form.cleaned_data["status"],
            channel=Channel.WEB,
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("Status ändrad till: %(s)s.") % {"s": enrolment.get_status_display()}
        )
    return _back(request, series_id)


def _back(request: AuthenticatedHttpRequest, series_id: UUID) -> HttpResponse:
    """Go back to the case's groups when the form came from there, else to the series."""
    try:
        case_id = UUID(request.POST.get("case_id", ""))
    except ValueError:
        return redirect("group-series", series_id=series_id)
    return redirect("case-groups", case_id=case_id)


def _session_page(
    request: AuthenticatedHttpRequest, series_id: UUID, session_id: UUID
) -> tuple[GroupSeries, GroupSession, dict[str, object]]:
    """Load a session the user runs, with its participants (reads recorded) and forms."""
    series = selectors.get_series(request.user, series_id)
    if not access.can_manage_series(request.user, series):
        raise NotFoundOrForbidden
    session = selectors.get_session(request.user, series, session_id)
    participants = selectors.read_participants(request.user, series, channel=Channel.WEB)
    accepted = [e for e in participants.shown if e.status == GroupEnrolment.Status.ACCEPTED]
    context: dict[str, object] = {
        "series": series,
        "session": session,
        "participants": participants,
        "attendance_form": AttendanceForm(
            enrolments=accepted, recorded=selectors.list_attendance(session)
        ),
        "evaluation_form": EvaluationForm(initial={"note": session.evaluation_note}),
        "may_evaluate": access.can_evaluate_session(request.user, session),
    }
    return series, session, context


def group_session(
    request: AuthenticatedHttpRequest, series_id: UUID, session_id: UUID
) -> HttpResponse:
    """Plan a session; the page also holds the attendance and evaluation forms."""
    series, session, context = _session_page(request, series_id, session_id)
    users = selectors.list_facilitator_candidates(series)
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial=session_initial(session),
        users=users,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(
                actor=request.user,
                series_id=series.pk,
                session_id=session.pk,
                data=form.to_input(),
                channel=Channel.WEB,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Tillfället är sparat."))
            return redirect("group-session", series_id=series.pk, session_id=session.pk)
    return render(request, "groups/session.html", {**context, "form": form})


@require_POST
def group_attendance(
    request: AuthenticatedHttpRequest, series_id: UUID, session_id: UUID
) -> HttpResponse:
    """Record who came to the session and to which run."""
    series = access.access_series(request.user, series_id, manage=True)
    accepted = list(selectors.list_accepted_participants(request.user, series))
    bound = AttendanceForm(request.POST, enrolments=accepted, recorded={})
    if not bound.is_valid():
        messages.error(request, _("Närvaron kunde inte sparas. Kontrollera uppgifterna."))
    else:
        try:
            services.record_attendance(
                actor=request.user,
                series_id=series_id,
                session_id=session_id,
                rows=bound.to_rows(),
                channel=Channel.WEB,
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Närvaron är sparad."))
    return redirect("group-session", series_id=series_id, session_id=session_id)


@require_POST
def group_evaluation(
    request: AuthenticatedHttpRequest, series_id: UUID, session_id: UUID
) -> HttpResponse:
    """Write the short evaluation note of a held session."""
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv en utvärdering."))
    else:
        try:
            services.record_evaluation(
                actor=request.user,
                series_id=series_id,
                session_id=session_id,
                note=form.cleaned_data["note"],
                channel=Channel.WEB,
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Utvärderingen är sparad."))
    return redirect("group-session", series_id=series_id, session_id=session_id)


def case_groups(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Show the series the case's person is in, with attendance, and invite to another."""
    case = get_case(request.user, case_id, channel=Channel.WEB, kind=DataKind.CASE)
    may_invite = can_do_sia_casework(request.user, case)
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        series=list(selectors.list_open_series(request.user)),
    )
    if request.method == "POST":
        if not may_invite:
            raise NotFoundOrForbidden
        if form.is_valid():
            try:
                services.invite(
                    actor=request.user,
                    series_id=form.cleaned_data["series"],
                    case_id=case.pk,
                    preferred_run=form.cleaned_data["preferred_run"],
                    interpreter_language=form.cleaned_data["interpreter_language"],
                    channel=Channel.WEB,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Personen är inbjuden till informationsmötet."))
                return redirect("case-groups", case_id=case.pk)
    context = {
        "case": case,
        "enrolments": selectors.list_enrolments_of_case(case),
        "form": form,
        "may_invite": may_invite,
    }
    return render(request, "groups/case_groups.html", context)
