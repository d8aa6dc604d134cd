"""Reads of case teams, their shared action plan and consultations.

Functions taking a `case` expect it already accessed through `sia.cases.selectors.get_case`
(which records the read); the others start from what the user may see.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from sia.accounts.models import CASEWORK_ROLES, Membership, Organisation, User
from sia.audit.models import Channel
from sia.cases.access import visible_cases
from sia.cases.models import Case, CaseTeamMember
from sia.cases.selectors import read_cases
from sia.consent.coverage import persons_sharing
from sia.consent.models import DataKind
from sia.teamwork import access
from sia.teamwork.models import Consultation, TeamTask

OPEN_STATUSES = (TeamTask.Status.OPEN, TeamTask.Status.IN_PROGRESS)


def list_team(case: Case) -> QuerySet[CaseTeamMember]:
    """List the case's active team members with their user, unit and organisation."""
    return (
        CaseTeamMember.objects.filter(case=case, left_at__isnull=True)
        .select_related("user", "unit__organisation")
        .order_by("unit__organisation__name", "created_at")
    )


def list_tasks(user: User, case: Case) -> QuerySet[TeamTask]:
    """List the case's shared action plan; empty for a partner whose consent leaves out plans."""
    if not access.can_see_tasks(user, case):
        return TeamTask.objects.none()
    return (
        TeamTask.objects.filter(case=case)
        .select_related("owner_organisation", "owner", "created_by")
        .order_by("owner_organisation__name", "status", "due_on", "created_at")
    )


@dataclass(frozen=True)
class TaskGroup:
    """The tasks one organisation owns on a case."""

    organisation: Organisation
    tasks: list[TeamTask]


def group_tasks(tasks: Iterable[TeamTask]) -> list[TaskGroup]:
    """Group tasks by their owning organisation, in the order given."""
    groups: dict[object, TaskGroup] = {}
    for task in tasks:
        group = groups.setdefault(
            task.owner_organisation_id, TaskGroup(task.owner_organisation, [])
        )
        group.tasks.append(task)
    return list(groups.values())


def is_late(task: TeamTask) -> bool:
    """Tell whether an unfinished task is past its due date."""
    return (
        task.status in OPEN_STATUSES
        and task.due_on is not None
        and task.due_on < timezone.localdate()
    )


def list_my_open_tasks(user: User) -> QuerySet[TeamTask]:
    """List unfinished tasks the user owns, on open cases the user may see, due first."""
    tasks = TeamTask.objects.filter(
        owner_id=user.pk,
        status__in=OPEN_STATUSES,
        case__in=visible_cases(user).filter(closed_on__isnull=True).values("pk"),
    )
    persons = persons_sharing(user, DataKind.PLANS)
    if persons is not None:
        tasks = tasks.filter(case__person_id__in=persons)
    return tasks.select_related("case__person", "owner_organisation").order_by(
        "due_on", "created_at"
    )


def readable_consultations(
    user: User, consultations: QuerySet[Consultation]
) -> QuerySet[Consultation]:
    """Keep the anonymous consultations and those about a case the user may still see; for a
    partner, only while a valid consent shares the case data ("case" kind) of its person.

    A withdrawn or expired consent thus hides the questions and answers about the case,
    even those the partner asked or was asked.
    """
    consultations = consultations.filter(
        Q(case__isnull=True) | Q(case__in=visible_cases(user).values("pk"))
    )
    persons = persons_sharing(user, DataKind.CASE)
    if persons is not None:
        consultations = consultations.filter(Q(case__isnull=True) | Q(case__person_id__in=persons))
    return consultations


def list_consultations_to_answer(user: User) -> QuerySet[Consultation]:
    """List unanswered consultations the user may answer, oldest first."""
    return (
        readable_consultations(
            user, access.answerable_consultations(user).filter(status=Consultation.Status.ASKED)
        )
        .select_related("case__person", "asked_by", "specialist")
        .order_by("created_at")
    )


def list_my_consultations(user: User) -> QuerySet[Consultation]:
    """List the consultations the user asked and may still read, newest first."""
    return readable_consultations(
        user, Consultation.objects.filter(asked_by_id=user.pk)
    ).select_related("case__person", "asked_by", "specialist", "answered_by")


@transaction.atomic
def read_consultations(
    user: User, consultations: Iterable[Consultation], *, channel: Channel
) -> list[Consultation]:
    """Return the consultations, recording the read of each case they are about (audit and,
    for a partner, the disclosure); anonymous ones name no case and record nothing."""
    shown = list(consultations)
    cases = [c.case for c in shown if c.case is not None]
    if cases:
        read_cases(user, cases, channel=channel)
    return shown


def list_case_consultations(user: User, case: Case) -> QuerySet[Consultation]:
    """List a case's consultations the user asked or may answer (the case is already seen)."""
    return (
        Consultation.objects.filter(case=case)
        .filter(
            Q(asked_by_id=user.pk) | Q(pk__in=access.answerable_consultations(user).values("pk"))
        )
        .select_related("asked_by", "specialist", "answered_by")
    )


def list_addable_staff(case: Case) -> list[tuple[Organisation, list[Membership]]]:
    """List active staff with a casework role, by organisation, who are not on the team yet.

    One membership per user (their first casework role), as add_team_member picks it.
    """
    current = CaseTeamMember.objects.filter(case=case, left_at__isnull=True).values("user_id")
    memberships = (
        Membership.objects.filter(user__is_active=True, role__in=list(CASEWORK_ROLES))
        .exclude(user_id__in=current)
        .select_related("user", "unit__organisation")
        .order_by("created_at")
    )
    first: dict[object, Membership] = {}
    for membership in memberships:
        first.setdefault(membership.user_id, membership)
    grouped: dict[object, list[Membership]] = defaultdict(list)
    organisations: dict[object, Organisation] = {}
    for membership in first.values():
        organisation = membership.unit.organisation
        organisations[organisation.pk] = organisation
        grouped[organisation.pk].append(membership)
    return [
        (
            organisations[key],
            sorted(grouped[key], key=lambda m: (m.user.last_name, m.user.first_name)),
        )
        for key in sorted(grouped, key=lambda key: organisations[key].name)
    ]


def list_specialists(case: Case | None) -> list[Membership]:
    """List staff who may be named as specialist: the case's team, or any casework user."""
    memberships = Membership.objects.filter(
        user__is_active=True, role__in=list(CASEWORK_ROLES)
    ).select_related("user", "unit__organisation")
    if case is not None:
        team = CaseTeamMember.objects.filter(case=case, left_at__isnull=True).values("user_id")
        memberships = memberships.filter(user_id__in=team)
    first: dict[object, Membership] = {}
    for membership in memberships.order_by("user__last_name", "user__first_name", "created_at"):
        first.setdefault(membership.user_id, membership)
    return list(first.values())


def list_organisations() -> QuerySet[Organisation]:
    """List the organisations that may own a task."""
    return Organisation.objects.order_by("name")
