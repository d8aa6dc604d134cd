"""The provider's log, follow-ups and the end of the support."""

import datetime as dt
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.core.exceptions import InvalidTransition, ValidationFailed
from sia.core.text import check_not_too_far_ahead, clean_text
from sia.decisions.models import (
    FollowUpMeeting,
    PlanItem,
    ProviderLogEntry,
    SupportDecision,
    SupportEnding,
)
from sia.decisions.services.common import (
    MAX_MINUTES,
    decision_for,
    not_before,
    not_future,
    ongoing,
)


@transaction.atomic
def log_work(
    *,
    actor: User,
    decision_id: UUID,
    performed_on: dt.date,
    minutes: int,
    category: str,
    note: str,
    channel: Channel,
    case_id: UUID | None = None,
) -> ProviderLogEntry:
    """Log what the provider did for the person, when and for how long."""
    case, decision = decision_for(actor, decision_id, case_id, provider_too=True)
    ongoing(decision)
    if category not in ProviderLogEntry.Category.values:
        raise ValidationFailed(_("Välj vad som gjordes."), field="category")
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValidationFailed(_("Ange tiden i minuter, 1–1440."), field="minutes")
    not_future(performed_on, "performed_on")
    not_before(performed_on, decision.valid_from, "performed_on")
    entry = ProviderLogEntry.objects.create(
        decision=decision,
        performed_on=performed_on,
        minutes=minutes,
        category=category,
        note=clean_text(note, "note"),
        logged_by=actor,
    )
    audit.record_case(
        actor=actor,
        action=AuditAction.PROVIDER_LOGGED,
        channel=channel,
        case=case,
        changes={"decision": str(decision.pk), "category": category, "minutes": minutes},
    )
    return entry


@transaction.atomic
def record_follow_up(
    *,
    actor: User,
    decision_id: UUID,
    held_on: dt.date,
    participants: str,
    notes: str,
    next_follow_up_on: dt.date | None,
    channel: Channel,
    case_id: UUID | None = None,
) -> FollowUpMeeting:
    """Record a follow-up between the social worker and the provider."""
    case, decision = decision_for(actor, decision_id, case_id, provider_too=True)
    ongoing(decision)
    participants = clean_text(participants, "participants", required=True)
    notes = clean_text(notes, "notes", required=True)
    not_future(held_on, "held_on")
    not_before(held_on, decision.decided_on, "held_on")
    if next_follow_up_on is not None:
        if next_follow_up_on <= held_on:
            raise ValidationFailed(
                _("Nästa uppföljning ska ligga efter den här."), field="next_follow_up_on"
            )
        check_not_too_far_ahead(next_follow_up_on, "next_follow_up_on")
    meeting = FollowUpMeeting.objects.create(
        decision=decision,
        held_on=held_on,
        participants=participants,
        notes=notes,
        next_follow_up_on=next_follow_up_on,
        recorded_by=actor,
    )
    audit.record_case(
        actor=actor,
        action=AuditAction.SUPPORT_FOLLOWED_UP,
        channel=channel,
        case=case,
        changes={"decision": str(decision.pk), "held_on": f"{held_on:%Y-%m-%d}"},
    )
    return meeting


def checklist_met(decision: SupportDecision) -> bool:
    """Tell whether the decision has a checklist and every point of it is met."""
    items = PlanItem.objects.filter(plan__decision=decision)
    return items.exists() and not items.filter(met_on__isnull=True).exists()


@transaction.atomic
def end_support(
    *,
    actor: User,
    decision_id: UUID,
    ended_on: dt.date,
    reason: str,
    note: str,
    channel: Channel,
    case_id: UUID | None = None,
) -> SupportEnding:
    """End the support once, with a reason; the provider loses access to the case."""
    case, decision = decision_for(actor, decision_id, case_id)
    ongoing(decision)
    if reason not in SupportEnding.Reason.values:
        raise ValidationFailed(_("Välj varför insatsen avslutas."), field="reason")
    if reason == SupportEnding.Reason.CHECKLIST_MET and not checklist_met(decision):
        raise InvalidTransition(
            _("Alla punkter i checklistan är inte uppfyllda än."), field="reason"
        )
    note = clean_text(note, "note", required=reason == SupportEnding.Reason.OTHER)
    not_future(ended_on, "ended_on")
    not_before(ended_on, decision.valid_from or decision.decided_on, "ended_on")
    ending = SupportEnding.objects.create(
        decision=decision, ended_on=ended_on, reason=reason, note=note, ended_by=actor
    )
    audit.record_case(
        actor=actor,
        action=AuditAction.SUPPORT_ENDED,
        channel=channel,
        case=case,
        changes={"decision": str(decision.pk), "reason": reason},
    )
    return ending
