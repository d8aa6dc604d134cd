"""Reads for running the process: a case's steps and timeline, the staff to allocate to,
"Mitt arbete", the unit overview and the calendar.

A case is reached through `sia.cases.access` / `sia.cases.selectors` first; lists start
from `visible_cases` and record the reads of the people they name.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    Min,
    OuterRef,
    Prefetch,
    QuerySet,
    prefetch_related_objects,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.accounts.models import Role, User
from sia.accounts.selectors import managed_unit_ids, roles_of
from sia.assessments.models import PostponedTopic
from sia.assessments.selectors import list_due_postponed_topics
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.access import visible_cases
from sia.cases.models import Case, CaseTeamMember
from sia.cases.selectors import list_waiting_for_allocation, read_cases
from sia.collaboration.models import Meeting
from sia.collaboration.selectors import list_meetings_of_participant
from sia.consent.coverage import is_partner_user
from sia.core.exceptions import ValidationFailed
from sia.decisions.models import FollowUpMeeting
from sia.decisions.selectors import list_due_follow_ups
from sia.establishment.selectors import CaseAlerts, list_programme_alerts
from sia.meetings.models import Alignment, GuidanceMeeting, GuideCall
from sia.meetings.selectors_first_visit import list_open_calls_to
from sia.people.models import Person
from sia.process.eligibility import eligibility_problems
from sia.process.models import (
    CaseStep,
    Catalogue,
    CatalogueItem,
    ProcessTemplate,
    StepDefinition,
)
from sia.process.services import DEFAULT_TEMPLATE_KEY
from sia.teamwork.models import Consultation, TeamTask
from sia.teamwork.selectors import list_consultations_to_answer, list_my_open_tasks

# How far ahead the calendar and the standby list in "Mitt arbete" look.
CALENDAR_DAYS = 14
MY_WORK_LIST_SIZE = 50

# Reads are audited too, but the timeline tells what was done to the case.
READ_ACTIONS = frozenset(
    action
    for action in AuditAction
    if action.value.endswith((".viewed", ".listed", ".searched")) or action.value == "audit.viewed"
)


# --- Intake -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    """Whether a person is in the active template's target group, and why not."""

    template: ProcessTemplate | None
    problems: list[str]

    @property
    def inside(self) -> bool:
        return self.template is not None and not self.problems


def check_eligibility(person: Person, on: dt.date) -> Eligibility:
    """Check the person against the active SIA template's eligibility rules."""
    template = ProcessTemplate.objects.filter(key=DEFAULT_TEMPLATE_KEY, is_active=True).first()
    if template is None:
        return Eligibility(None, [_("Det finns ingen aktiv processmall för ärendet.")])
    return Eligibility(template, eligibility_problems(person, template, on))


# --- Staff to hand a case to ----------------------------------------------------------------


def list_role_holders(
    organisation_id: UUID, role: Role, *, unit_id: UUID | None = None
) -> QuerySet[User]:
    """List the active users who hold the role in a unit of the organisation (or in one unit)."""
    users = User.objects.filter(
        is_active=True,
        memberships__role=role,
        memberships__unit__organisation_id=organisation_id,
    )
    if unit_id is not None:
        users = users.filter(memberships__unit_id=unit_id)
    return users.distinct().order_by("first_name", "last_name", "username")


def list_allocation_candidates(case: Case) -> tuple[QuerySet[User], QuerySet[User]]:
    """List the municipality's guides, and the social workers of the case's reception unit."""
    organisation_id = case.owning_unit.organisation_id
    return (
        list_role_holders(organisation_id, Role.COMMUNITY_GUIDE),
        list_role_holders(
            organisation_id, Role.RECEPTION_SOCIAL_WORKER, unit_id=case.owning_unit_id
        ),
    )


def get_staff_members(candidates: QuerySet[User], ids: list[UUID], *, field: str) -> list[User]:
    """Return the chosen users, in the given order, refusing any who are not candidates."""
    found = {user.pk: user for user in candidates.filter(pk__in=ids)}
    if any(user_id not in found for user_id in ids):
        raise ValidationFailed(_("Den valda medarbetaren kan inte väljas här."), field=field)
    return [found[user_id] for user_id in ids]


def list_assessment_candidates(case: Case) -> QuerySet[User]:
    """List the assessment social workers the case can be transferred to."""
    return list_role_holders(case.owning_unit.organisation_id, Role.ASSESSMENT_SOCIAL_WORKER)


# --- One case: steps and timeline -------------------------------------------------------------


def steps_prefetch() -> Prefetch[str]:
    """Prefetch a case's steps in order, with what the step page and API show."""
    return Prefetch(
        "steps",
        queryset=CaseStep.objects.select_related("definition", "completed_by").order_by("order"),
    )


def with_steps(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Load the steps of every case in the queryset, in one extra query."""
    return cases.prefetch_related(steps_prefetch())


def load_steps(case: Case) -> list[CaseStep]:
    """Load and return the steps of a case the user has already been given."""
    prefetch_related_objects([case], steps_prefetch())
    return list(case.steps.all())


def next_step(steps: Iterable[CaseStep]) -> CaseStep | None:
    """Return the first open step, the one to do next."""
    return next((step for step in steps if step.status == CaseStep.Status.OPEN), None)


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened to a case, for the case page."""

    occurred_at: dt.datetime
    actor: str
    action: str
    label: str
    details: list[str]


def _step_title(key: object, titles: dict[str, str]) -> str:
    return titles.get(str(key), str(key))


def _timeline_details(changes: dict[str, Any], titles: dict[str, str]) -> list[str]:
    """Say what an event changed, from the values the services record (no sensitive fields)."""
    details: list[str] = []
    if "template" in changes:
        details.append(_("Processmall: %(template)s") % {"template": changes["template"]})
    if "step" in changes:
        details.append(_step_title(changes["step"], titles))
    first_contact = changes.get("first_contact_date")
    if isinstance(first_contact, list) and len(first_contact) == 2:
        details.append(
            _("Aktualiseringsdatum %(old)s → %(new)s")
            % {"old": first_contact[0], "new": first_contact[1]}
        )
    due_changed = changes.get("due_changed")
    if isinstance(due_changed, dict):
        for key, dates in due_changed.items():
            old, new = [*dates, None, None][:2] if isinstance(dates, list) else (None, None)
            details.append(
                _("%(step)s: senast %(old)s → %(new)s")
                % {"step": _step_title(key, titles), "old": old or "–", "new": new or "–"}
            )
    return details


def list_case_timeline(case: Case, steps: Iterable[CaseStep]) -> list[TimelineEntry]:
    """List what was done to a case (not who read it), newest first, in one query."""
    titles = {step.key: step.title for step in steps}
    events = (
        AuditEvent.objects.filter(case_id=case.pk)
        .exclude(action__in=READ_ACTIONS)
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )
    labels = dict(AuditAction.choices)
    return [
        TimelineEntry(
            occurred_at=event.occurred_at,
            actor=str(event.actor) if event.actor else event.actor_username,
            action=event.action,
            label=str(labels.get(event.action, event.action)),
            details=_timeline_details(event.changes or {}, titles),
        )
        for event in events
    ]


# --- Mitt arbete ----------------------------------------------------------------------------


def _day_bounds(day: dt.date, days: int = 1) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=days), dt.time.min, tzinfo=zone)
    return start, end


def _open_steps(user: User) -> QuerySet[CaseStep]:
    return (
        CaseStep.objects.filter(
            status=CaseStep.Status.OPEN,
            case__closed_on__isnull=True,
            case__in=visible_cases(user),
        )
        .select_related("definition", "case__person", "case__owning_unit")
        .order_by("due_date", "case_id", "order")
    )


def list_my_due_steps(user: User) -> QuerySet[CaseStep]:
    """List the open steps on the user's cases that their role there is responsible for."""
    in_role = CaseTeamMember.objects.filter(
        case=OuterRef("case"),
        user_id=user.pk,
        left_at__isnull=True,
        role=OuterRef("definition__responsible_role"),
    )
    return _open_steps(user).filter(Exists(in_role))


def list_late_steps(user: User, *, today: dt.date) -> QuerySet[CaseStep]:
    """List the open steps past their due date in the units the user manages."""
    return _open_steps(user).filter(
        case__owning_unit_id__in=managed_unit_ids(user), due_date__lt=today
    )


def list_meetings_of_guide(user: User, start: dt.datetime, end: dt.datetime) -> QuerySet[Any]:
    """List the guide's booked or held guidance meetings in the period."""
    return (
        GuidanceMeeting.objects.filter(
            guide_id=user.pk,
            starts_at__gte=start,
            starts_at__lt=end,
            case__in=visible_cases(user),
        )
        .exclude(status=GuidanceMeeting.Status.CANCELLED)
        .select_related("case__person")
        .order_by("starts_at")
    )


def list_standby_slots(user: User, start: dt.datetime, end: dt.datetime) -> QuerySet[Any]:
    """List the first visits the user is on standby for in the period (current records only)."""
    return (
        Alignment.objects.filter(
            standby_guide_id=user.pk,
            first_visit_at__gte=start,
            first_visit_at__lt=end,
            superseded_by__isnull=True,
            case__closed_on__isnull=True,
            case__in=visible_cases(user),
        )
        .select_related("case__person")
        .order_by("first_visit_at")
    )


def list_open_calls(user: User, *, since: dt.datetime) -> QuerySet[Any]:
    """List the call-ins to the user's first visits not answered yet, since a moment."""
    return (
        list_open_calls_to(user)
        .filter(created_at__gte=since)
        .select_related("case__person", "called_by")
        .order_by("-created_at")
    )


@dataclass
class MyWork:
    """What is in front of one user today."""

    today: dt.date
    due_steps: list[CaseStep] = field(default_factory=list)
    late_steps: list[CaseStep] = field(default_factory=list)
    meetings: list[GuidanceMeeting] = field(default_factory=list)
    standby: list[Alignment] = field(default_factory=list)
    calls: list[GuideCall] = field(default_factory=list)
    waiting: list[Case] = field(default_factory=list)
    collaboration_meetings: list[Meeting] = field(default_factory=list)
    tasks: list[TeamTask] = field(default_factory=list)
    consultations: list[Consultation] = field(default_factory=list)
    postponed_topics: list[PostponedTopic] = field(default_factory=list)
    support_follow_ups: list[FollowUpMeeting] = field(default_factory=list)
    programme_alerts: list[CaseAlerts] = field(default_factory=list)
    is_manager: bool = False
    # False for a partner organisation's (or provider's) user who holds no role that can
    # have guidance meetings, standby slots or steps: those sections stay empty for them.
    shows_guidance: bool = True
    shows_steps: bool = True


def _step_roles() -> set[str]:
    """The roles responsible for some step of the active SIA template."""
    return set(
        StepDefinition.objects.filter(
            template__key=DEFAULT_TEMPLATE_KEY, template__is_active=True
        ).values_list("responsible_role", flat=True)
    )


@transaction.atomic
def read_my_work(user: User, *, channel: Channel) -> MyWork:
    """Collect the user's due steps, today's meetings, standby slots, calls and queue."""
    today = timezone.localdate()
    start, end = _day_bounds(today)
    is_manager = bool(managed_unit_ids(user))
    work = MyWork(
        today=today,
        due_steps=list(list_my_due_steps(user)[:MY_WORK_LIST_SIZE]),
        late_steps=(list(list_late_steps(user, today=today)[:MY_WORK_LIST_SIZE])),
        meetings=list(list_meetings_of_guide(user, start, end)),
        standby=list(list_standby_slots(user, start, _day_bounds(today, CALENDAR_DAYS)[1])),
        calls=list(list_open_calls(user, since=start)),
        waiting=list(list_waiting_for_allocation(user)[:MY_WORK_LIST_SIZE]) if is_manager else [],
        collaboration_meetings=list_meetings_of_participant(
            user, start, _day_bounds(today, CALENDAR_DAYS)[1]
        )[:MY_WORK_LIST_SIZE],
        tasks=list(list_my_open_tasks(user)[:MY_WORK_LIST_SIZE]),
        consultations=list(list_consultations_to_answer(user)[:MY_WORK_LIST_SIZE]),
        postponed_topics=list(list_due_postponed_topics(user, today)[:MY_WORK_LIST_SIZE]),
        support_follow_ups=list(list_due_follow_ups(user, today)[:MY_WORK_LIST_SIZE]),
        programme_alerts=list_programme_alerts(user, today)[:MY_WORK_LIST_SIZE],
        is_manager=is_manager,
    )
    if is_partner_user(user):
        # Municipal staff keep every section; a partner's or provider's user sees a section
        # only if they hold a role that can have it (or it holds something after all).
        roles = roles_of(user)
        work.shows_guidance = (
            Role.COMMUNITY_GUIDE in roles or bool(work.meetings) or bool(work.standby)
        )
        work.shows_steps = bool(roles & _step_roles()) or bool(work.due_steps)
    shown = [
        *(step.case for step in work.due_steps + work.late_steps),
        *(meeting.case for meeting in work.meetings),
        *(slot.case for slot in work.standby),
        *(call.case for call in work.calls),
        *work.waiting,
        *(meeting.case for meeting in work.collaboration_meetings if meeting.case is not None),
        *(task.case for task in work.tasks),
        *(topic.case for topic in work.postponed_topics),
        *(follow_up.decision.case for follow_up in work.support_follow_ups),
        *(consultation.case for consultation in work.consultations if consultation.case),
    ]
    read_cases(user, shown, channel=channel)
    return work


# --- Calendar -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    """A meeting or a standby slot in the user's calendar.

    A case review has no single case; `url` links to the meeting itself when there is one.
    """

    starts_at: dt.datetime
    kind: str
    case: Case | None
    place: str
    url: str = ""
    title: str = ""


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    entries: list[CalendarEntry]


@transaction.atomic
def read_calendar(user: User, *, start_day: dt.date, channel: Channel) -> list[CalendarDay]:
    """List the user's guidance meetings, standby slots and meetings across organisations
    per day, for two weeks."""
    start, end = _day_bounds(start_day, CALENDAR_DAYS)
    entries = [
        CalendarEntry(
            starts_at=meeting.starts_at,
            kind=_("Samhällsvägledningsmöte"),
            case=meeting.case,
            place=meeting.place or str(meeting.get_mode_display()),
        )
        for meeting in list_meetings_of_guide(user, start, end)
    ]
    entries += [
        CalendarEntry(
            starts_at=slot.first_visit_at,
            kind=_("Beredskap vid nybesök"),
            case=slot.case,
            place="",
        )
        for slot in list_standby_slots(user, start, end)
        if slot.first_visit_at is not None
    ]
    entries += [
        CalendarEntry(
            starts_at=meeting.starts_at,
            kind=str(meeting.get_kind_display()),
            case=meeting.case,
            place=meeting.place or str(meeting.get_mode_display()),
            url=reverse("meeting-detail", args=[meeting.pk]),
            title=meeting.title,
        )
        for meeting in list_meetings_of_participant(user, start, end)
    ]
    entries.sort(key=lambda entry: entry.starts_at)
    read_cases(user, [entry.case for entry in entries if entry.case is not None], channel=channel)
    days: dict[dt.date, list[CalendarEntry]] = {}
    for entry in entries:
        days.setdefault(timezone.localtime(entry.starts_at).date(), []).append(entry)
    return [CalendarDay(day=day, entries=rows) for day, rows in days.items()]


# --- Unit overview --------------------------------------------------------------------------


@dataclass(frozen=True)
class StepCount:
    key: str
    title: str
    count: int


@dataclass(frozen=True)
class WorkerLoad:
    name: str
    role: str
    count: int


@dataclass(frozen=True)
class UnitOverview:
    """Counts and late steps of the units a deputy manager manages; no names of newcomers."""

    steps: list[StepCount]
    stages: list[tuple[str, int]]
    late_steps: list[CaseStep]
    workload: list[WorkerLoad]


def count_unit_overview(user: User) -> UnitOverview:
    """Count open steps and stages, list late steps and workload in the user's managed units."""
    units = managed_unit_ids(user)
    open_cases = Case.objects.filter(closed_on__isnull=True, owning_unit_id__in=units)
    open_steps = CaseStep.objects.filter(status=CaseStep.Status.OPEN, case__in=open_cases)
    step_rows = (
        open_steps.values("key")
        .annotate(n=Count("id"), order=Min("order"), step_title=Min("definition__title"))
        .order_by("order", "key")
    )
    stage_labels = dict(Case.Stage.choices)
    stage_rows = open_cases.values("stage").annotate(n=Count("id")).order_by("stage")
    late = (
        open_steps.filter(due_date__lt=timezone.localdate())
        .select_related("definition", "case")
        .prefetch_related(
            Prefetch(
                "case__team",
                queryset=CaseTeamMember.objects.filter(left_at__isnull=True).select_related("user"),
                to_attr="active_team",
            )
        )
        .order_by("due_date", "case_id", "order")
    )
    role_labels = dict(Role.choices)
    load_rows = (
        CaseTeamMember.objects.filter(left_at__isnull=True, case__in=open_cases)
        .values("user__username", "user__first_name", "user__last_name", "role")
        .annotate(n=Count("case", distinct=True))
        .order_by("user__first_name", "user__last_name", "role")
    )
    return UnitOverview(
        steps=[StepCount(row["key"], row["step_title"], row["n"]) for row in step_rows],
        stages=[
            (str(stage_labels.get(row["stage"], row["stage"])), row["n"]) for row in stage_rows
        ],
        late_steps=list(late),
        workload=[
            WorkerLoad(
                name=f"{row['user__first_name']} {row['user__last_name']}".strip()
                or row["user__username"],
                role=str(role_labels.get(row["role"], row["role"])),
                count=row["n"],
            )
            for row in load_rows
        ],
    )


# --- Configuration --------------------------------------------------------------------------


def get_catalogue(key: str) -> Catalogue | None:
    """Return a catalogue with its active items loaded, or None."""
    return (
        Catalogue.objects.filter(key=key)
        .prefetch_related(
            Prefetch(
                "items",
                queryset=CatalogueItem.objects.filter(is_active=True).order_by("order", "label"),
                to_attr="active_items",
            )
        )
        .first()
    )
