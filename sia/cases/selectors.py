"""Reads of cases: every one starts from what the user may see and records the read."""

from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from sia.accounts.models import Role, User
from sia.accounts.selectors import managed_unit_ids, memberships_of
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.access import access_case, visible_cases
from sia.cases.models import Case, CaseTeamMember
from sia.consent.coverage import may_see_kind
from sia.consent.models import Disclosure
from sia.consent.services import record_disclosures
from sia.consent.sharing import hide_unshared_identity
from sia.core.exceptions import NotFoundOrForbidden
from sia.people.selectors import hide_protected_details


def _active_team() -> Prefetch[str]:
    return Prefetch(
        "team",
        queryset=CaseTeamMember.objects.filter(left_at__isnull=True).select_related("user", "unit"),
        to_attr="active_team",
    )


def list_cases(user: User, *, open_only: bool = False) -> QuerySet[Case]:
    """List the cases the user may see, with person, unit and active team loaded."""
    cases = (
        visible_cases(user, with_orders=True)
        .select_related("person", "owning_unit")
        .prefetch_related(_active_team())
    )
    if open_only:
        cases = cases.filter(closed_on__isnull=True)
    return cases


def list_cases_of_person(user: User, person_id: UUID) -> QuerySet[Case]:
    """List the visible cases about one person."""
    return list_cases(user).filter(person_id=person_id)


@transaction.atomic
def read_cases(user: User, cases: list[Case], *, channel: Channel) -> list[Case]:
    """Record that a page of cases was shown (once per case, however many lists hold it),
    and hide protected details in every copy."""
    shown = {case.pk: case for case in cases}
    audit.record_reads(
        actor=user,
        action=AuditAction.CASE_LISTED,
        channel=channel,
        rows=[(case.person_id, case.pk) for case in shown.values()],
    )
    record_disclosures(
        user=user,
        rows=[(case.person_id, case.pk) for case in shown.values()],
        what=Disclosure.What.CASE_LIST,
        channel=channel,
    )
    hide_protected_details(user, [case.person for case in cases])
    hide_unshared_identity(user, [case.person for case in cases])
    return cases


@transaction.atomic
def get_case(
    user: User,
    case_id: UUID,
    *,
    channel: Channel,
    kind: str | None = None,
    provider_ok: bool = False,
) -> Case:
    """Return a case the user may see, with its team, recording the read.

    With `kind` (a consent `DataKind`), a partner organisation's user must also hold a
    consent covering that kind of data, else the case looks missing. A provider who sees
    the case only through a support decision's order reaches it only where the page
    says `provider_ok` (the decision, its plan and log, the housing tasks).
    """
    case = access_case(user, case_id, with_orders=provider_ok)
    if kind is not None and not may_see_kind(user, case.person_id, kind):
        raise NotFoundOrForbidden
    case = list_cases(user).get(pk=case.pk)
    audit.record_case(
        actor=user,
        action=AuditAction.CASE_VIEWED,
        channel=channel,
        case=case,
    )
    record_disclosures(
        user=user, rows=[(case.person_id, case.pk)], what=Disclosure.What.CASE, channel=channel
    )
    hide_protected_details(user, [case.person])
    hide_unshared_identity(user, [case.person])
    return case


def list_my_cases(user: User) -> QuerySet[Case]:
    """List the open cases on whose team the user is."""
    mine = CaseTeamMember.objects.filter(case=OuterRef("pk"), user_id=user.pk, left_at__isnull=True)
    return list_cases(user, open_only=True).filter(Exists(mine))


def list_waiting_for_allocation(user: User) -> QuerySet[Case]:
    """List the cases in the user's managed units that still wait for allocation."""
    return list_cases(user, open_only=True).filter(
        owning_unit_id__in=managed_unit_ids(user), stage=Case.Stage.INTAKE
    )


@dataclass(frozen=True)
class StageCount:
    """Open cases of one unit in one stage; `count` is None when suppressed."""

    unit: str
    stage: str
    count: int | None


def count_open_cases_for_analysis(user: User) -> list[StageCount]:
    """Count open cases per unit and stage in the analyst's organisations, hiding small counts."""
    organisations = {m.unit.organisation_id for m in memberships_of(user) if m.role == Role.ANALYST}
    rows = (
        Case.objects.filter(closed_on__isnull=True, owning_unit__organisation_id__in=organisations)
        .values("owning_unit__name", "stage")
        .annotate(n=Count("id"))
        .order_by("owning_unit__name", "stage")
    )
    labels = dict(Case.Stage.choices)
    return [
        StageCount(
            unit=row["owning_unit__name"],
            stage=str(labels.get(row["stage"], row["stage"])),
            count=row["n"] if row["n"] >= settings.SIA_SUPPRESS_BELOW else None,
        )
        for row in rows
    ]


def reload_case_after_write(user: User, case_id: UUID) -> Case:
    """Return a case the user has just written, for the answer; the write was audited."""
    case = list_cases(user).get(pk=access_case(user, case_id).pk)
    hide_protected_details(user, [case.person])
    return case
