"""Agenda points, the decisions taken on them and the tasks they become."""

import datetime as dt
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Organisation, User
from sia.audit.models import AuditAction, Channel
from sia.cases.access import visible_cases
from sia.cases.models import CaseTeamMember
from sia.collaboration import rules
from sia.collaboration.models import AgendaItem, Meeting
from sia.collaboration.services.common import (
    audit_meeting,
    lock_meeting,
    not_frozen,
)
from sia.core.concurrency import check_unchanged, save_if_unchanged
from sia.core.exceptions import NotFoundOrForbidden, ValidationFailed
from sia.core.text import clean_text
from sia.teamwork import services as teamwork
from sia.teamwork.models import TeamTask

ITEM = _("beslutet på punkten")
DECISION_FIELDS = ("decision",)


@transaction.atomic
def add_agenda_item(
    *,
    actor: User,
    meeting_id: UUID,
    topic: str,
    channel: Channel,
    case_id: UUID | None = None,
) -> AgendaItem:
    """Add a point to the agenda; in a case review each point is about one visible case."""
    meeting = lock_meeting(actor, meeting_id)
    not_frozen(meeting)
    case = None
    if case_id is not None:
        if not rules.rules_for(meeting.kind).has_case_agenda:
            raise ValidationFailed(
                _("Bara en ärendegenomgång har ärenden på dagordningen."), field="case"
            )
        case = visible_cases(actor).filter(pk=case_id, closed_on__isnull=True).first()
        if case is None:
            raise ValidationFailed(_("Välj ett öppet ärende som du ser."), field="case")
    elif rules.rules_for(meeting.kind).has_case_agenda:
        raise ValidationFailed(_("Välj ärendet som punkten gäller."), field="case")
    order = meeting.agenda_items.count() + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=order,
        case=case,
        topic=clean_text(topic, "topic", limit=300, required=True),
    )
    audit_meeting(
        actor,
        meeting,
        AuditAction.MEETING_UPDATED,
        channel,
        agenda_item=str(item.pk),
        case=str(case.pk) if case else None,
    )
    return item


def _lock_item(actor: User, meeting: Meeting, item_id: UUID) -> AgendaItem:
    """Return the agenda point locked, if it is about no case or one the actor sees."""
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("case", "meeting")
        .filter(meeting=meeting, pk=item_id)
        .first()
    )
    if item is None:
        raise NotFoundOrForbidden
    if item.case_id is not None and not visible_cases(actor).filter(pk=item.case_id).exists():
        raise NotFoundOrForbidden
    return item


@transaction.atomic
def record_decision(
    *,
    actor: User,
    meeting_id: UUID,
    item_id: UUID,
    decision: str,
    channel: Channel,
    expected_version: int | None = None,
) -> AgendaItem:
    """Write down the decision taken on an agenda point.

    With ``expected_version`` the decision is refused (`EditConflict`) if someone changed
    it after the user loaded it.
    """
    meeting = lock_meeting(actor, meeting_id)
    not_frozen(meeting)
    item = _lock_item(actor, meeting, item_id)
    check_unchanged(item, expected_version=expected_version, what=ITEM, fields=DECISION_FIELDS)
    item.decision = clean_text(decision, "decision", required=True)
    save_if_unchanged(
        item,
        expected_version=expected_version,
        fields=DECISION_FIELDS,
        changed_by=actor,
        what=ITEM,
    )
    audit_meeting(actor, meeting, AuditAction.MEETING_RECORDED, channel, agenda_item=str(item.pk))
    return item


@transaction.atomic
def decide_task(
    *,
    actor: User,
    meeting_id: UUID,
    item_id: UUID,
    title: str,
    owner_organisation_id: UUID,
    channel: Channel,
    owner_id: UUID | None = None,
    due_on: dt.date | None = None,
) -> TeamTask:
    """Turn a decision on an agenda point into a task of the case's shared action plan,
    owned by an organisation and, optionally, by a member of the case's team who works
    there."""
    meeting = lock_meeting(actor, meeting_id)
    not_frozen(meeting)
    item = _lock_item(actor, meeting, item_id)
    case = item.case or meeting.case
    if case is None:
        raise ValidationFailed(_("Punkten gäller inget ärende."), field="title")
    if not item.decision.strip():
        raise ValidationFailed(_("Skriv beslutet innan uppgiften läggs till."), field="title")
    organisation = Organisation.objects.filter(pk=owner_organisation_id).first()
    if organisation is None:
        raise ValidationFailed(_("Välj ansvarig organisation."), field="owner_organisation")
    owner = User.objects.filter(pk=owner_id, is_active=True).first() if owner_id else None
    if owner_id is not None and owner is None:
        raise ValidationFailed(_("Välj ansvarig person."), field="owner")
    on_team = CaseTeamMember.objects.filter(case=case, user=owner, left_at__isnull=True)
    if owner is not None and not on_team.exists():
        raise ValidationFailed(
            _("Den ansvariga medarbetaren finns inte i ärendeteamet."), field="owner"
        )
    # teamwork.create_task refuses an owner who does not work in the owner organisation.
    return teamwork.create_task(
        actor=actor,
        case=case,
        title=title,
        owner_organisation=organisation,
        owner=owner,
        due_on=due_on,
        source=TeamTask.Source.MEETING,
        agenda_item=item,
        description=item.decision,
        channel=channel,
    )
