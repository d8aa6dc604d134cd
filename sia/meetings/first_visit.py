"""Record the first visit (nybesök, IB:3) and call the standby guide into it.

The first-visit record is signed and never changed: recording again makes a new
record that supersedes the current one. A call-in is a database row that the
called guide sees on any page (the live banner polls for it) and answers once.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Role, User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.access import visible_cases
from sia.cases.models import Case
from sia.core.exceptions import (
    DuplicateRecord,
    InvalidTransition,
    NotFoundOrForbidden,
    ValidationFailed,
)
from sia.meetings.alignment import set_document_statuses
from sia.meetings.models import DocumentRequest, FirstVisit, GuideCall
from sia.meetings.selectors_alignment import list_guides_on_team
from sia.meetings.selectors_first_visit import (
    assessment_items,
    current_first_visit,
    list_open_calls_to,
    standby_guide,
)
from sia.process.access import access_case_for, can_act_in_role
from sia.process.models import CaseStep
from sia.process.services import complete_step

FIRST_VISIT_ROLES = frozenset({Role.RECEPTION_SOCIAL_WORKER, Role.ASSESSMENT_SOCIAL_WORKER})
MAX_ANSWER_LENGTH = 10_000
MAX_MESSAGE_LENGTH = 200


def can_record_first_visit(user: User, case: Case) -> bool:
    """Tell whether the user may record the first visit and call in the guide."""
    return can_act_in_role(user, case, FIRST_VISIT_ROLES)


def _case_for_first_visit(user: User, case_id: UUID) -> Case:
    case = access_case_for(user, case_id, can_record_first_visit)
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def _clean_answers(case: Case, answers: Mapping[str, str]) -> dict[str, str]:
    keys = set(assessment_items(case).values_list("key", flat=True))
    if set(answers) - keys:
        raise ValidationFailed(_("Kartläggningen innehåller en okänd fråga."), field="answers")
    cleaned = {key: str(value).strip() for key, value in answers.items()}
    if any(len(value) > MAX_ANSWER_LENGTH for value in cleaned.values()):
        raise ValidationFailed(_("Ett svar i kartläggningen är för långt."), field="answers")
    return {key: value for key, value in cleaned.items() if value}


def _check_held_at(case: Case, held_at: dt.datetime) -> None:
    if timezone.is_naive(held_at):
        raise ValidationFailed(_("Ange tiden med tidszon."), field="held_at")
    if held_at > timezone.now():
        raise ValidationFailed(_("Nybesöket kan inte ligga i framtiden."), field="held_at")
    if timezone.localtime(held_at).date() < case.first_contact_date:
        raise ValidationFailed(
            _("Nybesöket kan inte ligga före aktualiseringsdatumet."), field="held_at"
        )


def _check_documents(case: Case, item_ids: Sequence[UUID]) -> None:
    on_list = set(DocumentRequest.objects.filter(case=case).values_list("item_id", flat=True))
    if set(item_ids) - on_list:
        raise ValidationFailed(
            _("En av handlingarna finns inte på listan över begärda handlingar."),
            field="received_documents",
        )


def _step_is_open(case: Case, key: str) -> bool:
    return CaseStep.objects.filter(case=case, key=key, status=CaseStep.Status.OPEN).exists()


@transaction.atomic
def record_first_visit(
    *,
    case_id: UUID,
    held_at: dt.datetime,
    answers: Mapping[str, str],
    continuing_support_need: bool,
    notes: str,
    received_document_ids: Sequence[UUID],
    recorded_by: User,
    channel: Channel,
) -> FirstVisit:
    """Sign the first-visit record, tick off documents received and complete the step.

    A second record supersedes the current one (a correction); neither is changed.
    """
    case = _case_for_first_visit(recorded_by, case_id)
    cleaned = _clean_answers(case, answers)
    _check_held_at(case, held_at)
    _check_documents(case, received_document_ids)
    previous = current_first_visit(case)
    record = FirstVisit.objects.create(
        case=case,
        author=recorded_by,
        signed_at=timezone.now(),
        supersedes=previous,
        held_at=held_at,
        answers=cleaned,
        continuing_support_need=continuing_support_need,
        notes=notes.strip(),
    )
    if received_document_ids:
        set_document_statuses(
            case_id=case.pk,
            changes=dict.fromkeys(received_document_ids, DocumentRequest.Status.RECEIVED),
            on=timezone.localdate(),
            changed_by=recorded_by,
            channel=channel,
        )
    if _step_is_open(case, "first_visit"):
        complete_step(
            case=case,
            key="first_visit",
            completed_by=recorded_by,
            channel=channel,
            done_on=timezone.localtime(held_at).date(),
        )
    audit.record_case(
        actor=recorded_by,
        action=AuditAction.FIRST_VISIT_RECORDED,
        channel=channel,
        case=case,
        changes={
            "record": str(record.pk),
            "supersedes": str(previous.pk) if previous else None,
            "answered": sorted(cleaned),
            "continuing_support_need": continuing_support_need,
        },
    )
    return record


def _guide_to_call(case: Case, guide_id: UUID | None) -> User:
    if guide_id is not None:
        guide = list_guides_on_team(case).filter(pk=guide_id).first()
        if guide is None:
            raise ValidationFailed(
                _("Välj en samhällsvägledare som finns i ärendeteamet."), field="guide"
            )
        return guide
    guide = standby_guide(case)
    # The guide on standby may have left the team since the alignment.
    if guide is None or not list_guides_on_team(case).filter(pk=guide.pk).exists():
        raise ValidationFailed(
            _("Ingen samhällsvägledare är i beredskap. Välj vem som ska kallas in."),
            field="guide",
        )
    return guide


@transaction.atomic
def call_guide(
    *,
    case_id: UUID,
    called_by: User,
    channel: Channel,
    message: str = "",
    guide_id: UUID | None = None,
) -> GuideCall:
    """Call the standby guide (or the chosen guide on the team) into the first visit."""
    case = _case_for_first_visit(called_by, case_id)
    message = " ".join(message.split())
    if len(message) > MAX_MESSAGE_LENGTH:
        raise ValidationFailed(_("Meddelandet får vara högst 200 tecken."), field="message")
    guide = _guide_to_call(case, guide_id)
    if list_open_calls_to(guide).filter(case=case).exists():
        raise DuplicateRecord(_("Samhällsvägledaren är redan inkallad och har inte svarat än."))
    call = GuideCall.objects.create(case=case, guide=guide, called_by=called_by, message=message)
    audit.record_case(
        actor=called_by,
        action=AuditAction.GUIDE_CALLED,
        channel=channel,
        case=case,
        changes={"call": str(call.pk), "guide": guide.get_username()},
    )
    return call


@transaction.atomic
def answer_guide_call(
    *, call_id: UUID, answer: str, answered_by: User, channel: Channel
) -> GuideCall:
    """Answer a call-in once: on my way, or cannot come. Only the called guide may answer."""
    if answer not in GuideCall.Answer.values:
        raise ValidationFailed(_("Välj ett svar."), field="answer")
    call = (
        GuideCall.objects.select_for_update(of=("self",))
        .select_related("case", "called_by", "guide")
        .filter(pk=call_id, guide_id=answered_by.pk, case__in=visible_cases(answered_by))
        .first()
    )
    if call is None:
        raise NotFoundOrForbidden
    if call.answered_at is not None:
        raise InvalidTransition(_("Inkallningen är redan besvarad."))
    call.answer = answer
    call.answered_at = timezone.now()
    call.save(update_fields=["answer", "answered_at", "updated_at"])
    audit.record_case(
        actor=answered_by,
        action=AuditAction.GUIDE_CALL_ANSWERED,
        channel=channel,
        case=call.case,
        changes={"call": str(call.pk), "answer": answer},
    )
    return call
