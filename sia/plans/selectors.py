"""Reads of a case's SIA plan versions.

The case itself is read through `sia.cases.selectors.get_case` (audited) or
`sia.cases.access.access_case`; the functions here take that already accessed case,
except `get_plan_for_print`, which records the print as the read.
"""

from uuid import UUID

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.access import access_case, sees_whole_case
from sia.cases.models import Case, CaseTeamMember
from sia.consent.coverage import may_see_kind
from sia.consent.models import DataKind, Disclosure
from sia.consent.services import record_disclosures
from sia.core.exceptions import NotFoundOrForbidden
from sia.meetings.models import FirstVisit
from sia.meetings.selectors_alignment import step_catalogue_items
from sia.meetings.selectors_first_visit import current_first_visit, with_answer_labels
from sia.people.selectors import hide_protected_details
from sia.plans.models import PlanActivity, SiaPlan
from sia.process.models import Catalogue, CatalogueItem

ACTIVITIES_CATALOGUE = "sia-activities"


def _activities() -> Prefetch[str]:
    return Prefetch(
        "activities",
        queryset=PlanActivity.objects.select_related("catalogue_item", "responsible_user").order_by(
            "order", "created_at"
        ),
    )


def list_plans(case: Case) -> QuerySet[SiaPlan]:
    """List the case's plan versions, newest first, with their activities and signatories."""
    return (
        SiaPlan.objects.filter(case=case)
        .select_related("created_by", "agreed_by")
        .prefetch_related(_activities())
        .order_by("-version")
    )


def get_plan(case: Case, plan_id: UUID) -> SiaPlan:
    """Return one plan version of the case, or raise NotFoundOrForbidden."""
    plan = list_plans(case).filter(pk=plan_id).first()
    if plan is None:
        raise NotFoundOrForbidden
    return plan


def activity_catalogue(case: Case) -> QuerySet[CatalogueItem]:
    """List the active activities the case's plan may choose from."""
    return step_catalogue_items(
        case, step_key="sia_plan", kind=Catalogue.Kind.ACTIVITIES, fallback_key=ACTIVITIES_CATALOGUE
    )


def list_team_users(case: Case) -> QuerySet[User]:
    """List the active members of the case's team, who may be responsible for an activity."""
    user_ids = CaseTeamMember.objects.filter(case=case, left_at__isnull=True).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("first_name", "last_name")


def assessment_from_first_visit(case: Case) -> str:
    """Write the current first-visit answers as a summary to start the plan's assessment from."""
    record = current_first_visit(case)
    if record is None:
        return ""
    [(_record, answers)] = with_answer_labels(FirstVisit.objects.filter(pk=record.pk))
    return "\n\n".join(f"{label}: {answer}" for label, answer in answers)


@transaction.atomic
def get_plan_for_print(
    user: User, case_id: UUID, plan_id: UUID, *, channel: Channel, output: str
) -> tuple[Case, SiaPlan]:
    """Return a plan version for the print view or the PDF, recording the print."""
    case = access_case(user, case_id)
    if not sees_whole_case(user, case) or not may_see_kind(user, case.person_id, DataKind.PLANS):
        raise NotFoundOrForbidden
    plan = get_plan(case, plan_id)
    record_disclosures(
        user=user, rows=[(case.person_id, case.pk)], what=Disclosure.What.SIA_PLAN, channel=channel
    )
    audit.record_case(
        actor=user,
        action=AuditAction.PLAN_PRINTED,
        channel=channel,
        case=case,
        changes={"plan": str(plan.pk), "version": plan.version, "output": output},
    )
    hide_protected_details(user, [case.person])
    return case, plan
