"""Hand-built audit events at chosen times, for the log review's tests."""

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from sia.accounts.models import Unit, User
from sia.audit import services as audit
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.audit.selectors_review import Period, last_month
from sia.cases.models import Case
from sia.people.models import Person

LogEvent = Callable[..., AuditEvent]


@pytest.fixture
def period() -> Period:
    """Last month: the review's default period, away from the fixtures' own events."""
    return last_month()


@pytest.fixture
def at(period: Period) -> dt.datetime:
    """Ten past ten on the tenth day of last month, local time."""
    day = period.start + dt.timedelta(days=9)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 10)))


@pytest.fixture
def log(staff: dict[str, User], at: dt.datetime) -> LogEvent:
    """Append one event as the named persona at `at` (plus `minutes`), as the services do."""

    def make(
        username: str,
        action: AuditAction = AuditAction.PERSON_VIEWED,
        *,
        person: Person | None = None,
        case: Case | None = None,
        minutes: float = 0,
    ) -> AuditEvent:
        when = at + dt.timedelta(minutes=minutes)
        with time_machine.travel(when, tick=False), transaction.atomic():
            return audit.record(
                actor=staff[username],
                action=action,
                channel=Channel.WEB,
                person_id=person.pk if person else (case.person_id if case else None),
                case_id=case.pk if case else None,
                unit_id=case.owning_unit_id if case else None,
            )

    return make


@pytest.fixture
def other_unit(units: dict[str, Unit]) -> Unit:
    """The unit of `annan`, which chef does not manage."""
    return units["Ekonomiskt bistånd, vuxna"]


def query(period: Period, **extra: object) -> dict[str, str]:
    """The query of a review page or API call over the period."""
    params = {"fran": period.start.isoformat(), "till": period.end.isoformat()}
    return params | {key: str(value) for key, value in extra.items()}
