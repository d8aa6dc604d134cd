"""Compose a case team across organisations, keep its shared action plan and consult
specialists.

Rules decided here (see also `sia.teamwork.access`):

- A member keeps their own casework role and unit (from their Membership); the team
  function only says what they do on this team. Responsibility stays with that role.
- The team always keeps at least one active member of the municipality that owns the
  case: the last one cannot be removed (the manager reallocates the case instead).
- Any active member may leave the team; only the manager or a municipal member removes
  others.
- A task created from the team's own page (source TEAM or ASSESSMENT) needs a user who
  may work on the case and see its plans. A task decided at a meeting (MEETING) or wished
  in a group activity (GROUP) is created by the meeting's or group's own service, which
  has already checked the actor's rights there: the actor need not be on the case team,
  but the case must be open.
- An anonymous consultation (no case) must carry no personal data: text holding a valid
  personnummer or samordningsnummer is refused. Its audit event names no person or case.
"""

import datetime as dt
import re
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import CASEWORK_ROLES, Membership, Organisation, User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case, CaseTeamMember, TeamFunction
from sia.collaboration.models import AgendaItem
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.people.identifiers import parse_personal_number
from sia.process.access import access_case_for, can_work_on_case
from sia.teamwork import access
from sia.teamwork.models import Consultation, TeamTask

MAX_TITLE = 300
MAX_TEXT = 10_000
# A due date further ahead is a typing error: the longest SIA programme is 36 months.
MAX_AHEAD = dt.timedelta(days=3 * 365)
# Ten or twelve digits, optionally split by '-', '+' or a space before the last four.
_NUMBER_CANDIDATE = re.compile(r"(?<![0-9])(?:[0-9]{2})?[0-9]{6}[-+ ]?[0-9]{4}(?![0-9])")


def contains_personal_number(text: str) -> bool:
    """Tell whether the text holds something that is a valid personnummer or samordningsnummer."""
    for candidate in _NUMBER_CANDIDATE.findall(text):
        try:
            parse_personal_number(candidate.replace(" ", ""))
        except ValidationFailed:
            continue
        return True
    return False


def _text(value: str, field: str, *, limit: int = MAX_TEXT, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("Fältet måste fyllas i."), field=field)
    if len(value) > limit:
        raise ValidationFailed(_("Texten är för lång."), field=field)
    return value


def _lock_case(case_id: UUID) -> Case:
    return Case.objects.select_for_update(of=("self",)).get(pk=case_id)


# Team members


def _casework_membership(user_id: UUID) -> Membership:
    membership = (
        Membership.objects.filter(
            user_id=user_id, user__is_active=True, role__in=list(CASEWORK_ROLES)
        )
        .select_related("user", "unit__organisation")
        .order_by("created_at")
        .first()
    )
    if membership is None:
        raise ValidationFailed(
            _("Medarbetaren finns inte eller har ingen handläggarroll."), field="user"
        )
    return membership


@transaction.atomic
def add_team_member(
    *, actor: User, case_id: UUID, user_id: UUID, function: str, channel: Channel
) -> CaseTeamMember:
    """Add a member of staff of any organisation to the case team, in their own role."""
    case = access_case_for(actor, case_id, access.can_manage_team)
    case = _lock_case(case.pk)
    if function not in TeamFunction.values:
        raise ValidationFailed(_("Välj en funktion i teamet."), field="function")
    membership = _casework_membership(user_id)
    existing = CaseTeamMember.objects.filter(
        case=case, user_id=user_id, left_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    member = CaseTeamMember.objects.create(
        case=case,
        user=membership.user,
        role=membership.role,
        function=function,
        unit=membership.unit,
        added_by=actor,
    )
    audit.record_case(
        actor=actor,
        action=AuditAction.TEAM_MEMBER_ADDED,
        channel=channel,
        case=case,
        changes={
            "member": str(member.pk),
            "user": membership.user.get_username(),
            "role": member.role,
            "function": function,
            "organisation": str(membership.unit.organisation_id),
        },
    )
    return member


def _may_remove(actor: User, case: Case, user_id: UUID) -> bool:
    if user_id == actor.pk:
        return True
    return access.can_manage_team(actor, case)


def _keeps_municipal_member(case: Case, leaving: list[CaseTeamMember]) -> bool:
    municipality = case.owning_unit.organisation_id
    if all(member.unit.organisation_id != municipality for member in leaving):
        return True
    return (
        CaseTeamMember.objects.filter(
            case=case, left_at__isnull=True, unit__organisation_id=municipality
        )
        .exclude(pk__in=[member.pk for member in leaving])
        .exists()
    )


@transaction.atomic
def remove_team_member(
    *, actor: User, case_id: UUID, user_id: UUID, channel: Channel
) -> list[CaseTeamMember]:
    """Take a user off the case team (their rows stay, marked as left, for the record).

    Members are addressed by their user's UUID, never by a sequential row id.
    """
    case = access_case_for(actor, case_id, can_work_on_case)
    case = _lock_case(case.pk)
    leaving = list(
        CaseTeamMember.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(case=case, user_id=user_id, left_at__isnull=True)
    )
    if not leaving or not _may_remove(actor, case, user_id):
        raise NotFoundOrForbidden
    if not _keeps_municipal_member(case, leaving):
        raise InvalidTransition(
            _(
                "Teamet måste ha minst en medlem från kommunen. "
                "Fördela ärendet till någon annan först."
            )
        )
    now = timezone.now()
    for member in leaving:
        member.left_at = now
        member.save(update_fields=["left_at", "updated_at"])
    audit.record_case(
        actor=actor,
        action=AuditAction.TEAM_MEMBER_REMOVED,
        channel=channel,
        case=case,
        changes={"user": str(user_id), "roles": [member.role for member in leaving]},
    )
    return leaving


# Tasks of the shared action plan


def _check_task_case(actor: User, case: Case, source: str) -> Case:
    if source not in TeamTask.Source.values:
        raise ValidationFailed(_("Okänt ursprung för uppgiften."), field="source")
    if source in (TeamTask.Source.MEETING, TeamTask.Source.GROUP):
        # The meeting's or group's own service has checked the actor's rights there.
        if not case.is_open:
            raise InvalidTransition(_("Ärendet är avslutat."))
        return _lock_case(case.pk)
    checked = access_case_for(actor, case.pk, access.can_add_task)
    return _lock_case(checked.pk)


def _check_owner(owner: User | None, organisation: Organisation) -> None:
    if owner is None:
        return
    belongs = Membership.objects.filter(
        user_id=owner.pk, user__is_active=True, unit__organisation_id=organisation.pk
    ).exists()
    if not belongs:
        raise ValidationFailed(
            _("Den ansvariga personen arbetar inte i den ansvariga organisationen."),
            field="owner",
        )


def _check_agenda_item(item: AgendaItem | None, case: Case) -> None:
    if item is None:
        return
    item_case = item.case_id or item.meeting.case_id
    if item_case != case.pk:
        raise ValidationFailed(
            _("Punkten på dagordningen gäller inte ärendet."), field="agenda_item"
        )


@transaction.atomic
def create_task(
    *,
    actor: User,
    case: Case,
    title: str,
    owner_organisation: Organisation,
    owner: User | None = None,
    due_on: dt.date | None = None,
    source: str,
    agenda_item: AgendaItem | None = None,
    description: str = "",
    channel: Channel,
) -> TeamTask:
    """Add a task, owned by one organisation (and person), to the case's shared action plan.

    For source MEETING or GROUP the caller has already checked the actor's rights at the
    meeting or group activity; otherwise the actor must be able to work on the case.
    """
    case = _check_task_case(actor, case, source)
    title = _text(title, "title", limit=MAX_TITLE, required=True)
    description = _text(description, "description")
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationFailed(_("Datumet kan inte ligga bakåt i tiden."), field="due_on")
    if due_on is not None and due_on > timezone.localdate() + MAX_AHEAD:
        raise ValidationFailed(_("Datumet ligger för långt fram i tiden."), field="due_on")
    _check_owner(owner, owner_organisation)
    _check_agenda_item(agenda_item, case)
    task = TeamTask.objects.create(
        case=case,
        title=title,
        description=description,
        owner_organisation=owner_organisation,
        owner=owner,
        due_on=due_on,
        source=source,
        agenda_item=agenda_item,
        created_by=actor,
    )
    audit.record_case(
        actor=actor,
        action=AuditAction.TASK_CREATED,
        channel=channel,
        case=case,
        changes={
            "task": str(task.pk),
            "source": source,
            "owner_organisation": str(owner_organisation.pk),
            "owner": str(owner.pk) if owner else None,
            "due_on": due_on.isoformat() if due_on else None,
        },
    )
    return task


def _task_for_update(actor: User, task_id: UUID, case_id: UUID | None) -> TeamTask:
    task = TeamTask.objects.select_related("case").filter(pk=task_id).first()
    if task is None or (case_id is not None and task.case_id != case_id):
        raise NotFoundOrForbidden
    access_case_for(actor, task.case_id, can_work_on_case)
    task = TeamTask.objects.select_for_update(of=("self",)).select_related("case").get(pk=task.pk)
    if not access.can_update_task(actor, task):
        raise NotFoundOrForbidden
    return task


def _check_done_on(status: str, done_on: dt.date | None, case: Case) -> dt.date | None:
    if status not in TeamTask.Status.values:
        raise ValidationFailed(_("Välj en status."), field="status")
    if status != TeamTask.Status.DONE:
        return None
    if done_on is None:
        raise ValidationFailed(_("Ange när uppgiften blev klar."), field="done_on")
    if done_on > timezone.localdate():
        raise ValidationFailed(_("Datumet kan inte ligga i framtiden."), field="done_on")
    if done_on < case.first_contact_date:
        raise ValidationFailed(
            _("Datumet kan inte ligga före aktualiseringsdatumet."), field="done_on"
        )
    return done_on


@transaction.atomic
def update_task(
    *,
    actor: User,
    task_id: UUID,
    status: str,
    done_on: dt.date | None = None,
    case_id: UUID | None = None,
    channel: Channel,
) -> TeamTask:
    """Move a task's status; done needs the date it was done. `case_id` scopes the task."""
    task = _task_for_update(actor, task_id, case_id)
    done_on = _check_done_on(status, done_on, task.case)
    if task.status == status and task.done_on == done_on:
        return task
    changes = {"task": str(task.pk), "status": [task.status, status]}
    task.status = status
    task.done_on = done_on
    task.save(update_fields=["status", "done_on", "updated_at"])
    audit.record_case(
        actor=actor,
        action=AuditAction.TASK_UPDATED,
        channel=channel,
        case=task.case,
        changes={**changes, "done_on": done_on.isoformat() if done_on else None},
    )
    return task


# Consultations


def _check_specialist(specialist_id: UUID | None, case: Case | None) -> User | None:
    if specialist_id is None:
        return None
    specialist = _casework_membership(specialist_id).user
    if case is not None and not access.on_case_team(specialist, case.pk):
        raise ValidationFailed(_("Specialisten måste vara med i ärendeteamet."), field="specialist")
    return specialist


def _consultation_case(actor: User, case_id: UUID | None, question: str) -> Case | None:
    if case_id is not None:
        return access_case_for(actor, case_id, can_work_on_case)
    if not access.does_casework(actor):
        raise NotFoundOrForbidden
    if contains_personal_number(question):
        raise ValidationFailed(
            _(
                "En konsultation utan ärende får inte innehålla personnummer, "
                "samordningsnummer eller namn. Beskriv bara situationen."
            ),
            field="question",
        )
    return None


def _audit_consultation(
    actor: User, consultation: Consultation, action: AuditAction, channel: Channel, **extra: str
) -> None:
    changes = {
        "consultation": str(consultation.pk),
        "function": consultation.specialist_function,
        **extra,
    }
    if consultation.case is None:
        audit.record(actor=actor, action=action, channel=channel, changes=changes)
    else:
        audit.record_case(
            actor=actor, action=action, channel=channel, case=consultation.case, changes=changes
        )


@transaction.atomic
def ask_consultation(
    *,
    actor: User,
    case_id: UUID | None = None,
    specialist_function: str,
    specialist_id: UUID | None = None,
    question: str,
    channel: Channel,
) -> Consultation:
    """Ask a specialist, about a case of the team or anonymously (no personal data)."""
    question = _text(question, "question", required=True)
    case = _consultation_case(actor, case_id, question)
    if specialist_function not in TeamFunction.values:
        raise ValidationFailed(
            _("Välj vilken specialist frågan gäller."), field="specialist_function"
        )
    specialist = _check_specialist(specialist_id, case)
    consultation = Consultation.objects.create(
        case=case,
        asked_by=actor,
        specialist_function=specialist_function,
        specialist=specialist,
        question=question,
    )
    _audit_consultation(actor, consultation, AuditAction.CONSULTATION_ASKED, channel)
    return consultation


def _lock_consultation(consultation_id: UUID) -> Consultation:
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("case")
        .filter(pk=consultation_id)
        .first()
    )
    if consultation is None:
        raise NotFoundOrForbidden
    return consultation


@transaction.atomic
def answer_consultation(
    *, actor: User, consultation_id: UUID, answer: str, channel: Channel
) -> Consultation:
    """Answer a consultation as the named specialist, or one who holds the function."""
    consultation = _lock_consultation(consultation_id)
    if not access.can_answer_consultation(actor, consultation):
        raise NotFoundOrForbidden
    if consultation.status != Consultation.Status.ASKED:
        raise InvalidTransition(_("Konsultationen är redan besvarad eller återtagen."))
    answer = _text(answer, "answer", required=True)
    if consultation.case is None and contains_personal_number(answer):
        raise ValidationFailed(
            _("Svaret får inte innehålla personnummer eller samordningsnummer."), field="answer"
        )
    consultation.answer = answer
    consultation.answered_by = actor
    consultation.answered_at = timezone.now()
    consultation.status = Consultation.Status.ANSWERED
    consultation.save(
        update_fields=["answer", "answered_by", "answered_at", "status", "updated_at"]
    )
    _audit_consultation(actor, consultation, AuditAction.CONSULTATION_ANSWERED, channel)
    return consultation


@transaction.atomic
def withdraw_consultation(*, actor: User, consultation_id: UUID, channel: Channel) -> Consultation:
    """Withdraw an unanswered consultation the actor asked."""
    consultation = _lock_consultation(consultation_id)
    if consultation.asked_by_id != actor.pk:
        raise NotFoundOrForbidden
    if consultation.status != Consultation.Status.ASKED:
        raise InvalidTransition(_("Konsultationen är redan besvarad eller återtagen."))
    consultation.status = Consultation.Status.WITHDRAWN
    consultation.save(update_fields=["status", "updated_at"])
    # No separate audit action exists for withdrawal; the asked event records the change.
    _audit_consultation(
        actor, consultation, AuditAction.CONSULTATION_WITHDRAWN, channel, status="withdrawn"
    )
    return consultation
