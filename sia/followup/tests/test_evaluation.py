"""The evaluation dashboard on a small hand-built cohort: baseline values and the same
measures after year one and two, computed by hand in the comments."""

import datetime as dt
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import Unit, User
from sia.assessments.models import ProgressStep
from sia.cases.models import Case
from sia.establishment.models import CaseOutcome, ConcernReport, ProgrammeStatus
from sia.followup.access import scope_of
from sia.followup.figures import SUPPRESSED, Dashboard, Table
from sia.followup.filters import PROGRAMME_ESTABLISHMENT, Filters
from sia.followup.selectors import evaluation

# Followed one year: baseline on or before 2024-06-30; two years: on or before 2023-07-01.
TODAY = dt.date(2025, 6, 30)
PERIOD = Filters(date_from=dt.date(2023, 1, 1), date_to=dt.date(2024, 12, 31))


@pytest.fixture(autouse=True)
def limit_five(settings: Settings) -> None:
    settings.SIA_SUPPRESS_BELOW = 5


@pytest.fixture
def cohort(
    make_case: CaseFactory,
    make_person: PersonFactory,
    staff: dict[str, User],
    units: dict[str, Unit],
) -> None:
    """Women unless said; the baseline is taken on the day of first contact.

    P  baseline 2023-03-01 (followed 2 years), 2 reports the year before.
       Self-sufficient 2024-06-01 (day 458: year 2); own lease 2023-05-01 (day 61: year 1).
       Reports 2023-03-01 (day 0: neither year), 2023-04-01 (day 31: year 1),
       2024-04-01 (day 397: year 2). Civic orientation 2023-02-15 (before the baseline).
       A step forward 2023-09-01 (day 184: year 1); an outcome step 2023-04-01 (not one).
       In the establishment programme.
    Q  baseline 2023-05-01 (followed 2 years), self-sufficient at the start, 0 reports.
       Civic orientation 2024-02-01 (day 276: year 1); a step forward on the baseline day.
       In the establishment programme.
    R  a man, baseline 2024-03-01 (followed 1 year, not 2), own lease at the start,
       1 report before. Self-sufficient 2024-05-01 (day 61); a report 2024-06-01 (day 92).
    S  baseline 2024-10-01 (not followed a year), 3 reports before, self-sufficient
       2024-12-01: counts at the start only.
    T  no baseline: left out, and said so (its report and step count nowhere).
    U  another organisation's unit, self-sufficient at the start: in no figure.
    W  first contact before the period: not in the cohort.
    """
    actor = staff["socsek"]

    def case(
        first: dt.date,
        *,
        gender: str = "female",
        unit: Unit | None = None,
        outcome: dict[str, Any] | None = None,
        programme: dict[str, Any] | None = None,
        reports: tuple[dt.date, ...] = (),
        steps: tuple[tuple[str, dt.date], ...] = (),
    ) -> None:
        made = make_case(make_person(gender=gender), team=())
        fields: dict[str, Any] = {"first_contact_date": first}
        if unit:
            fields["owning_unit"] = unit
        Case.objects.filter(pk=made.pk).update(**fields)
        if outcome is not None:
            CaseOutcome.objects.create(
                case=made,
                baseline_on=first,
                baseline_self_sufficient=outcome.pop("ss", False),
                baseline_own_lease=outcome.pop("lease", False),
                baseline_concern_reports=outcome.pop("reports", 0),
                updated_by=actor,
                **outcome,
            )
        if programme is not None:
            ProgrammeStatus.objects.create(case=made, updated_by=actor, **programme)
        for received in reports:
            ConcernReport.objects.create(case=made, received_on=received, recorded_by=actor)
        for category, occurred in steps:
            ProgressStep.objects.create(
                case=made,
                category=category,
                kind=(
                    ProgressStep.Kind.SFI_STARTED
                    if category == ProgressStep.Category.PROGRESS
                    else ProgressStep.Kind.WORK
                ),
                occurred_on=occurred,
                recorded_by=actor,
            )

    progress, outcome_step = ProgressStep.Category.PROGRESS, ProgressStep.Category.OUTCOME
    case(
        dt.date(2023, 3, 1),
        outcome={
            "reports": 2,
            "self_sufficient_on": dt.date(2024, 6, 1),
            "own_lease_on": dt.date(2023, 5, 1),
        },
        programme={
            "programme_started_on": dt.date(2023, 3, 1),
            "civic_orientation_started_on": dt.date(2023, 2, 15),
        },
        reports=(dt.date(2023, 3, 1), dt.date(2023, 4, 1), dt.date(2024, 4, 1)),
        steps=((progress, dt.date(2023, 9, 1)), (outcome_step, dt.date(2023, 4, 1))),
    )
    case(
        dt.date(2023, 5, 1),
        outcome={"ss": True},
        programme={
            "programme_started_on": dt.date(2023, 5, 1),
            "civic_orientation_started_on": dt.date(2024, 2, 1),
        },
        steps=((progress, dt.date(2023, 5, 1)),),
    )
    case(
        dt.date(2024, 3, 1),
        gender="male",
        outcome={"lease": True, "reports": 1, "self_sufficient_on": dt.date(2024, 5, 1)},
        reports=(dt.date(2024, 6, 1),),
    )
    case(dt.date(2024, 10, 1), outcome={"reports": 3, "self_sufficient_on": dt.date(2024, 12, 1)})
    case(
        dt.date(2024, 1, 10),
        reports=(dt.date(2024, 2, 1),),
        steps=((progress, dt.date(2024, 2, 1)),),
    )
    case(
        dt.date(2023, 3, 1),
        unit=units["Etablering Demostad"],
        outcome={"ss": True, "lease": True, "reports": 9},
        steps=((progress, dt.date(2023, 3, 1)),),
    )
    case(dt.date(2022, 6, 1), outcome={"ss": True, "reports": 5})


def _tables(dashboard: Dashboard) -> tuple[Table, Table]:
    main = dashboard.table("utvardering")
    concern = dashboard.table("utvardering-orosanmalningar")
    assert main is not None
    assert concern is not None
    return main, concern


@pytest.mark.usefixtures("cohort")
def test_baseline_and_years_for_the_manager(staff: dict[str, User]) -> None:
    dashboard = evaluation.build(scope_of(staff["chef"]), PERIOD, TODAY)
    assert dashboard.key == "utvardering"
    main, concern = _tables(dashboard)
    # Cases: P, Q, R, S at the start; P, Q, R after year 1; P, Q after year 2 (R's
    # baseline is not two years old, S's not one).
    #   Own support: start Q = 1/4; year 1 Q and R (P only on day 458) = 2/3;
    #                year 2 P and Q = 2/2.
    #   Own lease:   start R = 1/4; year 1 P (day 61) and R = 2/3; year 2 P = 1/2.
    #   Civic orientation: start P = 1/4; year 1 P and Q = 2/3; year 2 P and Q = 2/2.
    #   A step forward: start Q (on the day) = 1/4; year 1 P (day 184) and Q = 2/3;
    #                   year 2 P and Q = 2/2 (P's outcome step is not a step forward).
    assert main.rows == [
        ["Andel med egen försörjning", 0.25, pytest.approx(2 / 3), 1.0, 4, 3, 2],
        ["Andel med eget kontrakt", 0.25, pytest.approx(2 / 3), 0.5, 4, 3, 2],
        ["Andel som börjat samhällsorientering", 0.25, pytest.approx(2 / 3), 1.0, 4, 3, 2],
        ["Andel med minst en stegförflyttning", 0.25, pytest.approx(2 / 3), 1.0, 4, 3, 2],
    ]
    # Reports per 100 cases: start (2 + 0 + 1 + 3) / 4 = 150; year 1: P's on day 31
    # and R's on day 92 (P's on day 0 is no year's) = 2 / 3 -> 66.7; year 2: P's on
    # day 397 = 1 / 2 -> 50.
    assert concern.rows == [
        ["Orosanmälningar per 100 ärenden", 150.0, pytest.approx(200 / 3), 50.0, 4, 3, 2]
    ]
    # T has no baseline.
    assert main.note == (
        "1 ärende som aktualiserades under perioden saknar ingångsvärden och är inte med."
    )
    chart = dashboard.sections[0].chart
    assert chart is not None
    assert [s.label for s in chart.series] == ["Ingångsvärde", "År 1", "År 2"]
    assert chart.series[2].values == [1.0, 0.5, 1.0, 1.0]


@pytest.mark.usefixtures("cohort")
def test_analyst_sees_year_two_suppressed(staff: dict[str, User], settings: Settings) -> None:
    # With a limit of three: four cases at the start and three after year 1 show,
    # the two followed two years do not, nor anything computed from them.
    settings.SIA_SUPPRESS_BELOW = 3
    main, concern = _tables(evaluation.build(scope_of(staff["analytiker"]), PERIOD, TODAY))
    assert main.rows[0] == [
        "Andel med egen försörjning",
        0.25,
        pytest.approx(2 / 3),
        SUPPRESSED,
        4,
        3,
        SUPPRESSED,
    ]
    assert concern.rows[0][1:] == [150.0, pytest.approx(200 / 3), SUPPRESSED, 4, 3, SUPPRESSED]
    assert main.note == (
        "Färre än 3 ärenden som aktualiserades under perioden saknar ingångsvärden och är inte med."
    )


@pytest.mark.usefixtures("cohort")
def test_analyst_with_the_usual_limit_sees_nothing_of_four(staff: dict[str, User]) -> None:
    main, _concern = _tables(evaluation.build(scope_of(staff["analytiker"]), PERIOD, TODAY))
    # Four cases are fewer than five: every share and count is hidden.
    assert main.rows[0][1:] == [SUPPRESSED] * 6


@pytest.mark.usefixtures("cohort")
def test_split_by_gender(staff: dict[str, User]) -> None:
    filters = Filters(PERIOD.date_from, PERIOD.date_to, split_gender=True)
    dashboard = evaluation.build(scope_of(staff["chef"]), filters, TODAY)
    main, concern = _tables(dashboard)
    assert main.heading_columns == 2
    # Women P, Q, S (P, Q followed 1 and 2 years); the man R (followed 1 year).
    #   Own support, women: start Q = 1/3; year 1 Q = 1/2; year 2 P and Q = 2/2.
    #   Own support, men: start 0/1; year 1 R = 1/1; year 2 nobody followed -> none.
    assert main.rows[:2] == [
        ["Andel med egen försörjning", "Kvinna", pytest.approx(1 / 3), 0.5, 1.0, 3, 2, 2],
        ["Andel med egen försörjning", "Man", 0.0, 1.0, None, 1, 1, 0],
    ]
    # Reports, women: (2 + 0 + 3) / 3 = 166.7; year 1 P's one / 2 = 50; year 2 1 / 2.
    # Men: 1 / 1 = 100; year 1 R's one / 1 = 100; year 2 none followed.
    assert concern.rows == [
        ["Orosanmälningar per 100 ärenden", "Kvinna", pytest.approx(500 / 3), 50.0, 50.0, 3, 2, 2],
        ["Orosanmälningar per 100 ärenden", "Man", 100.0, 100.0, None, 1, 1, 0],
    ]
    chart = dashboard.sections[0].chart
    assert chart is not None
    assert chart.x_labels[:2] == [
        "Andel med egen försörjning – Kvinna",
        "Andel med egen försörjning – Man",
    ]


@pytest.mark.usefixtures("cohort")
def test_programme_filter(staff: dict[str, User]) -> None:
    # Only P and Q are in the establishment programme; T (no baseline) is not either.
    filters = Filters(PERIOD.date_from, PERIOD.date_to, programme=PROGRAMME_ESTABLISHMENT)
    main, _concern = _tables(evaluation.build(scope_of(staff["chef"]), filters, TODAY))
    # Own support: start Q = 1/2; year 1 Q = 1/2; year 2 P and Q = 2/2.
    assert main.rows[0] == ["Andel med egen försörjning", 0.5, 0.5, 1.0, 2, 2, 2]
    assert main.note == ""


@pytest.mark.usefixtures("cohort")
def test_few_queries(staff: dict[str, User], django_assert_max_num_queries: Any) -> None:
    scope = scope_of(staff["chef"])
    # The cases, the reports of concern and the steps forward: one query each.
    with django_assert_max_num_queries(3):
        evaluation.build(scope, PERIOD, TODAY)
