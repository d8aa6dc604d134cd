"""Compose a case team across organisations.

- A member keeps their own casework role and unit (from their Membership); the team
  function only says what they do on this team. Responsibility stays with that role.
- The team always keeps at least one active member of the municipality that owns the
  case: the last one cannot be removed (the manager reallocates the case instead).
- Any active member may leave the team; only the manager or a municipal member removes
  others.
"""

from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case, CaseTeamMember, TeamFunction
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.process.access import access_case_for, can_work_on_case
from sia.teamwork import access
from sia.teamwork.services.common import casework_membership, lock_case


@transaction.atomic
def add_team_member(
    *, actor: User, case_id: UUID, user_id: UUID, function: str, channel: Channel
) -> CaseTeamMember:
    """Add a member of staff of any organisation to the case team, in their own role."""
    case = access_case_for(actor, case_id, access.can_manage_team)
    case = lock_case(case.pk)
    if function not in TeamFunction.values:
        raise ValidationFailed(_("Välj en funktion i teamet."), field="function")
    membership = casework_membership(user_id)
    existing = CaseTeamMember.objects.filter(
        case=case, user_id=user_id, left_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    member = CaseTeamMember.objects.create(
        case=case,
        user=membership.user,
        role=membership.role,
        function=function,
        unit=membership.unit,
        added_by=actor,
    )
    audit.record_case(
        actor=actor,
        action=AuditAction.TEAM_MEMBER_ADDED,
        channel=channel,
        case=case,
        changes={
            "member": str(member.pk),
            "user": membership.user.get_username(),
            "role": member.role,
            "function": function,
            "organisation": str(membership.unit.organisation_id),
        },
    )
    return member


def _may_remove(actor: User, case: Case, user_id: UUID) -> bool:
    if user_id == actor.pk:
        return True
    return access.can_manage_team(actor, case)


def _keeps_municipal_member(case: Case, leaving: list[CaseTeamMember]) -> bool:
    municipality = case.owning_unit.organisation_id
    if all(member.unit.organisation_id != municipality for member in leaving):
        return True
    return (
        CaseTeamMember.objects.filter(
            case=case, left_at__isnull=True, unit__organisation_id=municipality
        )
        .exclude(pk__in=[member.pk for member in leaving])
        .exists()
    )


@transaction.atomic
def remove_team_member(
    *, actor: User, case_id: UUID, user_id: UUID, channel: Channel
) -> list[CaseTeamMember]:
    """Take a user off the case team (their rows stay, marked as left, for the record).

    Members are addressed by their user's UUID, never by a sequential row id.
    """
    case = access_case_for(actor, case_id, can_work_on_case)
    case = lock_case(case.pk)
    leaving = list(
        CaseTeamMember.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(case=case, user_id=user_id, left_at__isnull=True)
    )
    if not leaving or not _may_remove(actor, case, user_id):
        raise NotFoundOrForbidden
    if not _keeps_municipal_member(case, leaving):
        raise InvalidTransition(
            _(
                "Teamet måste ha minst en medlem från kommunen. "
                "Fördela ärendet till någon annan först."
            )
        )
    now = timezone.now()
    for member in leaving:
        member.left_at = now
        member.save(update_fields=["left_at", "updated_at"])
    audit.record_case(
        actor=actor,
        action=AuditAction.TEAM_MEMBER_REMOVED,
        channel=channel,
        case=case,
        changes={"user": str(user_id), "roles": [member.role for member in leaving]},
    )
    return leaving
