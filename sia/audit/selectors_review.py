"""Read the log for a manager's review (loggkontroll): random samples and unusual access.

Everything is computed in the database from the events the manager may review
(`visible_audit_events`) and returned in bounded lists with the total count.

The sample orders the period's events by an MD5 hash of their id and a seed and takes
the first ones: random, the same again for the same seed, and a later event can only
displace a sampled one if it hashes lower.
"""

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import MD5, Cast, Concat, TruncHour
from django.utils import timezone

from sia.accounts.models import User
from sia.accounts.selectors import managed_unit_ids
from sia.audit import services as audit
from sia.audit.access import visible_audit_events
from sia.audit.models import AuditAction, AuditEvent, Channel, LogReview
from sia.cases.models import CaseTeamMember

# More distinct persons than this within one clock hour flags the actor
# (settings.SIA_REVIEW_MANY_PERSONS overrides it).
MANY_PERSONS_PER_HOUR = 30
# Rows listed per table of the report; the rest is counted.
TABLE_LIMIT = 100
SAMPLE_DEFAULT = 20
SAMPLE_MAX = 200
SEED_MAX = 2**31 - 1
# Reviewing the log is itself logged, but is not what a review looks at.
REVIEW_ACTIONS = (
    AuditAction.AUDIT_VIEWED,
    AuditAction.LOG_REVIEW_RECORDED,
    AuditAction.EMERGENCY_ACCESS_REVIEWED,
)


@dataclass(frozen=True)
class Period:
    """Whole days, both ends included, in the local time zone."""

    start: dt.date
    end: dt.date

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Return the first instant of the period and the first instant after it."""
        start = dt.datetime.combine(self.start, dt.time.min)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)
        return timezone.make_aware(start), timezone.make_aware(end)


@dataclass(frozen=True)
class EventTable:
    """The first events of one kind of finding, and how many there are in all."""

    total: int
    events: list[AuditEvent]

    @property
    def more(self) -> int:
        return self.total - len(self.events)


@dataclass(frozen=True)
class BusyHour:
    """An actor who touched many persons within one clock hour."""

    actor_username: str
    hour: dt.datetime
    persons: int
    events: int


@dataclass(frozen=True)
class BusyHourTable:
    total: int
    rows: list[BusyHour]
    threshold: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class UnusualAccess:
    """The report of unusual access over a period, one table per kind of finding."""

    other_unit: EventTable
    protected: EventTable
    emergency: EventTable
    many_persons: BusyHourTable

    @property
    def events_listed(self) -> int:
        """Count the events the report puts before the manager, table by table."""
        return (
            self.other_unit.total
            + self.protected.total
            + self.emergency.total
            + sum(row.events for row in self.many_persons.rows)
        )


def last_month(today: dt.date | None = None) -> Period:
    """Return the calendar month before today's, the default period of a review."""
    first_of_this = (today or timezone.localdate()).replace(day=1)
    last_of_previous = first_of_this - dt.timedelta(days=1)
    return Period(last_of_previous.replace(day=1), last_of_previous)


def new_seed() -> int:
    """Draw a seed for a new sample."""
    return secrets.randbelow(SEED_MAX) + 1


def reviewable_events(user: User, period: Period) -> QuerySet[AuditEvent]:
    """Return the reads and changes of personal data in the user's scope during the period."""
    start, end = period.bounds
    return (
        visible_audit_events(user)
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .filter(Q(person_id__isnull=False) | Q(case_id__isnull=False))
        .exclude(action__in=REVIEW_ACTIONS)
    )


def _listed(events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    return events.select_related("unit")


def list_sample(user: User, period: Period, *, size: int, seed: int) -> list[AuditEvent]:
    """Draw `size` events at random from the period; the same seed draws the same events."""
    size = max(1, min(size, SAMPLE_MAX))
    key = MD5(Concat(Cast("id", CharField()), Value(f":{seed}"), output_field=CharField()))
    sample = (
        _listed(reviewable_events(user, period))
        .annotate(sample_key=key)
        .order_by("sample_key", "id")[:size]
    )
    return sorted(sample, key=lambda event: (event.occurred_at, event.id))


def count_reviewable_events(user: User, period: Period) -> int:
    """Count the events a sample of the period is drawn from."""
    return reviewable_events(user, period).count()


def _table(events: QuerySet[AuditEvent]) -> EventTable:
    return EventTable(total=events.count(), events=list(_listed(events)[:TABLE_LIMIT]))


def other_unit_events(user: User, period: Period) -> QuerySet[AuditEvent]:
    """Events on cases owned by a unit the actor did not act in, those off the team first."""
    on_team = CaseTeamMember.objects.filter(
        case_id=OuterRef("case_id"), user_id=OuterRef("actor_id")
    )
    return (
        reviewable_events(user, period)
        .filter(case__owning_unit_id__isnull=False)
        .exclude(unit_id=F("case__owning_unit_id"))
        .annotate(on_team=Exists(on_team))
        .order_by("on_team", "-occurred_at", "-id")
    )


def busy_hours(user: User, period: Period, *, threshold: int) -> QuerySet[Any]:
    """Group the period's events per actor and clock hour; keep those above the threshold."""
    return (
        reviewable_events(user, period)
        .filter(person_id__isnull=False)
        .annotate(hour=TruncHour("occurred_at"))
        .values("actor_id", "actor_username", "hour")
        .annotate(persons=Count("person_id", distinct=True), events=Count("id"))
        .filter(persons__gt=threshold)
        .order_by("-persons", "hour", "actor_username")
    )


def _busy_table(user: User, period: Period, threshold: int) -> BusyHourTable:
    groups = busy_hours(user, period, threshold=threshold)
    rows = [
        BusyHour(
            actor_username=row["actor_username"],
            hour=row["hour"],
            persons=row["persons"],
            events=row["events"],
        )
        for row in groups[:TABLE_LIMIT]
    ]
    return BusyHourTable(total=groups.count(), rows=rows, threshold=threshold)


def many_persons_threshold() -> int:
    """Return how many distinct persons within an hour an actor may touch unremarked."""
    return int(getattr(settings, "SIA_REVIEW_MANY_PERSONS", MANY_PERSONS_PER_HOUR))


def unusual_access(user: User, period: Period, *, threshold: int | None = None) -> UnusualAccess:
    """Report the period's unusual access in the user's scope, one bounded table per kind."""
    if threshold is None:
        threshold = many_persons_threshold()
    events = reviewable_events(user, period)
    return UnusualAccess(
        other_unit=_table(other_unit_events(user, period)),
        protected=_table(events.filter(person__protected_identity=True)),
        emergency=_table(events.filter(action=AuditAction.EMERGENCY_ACCESS)),
        many_persons=_busy_table(user, period, threshold),
    )


@transaction.atomic
def record_check_viewed(
    user: User, period: Period, *, kind: LogReview.Kind, channel: Channel, **details: int
) -> None:
    """Record that the user looked at a sample or the report of unusual access."""
    audit.record(
        actor=user,
        action=AuditAction.AUDIT_VIEWED,
        channel=channel,
        changes={
            "check": str(kind),
            "period_from": period.start.isoformat(),
            "period_to": period.end.isoformat(),
            **details,
        },
    )


def list_log_reviews(user: User) -> QuerySet[LogReview]:
    """List the recorded reviews of the user's units: every unit a review covers is theirs."""
    units = managed_unit_ids(user)
    if not units:
        return LogReview.objects.none()
    covered = LogReview.units.through.objects.filter(logreview_id=OuterRef("pk"))
    return (
        LogReview.objects.filter(Exists(covered.filter(unit_id__in=units)))
        .exclude(Exists(covered.exclude(unit_id__in=units)))
        .select_related("reviewed_by")
        .prefetch_related("units")
    )
