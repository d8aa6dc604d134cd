"""Who may see and change which meeting across organisations.

A meeting about a case is visible to whoever may see the case (so a successor on the
case finds the stored record); a partner user also needs a consent that shares the
person's meetings. A case review is visible to the members of the organising unit and
to its participants. Missing and forbidden both raise NotFoundOrForbidden.
"""

from uuid import UUID

from django.db.models import Q, QuerySet

from sia.accounts.models import User
from sia.accounts.selectors import managed_unit_ids, memberships_of, works_for_partner_organisation
from sia.cases.access import visible_cases
from sia.collaboration.models import Meeting
from sia.consent.coverage import may_see_kind
from sia.consent.models import DataKind
from sia.core.exceptions import NotFoundOrForbidden
from sia.process.access import can_work_on_case, manages_case


def _unit_ids(user: User) -> set[UUID]:
    return {m.unit_id for m in memberships_of(user)}


def _is_municipal(user: User) -> bool:
    return not works_for_partner_organisation(user)


def visible_meetings(user: User) -> QuerySet[Meeting]:
    """Return the meetings the user may see, before the consent check per person."""
    if not user.is_authenticated or not user.is_active:
        return Meeting.objects.none()
    about_visible_case = Q(case__in=visible_cases(user))
    review = Q(case__isnull=True) & (Q(unit_id__in=_unit_ids(user)) | Q(parties__user=user))
    ids = Meeting.objects.filter(about_visible_case | review).values("pk")
    return Meeting.objects.filter(pk__in=ids)


def may_see_meeting(user: User, meeting: Meeting) -> bool:
    """Tell whether a consent lets the user see the meetings about this case's person."""
    if meeting.case is None:
        return True
    return may_see_kind(user, meeting.case.person_id, DataKind.MEETINGS)


def access_meeting(user: User, meeting_id: UUID) -> Meeting:
    """Return the meeting if the user may see it, else raise NotFoundOrForbidden."""
    meeting = (
        visible_meetings(user)
        .select_related("case__person", "case__owning_unit", "unit__organisation")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or not may_see_meeting(user, meeting):
        raise NotFoundOrForbidden
    return meeting


def is_organiser(user: User, meeting: Meeting) -> bool:
    """Tell whether the user convenes the meeting: created it, or took the follow-up over."""
    if meeting.created_by_id == user.pk:
        return True
    convener = meeting.follow_up_convened_by
    return convener is not None and convener.user_id == user.pk


def can_change_meeting(user: User, meeting: Meeting) -> bool:
    """Tell whether the user may change the meeting: organiser, manager or municipal team."""
    if is_organiser(user, meeting):
        return True
    if meeting.case is None:
        return meeting.unit_id in managed_unit_ids(user)
    if manages_case(user, meeting.case):
        return True
    return _is_municipal(user) and can_work_on_case(user, meeting.case)
