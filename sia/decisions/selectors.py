"""Read decisions on support: a case's decisions with their history, one decision with
its plan, log and follow-ups, the provider's queue and the follow-ups that are due."""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Sum

from sia.accounts.models import Unit, User
from sia.accounts.selectors import unit_ids_with_roles
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.access import visible_cases
from sia.cases.models import Case, CaseTeamMember
from sia.consent.coverage import persons_sharing
from sia.consent.models import DataKind
from sia.core.exceptions import NotFoundOrForbidden
from sia.decisions.access import PROVIDER_ROLES, sees_whole_case
from sia.decisions.models import FollowUpMeeting, ProviderLogEntry, SupportDecision
from sia.decisions.orders import ordered_decisions
from sia.people.selectors import hide_protected_details


def _decisions(user: User, case: Case) -> QuerySet[SupportDecision]:
    """The case's decisions the user may see: all for its team and manager, only the
    current ordered ones for the provider that delivers them."""
    decisions = SupportDecision.objects.filter(case=case)
    if not sees_whole_case(user, case):
        decisions = decisions.filter(
            pk__in=ordered_decisions(unit_ids_with_roles(user, PROVIDER_ROLES)).values("pk")
        )
    return decisions.select_related(
        "provider", "decided_by", "supersedes", "superseded_by", "ending"
    )


def list_decisions(user: User, case: Case) -> list[SupportDecision]:
    """List the case's decisions, newest first, the replaced ones included."""
    return list(_decisions(user, case))


def get_decision(user: User, case: Case, decision_id: UUID) -> SupportDecision:
    """Return one decision of the case the user may see, else 404."""
    decision = _decisions(user, case).filter(pk=decision_id).first()
    if decision is None:
        raise NotFoundOrForbidden
    return decision


def is_current(decision: SupportDecision) -> bool:
    """Tell whether no correction has replaced the decision."""
    return not hasattr(decision, "superseded_by")


def has_ended(decision: SupportDecision) -> bool:
    """Tell whether the support of the decision has ended."""
    return hasattr(decision, "ending")


def provider_units(case: Case) -> QuerySet[Unit]:
    """The units of the case's municipality that can be ordered to deliver support."""
    return Unit.objects.filter(organisation_id=case.owning_unit.organisation_id).order_by("name")


@dataclass(frozen=True)
class CategoryTotal:
    """Minutes the provider logged in one category."""

    label: str
    minutes: int


def log_totals(decision: SupportDecision) -> tuple[list[CategoryTotal], int]:
    """Sum the provider's logged minutes per category, and in all."""
    labels = dict(ProviderLogEntry.Category.choices)
    rows = (
        ProviderLogEntry.objects.filter(decision=decision)
        .values("category")
        .annotate(total=Sum("minutes"))
        .order_by("category")
    )
    totals = [CategoryTotal(str(labels[row["category"]]), row["total"]) for row in rows]
    return totals, sum(total.minutes for total in totals)


def list_ordered_cases(user: User, *, channel: Channel = Channel.WEB) -> list[SupportDecision]:
    """List the ongoing decisions the user's provider unit delivers, with the latest day
    work was logged, oldest log first (never logged first)."""
    units = unit_ids_with_roles(user, PROVIDER_ROLES)
    if not units:
        return []
    decisions: list[SupportDecision] = list(
        ordered_decisions(units)
        .filter(case__in=visible_cases(user, with_orders=True))
        .select_related("case__person", "provider")
        .annotate(last_logged_on=Max("log_entries__performed_on"))
        .order_by(F("last_logged_on").asc(nulls_first=True), "valid_from")
    )
    hide_protected_details(user, [decision.case.person for decision in decisions])
    audit.record_reads(
        actor=user,
        action=AuditAction.CASE_LISTED,
        channel=channel,
        rows=[(decision.case.person_id, decision.case_id) for decision in decisions],
    )
    return decisions


def list_due_follow_ups(user: User, today: dt.date) -> QuerySet[FollowUpMeeting]:
    """List the latest follow-ups of ongoing support whose next follow-up is due by today,
    on the user's cases (team or manager) or the user's provider unit's orders."""
    later = FollowUpMeeting.objects.filter(
        decision_id=OuterRef("decision_id"), held_on__gt=OuterRef("held_on")
    )
    mine = CaseTeamMember.objects.filter(
        case_id=OuterRef("decision__case_id"), user_id=user.pk, left_at__isnull=True
    )
    units = unit_ids_with_roles(user, PROVIDER_ROLES)
    follow_ups = (
        FollowUpMeeting.objects.filter(
            next_follow_up_on__lte=today,
            decision__outcome__in=(
                SupportDecision.Outcome.GRANTED,
                SupportDecision.Outcome.PARTLY,
            ),
            decision__superseded_by__isnull=True,
            decision__ending__isnull=True,
            decision__case__in=visible_cases(user, with_orders=True),
        )
        .filter(Q(Exists(mine)) | Q(decision__provider_id__in=units))
        .exclude(Exists(later))
        .select_related("decision__case__person")
        .order_by("next_follow_up_on")
    )
    # A partner's user sees them only while a consent shares the case.
    persons = persons_sharing(user, DataKind.CASE)
    if persons is not None:
        follow_ups = follow_ups.filter(decision__case__person_id__in=persons)
    return follow_ups
