"""Shared builders of the settlement tests: a decision ordering Bosättningsenheten."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from sia.accounts.models import Unit, User
from sia.cases.models import Case
from sia.decisions.models import SupportDecision

OrderSettlement = Callable[[Case], SupportDecision]


@pytest.fixture
def order_settlement(staff: dict[str, User], units: dict[str, Unit]) -> OrderSettlement:
    """Record a granted decision whose provider is Bosättningsenheten."""

    def order(case: Case) -> SupportDecision:
        today = timezone.localdate()
        return SupportDecision.objects.create(
            case=case,
            applied_for="Stöd med bostaden",
            applied_on=today - dt.timedelta(days=3),
            outcome=SupportDecision.Outcome.GRANTED,
            decided_support="Praktiskt stöd kring bostaden",
            legal_basis=SupportDecision.LegalBasis.SOL_4_1,
            reasons="Behov av stöd",
            provider=units["Bosättningsenheten"],
            decided_by=staff["integration"],
            decided_on=today,
            signed_at=timezone.now(),
        )

    return order
