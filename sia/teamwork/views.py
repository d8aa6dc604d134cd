"""Pages of the case team: members, the shared action plan, and consultations."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sia.accounts.models import User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.cases.selectors import get_case
from sia.consent.models import DataKind
from sia.core.concurrency import EditConflict, render_conflict_page, show_conflict
from sia.core.exceptions import DomainError, NotFoundOrForbidden
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest
from sia.core.views import submit_form
from sia.process.access import access_case_for, can_work_on_case
from sia.teamwork import access, selectors, services
from sia.teamwork.forms import (
    AddMemberForm,
    AnswerForm,
    ConsultationForm,
    TaskForm,
    TaskStatusForm,
)
from sia.teamwork.models import Consultation, TeamTask


def _consents_url(case: Case) -> str | None:
    # The consent pages come from another part; link to them once they exist.
    try:
        return reverse("consent-list", args=[case.person_id])
    except NoReverseMatch:
        return None


def _member_form(case: Case, data: Any = None) -> AddMemberForm:
    return AddMemberForm(data, staff=selectors.list_addable_staff(case), prefix="member")


def _task_form(case: Case, data: Any = None) -> TaskForm:
    owners = [
        (str(m.user_id), f"{m.user.get_full_name() or m.user.username} ({m.unit.organisation})")
        for m in selectors.list_team(case)
    ]
    return TaskForm(
        data, organisations=selectors.list_organisations(), owners=owners, prefix="task"
    )


def _team_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    member_form: AddMemberForm | None = None,
    task_form: TaskForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    may_manage = access.can_manage_team(user, case)
    may_see_tasks = access.can_see_tasks(user, case)
    may_add_task = access.can_add_task(user, case)
    tasks = list(selectors.list_tasks(user, case))
    updatable = access.updatable_task_organisations(user, case)
    for task in tasks:
        task.is_late = selectors.is_late(task)  # type: ignore[attr-defined]
        task.may_update = updatable is None or task.owner_organisation_id in updatable  # type: ignore[attr-defined]
    context = {
        "case": case,
        "members": selectors.list_team(case),
        "may_manage": may_manage,
        "may_see_tasks": may_see_tasks,
        "may_add_task": may_add_task,
        "task_groups": selectors.group_tasks(tasks),
        "member_form": member_form or (_member_form(case) if may_manage else None),
        "task_form": task_form or (_task_form(case) if may_add_task else None),
        "status_form": TaskStatusForm(),
        "consents_url": _consents_url(case),
    }
    return render(request, "teamwork/team.html", context, status=status)


def case_team(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Show the case team across organisations and the shared action plan."""
    # The team is who is responsible for the case: a partner needs the "case" data kind.
    case = get_case(request.user, case_id, channel=Channel.WEB, kind=DataKind.CASE)
    return _team_page(request, case)


@require_POST
def team_member_add(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Add a member of staff of any organisation to the case team."""
    # Refused before anything is read: a refused partner is shown nothing.
    case = access_case_for(request.user, case_id, access.can_manage_team)
    form = _member_form(case, request.POST)
    if form.is_valid():
        try:
            services.add_team_member(
                actor=request.user,
                case_id=case.pk,
                user_id=form.cleaned_data["user"],
                function=form.cleaned_data["function"],
                channel=Channel.WEB,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Medlemmen är tillagd i teamet."))
            return redirect("case-team", case_id=case.pk)
    return _team_page(request, case, member_form=form, status=400)


@require_POST
def team_member_remove(
    request: AuthenticatedHttpRequest, case_id: UUID, user_id: UUID
) -> HttpResponse:
    """Take a member off the case team (or leave it yourself)."""
    try:
        services.remove_team_member(
            actor=request.user, case_id=case_id, user_id=user_id, channel=Channel.WEB
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Medlemmen är borttagen ur teamet."))
        if user_id == request.user.pk:
            return redirect("start")
    return redirect("case-team", case_id=case_id)


@require_POST
def task_add(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Add a task, owned by an organisation, to the shared action plan."""
    case = access_case_for(request.user, case_id, access.can_add_task)
    form = _task_form(case, request.POST)
    if form.is_valid():
        try:
            _create_task(request.user, case, form)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Uppgiften är tillagd i handlingsplanen."))
            return redirect("case-team", case_id=case.pk)
    return _team_page(request, case, task_form=form, status=400)


def _create_task(user: User, case: Case, form: TaskForm) -> TeamTask:
    owner_id = form.cleaned_data["owner"]
    return services.create_task(
        actor=user,
        case=case,
        title=form.cleaned_data["title"],
        description=form.cleaned_data["description"],
        owner_organisation=form.cleaned_data["owner_organisation"],
        owner=User.objects.get(pk=owner_id) if owner_id else None,
        due_on=form.cleaned_data["due_on"],
        source=TeamTask.Source.TEAM,
        channel=Channel.WEB,
    )


@require_POST
def task_status(request: AuthenticatedHttpRequest, case_id: UUID, task_id: UUID) -> HttpResponse:
    """Move a task's status; done needs its date."""
    form = TaskStatusForm(request.POST)
    try:
        submit_form(
            request,
            form,
            lambda data: services.update_task(
                actor=request.user,
                task_id=task_id,
                case_id=case_id,
                status=data["status"],
                done_on=data["done_on"],
                channel=Channel.WEB,
                expected_version=data["lock_version"],
            ),
            _("Uppgiftens status är ändrad."),
            error_messages=lambda _form: [_("Välj en status.")],
        )
    except EditConflict as conflict:
        task = conflict.record
        assert isinstance(task, TeamTask)  # noqa: S101
        back = reverse("case-team", kwargs={"case_id": case_id})
        shown = show_conflict(conflict, form)
        return render_conflict_page(request, shown, back_url=back, title=task.title)
    return redirect("case-team", case_id=case_id)


def _answer_forms(consultations: list[Consultation]) -> list[tuple[Consultation, AnswerForm]]:
    return [(c, AnswerForm(prefix=f"c{c.pk}")) for c in consultations]


def consultations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show my consultations, those waiting for my answer, and ask an anonymous one."""
    if not access.does_casework(request.user):
        raise NotFoundOrForbidden
    form = ConsultationForm(
        request.POST if request.method == "POST" else None,
        specialists=selectors.list_specialists(None),
        anonymous=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            _ask(request.user, None, form)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Frågan är skickad."))
            return redirect("consultations")
    asked = list(selectors.list_my_consultations(request.user))
    to_answer = list(selectors.list_consultations_to_answer(request.user))
    selectors.read_consultations(request.user, [*asked, *to_answer], channel=Channel.WEB)
    context = {"form": form, "asked": asked, "to_answer": _answer_forms(to_answer)}
    return render(
        request, "teamwork/consultations.html", context, status=400 if form.errors else 200
    )


def case_consultations(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Ask the team's specialists about this case, and read the answers (a partner needs a
    consent sharing the case data)."""
    case = get_case(request.user, case_id, channel=Channel.WEB, kind=DataKind.CASE)
    form = ConsultationForm(
        request.POST if request.method == "POST" else None,
        specialists=selectors.list_specialists(case),
        anonymous=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            _ask(request.user, case.pk, form)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Frågan är skickad."))
            return redirect("case-consultations", case_id=case.pk)
    context = {
        "case": case,
        "form": form,
        "may_ask": can_work_on_case(request.user, case),
        "consultations": selectors.list_case_consultations(request.user, case),
    }
    return render(
        request, "teamwork/case_consultations.html", context, status=400 if form.errors else 200
    )


def _ask(user: User, case_id: UUID | None, form: ConsultationForm) -> Consultation:
    return services.ask_consultation(
        actor=user,
        case_id=case_id,
        specialist_function=form.cleaned_data["specialist_function"],
        specialist_id=form.cleaned_data["specialist"],
        question=form.cleaned_data["question"],
        channel=Channel.WEB,
    )


@require_POST
def consultation_answer(request: AuthenticatedHttpRequest, consultation_id: UUID) -> HttpResponse:
    """Answer a consultation waiting for me."""
    form = AnswerForm(request.POST, prefix=f"c{consultation_id}")
    if not form.is_valid():
        messages.error(request, _("Skriv ett svar."))
        return redirect("consultations")
    try:
        services.answer_consultation(
            actor=request.user,
            consultation_id=consultation_id,
            answer=form.cleaned_data["answer"],
            channel=Channel.WEB,
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Svaret är skickat."))
    return redirect("consultations")


@require_POST
def consultation_withdraw(request: AuthenticatedHttpRequest, consultation_id: UUID) -> HttpResponse:
    """Withdraw a consultation I asked that has no answer yet."""
    try:
        services.withdraw_consultation(
            actor=request.user, consultation_id=consultation_id, channel=Channel.WEB
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Frågan är återtagen."))
    return redirect("consultations")
