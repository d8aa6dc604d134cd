"""Open and change cases. Every write is audited in its own transaction."""

import datetime as dt
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Role, User
from sia.accounts.selectors import primary_membership
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.access import can_open_case
from sia.cases.dates import check_first_contact_date
from sia.cases.models import Case, CaseTeamMember
from sia.core.exceptions import DuplicateRecord, NotFoundOrForbidden, ValidationFailed
from sia.people.access import access_person
from sia.process import services as process
from sia.process.eligibility import eligibility_problems


@transaction.atomic
def open_case(
    *,
    opened_by: User,
    person_id: UUID,
    unit_id: UUID,
    first_contact_date: dt.date,
    channel: Channel,
    outside_target_group_confirmed: bool = False,
) -> Case:
    """Open a case (aktualisering), put the opener on its team and start the SIA process.

    Someone outside the process's target group is only taken in when the user confirms it.
    """
    if not can_open_case(opened_by, unit_id):
        raise NotFoundOrForbidden
    person = access_person(opened_by, person_id)
    check_first_contact_date(first_contact_date)
    if Case.objects.filter(person=person, owning_unit_id=unit_id, closed_on__isnull=True).exists():
        raise DuplicateRecord(_("Personen har redan ett öppet ärende i enheten."))
    template = process.active_template()
    problems = eligibility_problems(person, template, first_contact_date)
    if problems and not outside_target_group_confirmed:
        raise ValidationFailed(
            " ".join([str(_("Personen ligger utanför målgruppen:")), *problems]),
            field="outside_target_group_confirmed",
        )
    case = Case.objects.create(
        person=person,
        owning_unit_id=unit_id,
        first_contact_date=first_contact_date,
        opened_by=opened_by,
    )
    membership = primary_membership(opened_by, unit_id)
    role = membership.role if membership else Role.RECEPTION_SOCIAL_WORKER
    if role != Role.DEPUTY_UNIT_MANAGER:
        CaseTeamMember.objects.create(
            case=case, user=opened_by, role=role, unit_id=unit_id, added_by=opened_by
        )
    audit.record_case(
        actor=opened_by,
        action=AuditAction.CASE_CREATED,
        channel=channel,
        case=case,
        changes={
            "first_contact_date": first_contact_date.isoformat(),
            "stage": case.stage,
            "outside_target_group": bool(problems),
        },
    )
    process.start_process(case=case, started_by=opened_by, channel=channel, template=template)
    return case
