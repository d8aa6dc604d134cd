"""The outcomes dashboard's Kaplan–Meier figures, end to end through the database,
against lifelines' KaplanMeierFitter fitted on the same cases.

Sixty cases with seeded random dates: some reach their own support (a recorded date,
or closed because of it without a date), some are closed without it, some are open
(followed until today). The test computes every case's duration and event from the
dates it generated, not from the database, and checks the manager's table (nothing
hidden) per cohort: cases, events, the shares at 6, 12 and 24 months and the median.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass

import pytest
from lifelines import KaplanMeierFitter  # type: ignore[import-untyped]

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import User
from sia.cases.models import Case
from sia.establishment.models import CaseOutcome
from sia.followup.access import scope_of
from sia.followup.filters import Filters
from sia.followup.selectors import outcomes

TODAY = dt.date(2025, 6, 30)
PERIOD = Filters(date_from=dt.date(2023, 1, 1), date_to=dt.date(2024, 12, 31))
SHARE_DAYS = (182, 365, 730)


@dataclass(frozen=True)
class Made:
    """One generated case: its cohort, and its follow-up as the test computes it."""

    cohort: int
    duration: int
    event: bool


def _generate(
    make_case: CaseFactory, make_person: PersonFactory, actor: User, n: int = 60
) -> list[Made]:
    rng = random.Random(20250630)  # noqa: S311 - repeatable test data, not secrets
    made: list[Made] = []
    for _i in range(n):
        first = PERIOD.date_from + dt.timedelta(days=rng.randrange(730))
        followed = (TODAY - first).days
        kind = rng.choices(["date", "closed-self", "closed-other", "open"], [4, 1, 2, 3])[0]
        case = make_case(make_person(), team=())
        fields: dict[str, object] = {"first_contact_date": first}
        reached: dt.date | None = None
        if kind == "date":
            # A recorded date; half of these cases were closed later for it.
            reached = first + dt.timedelta(days=rng.randrange(1, followed))
            CaseOutcome.objects.create(
                case=case,
                baseline_on=first,
                baseline_self_sufficient=False,
                baseline_own_lease=False,
                baseline_concern_reports=0,
                updated_by=actor,
                self_sufficient_on=reached,
            )
            if rng.random() < 0.5:
                fields |= {
                    "closed_on": min(TODAY, reached + dt.timedelta(days=rng.randrange(90))),
                    "closing_reason": Case.ClosingReason.SELF_SUFFICIENT,
                    "stage": Case.Stage.CLOSED,
                }
            duration, event = (reached - first).days, True
        elif kind in ("closed-self", "closed-other"):
            closed = first + dt.timedelta(days=rng.randrange(1, followed))
            fields |= {
                "closed_on": closed,
                "closing_reason": (
                    Case.ClosingReason.SELF_SUFFICIENT
                    if kind == "closed-self"
                    else Case.ClosingReason.MOVED
                ),
                "stage": Case.Stage.CLOSED,
            }
            # Closed for own support without a date: reached on the closing day.
            duration, event = (closed - first).days, kind == "closed-self"
        else:
            duration, event = followed, False
        Case.objects.filter(pk=case.pk).update(**fields)
        made.append(Made(first.year, duration, event))
    return made


def _expected(group: list[Made]) -> list[object]:
    """[cases, events, share at 182, 365, 730 days, median] from lifelines."""
    durations = [m.duration for m in group]
    kmf = KaplanMeierFitter().fit(durations, [m.event for m in group])
    shares: list[object] = []
    for days in SHARE_DAYS:
        survival = float(kmf.survival_function_at_times(days).iloc[0])
        # Nobody followed that long, and not everyone reached it: no figure.
        if days > max(durations) and survival > 0:
            shares.append(None)
        else:
            shares.append(pytest.approx(1 - survival))
    median = float(kmf.median_survival_time_)
    return [
        len(group),
        sum(m.event for m in group),
        *shares,
        None if math.isinf(median) else median,
    ]


def test_kaplan_meier_matches_lifelines(
    make_case: CaseFactory, make_person: PersonFactory, staff: dict[str, User]
) -> None:
    made = _generate(make_case, make_person, staff["socsek"])
    dashboard = outcomes.build(scope_of(staff["chef"]), PERIOD, TODAY)
    table = dashboard.table("forsorjning-kohort")
    assert table is not None
    assert table.note == ""
    expected = [
        [str(year), *_expected([m for m in made if m.cohort == year])]
        for year in sorted({m.cohort for m in made})
    ]
    assert table.rows == expected
    # The data must exercise what the test is about: events, censorings and both
    # cohorts, with a median in at least one.
    assert [row[0] for row in table.rows] == ["2023", "2024"]
    assert any(m.event for m in made)
    assert any(not m.event for m in made)
    assert any(row[-1] is not None for row in table.rows)
    # The whole population (the gender table: all are women) matches too.
    by_gender = dashboard.table("forsorjning-kon")
    assert by_gender is not None
    assert by_gender.rows == [["Kvinna", *_expected(made)]]
