"""Rules and helpers shared by the decision and support services."""

import datetime as dt
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.cases.models import Case
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.decisions.access import can_decide, can_log_work
from sia.decisions.models import (
    SupportDecision,
    SupportEnding,
)
from sia.process.access import access_case_for

MAX_ITEMS = 30
MAX_LABEL = 300
MAX_MINUTES = 1440
GRANTING = (SupportDecision.Outcome.GRANTED, SupportDecision.Outcome.PARTLY)
REFUSING = (SupportDecision.Outcome.REJECTED, SupportDecision.Outcome.PARTLY)

DEFAULT_APPEAL_NOTICE = _(
    "Om du inte är nöjd med beslutet kan du överklaga det hos förvaltningsrätten. "
    "Skriv i överklagandet vilket beslut du överklagar, varför du tycker att beslutet "
    "är fel och hur du vill att det ska ändras. Skicka överklagandet till "
    "socialförvaltningen, inte direkt till förvaltningsrätten. Överklagandet måste ha "
    "kommit in inom tre veckor från den dag du fick del av beslutet. Socialförvaltningen "
    "prövar först om beslutet ska ändras och skickar annars överklagandet vidare till "
    "förvaltningsrätten. Du kan få hjälp att överklaga av socialförvaltningen."
)


def today() -> dt.date:
    """Return today's local date."""
    return timezone.localdate()


def not_future(day: dt.date, field: str) -> None:
    """Refuse a day after today."""
    if day > today():
        raise ValidationFailed(_("Datumet kan inte ligga i framtiden."), field=field)


def not_before(day: dt.date, earliest: dt.date | None, field: str) -> None:
    """Refuse a day before `earliest` (when there is one)."""
    if earliest is not None and day < earliest:
        raise ValidationFailed(
            _("Datumet kan inte ligga före %(day)s.") % {"day": f"{earliest:%Y-%m-%d}"},
            field=field,
        )


def locked_decision(decision_id: UUID, case_id: UUID | None) -> SupportDecision:
    decision = SupportDecision.objects.select_for_update().filter(pk=decision_id).first()
    if decision is None or (case_id is not None and decision.case_id != case_id):
        raise NotFoundOrForbidden
    return decision


def decision_for(
    actor: User, decision_id: UUID, case_id: UUID | None, *, provider_too: bool = False
) -> tuple[Case, SupportDecision]:
    """Lock the decision and return its open case, if the actor may act on it."""
    decision = locked_decision(decision_id, case_id)
    if provider_too:
        case = access_case_for(
            actor,
            decision.case_id,
            lambda user, case: can_log_work(user, case, decision),
            with_orders=True,
        )
    else:
        case = access_case_for(actor, decision.case_id, can_decide)
    return case, decision


def ongoing(decision: SupportDecision) -> None:
    """Refuse unless the decision grants support that is current and has not ended."""
    if decision.outcome not in GRANTING:
        raise InvalidTransition(_("Beslutet beviljar ingen insats."))
    if SupportDecision.objects.filter(supersedes=decision).exists():
        raise InvalidTransition(_("Beslutet är ersatt av en rättelse."))
    if SupportEnding.objects.filter(decision=decision).exists():
        raise InvalidTransition(_("Insatsen är redan avslutad."))
