"""Which decisions order a provider unit to serve a case. Kept free of case imports so
the case access rules can build on it."""

from uuid import UUID

from django.db.models import QuerySet

from sia.decisions.models import SupportDecision


def ordered_decisions(provider_unit_ids: set[UUID]) -> QuerySet[SupportDecision]:
    """Return the current decisions that grant support delivered by one of the units and
    have not ended: not rejected, not superseded by a correction, with no ending."""
    return SupportDecision.objects.filter(
        provider_id__in=provider_unit_ids,
        outcome__in=(SupportDecision.Outcome.GRANTED, SupportDecision.Outcome.PARTLY),
        superseded_by__isnull=True,
        ending__isnull=True,
    )
