"""Make and sign a decision on support, and record that the person was told."""

import datetime as dt
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Unit, User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.core.exceptions import InvalidTransition, ValidationFailed
from sia.core.text import check_not_too_far_ahead, clean_text
from sia.decisions.access import can_decide
from sia.decisions.models import (
    SupportDecision,
)
from sia.decisions.services.common import (
    GRANTING,
    REFUSING,
    decision_for,
    locked_decision,
    not_before,
    not_future,
    today,
)
from sia.process.access import access_case_for


def _check_provider(case: Case, provider_id: UUID | None) -> Unit:
    provider = Unit.objects.filter(pk=provider_id).first() if provider_id else None
    if provider is None:
        raise ValidationFailed(_("Välj en utförare."), field="provider_id")
    if provider.organisation_id != case.owning_unit.organisation_id:
        raise ValidationFailed(
            _("Utföraren ska vara en enhet i samma kommun."), field="provider_id"
        )
    return provider


@transaction.atomic
def make_decision(
    *,
    actor: User,
    case_id: UUID,
    applied_for: str,
    applied_on: dt.date,
    outcome: str,
    decided_support: str,
    legal_basis: str,
    reasons: str,
    provider_id: UUID | None,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
    appeal_notice: str,
    channel: Channel,
    supersedes_id: UUID | None = None,
    decided_on: dt.date | None = None,
) -> SupportDecision:
    """Make and sign a decision on support (or a correction of the current one)."""
    case = access_case_for(actor, case_id, can_decide)
    if outcome not in SupportDecision.Outcome.values:
        raise ValidationFailed(_("Välj ett beslut."), field="outcome")
    if legal_basis not in SupportDecision.LegalBasis.values:
        raise ValidationFailed(_("Välj lagrum."), field="legal_basis")
    applied_for = clean_text(applied_for, "applied_for", required=True)
    reasons = clean_text(reasons, "reasons", required=True)
    decided_support = clean_text(decided_support, "decided_support")
    appeal_notice = clean_text(appeal_notice, "appeal_notice")
    not_future(applied_on, "applied_on")
    not_before(applied_on, case.first_contact_date, "applied_on")
    decided_on = decided_on or today()
    not_future(decided_on, "decided_on")
    not_before(decided_on, applied_on, "decided_on")
    provider: Unit | None = None
    if outcome in GRANTING:
        if not decided_support:
            raise ValidationFailed(_("Beskriv den beviljade insatsen."), field="decided_support")
        provider = _check_provider(case, provider_id)
        if valid_from is None:
            raise ValidationFailed(_("Ange när beslutet gäller från."), field="valid_from")
        check_not_too_far_ahead(valid_from, "valid_from")
        if valid_until is not None:
            not_before(valid_until, valid_from, "valid_until")
            check_not_too_far_ahead(valid_until, "valid_until")
    else:
        # A rejection orders no provider and has no period of validity.
        decided_support, valid_from, valid_until = "", None, None
    if outcome in REFUSING and not appeal_notice:
        raise ValidationFailed(_("Ett avslag ska ha en besvärshänvisning."), field="appeal_notice")
    replaced: SupportDecision | None = None
    if supersedes_id is not None:
        replaced = locked_decision(supersedes_id, case.pk)
        if SupportDecision.objects.filter(supersedes=replaced).exists():
            raise InvalidTransition(
                _("Beslutet är redan ersatt. Rätta det gällande beslutet."), field="supersedes_id"
            )
    decision = SupportDecision.objects.create(
        case=case,
        applied_for=applied_for,
        applied_on=applied_on,
        outcome=outcome,
        decided_support=decided_support,
        legal_basis=legal_basis,
        reasons=reasons,
        provider=provider,
        valid_from=valid_from,
        valid_until=valid_until,
        appeal_notice=appeal_notice,
        decided_by=actor,
        decided_on=decided_on,
        signed_at=timezone.now(),
        supersedes=replaced,
    )
    audit.record_case(
        actor=actor,
        action=AuditAction.DECISION_MADE,
        channel=channel,
        case=case,
        changes={
            "decision": str(decision.pk),
            "outcome": outcome,
            "provider": str(provider.pk) if provider else None,
            "supersedes": str(replaced.pk) if replaced else None,
        },
    )
    return decision


@transaction.atomic
def record_informed(
    *,
    actor: User,
    decision_id: UUID,
    informed_on: dt.date,
    informed_how: str,
    channel: Channel,
    case_id: UUID | None = None,
) -> SupportDecision:
    """Record once when and how the person was told of the decision."""
    case, decision = decision_for(actor, decision_id, case_id)
    if decision.informed_on is not None:
        raise InvalidTransition(_("Det är redan registrerat att personen har underrättats."))
    if informed_how not in SupportDecision.InformedHow.values:
        raise ValidationFailed(_("Välj hur personen underrättades."), field="informed_how")
    not_future(informed_on, "informed_on")
    not_before(informed_on, decision.decided_on, "informed_on")
    decision.informed_on = informed_on
    decision.informed_how = informed_how
    decision.save(update_fields=["informed_on", "informed_how", "updated_at"])
    audit.record_case(
        actor=actor,
        action=AuditAction.DECISION_INFORMED,
        channel=channel,
        case=case,
        changes={"decision": str(decision.pk), "informed_on": f"{informed_on:%Y-%m-%d}"},
    )
    return decision
