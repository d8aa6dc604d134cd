"""Reads of group series: lists start from what the user may see; names shown are audited."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from django.db import transaction
from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from sia.accounts.models import CASEWORK_ROLES, Unit, User
from sia.accounts.selectors import memberships_of
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.consent.models import Disclosure
from sia.consent.services import record_disclosures
from sia.consent.sharing import hide_unshared_identity
from sia.core.exceptions import NotFoundOrForbidden
from sia.groups import access
from sia.groups.models import Attendance, GroupEnrolment, GroupSeries, GroupSession
from sia.people.models import Language
from sia.people.selectors import hide_protected_details

Status = GroupEnrolment.Status


def list_series(user: User) -> QuerySet[GroupSeries]:
    """List the series the user may see, with dates and the number of accepted participants."""
    return (
        access.visible_series(user)
        .select_related("unit__organisation")
        .annotate(
            accepted_count=Count(
                "enrolments", filter=Q(enrolments__status=Status.ACCEPTED), distinct=True
            ),
            first_on=Min("sessions__held_on"),
            last_on=Max("sessions__held_on"),
            session_count=Count("sessions", distinct=True),
        )
        .annotate(places_left=Greatest(F("capacity") - F("accepted_count"), Value(0)))
        .order_by("-first_on", "title")
    )


def list_open_series(user: User) -> QuerySet[GroupSeries]:
    """List the series the user may invite people to: those not yet over."""
    upcoming = GroupSession.objects.filter(held_on__gte=timezone.localdate()).values("series_id")
    return list_series(user).filter(pk__in=upcoming)


def get_series(user: User, series_id: UUID) -> GroupSeries:
    """Return a series the user may see, with its sessions, facilitators and organisations."""
    series = access.access_series(user, series_id)
    sessions = GroupSession.objects.prefetch_related("facilitators").select_related("evaluated_by")
    loaded = (
        list_series(user)
        .prefetch_related(Prefetch("sessions", queryset=sessions), "organisations")
        .get(pk=series.pk)
    )
    return loaded


def get_session(user: User, series: GroupSeries, session_id: UUID) -> GroupSession:
    """Return one session of a series the user may see, else 404."""
    session = (
        GroupSession.objects.prefetch_related("facilitators")
        .select_related("evaluated_by")
        .filter(series=series, pk=session_id)
        .first()
    )
    if session is None:
        raise NotFoundOrForbidden
    session.series = series
    return session


@dataclass
class Participants:
    """The participants the user may see by name, and how many others there are."""

    shown: list[GroupEnrolment] = field(default_factory=list)
    hidden_count: int = 0


@transaction.atomic
def read_participants(user: User, series: GroupSeries, *, channel: Channel) -> Participants:
    """Return the participants the user may see by name, recording the read of each case and,
    for a partner facilitator, the disclosure to their organisation."""
    if not access.can_manage_series(user, series):
        return Participants()
    shown = list(
        access.visible_enrolments(user, series)
        .select_related("case__person", "changed_by")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("session"))
        )
        .order_by("case__person__family_name", "case__person__given_name")
    )
    total = GroupEnrolment.objects.filter(series=series).count()
    audit.record_reads(
        actor=user,
        action=AuditAction.CASE_LISTED,
        channel=channel,
        rows=[(e.case.person_id, e.case_id) for e in shown],
    )
    record_disclosures(
        user=user,
        rows=[(e.case.person_id, e.case_id) for e in shown],
        what=Disclosure.What.GROUP_PARTICIPANTS,
        channel=channel,
    )
    people = [e.case.person for e in shown]
    hide_protected_details(user, people)
    hide_unshared_identity(user, people)
    return Participants(shown=shown, hidden_count=total - len(shown))


def list_accepted_participants(user: User, series: GroupSeries) -> QuerySet[GroupEnrolment]:
    """List the accepted participants the user may see by name, for an attendance form."""
    return (
        access.visible_enrolments(user, series)
        .filter(status=Status.ACCEPTED)
        .select_related("case__person")
    )


def list_enrolments_of_case(case: Case) -> QuerySet[GroupEnrolment]:
    """List the series the case's person is enrolled in, with attendance per session."""
    return (
        GroupEnrolment.objects.filter(case=case)
        .select_related("series__unit")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("session"))
        )
        .order_by("-created_at")
    )


def list_my_units(user: User) -> list[Unit]:
    """List the units where the user may create a series: those with a casework role."""
    units = {m.unit_id: m.unit for m in memberships_of(user) if m.role in CASEWORK_ROLES}
    return sorted(units.values(), key=lambda unit: unit.name)


def list_facilitator_candidates(series: GroupSeries) -> list[User]:
    """List active staff of the series' unit organisation and of the taking-part ones."""
    organisations = {series.unit.organisation_id, *(o.pk for o in series.organisations.all())}
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role__in=CASEWORK_ROLES,
            memberships__unit__organisation_id__in=organisations,
        )
        .distinct()
        .prefetch_related("memberships__unit__organisation")
        .order_by("last_name", "first_name", "username")
    )


def list_attendance(session: GroupSession) -> dict[UUID, Attendance]:
    """Return the recorded attendance of a session, by enrolment."""
    return {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}


def language_labels(codes: Sequence[str]) -> list[str]:
    """Return the names of the interpreter languages, in the order given."""
    labels = dict(Language.choices)
    return [str(labels.get(code, code)) for code in codes]
