"""The support plan: its checklist and time plan."""

import datetime as dt
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.core.concurrency import check_unchanged, save_if_unchanged
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.core.text import check_not_too_far_ahead, clean_text
from sia.decisions.models import (
    PlanItem,
    SupportPlan,
)
from sia.decisions.services.common import (
    MAX_ITEMS,
    MAX_LABEL,
    decision_for,
    not_before,
    not_future,
    ongoing,
)

ITEM = _("punkten i checklistan")


def _label(label: str) -> str:
    return clean_text(label, "items", limit=MAX_LABEL, required=True)


def _audit_plan(actor: User, case: Case, channel: Channel, **changes: object) -> None:
    audit.record_case(
        actor=actor,
        action=AuditAction.SUPPORT_PLAN_CHANGED,
        channel=channel,
        case=case,
        changes=changes,
    )


@transaction.atomic
def make_plan(
    *,
    actor: User,
    decision_id: UUID,
    time_plan: str,
    expected_end_on: dt.date | None,
    items: list[str],
    channel: Channel,
    case_id: UUID | None = None,
) -> SupportPlan:
    """Make the support plan of a granted decision: the checklist and a time plan."""
    case, decision = decision_for(actor, decision_id, case_id)
    ongoing(decision)
    if SupportPlan.objects.filter(decision=decision).exists():
        raise InvalidTransition(_("Beslutet har redan en plan."))
    time_plan = clean_text(time_plan, "time_plan", required=True)
    labels = [_label(label) for label in items if label.strip()]
    if not labels:
        raise ValidationFailed(_("Skriv minst en punkt i checklistan."), field="items")
    if len(labels) > MAX_ITEMS:
        raise ValidationFailed(_("Checklistan har för många punkter."), field="items")
    if expected_end_on is not None:
        not_before(expected_end_on, decision.decided_on, "expected_end_on")
        check_not_too_far_ahead(expected_end_on, "expected_end_on")
    plan = SupportPlan.objects.create(
        decision=decision, time_plan=time_plan, expected_end_on=expected_end_on, created_by=actor
    )
    PlanItem.objects.bulk_create(
        PlanItem(plan=plan, order=n, label=label) for n, label in enumerate(labels, start=1)
    )
    _audit_plan(actor, case, channel, decision=str(decision.pk), items=len(labels))
    return plan


@transaction.atomic
def add_plan_item(
    *, actor: User, decision_id: UUID, label: str, channel: Channel, case_id: UUID | None = None
) -> PlanItem:
    """Add a point to the checklist of an ongoing support."""
    case, decision = decision_for(actor, decision_id, case_id)
    ongoing(decision)
    plan = SupportPlan.objects.filter(decision=decision).first()
    if plan is None:
        raise InvalidTransition(_("Beslutet har ingen plan än."))
    label = _label(label)
    if plan.items.count() >= MAX_ITEMS:
        raise ValidationFailed(_("Checklistan har för många punkter."), field="items")
    order = (plan.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    item = PlanItem.objects.create(plan=plan, order=order, label=label)
    _audit_plan(actor, case, channel, decision=str(decision.pk), item_added=str(item.pk))
    return item


@transaction.atomic
def mark_item(
    *,
    actor: User,
    item_id: UUID,
    met_on: dt.date | None,
    channel: Channel,
    case_id: UUID | None = None,
    decision_id: UUID | None = None,
    expected_version: int | None = None,
) -> PlanItem:
    """Mark a checklist point met on a day, or back to not yet (met_on None).

    With ``expected_version`` the mark is refused (`EditConflict`) if someone marked the
    point after the user loaded it.
    """
    item = PlanItem.objects.select_related("plan").filter(pk=item_id).first()
    if item is None or (decision_id is not None and item.plan.decision_id != decision_id):
        raise NotFoundOrForbidden
    case, decision = decision_for(actor, item.plan.decision_id, case_id)
    ongoing(decision)
    check_unchanged(item, expected_version=expected_version, what=ITEM, fields=["met_on"])
    if met_on is not None:
        not_future(met_on, "met_on")
        not_before(met_on, decision.decided_on, "met_on")
    item.met_on = met_on
    item.marked_by = actor
    save_if_unchanged(
        item,
        expected_version=expected_version,
        fields=["met_on", "marked_by"],
        changed_by=actor,
        what=ITEM,
        shown=["met_on"],
    )
    _audit_plan(
        actor,
        case,
        channel,
        decision=str(decision.pk),
        item=str(item.pk),
        met_on=f"{met_on:%Y-%m-%d}" if met_on else None,
    )
    return item
