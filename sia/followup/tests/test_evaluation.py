"""The evaluation dashboard on small hand-built cohorts: baseline values and the same
measures after year one and two, with the change against the baseline of the same
cases, computed by hand in the comments."""

import datetime as dt
from collections.abc import Callable
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
from sia.followup.selectors import evaluation, outcomes

# Followed one year: baseline on or before 2024-06-30; two years: on or before 2023-07-01.
TODAY = dt.date(2025, 6, 30)
PERIOD = Filters(date_from=dt.date(2023, 1, 1), date_to=dt.date(2024, 12, 31))


@pytest.fixture(autouse=True)
def limit_five(settings: Settings) -> None:
    settings.SIA_SUPPRESS_BELOW = 5


AddCase = Callable[..., None]


@pytest.fixture
def add_case(
    make_case: CaseFactory,
    make_person: PersonFactory,
    staff: dict[str, User],
) -> AddCase:
    """Add a case with its first contact (and baseline, if any) on `first`."""
    actor = staff["socsek"]

    def case(
        first: dt.date,
        *,
        gender: str = "female",
        unit: Unit | None = None,
        closed: tuple[dt.date, str] | None = None,
        outcome: dict[str, Any] | None = None,
        programme: dict[str, Any] | None = None,
        reports: tuple[dt.date, ...] = (),
        steps: tuple[tuple[str, dt.date], ...] = (),
    ) -> None:
        made = make_case(make_person(gender=gender), team=())
        fields: dict[str, Any] = {"first_contact_date": first}
        if unit:
            fields["owning_unit"] = unit
        if closed:
            fields |= {
                "closed_on": closed[0],
                "closing_reason": closed[1],
                "stage": Case.Stage.CLOSED,
            }
        Case.objects.filter(pk=made.pk).update(**fields)
        if outcome is not None:
            outcome = dict(outcome)
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

    return case


@pytest.fixture
def cohort(add_case: AddCase, units: dict[str, Unit]) -> None:
    """Women unless said; the baseline is taken on the day of first contact.

    P  baseline 2023-03-01 (followed 2 years), 2 reports the year before.
       Self-sufficient 2024-06-01 (day 458: year 2); own lease 2023-05-01 (day 61: year 1).
       Reports 2023-03-01 (day 0, the baseline day: year 1), 2023-04-01 (day 31: year 1),
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
    case = add_case
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
    assert [c.label for c in main.columns] == [
        "Mått",
        "Ingångsvärde",
        "Efter år 1",
        "Förändring år 1 (procentenheter)",
        "Efter år 2",
        "Förändring år 2 (procentenheter)",
        "Ärenden",
        "Ärenden år 1",
        "Ärenden år 2",
    ]
    # Cases: P, Q, R, S at the start; P, Q, R after year 1; P, Q after year 2 (R's
    # baseline is not two years old, S's not one). The change compares with the
    # baseline of the same cases: P, Q, R for year 1, P, Q for year 2.
    #   Own support: start Q = 1/4; year 1 Q and R (P only on day 458) = 2/3 against
    #                Q = 1/3 at the start: +33.3; year 2 P and Q = 2/2 against Q = 1/2:
    #                +50.0.
    #   Own lease:   start R = 1/4; year 1 P (day 61) and R = 2/3 against R = 1/3:
    #                +33.3; year 2 P = 1/2 against nobody = 0: +50.0.
    #   Civic orientation: start P = 1/4; year 1 P and Q = 2/3 against P = 1/3: +33.3;
    #                year 2 P and Q = 2/2 against P = 1/2: +50.0.
    #   A step forward: start Q (on the day) = 1/4; year 1 P (day 184) and Q = 2/3
    #                against Q = 1/3: +33.3; year 2 P and Q = 2/2 against Q = 1/2: +50.0
    #                (P's outcome step is not a step forward).
    assert main.rows == [
        ["Andel med egen försörjning", 0.25, pytest.approx(2 / 3), 33.3, 1.0, 50.0, 4, 3, 2],
        ["Andel med eget kontrakt", 0.25, pytest.approx(2 / 3), 33.3, 0.5, 50.0, 4, 3, 2],
        [
            "Andel som börjat samhällsorientering",
            0.25,
            pytest.approx(2 / 3),
            33.3,
            1.0,
            50.0,
            4,
            3,
            2,
        ],
        [
            "Andel med minst en stegförflyttning",
            0.25,
            pytest.approx(2 / 3),
            33.3,
            1.0,
            50.0,
            4,
            3,
            2,
        ],
    ]
    # Reports per 100 cases: start (2 + 0 + 1 + 3) / 4 = 150.
    # Year 1 (day 0 to 364): P's on day 0 (the baseline day) and day 31, R's on day 92
    #   = 3 / 3 -> 100; the same cases' baseline (2 + 0 + 1) / 3 = 100: change 0.
    # Year 2 (day 365 to 729): P's on day 397 = 1 / 2 -> 50; the same cases' baseline
    #   (2 + 0) / 2 = 100: change -50.
    assert concern.rows == [
        ["Orosanmälningar per 100 ärenden", 150.0, 100.0, 0.0, 50.0, -50.0, 4, 3, 2]
    ]
    assert concern.note.startswith(
        "Ingångsvärdet är antalet orosanmälningar under året före ingångsvärdena, så som "
        "det registrerades. År 1 räknas från dagen för ingångsvärdena (en anmälan samma "
        "dag hör till år 1)"
    )
    # T has no baseline.
    assert main.note == (
        "1 ärende som aktualiserades under perioden saknar ingångsvärden och är inte med."
    )
    # The chart pairs each year with the baseline of the same cases.
    chart = dashboard.sections[0].chart
    assert chart is not None
    assert [s.label for s in chart.series] == [
        "Ingångsvärde, ärenden följda 1 år",
        "Efter år 1",
        "Ingångsvärde, ärenden följda 2 år",
        "Efter år 2",
    ]
    assert chart.series[0].values == pytest.approx([1 / 3] * 4)
    assert chart.series[1].values == pytest.approx([2 / 3] * 4)
    assert chart.series[2].values == [0.5, 0.0, 0.5, 0.5]
    assert chart.series[3].values == [1.0, 0.5, 1.0, 1.0]


@pytest.mark.usefixtures("cohort")
def test_a_case_closed_for_own_support_counts_in_both_dashboards(
    add_case: AddCase, staff: dict[str, User]
) -> None:
    # V: baseline 2023-06-01 (followed 2 years), closed for own support 2024-01-15
    # (day 228) with no date of own support recorded: it reached it on closing.
    add_case(
        dt.date(2023, 6, 1),
        closed=(dt.date(2024, 1, 15), Case.ClosingReason.SELF_SUFFICIENT),
        outcome={},
    )
    main, _concern = _tables(evaluation.build(scope_of(staff["chef"]), PERIOD, TODAY))
    # Cases P, Q, R, S, V; year 1 P, Q, R, V; year 2 P, Q, V.
    #   Start Q = 1/5; year 1 Q, R, V = 3/4 against Q = 1/4: +50.0; year 2 P, Q, V =
    #   3/3 against Q = 1/3: +66.7.
    assert main.rows[0] == ["Andel med egen försörjning", 0.2, 0.75, 50.0, 1.0, 66.7, 5, 4, 3]
    # The outcomes dashboard counts V the same: 2023 cohort P (day 458) and V (day
    # 228; Q had it at the start and is left out).
    #   t=228: 2 at risk, S = 1/2; t=458: 1 at risk, S = 0.
    #   182 days 0 %, 365 days 50 %, 730 days 100 %; median 228.
    table = outcomes.build(scope_of(staff["chef"]), PERIOD, TODAY).table("forsorjning-kohort")
    assert table is not None
    assert table.rows[0] == ["2023", 2, 2, 0.0, 0.5, 1.0, 228.0]


@pytest.mark.usefixtures("cohort")
def test_analyst_with_the_usual_limit_sees_nothing_of_four(staff: dict[str, User]) -> None:
    main, concern = _tables(evaluation.build(scope_of(staff["analytiker"]), PERIOD, TODAY))
    # Four cases are fewer than five: every share, change and count is hidden.
    assert main.rows[0][1:] == [SUPPRESSED] * 8
    assert concern.rows[0][1:] == [SUPPRESSED] * 8


@pytest.fixture
def larger_cohort(add_case: AddCase) -> None:
    """23 women in three groups, by the date of the baseline (= first contact):

    A  12 cases, 2023-03-01 (followed 2 years). Case i (0..11):
         own support  i < 5 at the start; 5..7 on day 100 (year 1); 8, 9 on day 500
         own lease    i < 6 on day 50; i = 6 on day 400
         civic        i < 6 ten days before the baseline; 6, 7 on day 200
         step forward i < 5 on the baseline day; 5..9 on day 150
         concern      i < 5 one report the year before; i < 2 a report on the baseline day
    B  6 cases, 2024-03-01 (followed 1 year): i < 2 own support on day 100.
    C  5 cases, 2024-10-01 (not followed a year): i < 2 a step forward on the day.
    """
    progress = ProgressStep.Category.PROGRESS

    def after(first: dt.date, days: int) -> dt.date:
        return first + dt.timedelta(days=days)

    a = dt.date(2023, 3, 1)
    for i in range(12):
        outcome: dict[str, Any] = {"ss": i < 5, "reports": 1 if i < 5 else 0}
        if 5 <= i <= 9:
            outcome["self_sufficient_on"] = after(a, 100 if i <= 7 else 500)
        if i <= 6:
            outcome["own_lease_on"] = after(a, 50 if i < 6 else 400)
        civic = after(a, -10) if i < 6 else after(a, 200) if i < 8 else None
        step = after(a, 0) if i < 5 else after(a, 150) if i < 10 else None
        add_case(
            a,
            outcome=outcome,
            programme={"civic_orientation_started_on": civic} if civic else None,
            steps=((progress, step),) if step else (),
            reports=(a,) if i < 2 else (),
        )
    b = dt.date(2024, 3, 1)
    for i in range(6):
        add_case(b, outcome={"self_sufficient_on": after(b, 100)} if i < 2 else {})
    c = dt.date(2024, 10, 1)
    for i in range(5):
        add_case(c, outcome={}, steps=((progress, c),) if i < 2 else ())


@pytest.mark.usefixtures("larger_cohort")
def test_larger_cohort_for_the_manager(staff: dict[str, User]) -> None:
    main, concern = _tables(evaluation.build(scope_of(staff["chef"]), PERIOD, TODAY))
    # n: 23 at the start, 18 (A, B) after year 1, 12 (A) after year 2.
    # Own support: start 5/23; year 1 5 + 3 (A) + 2 (B) = 10/18 against 5/18: +27.8;
    #   year 2 5 + 3 + 2 (A) = 10/12 against 5/12: +41.7.
    # Own lease: start 0/23; year 1 6/18 against 0: +33.3; year 2 7/12: +58.3.
    # Civic: start 6/23; year 1 8/18 against 6/18: +11.1; year 2 8/12 against 6/12: +16.7.
    # Step forward: start 5 (A) + 2 (C) = 7/23; year 1 10/18 against 5/18: +27.8;
    #   year 2 10/12 against 5/12: +41.7.
    approx = pytest.approx
    assert [row[1:] for row in main.rows] == [
        [approx(5 / 23), approx(10 / 18), 27.8, approx(10 / 12), 41.7, 23, 18, 12],
        [0.0, approx(6 / 18), 33.3, approx(7 / 12), 58.3, 23, 18, 12],
        [approx(6 / 23), approx(8 / 18), 11.1, approx(8 / 12), 16.7, 23, 18, 12],
        [approx(7 / 23), approx(10 / 18), 27.8, approx(10 / 12), 41.7, 23, 18, 12],
    ]
    # Reports per 100: start 5/23 -> 21.7; year 1 2/18 -> 11.1 against 5/18 -> 27.8:
    # -16.7; year 2 0/12 against 5/12 -> 41.7: -41.7.
    assert concern.rows[0][1:] == [
        approx(500 / 23),
        approx(200 / 18),
        -16.7,
        0.0,
        -41.7,
        23,
        18,
        12,
    ]


@pytest.mark.usefixtures("larger_cohort")
def test_larger_cohort_for_the_analyst(staff: dict[str, User]) -> None:
    dashboard = evaluation.build(scope_of(staff["analytiker"]), PERIOD, TODAY)
    main, concern = _tables(dashboard)
    # The same figures as the manager's (above), with the limit five:
    #   n 23, 18, 12 are rounded to the nearest five: 25, 20, 10.
    #   Own support: 5/23, 10/18 show; the change (5 more cases of 18, and the 5 others
    #     of the cohort had 0 at the start) shows; year 2 10/12 leaves 2: hidden, and
    #     its change with it.
    #   Own lease: 0/23, 6/18 (+33.3), 7/12 (+58.3) all show (7 and 5, 6 and 12 ≥ 5).
    #   Civic: 6/23 and 8/18 show, but the change is 2 cases (8 − 6): hidden; year 2
    #     8/12 leaves 4: hidden.
    #   Step forward: 7/23 and 10/18 show, and 5/18 at the start of the same cases, but
    #     next to 7/23 that would tell that 2 of the 5 others (C) had a step: the
    #     change is hidden. Year 2 10/12 leaves 2: hidden.
    # Every share shown is a share of the rounded counts, so its decimals cannot tell the
    # exact counts: 5/23 shows as 5/25, 10/18 as 10/20, 6/18 as 5/20, 7/12 as 5/10,
    # 6/23 and 7/23 as 5/25, 8/18 as 10/20; the changes are those of the shown shares
    # (10/20 − 5/20 = 25.0 points). Reports per 100 are whole numbers: 500/23 → 22,
    # and the same cases' 5 reports per 12 → 42.
    assert [row[1:] for row in main.rows] == [
        [0.2, 0.5, 25.0, SUPPRESSED, SUPPRESSED, 25, 20, 10],
        [0.0, 0.25, 25.0, 0.5, 50.0, 25, 20, 10],
        [0.2, 0.5, SUPPRESSED, SUPPRESSED, SUPPRESSED, 25, 20, 10],
        [0.2, 0.5, SUPPRESSED, SUPPRESSED, SUPPRESSED, 25, 20, 10],
    ]
    # Reports: the start's 5 reports concern 5 cases: shown. Year 1's 2 reports concern
    # 2 cases: hidden, and its change. Year 2 has none (0 shows) against the same
    # cases' 42 per 100: -42.
    assert concern.rows[0][1:] == [22.0, SUPPRESSED, SUPPRESSED, 0.0, -42.0, 25, 20, 10]
    # The chart draws what the table shows: the same cases' baseline only next to a
    # change that shows.
    chart = dashboard.sections[0].chart
    assert chart is not None
    assert chart.series[0].values == [0.25, 0.0, None, None]
    assert chart.series[1].values == [0.5, 0.25, 0.5, 0.5]
    assert chart.series[2].values == [None, 0.0, None, None]
    assert chart.series[3].values == [None, 0.5, None, None]


@pytest.mark.usefixtures("cohort")
def test_split_by_gender(staff: dict[str, User]) -> None:
    filters = Filters(PERIOD.date_from, PERIOD.date_to, split_gender=True)
    dashboard = evaluation.build(scope_of(staff["chef"]), filters, TODAY)
    main, concern = _tables(dashboard)
    assert main.heading_columns == 2
    # Women P, Q, S (P, Q followed 1 and 2 years); the man R (followed 1 year).
    #   Own support, women: start Q = 1/3; year 1 Q = 1/2 against Q = 1/2: 0;
    #                       year 2 P and Q = 2/2 against Q = 1/2: +50.
    #   Own support, men: start 0/1; year 1 R = 1/1 against 0: +100; year 2 nobody
    #                     followed -> none.
    assert main.rows[:2] == [
        [
            "Andel med egen försörjning",
            "Kvinna",
            pytest.approx(1 / 3),
            0.5,
            0.0,
            1.0,
            50.0,
            3,
            2,
            2,
        ],
        ["Andel med egen försörjning", "Man", 0.0, 1.0, 100.0, None, None, 1, 1, 0],
    ]
    # Reports, women: start (2 + 0 + 3) / 3 = 166.7; year 1 P's two (days 0 and 31) / 2
    # = 100 against (2 + 0) / 2 = 100: 0; year 2 P's one / 2 = 50 against 100: -50.
    # Men: start 1 / 1 = 100; year 1 R's one / 1 = 100 against 100: 0; year 2 none
    # followed.
    assert concern.rows == [
        [
            "Orosanmälningar per 100 ärenden",
            "Kvinna",
            pytest.approx(500 / 3),
            100.0,
            0.0,
            50.0,
            -50.0,
            3,
            2,
            2,
        ],
        ["Orosanmälningar per 100 ärenden", "Man", 100.0, 100.0, 0.0, None, None, 1, 1, 0],
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
    # Own support: start Q = 1/2; year 1 Q = 1/2 against the same 1/2: 0; year 2 P and
    # Q = 2/2 against 1/2: +50.
    assert main.rows[0] == ["Andel med egen försörjning", 0.5, 0.5, 0.0, 1.0, 50.0, 2, 2, 2]
    assert main.note == ""


@pytest.mark.usefixtures("cohort")
def test_few_queries(staff: dict[str, User], django_assert_max_num_queries: Any) -> None:
    scope = scope_of(staff["chef"])
    # The cases, the reports of concern and the steps forward: one query each.
    with django_assert_max_num_queries(3):
        evaluation.build(scope, PERIOD, TODAY)
