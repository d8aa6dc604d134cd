"""Sign assessment talk records; a correction is a new record that supersedes the current one."""

import datetime as dt
from collections.abc import Mapping
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.assessments.models import AssessmentTalk
from sia.assessments.selectors import current_talk, talk_items
from sia.assessments.services.common import (
    MAX_TEXT,
    audit_case,
    check_past_day,
    clean_text,
    locked_case,
)
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.core.exceptions import ValidationFailed


def _clean_answers(case: Case, kind: str, answers: Mapping[str, str]) -> dict[str, str]:
    keys = set(talk_items(kind).values_list("key", flat=True))
    if set(answers) - keys:
        raise ValidationFailed(_("Samtalet innehåller en okänd fråga."), field="answers")
    cleaned = {key: str(value).strip() for key, value in answers.items()}
    if any(len(value) > MAX_TEXT for value in cleaned.values()):
        raise ValidationFailed(_("Ett svar är för långt."), field="answers")
    return {key: value for key, value in cleaned.items() if value}


@transaction.atomic
def record_talk(
    *,
    case_id: UUID,
    kind: str,
    held_on: dt.date,
    answers: Mapping[str, str],
    summary: str,
    participants: str,
    recorded_by: User,
    channel: Channel,
) -> AssessmentTalk:
    """Sign the record of an assessment talk; a second record of the kind is a correction
    that supersedes the current one, which stays unchanged."""
    case = locked_case(recorded_by, case_id)
    if kind not in AssessmentTalk.Kind.values:
        raise ValidationFailed(_("Okänt samtal."), field="kind")
    cleaned = _clean_answers(case, kind, answers)
    check_past_day(case, held_on, "held_on")
    summary = clean_text(summary, "summary")
    if not cleaned and not summary:
        raise ValidationFailed(_("Skriv minst ett svar eller en sammanfattning."), field="summary")
    previous = current_talk(case, kind)
    talk = AssessmentTalk.objects.create(
        case=case,
        kind=kind,
        held_on=held_on,
        answers=cleaned,
        summary=summary,
        participants=clean_text(participants, "participants", limit=2000),
        author=recorded_by,
        signed_at=timezone.now(),
        supersedes=previous,
    )
    audit_case(
        recorded_by,
        case,
        AuditAction.ASSESSMENT_RECORDED,
        channel,
        talk=str(talk.pk),
        kind=kind,
        supersedes=str(previous.pk) if previous else None,
        answered=sorted(cleaned),
    )
    return talk
