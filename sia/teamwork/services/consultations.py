"""Consult specialists, about a case of the team or anonymously.

An anonymous consultation (no case) must carry no personal data: text holding a valid
personnummer or samordningsnummer is refused. Its audit event names no person or case.
"""

from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case, TeamFunction
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.process.access import access_case_for, can_work_on_case
from sia.teamwork import access
from sia.teamwork.models import Consultation
from sia.teamwork.services.common import casework_membership, clean_text, contains_personal_number


def _check_specialist(specialist_id: UUID | None, case: Case | None) -> User | None:
    if specialist_id is None:
        return None
    specialist = casework_membership(specialist_id).user
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
    question = clean_text(question, "question", required=True)
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
    answer = clean_text(answer, "answer", required=True)
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
    if consultation.asked_by_id != actor.pk or not access.may_read_consultation(
        actor, consultation
    ):
        raise NotFoundOrForbidden
    if consultation.status != Consultation.Status.ASKED:
        raise InvalidTransition(_("Konsultationen är redan besvarad eller återtagen."))
    consultation.status = Consultation.Status.WITHDRAWN
    consultation.save(update_fields=["status", "updated_at"])
    # Audited as its own action, CONSULTATION_WITHDRAWN, on the case when there is one.
    _audit_consultation(
        actor, consultation, AuditAction.CONSULTATION_WITHDRAWN, channel, status="withdrawn"
    )
    return consultation
