"""The progress and participation dashboard, on small hand-built data with known answers.

The period is 2025-01-01..2025-06-30 and today is 2025-07-15. Cases c1 and c2 are
women's, c3 and c4 men's, all in the reception unit (managed by `chef`); c4 is closed.
`outside` belongs to a partner's unit, outside every scope; its rows must never count.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import Unit, User
from sia.assessments.kinds import add_months
from sia.assessments.models import Barrier, Enrolment, ProgressStep
from sia.cases.models import Case
from sia.followup.access import scope_of
from sia.followup.figures import SUPPRESSED, Dashboard, Table, Value
from sia.followup.filters import Filters
from sia.followup.selectors.progress import build, latest_start_past_limit
from sia.groups.models import Attendance, GroupEnrolment, GroupSeries, GroupSession

TODAY = dt.date(2025, 7, 15)
PERIOD = Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 6, 30))
SPLIT = Filters(date_from=PERIOD.date_from, date_to=PERIOD.date_to, split_gender=True)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@dataclass
class World:
    c1: Case
    c2: Case
    c3: Case
    c4: Case
    outside: Case


def row(table: Table, *heads: str) -> dict[str, Value]:
    """The figures of the row with these headings, by column key."""
    n = table.heading_columns
    matches = [r for r in table.rows if tuple(r[:n]) == heads]
    assert len(matches) == 1, (heads, [r[:n] for r in table.rows])
    return {c.key: v for c, v in zip(table.columns[n:], matches[0][n:], strict=True)}


def table(dashboard: Dashboard, key: str) -> Table:
    found = dashboard.table(key)
    assert found is not None
    return found


def _step(case: Case, by: User, category: str, kind: str, on: str) -> None:
    ProgressStep.objects.create(
        case=case, category=category, kind=kind, occurred_on=d(on), recorded_by=by
    )


def _barrier(case: Case, by: User, kind: str, noted: str, resolved: str | None = None) -> None:
    Barrier.objects.create(
        case=case,
        kind=kind,
        noted_on=d(noted),
        resolved_on=d(resolved) if resolved else None,
        recorded_by=by,
    )


def _enrol(
    case: Case,
    by: User,
    programme: str,
    started: str,
    months: int = 6,
    discharged: str | None = None,
    reason: str = "",
) -> None:
    Enrolment.objects.create(
        case=case,
        programme=programme,
        started_on=d(started),
        max_months=months,
        discharged_on=d(discharged) if discharged else None,
        discharge_reason=reason,
        enrolled_by=by,
    )


def _series(title: str, unit: Unit, by: User, held: list[str]) -> list[GroupSession]:
    series = GroupSeries.objects.create(title=title, unit=unit, created_by=by)
    return [
        GroupSession.objects.create(
            series=series, number=n, topic=f"Tema {n}", held_on=d(on), place="Medborgarhuset"
        )
        for n, on in enumerate(held, start=1)
    ]


@pytest.fixture
def world(
    staff: dict[str, User],
    units: dict[str, Unit],
    make_person: PersonFactory,
    make_case: CaseFactory,
) -> World:
    by = staff["socsek"]
    c1 = make_case(make_person(gender="female"))
    c2 = make_case(make_person(gender="female"))
    c3 = make_case(make_person(gender="male"))
    c4 = make_case(make_person(gender="male"))
    Case.objects.filter(pk=c4.pk).update(
        stage=Case.Stage.CLOSED, closed_on=d("2025-06-01"), closing_reason="moved"
    )
    outside = make_case(make_person(gender="female"))
    Case.objects.filter(pk=outside.pk).update(owning_unit=units["Etablering Demostad"])

    step, outcome = ProgressStep.Category.PROGRESS, ProgressStep.Category.OUTCOME
    _step(c1, by, step, "sfi_started", "2025-02-01")
    _step(c1, by, step, "sfi_started", "2025-03-01")
    _step(c1, by, outcome, "work", "2025-05-01")
    _step(c2, by, step, "sfi_started", "2025-04-01")
    _step(c2, by, step, "health_contact", "2024-12-31")  # the day before the period
    _step(c2, by, outcome, "studies", "2025-07-01")  # the day after the period
    _step(c3, by, outcome, "work", "2025-06-30")  # the period's last day
    _step(c3, by, step, "health_contact", "2025-01-01")  # the period's first day
    _step(outside, by, step, "sfi_started", "2025-02-01")

    _barrier(c1, by, "housing", "2024-11-01", "2025-01-11")  # 71 days, resolved in the period
    _barrier(c1, by, "housing", "2025-02-01", "2025-02-11")  # 10 days
    _barrier(c2, by, "housing", "2025-03-01", "2025-03-31")  # 30 days
    _barrier(c3, by, "housing", "2025-05-01")  # still there, open case
    _barrier(c4, by, "housing", "2025-01-05")  # unresolved, but the case is closed
    _barrier(c2, by, "debt", "2024-06-01")  # noted before the period, still there
    _barrier(outside, by, "housing", "2025-02-01", "2025-02-02")

    # The time limit is started_on + max_months (assessments' add_months), reached "<= today".
    _enrol(c1, by, "cross_agency_team", "2025-01-10")  # ends 2025-07-10: past
    _enrol(c2, by, "cross_agency_team", "2025-01-20")  # ends 2025-07-20: not yet
    _enrol(c3, by, "cross_agency_team", "2025-01-15")  # ends 2025-07-15 = today: past
    _enrol(c1, by, "fixed_team", "2024-03-01", 12, "2025-03-01", "time_limit")
    _enrol(c2, by, "fixed_team", "2025-02-01", 6, "2025-04-01", "goal_met")
    _enrol(c3, by, "fixed_team", "2024-10-01", 3, "2024-12-20", "moved")  # before the period
    _enrol(c4, by, "multi_professional", "2025-02-01", 6, "2025-05-01", "declined")
    _enrol(c1, by, "collaboration", "2024-12-01", 1)  # ends 2025-01-01: past, started before
    _enrol(c2, by, "collaboration", "2025-08-01", 2)  # starts after today: not ongoing
    _enrol(outside, by, "cross_agency_team", "2025-01-01")

    first, second, _later = _series(
        "Hälsoskola", units["Mottagningsgruppen"], by, ["2025-02-01", "2025-03-01", "2025-08-01"]
    )
    _series("Samhällsorientering", units["Integrationsgruppen"], by, ["2025-04-01"])
    _series("Hälsoskola 2024", units["Mottagningsgruppen"], by, ["2024-10-01"])
    status = GroupEnrolment.Status
    places = {
        case: GroupEnrolment.objects.create(
            series=first.series, case=case, status=state, changed_by=by
        )
        for case, state in [
            (c1, status.ACCEPTED),
            (c2, status.LEFT),
            (c3, status.DECLINED),
            (c4, status.INVITED),
            (outside, status.ACCEPTED),
        ]
    }
    for session, case, present in [
        (first, c1, True),
        (first, c2, True),
        (first, outside, True),
        (second, c1, True),
        (second, c2, False),
        (_later, c1, False),  # after the period
    ]:
        Attendance.objects.create(
            session=session,
            enrolment=places[case],
            run="morning" if present else "",
            present=present,
            recorded_by=by,
        )
    return World(c1, c2, c3, c4, outside)


def test_progress_steps_and_outcomes_in_the_period_side_by_side(
    world: World, staff: dict[str, User]
) -> None:
    steps = table(build(scope_of(staff["chef"]), PERIOD, TODAY), "stegforflyttningar")

    # sfi_started in the period: c1 twice, c2 once (outside's step is out of scope).
    assert row(steps, "Stegförflyttning", "Började SFI") == {"steps": 3, "cases": 2}
    # health_contact: c3 on the first day; c2's on the day before does not count.
    assert row(steps, "Stegförflyttning", "Kontakt med vården etablerad") == {
        "steps": 1,
        "cases": 1,
    }
    # 3 + 1 steps by c1, c2, c3.
    assert row(steps, "Stegförflyttning", "Totalt") == {"steps": 4, "cases": 3}
    # work: c1 in May, c3 on the last day; c2's studies the day after the period do not.
    assert row(steps, "Utfall", "Arbete") == {"steps": 2, "cases": 2}
    assert row(steps, "Utfall", "Studier") == {"steps": 0, "cases": 0}
    assert row(steps, "Utfall", "Totalt") == {"steps": 2, "cases": 2}
    # Ten progress kinds and six outcome kinds, each with a total row.
    assert len(steps.rows) == 10 + 1 + 6 + 1


def test_barriers_noted_resolved_remaining_and_median_days(
    world: World, staff: dict[str, User]
) -> None:
    barriers = table(build(scope_of(staff["chef"]), PERIOD, TODAY), "hinder")

    # Housing noted in the period: c1 (Feb), c2 (Mar), c3 (May), c4 (Jan) = 4.
    # Resolved in the period: 71, 10 and 30 days -> median 30.
    # Remaining now: c3's only (c4's case is closed, c1's and c2's are resolved).
    assert row(barriers, "Boende") == {
        "noted": 4,
        "resolved": 3,
        "remaining": 1,
        "median_days": 30,
    }
    # Debt: noted before the period, never resolved, the case is open.
    assert row(barriers, "Skulder") == {
        "noted": 0,
        "resolved": 0,
        "remaining": 1,
        "median_days": None,
    }


def test_enrolments_ongoing_past_their_limit_and_discharged_by_reason(
    world: World, staff: dict[str, User]
) -> None:
    enrolments = table(build(scope_of(staff["chef"]), PERIOD, TODAY), "insatser")
    none_discharged = {f"discharged_{r}": 0 for r in Enrolment.DischargeReason.values}

    # Started 2025-01-10, -20 and -15 (6 months): ends 07-10 and 07-15 have passed
    # (today 07-15 counts, as on the assessments overview), 07-20 has not.
    assert row(enrolments, "Tvärsektoriellt team") == {
        "started": 3,
        "ongoing": 3,
        "past_limit": 2,
        **none_discharged,
    }
    # c2 started in the period; c1 (time limit) and c2 (goal met) were discharged in it;
    # c3's discharge in December is before the period.
    assert row(enrolments, "Fast team (AF och kommun)") == {
        "started": 1,
        "ongoing": 0,
        "past_limit": 0,
        **none_discharged,
        "discharged_time_limit": 1,
        "discharged_goal_met": 1,
    }
    assert row(enrolments, "Multiprofessionellt team") == {
        "started": 1,
        "ongoing": 0,
        "past_limit": 0,
        **none_discharged,
        "discharged_declined": 1,
    }
    # c1's one-month enrolment from December is ongoing and past its limit; c2's starts
    # after today and is not ongoing yet.
    assert row(enrolments, "Samverkan och konsultation") == {
        "started": 0,
        "ongoing": 1,
        "past_limit": 1,
        **none_discharged,
    }


def test_group_series_with_sessions_in_the_period_and_their_attendance(
    world: World, staff: dict[str, User]
) -> None:
    groups = table(build(scope_of(staff["chef"]), PERIOD, TODAY), "gruppverksamhet")

    # Only Hälsoskola: the Integrationsgruppen series is outside chef's units and the
    # 2024 series held nothing in the period.
    assert [r[0] for r in groups.rows] == ["Hälsoskola"]
    # Two sessions in the period (August's is not). Invited: c1-c4 (outside's place is
    # out of scope); yes: c1 accepted and c2 who later left; no: c3.
    # Attendance in the period: c1 present twice, c2 present once and absent once
    # -> 3 of 4 = 0.75; two participants came at least once.
    assert row(groups, "Hälsoskola") == {
        "sessions": 2,
        "invited": 4,
        "accepted": 2,
        "declined": 1,
        "attendance": 0.75,
        "participants": 2,
    }


def test_every_table_splits_by_gender(world: World, staff: dict[str, User]) -> None:
    dashboard = build(scope_of(staff["chef"]), SPLIT, TODAY)
    steps = table(dashboard, "stegforflyttningar")

    assert steps.heading_columns == 3
    assert [c.label for c in steps.columns[:3]] == [
        "Kategori",
        "Stegförflyttning eller utfall",
        "Kön",
    ]
    # Women: c1's two and c2's one SFI start; men: c3's health contact and work.
    assert row(steps, "Stegförflyttning", "Började SFI", "Kvinna") == {"steps": 3, "cases": 2}
    assert row(steps, "Stegförflyttning", "Började SFI", "Man") == {"steps": 0, "cases": 0}
    assert row(steps, "Stegförflyttning", "Totalt", "Man") == {"steps": 1, "cases": 1}
    assert row(steps, "Utfall", "Arbete", "Kvinna") == {"steps": 1, "cases": 1}
    assert row(steps, "Utfall", "Arbete", "Man") == {"steps": 1, "cases": 1}
    # Only the genders that occur: (10 + 1 + 6 + 1) rows × 2 genders.
    assert len(steps.rows) == 18 * 2
    assert {r[2] for r in steps.rows} == {"Kvinna", "Man"}

    barriers = table(dashboard, "hinder")
    assert barriers.heading_columns == 2
    # Women: c1 and c2, resolved in 10, 30 and 71 days (noted Feb and Mar) -> median 30.
    assert row(barriers, "Boende", "Kvinna") == {
        "noted": 2,
        "resolved": 3,
        "remaining": 0,
        "median_days": 30,
    }
    # Men: c3 (open) and c4 (closed case) noted, nothing resolved.
    assert row(barriers, "Boende", "Man") == {
        "noted": 2,
        "resolved": 0,
        "remaining": 1,
        "median_days": None,
    }

    enrolments = table(dashboard, "insatser")
    assert row(enrolments, "Tvärsektoriellt team", "Kvinna")["past_limit"] == 1  # c1
    assert row(enrolments, "Tvärsektoriellt team", "Man")["past_limit"] == 1  # c3
    assert row(enrolments, "Multiprofessionellt team", "Man")["discharged_declined"] == 1

    groups = table(dashboard, "gruppverksamhet")
    assert row(groups, "Hälsoskola", "Kvinna") == {
        "sessions": 2,
        "invited": 2,
        "accepted": 2,
        "declined": 0,
        "attendance": 0.75,
        "participants": 2,
    }
    # The men were invited (c4) or declined (c3); nobody's attendance was recorded.
    assert row(groups, "Hälsoskola", "Man") == {
        "sessions": 2,
        "invited": 2,
        "accepted": 0,
        "declined": 1,
        "attendance": None,
        "participants": 0,
    }
    # Charts get one series per gender.
    charts = {s.key: s.chart for s in dashboard.sections}
    assert [s.label for s in charts["stegforflyttningar"].series] == [  # type: ignore[union-attr]
        "Antal, Kvinna",
        "Antal, Man",
    ]


def test_the_analyst_sees_small_counts_suppressed(
    world: World,
    staff: dict[str, User],
    make_person: PersonFactory,
    make_case: CaseFactory,
) -> None:
    # Five more cases, each with an activity started and studies begun in the period.
    for _n in range(5):
        case = make_case(make_person(gender="female"))
        _step(case, staff["socsek"], "progress", "activity_started", "2025-03-01")
        _step(case, staff["socsek"], "outcome", "studies", "2025-03-01")

    dashboard = build(scope_of(staff["analytiker"]), PERIOD, TODAY)
    steps = table(dashboard, "stegforflyttningar")

    assert dashboard.suppress_below == 5
    # 3 steps by 2 cases: both hidden. 5 by 5: shown. Zero is shown.
    assert row(steps, "Stegförflyttning", "Började SFI") == {
        "steps": SUPPRESSED,
        "cases": SUPPRESSED,
    }
    assert row(steps, "Stegförflyttning", "Började en aktivitet") == {"steps": 5, "cases": 5}
    assert row(steps, "Stegförflyttning", "Förbättrad hälsa") == {"steps": 0, "cases": 0}
    # Progress total: 3 + 1 + 5 = 9 steps by c1, c2, c3 and the five = 8 cases, both
    # rounded to the nearest five for the analyst: 10 and 10.
    assert row(steps, "Stegförflyttning", "Totalt") == {"steps": 10, "cases": 10}
    # Outcomes total 2 + 5 = 7 (rounded: 5): work (2) is hidden, so studies (5) is hidden
    # too, or the total minus studies would give work away.
    assert row(steps, "Utfall", "Totalt") == {"steps": 5, "cases": 5}
    assert row(steps, "Utfall", "Arbete")["steps"] is SUPPRESSED
    assert row(steps, "Utfall", "Studier")["steps"] is SUPPRESSED

    # Housing: 4 noted, 3 resolved, 1 remaining, and the median of 2 cases: all hidden.
    assert row(table(dashboard, "hinder"), "Boende") == {
        "noted": SUPPRESSED,
        "resolved": SUPPRESSED,
        "remaining": SUPPRESSED,
        "median_days": SUPPRESSED,
    }
    assert row(table(dashboard, "insatser"), "Tvärsektoriellt team")["started"] is SUPPRESSED
    groups = table(dashboard, "gruppverksamhet")
    # The analyst's scope holds Integrationsgruppen too: its series (one session, nobody
    # enrolled) is listed. The number of sessions says nothing about a person.
    assert row(groups, "Samhällsorientering") == {
        "sessions": 1,
        "invited": 0,
        "accepted": 0,
        "declined": 0,
        "attendance": None,
        "participants": 0,
    }
    # Attendance of 3 of 4 from 2 people: hidden.
    assert row(groups, "Hälsoskola")["attendance"] is SUPPRESSED
    assert row(groups, "Hälsoskola")["sessions"] == 2


def test_the_unit_filter_limits_the_group_series(
    world: World, staff: dict[str, User], units: dict[str, Unit]
) -> None:
    only_reception = Filters(
        date_from=PERIOD.date_from,
        date_to=PERIOD.date_to,
        unit_id=units["Mottagningsgruppen"].pk,
    )
    groups = table(build(scope_of(staff["analytiker"]), only_reception, TODAY), "gruppverksamhet")

    assert [r[0] for r in groups.rows] == ["Hälsoskola"]


@pytest.mark.parametrize(
    ("today", "months"),
    [
        (dt.date(2025, 7, 15), 6),
        (dt.date(2027, 2, 28), 6),  # a month's last day: every later start of August ends
        (dt.date(2025, 3, 30), 1),  # February is shorter
        (dt.date(2024, 2, 29), 12),
        (dt.date(2025, 1, 31), 36),
    ],
)
def test_the_last_start_past_its_limit_agrees_with_the_assessments_end_date(
    today: dt.date, months: int
) -> None:
    latest = latest_start_past_limit(today, months)

    # Every start up to the bound has reached its end date by today, the day after has not.
    assert add_months(latest, months) <= today
    assert add_months(latest + dt.timedelta(days=1), months) > today


def test_the_dashboard_takes_a_fixed_number_of_queries(
    world: World, staff: dict[str, User], django_assert_max_num_queries: Any
) -> None:
    scope = scope_of(staff["chef"])

    # Two per table at most (steps, barriers, enrolments) and three for the groups.
    with django_assert_max_num_queries(9):
        build(scope, SPLIT, TODAY)


def test_a_split_with_nothing_to_split_shows_one_row_per_group(
    world: World, staff: dict[str, User]
) -> None:
    empty = Filters(date_from=d("2020-01-01"), date_to=d("2020-12-31"), split_gender=True)

    dashboard = build(scope_of(staff["chef"]), empty, TODAY)

    # Nothing happened in 2020: zeros under "Alla", no rows lost.
    assert row(table(dashboard, "stegforflyttningar"), "Utfall", "Arbete", "Alla") == {
        "steps": 0,
        "cases": 0,
    }
    # Debt is still there today (c2's, open case), whatever the period.
    assert row(table(dashboard, "hinder"), "Skulder", "Kvinna")["remaining"] == 1
    assert table(dashboard, "gruppverksamhet").rows == []


def test_many_steps_of_one_person_stay_hidden_from_the_analyst(
    staff: dict[str, User], make_person: PersonFactory, make_case: CaseFactory
) -> None:
    # Six language steps, all of one woman: six is over the limit, one person is not.
    case = make_case(make_person(gender="female"))
    for day in ("2025-01-10", "2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01", "2025-06-01"):
        _step(case, staff["socsek"], "progress", "language_progress", day)
    steps = table(build(scope_of(staff["analytiker"]), PERIOD, TODAY), "stegforflyttningar")
    assert row(steps, "Stegförflyttning", "Framsteg i svenska") == {
        "steps": SUPPRESSED,
        "cases": SUPPRESSED,
    }
    managed = table(build(scope_of(staff["chef"]), PERIOD, TODAY), "stegforflyttningar")
    assert row(managed, "Stegförflyttning", "Framsteg i svenska") == {"steps": 6, "cases": 1}


def test_barriers_and_attendance_of_few_people_stay_hidden_from_the_analyst(
    staff: dict[str, User],
    units: dict[str, Unit],
    make_person: PersonFactory,
    make_case: CaseFactory,
    settings: Any,
) -> None:
    settings.SIA_ROUND_COUNTS_TO = 1  # about hiding, not rounding
    by = staff["socsek"]
    # Five debt barriers, all of one man: five barriers, one person.
    one = make_case(make_person(gender="male"))
    for day in ("2025-01-10", "2025-02-10", "2025-03-10", "2025-04-10", "2025-05-10"):
        _barrier(one, by, "debt", day)
    # Six people at one session, one of them absent: 5 of 6 present would say "one".
    (session,) = _series("Hälsoskola vår", units["Mottagningsgruppen"], by, ["2025-03-01"])
    for n in range(6):
        place = GroupEnrolment.objects.create(
            series=session.series,
            case=make_case(make_person(gender="female")),
            status=GroupEnrolment.Status.ACCEPTED,
            changed_by=by,
        )
        Attendance.objects.create(
            session=session,
            enrolment=place,
            run="morning" if n else "",
            present=bool(n),
            recorded_by=by,
        )
    analyst = build(scope_of(staff["analytiker"]), PERIOD, TODAY)
    assert row(table(analyst, "hinder"), "Skulder")["noted"] is SUPPRESSED
    assert row(table(analyst, "gruppverksamhet"), "Hälsoskola vår")["attendance"] is SUPPRESSED
    manager = build(scope_of(staff["chef"]), PERIOD, TODAY)
    assert row(table(manager, "hinder"), "Skulder")["noted"] == 5
    assert row(table(manager, "gruppverksamhet"), "Hälsoskola vår")["attendance"] == 5 / 6
