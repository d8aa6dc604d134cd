"""Reads of a case's assessments, future and health plan, topics, barriers, progress and
enrolments, and the postponed topics due for "Mitt arbete".

The case is read through `get_case_for_assessments` (access, data-kind check, audited
read); the other functions take that already accessed case.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet

from sia.accounts.models import User
from sia.assessments.access import can_record_assessments, can_see_assessments, can_see_health
from sia.assessments.kinds import (
    HEALTH_BARRIER_KINDS,
    HEALTH_PROGRESS_KINDS,
    KINDS_BY_CATEGORY,
    TALK_CATALOGUES,
    enrolment_end,
)
from sia.assessments.models import (
    AssessmentTalk,
    Barrier,
    Enrolment,
    FuturePlan,
    PostponedTopic,
    ProgressStep,
)
from sia.audit.models import Channel
from sia.cases.access import access_case, visible_cases
from sia.cases.models import Case, CaseTeamMember
from sia.cases.selectors import get_case
from sia.consent.coverage import persons_sharing
from sia.consent.models import DataKind
from sia.core.exceptions import NotFoundOrForbidden
from sia.process.models import CatalogueItem


def get_case_for_assessments(
    user: User, case_id: UUID, *, channel: Channel, health: bool = False
) -> Case:
    """Return a case whose assessments the user may see (and health, with health), recording
    the read; 404 when a partner's consent does not share them."""
    case = access_case(user, case_id)
    allowed = can_see_health if health else can_see_assessments
    if not allowed(user, case):
        raise NotFoundOrForbidden
    return get_case(user, case.pk, channel=channel)


def talk_items(kind: str) -> QuerySet[CatalogueItem]:
    """List the active questions of the talk's template (a process catalogue)."""
    return CatalogueItem.objects.filter(
        catalogue__key=TALK_CATALOGUES[kind], is_active=True
    ).order_by("order", "label")


def list_talks(case: Case, kind: str | None = None) -> QuerySet[AssessmentTalk]:
    """List the case's signed talk records, newest first, with who signed them."""
    talks = AssessmentTalk.objects.filter(case=case).select_related("author", "supersedes")
    if kind is not None:
        talks = talks.filter(kind=kind)
    return talks.order_by("-signed_at")


def current_talk(case: Case, kind: str) -> AssessmentTalk | None:
    """Return the record of the talk that no correction has replaced, if any."""
    return list_talks(case, kind).filter(superseded_by__isnull=True).first()


def talk_order_warning(case: Case, kind: str) -> str | None:
    """Name the earlier talk that is not recorded yet; the order is advice, not a rule."""
    order = [AssessmentTalk.Kind.TALK_1, AssessmentTalk.Kind.TALK_2, AssessmentTalk.Kind.TALK_3]
    if kind not in order:
        return None
    recorded = set(AssessmentTalk.objects.filter(case=case).values_list("kind", flat=True))
    for earlier in order[: order.index(AssessmentTalk.Kind(kind))]:
        if earlier not in recorded:
            return str(AssessmentTalk.Kind(earlier).label)
    return None


def talk_labels(kind: str) -> dict[str, str]:
    """Return the questions of the talk's template (retired ones too), key to label."""
    return dict(
        CatalogueItem.objects.filter(catalogue__key=TALK_CATALOGUES[kind])
        .order_by("order", "label")
        .values_list("key", "label")
    )


def labelled_answers(talk: AssessmentTalk, labels: dict[str, str]) -> list[tuple[str, str]]:
    """Return the talk's answers as (question, answer), in the template's order."""
    ordered = [key for key in labels if key in talk.answers]
    ordered += [key for key in talk.answers if key not in labels]
    return [(labels.get(key, key), talk.answers[key]) for key in ordered]


def list_future_plans(case: Case) -> QuerySet[FuturePlan]:
    """List the versions of the case's future and health plan, newest first, with steps."""
    return (
        FuturePlan.objects.filter(case=case)
        .select_related("created_by")
        .prefetch_related("steps")
        .order_by("-version")
    )


def get_future_plan(case: Case, plan_id: UUID) -> FuturePlan:
    """Return one version of the case's future and health plan, or raise NotFoundOrForbidden."""
    plan = list_future_plans(case).filter(pk=plan_id).first()
    if plan is None:
        raise NotFoundOrForbidden
    return plan


def list_topics(case: Case) -> QuerySet[PostponedTopic]:
    """List the case's postponed topics: open ones first, by reminder day."""
    return (
        PostponedTopic.objects.filter(case=case)
        .select_related("recorded_by")
        .order_by("returned_on", "remind_on", "created_at")
    )


def list_barriers(case: Case, *, health: bool = True) -> QuerySet[Barrier]:
    """List the case's barriers (open first); without health, the health barriers are left out."""
    barriers = Barrier.objects.filter(case=case).select_related("recorded_by")
    if not health:
        barriers = barriers.exclude(kind__in=HEALTH_BARRIER_KINDS)
    return barriers.order_by("resolved_on", "-noted_on", "-created_at")


def list_progress(case: Case, *, health: bool = True) -> QuerySet[ProgressStep]:
    """List the case's progress steps and outcomes, newest first."""
    steps = ProgressStep.objects.filter(case=case).select_related("recorded_by")
    if not health:
        steps = steps.exclude(kind__in=HEALTH_PROGRESS_KINDS)
    return steps.order_by("-occurred_on", "-created_at")


def list_enrolments(case: Case) -> QuerySet[Enrolment]:
    """List the case's enrolments in programmes, open ones first, newest first."""
    return (
        Enrolment.objects.filter(case=case)
        .select_related("enrolled_by")
        .order_by("discharged_on", "-started_on")
    )


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class ProgressCounts:
    """Progress steps and outcomes counted side by side, per kind, with totals."""

    progress: list[KindCount]
    outcomes: list[KindCount]

    @property
    def total_progress(self) -> int:
        return sum(row.count for row in self.progress)

    @property
    def total_outcomes(self) -> int:
        return sum(row.count for row in self.outcomes)


def count_progress(
    cases: QuerySet[Case], *, exclude_kinds: frozenset[str] = frozenset()
) -> ProgressCounts:
    """Count the progress steps and the outcomes of the cases, each kind on its own row.

    Counting only work and studies misses the progress people make, so both are counted.
    """
    counter = Counter(
        ProgressStep.objects.filter(case__in=cases)
        .exclude(kind__in=exclude_kinds)
        .values_list("kind", flat=True)
    )

    def rows(category: str) -> list[KindCount]:
        return [
            KindCount(kind, str(ProgressStep.Kind(kind).label), counter[kind])
            for kind in KINDS_BY_CATEGORY[category]
            if kind not in exclude_kinds
        ]

    return ProgressCounts(
        progress=rows(ProgressStep.Category.PROGRESS),
        outcomes=rows(ProgressStep.Category.OUTCOME),
    )


def list_due_postponed_topics(user: User, today: dt.date) -> QuerySet[PostponedTopic]:
    """List the topics not yet returned to whose reminder day has come, on open cases on
    whose team the user is, oldest reminder first."""
    on_team = CaseTeamMember.objects.filter(
        case=OuterRef("case_id"), user_id=user.pk, left_at__isnull=True
    )
    topics = PostponedTopic.objects.filter(
        returned_on__isnull=True,
        remind_on__lte=today,
        case__in=visible_cases(user),
        case__closed_on__isnull=True,
    ).filter(Exists(on_team))
    persons = persons_sharing(user, DataKind.ASSESSMENTS)
    if persons is not None:
        topics = topics.filter(case__person_id__in=persons)
    return topics.select_related("case", "case__person").order_by("remind_on", "created_at")


@dataclass
class TalkStatus:
    kind: str
    label: str
    current: AssessmentTalk | None
    versions: int


@dataclass
class EnrolmentRow:
    enrolment: Enrolment
    ends_on: dt.date
    past_limit: bool


@dataclass
class AssessmentOverview:
    """Everything the case's assessment page shows, already filtered for the viewer."""

    talks: list[TalkStatus]
    show_health: bool
    may_record: bool
    plans: list[FuturePlan]
    topics: list[PostponedTopic]
    due_topic_ids: set[UUID]
    barriers: list[Barrier]
    progress: list[ProgressStep]
    outcomes: list[ProgressStep]
    counts: ProgressCounts
    enrolments: list[EnrolmentRow] = field(default_factory=list)

    @property
    def open_barriers(self) -> list[Barrier]:
        return [b for b in self.barriers if b.resolved_on is None]

    @property
    def resolved_barriers(self) -> list[Barrier]:
        return [b for b in self.barriers if b.resolved_on is not None]


def _talk_statuses(case: Case) -> list[TalkStatus]:
    talks = list(list_talks(case))
    statuses = []
    for kind, label in AssessmentTalk.Kind.choices:
        of_kind = [t for t in talks if t.kind == kind]
        current = next((t for t in of_kind if not _is_superseded(t, of_kind)), None)
        statuses.append(TalkStatus(kind, str(label), current, len(of_kind)))
    return statuses


def _is_superseded(talk: AssessmentTalk, talks: list[AssessmentTalk]) -> bool:
    return any(t.supersedes_id == talk.pk for t in talks)


def assessment_overview(user: User, case: Case, today: dt.date) -> AssessmentOverview:
    """Collect the case's talks, plans, topics, barriers, progress and enrolments."""
    health = can_see_health(user, case)
    topics = list(list_topics(case))
    steps = list(list_progress(case, health=health))
    return AssessmentOverview(
        talks=_talk_statuses(case),
        show_health=health,
        may_record=can_record_assessments(user, case),
        plans=list(list_future_plans(case)) if health else [],
        topics=topics,
        due_topic_ids={t.pk for t in topics if t.returned_on is None and t.remind_on <= today},
        barriers=list(list_barriers(case, health=health)),
        progress=[s for s in steps if s.category == ProgressStep.Category.PROGRESS],
        outcomes=[s for s in steps if s.category == ProgressStep.Category.OUTCOME],
        counts=count_progress(
            Case.objects.filter(pk=case.pk),
            exclude_kinds=frozenset() if health else HEALTH_PROGRESS_KINDS,
        ),
        enrolments=[
            EnrolmentRow(e, enrolment_end(e), e.discharged_on is None and enrolment_end(e) <= today)
            for e in list_enrolments(case)
        ],
    )
