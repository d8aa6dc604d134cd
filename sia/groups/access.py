"""Who may see, run and fill in a group series, and whose names they may see.

A series is run by the staff of its unit (any casework role there) and by the
facilitators of its sessions. Any staff member with a casework role may see the
series themselves (titles, dates, places left: no personal data) so that they can
invite the people on their cases. Participant names are personal data: municipal
staff of the series' unit and municipal facilitators see every participant; a
facilitator from a partner organisation sees only participants whose valid consent
covers that organisation and shares their identity or case data, and the others only
as a count. Only municipal staff running the series decide places (enrolment status).
"""

from uuid import UUID

from django.db.models import Q, QuerySet

from sia.accounts.models import CASEWORK_ROLES, Organisation, User
from sia.accounts.selectors import memberships_of
from sia.consent.coverage import consents_covering, is_partner_user, persons_sharing
from sia.consent.models import DataKind
from sia.core.exceptions import NotFoundOrForbidden
from sia.groups.models import GroupEnrolment, GroupSeries, GroupSession


def casework_unit_ids(user: User) -> set[UUID]:
    """Return the units in which the user holds a casework role."""
    return {m.unit_id for m in memberships_of(user) if m.role in CASEWORK_ROLES}


def can_see_series_list(user: User) -> bool:
    """Tell whether the user may see group series at all: staff doing casework."""
    return user.is_active and bool(casework_unit_ids(user))


def visible_series(user: User) -> QuerySet[GroupSeries]:
    """Return the series the user may see: all of them for casework staff, else none."""
    if not can_see_series_list(user):
        return GroupSeries.objects.none()
    return GroupSeries.objects.all()


def managed_series(user: User) -> QuerySet[GroupSeries]:
    """Return the series the user runs: as staff of their unit or as a facilitator."""
    if not user.is_active:
        return GroupSeries.objects.none()
    facilitated = GroupSession.objects.filter(facilitators=user).values("series_id")
    return GroupSeries.objects.filter(
        Q(unit_id__in=casework_unit_ids(user)) | Q(pk__in=facilitated)
    )


def is_unit_staff(user: User, series: GroupSeries) -> bool:
    """Tell whether the user does casework in the unit that runs the series."""
    return series.unit_id in casework_unit_ids(user)


def is_facilitator(user: User, series: GroupSeries) -> bool:
    """Tell whether the user leads at least one session of the series."""
    return GroupSession.objects.filter(series=series, facilitators=user).exists()


def can_manage_series(user: User, series: GroupSeries) -> bool:
    """Tell whether the user may change the series, its sessions and its enrolments."""
    if not user.is_active:
        return False
    if is_unit_staff(user, series):
        return True
    return is_facilitator(user, series)


def can_evaluate_session(user: User, session: GroupSession) -> bool:
    """Tell whether the user may write the session's evaluation: its facilitator or unit staff."""
    if is_unit_staff(user, session.series):
        return True
    return session.facilitators.filter(pk=user.pk).exists()


def sees_all_participants(user: User, series: GroupSeries) -> bool:
    """Tell whether the user sees every participant's name: municipal staff running it."""
    if not can_manage_series(user, series):
        return False
    return any(
        m.role in CASEWORK_ROLES
        and m.unit.organisation.kind == Organisation.Kind.MUNICIPALITY
        and m.unit.organisation_id == series.unit.organisation_id
        for m in memberships_of(user)
    )


def visible_enrolments(user: User, series: GroupSeries) -> QuerySet[GroupEnrolment]:
    """Return the enrolments whose participant the user may see by name."""
    enrolments = GroupEnrolment.objects.filter(series=series)
    if sees_all_participants(user, series):
        return enrolments
    if not can_manage_series(user, series):
        return enrolments.none()
    return enrolments.filter(case__person_id__in=_persons_named_to(user))


def _persons_named_to(user: User) -> set[UUID]:
    """Return the people whose valid consent to the user's organisation shares identity or
    case data (a participant's name is both)."""
    persons: set[UUID] = set()
    for kind in (DataKind.IDENTITY, DataKind.CASE):
        sharing = persons_sharing(user, kind)
        if sharing is None:
            # No consent limit on kinds (not a partner user): any covering consent names them.
            return set(consents_covering(user).values_list("person_id", flat=True))
        persons |= sharing
    return persons


def can_decide_enrolments(user: User, series: GroupSeries) -> bool:
    """Tell whether the user may move enrolments as one who runs the series: municipal staff
    only; a partner facilitator never decides a place on the municipality's behalf."""
    return can_manage_series(user, series) and not is_partner_user(user)


def access_series(user: User, series_id: UUID, *, manage: bool = False) -> GroupSeries:
    """Return a series the user may see (and run, with manage), else 404."""
    series = (
        visible_series(user)
        .select_related("unit__organisation", "created_by")
        .filter(pk=series_id)
        .first()
    )
    if series is None and manage:
        series = (
            managed_series(user)
            .select_related("unit__organisation", "created_by")
            .filter(pk=series_id)
            .first()
        )
    if series is None:
        raise NotFoundOrForbidden
    if manage and not can_manage_series(user, series):
        raise NotFoundOrForbidden
    return series
