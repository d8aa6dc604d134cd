"""The outcomes dashboard on a small hand-built municipality: time to own support and own
lease (Kaplan–Meier, computed by hand in the comments) and reports of concern, for the
manager (unsuppressed) and the analyst (small counts hidden)."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import Unit, User
from sia.cases.models import Case
from sia.establishment.models import CaseOutcome, ConcernReport
from sia.followup.access import scope_of
from sia.followup.figures import SUPPRESSED, Dashboard, Table
from sia.followup.filters import Filters
from sia.followup.selectors import outcomes

TODAY = dt.date(2025, 6, 30)
PERIOD = Filters(date_from=dt.date(2023, 1, 1), date_to=dt.date(2024, 12, 31))
START = dt.date(2024, 1, 1)  # first contact of the 2024 cohort
START_2023 = dt.date(2023, 6, 1)


def day(n: int) -> dt.date:
    """The date n days after the 2024 cohort's first contact."""
    return START + dt.timedelta(days=n)


@pytest.fixture(autouse=True)
def limit_five(settings: Settings) -> None:
    settings.SIA_SUPPRESS_BELOW = 5


@pytest.fixture
def municipality(
    make_case: CaseFactory,
    make_person: PersonFactory,
    staff: dict[str, User],
    units: dict[str, Unit],
) -> None:
    """The cases (women in ABO unless said; first contact 2024-01-01 unless said):

    case  outcome row                          case closed               own support   own lease
    A     self-sufficient day 60, lease day 40 open                      event 60      event 40
    B     none                                 day 100, self-sufficient  event 100     cens. 100
    C     none                                 day 50, moved             cens. 50      cens. 50
    D     none (EBO)                           open                      cens. 546     cens. 546
    E     self-sufficient day 300 (a man)      open                      event 300     cens. 546
    F     self-sufficient at baseline          open                      left out      cens. 546
    G     self-sufficient 2023-12-15 (invalid) open                      invalid       cens. 546
    J     self-sufficient and lease at start   open                      left out      left out
    I     none, first contact 2023-06-01       open                      cens. 760     cens. 760
    H     another organisation's unit, self-sufficient day 10: in no figure.
    Today is 2025-06-30: 546 days after 2024-01-01, 760 after 2023-06-01.
    """

    def case(
        first: dt.date = START,
        *,
        closed: dt.date | None = None,
        reason: str = "",
        gender: str = "female",
        category: str = "abo",
        unit: Unit | None = None,
        outcome: dict[str, Any] | None = None,
        reports: tuple[dt.date, ...] = (),
    ) -> Case:
        made = make_case(make_person(gender=gender, arrival_category=category), team=())
        fields: dict[str, Any] = {"first_contact_date": first}
        if closed:
            fields |= {"closed_on": closed, "closing_reason": reason, "stage": Case.Stage.CLOSED}
        if unit:
            fields["owning_unit"] = unit
        Case.objects.filter(pk=made.pk).update(**fields)
        if outcome is not None:
            CaseOutcome.objects.create(
                case=made,
                baseline_on=first,
                baseline_self_sufficient=outcome.pop("ss", False),
                baseline_own_lease=outcome.pop("lease", False),
                baseline_concern_reports=0,
                updated_by=staff["socsek"],
                **outcome,
            )
        for received in reports:
            ConcernReport.objects.create(
                case=made, received_on=received, recorded_by=staff["socsek"]
            )
        return made

    # Reports of concern: A two in February 2024 and one after the period, C one in
    # February, D one in May, H (out of scope) one in February.
    case(
        outcome={"self_sufficient_on": day(60), "own_lease_on": day(40)},
        reports=(dt.date(2024, 2, 5), dt.date(2024, 2, 20), dt.date(2025, 1, 10)),
    )
    case(closed=day(100), reason=Case.ClosingReason.SELF_SUFFICIENT)
    case(closed=day(50), reason=Case.ClosingReason.MOVED, reports=(dt.date(2024, 2, 10),))
    case(category="ebo", reports=(dt.date(2024, 5, 1),))
    case(gender="male", outcome={"self_sufficient_on": day(300)})
    case(outcome={"ss": True})
    case(outcome={"self_sufficient_on": dt.date(2023, 12, 15)})
    case(outcome={"ss": True, "lease": True})
    case(START_2023)
    case(
        unit=units["Etablering Demostad"],
        outcome={"self_sufficient_on": day(10)},
        reports=(dt.date(2024, 2, 1),),
    )


def _table(dashboard: Dashboard, key: str) -> Table:
    table = dashboard.table(key)
    assert table is not None, key
    return table


def _build(user: User, filters: Filters = PERIOD) -> Dashboard:
    return outcomes.build(scope_of(user), filters, TODAY)


@pytest.mark.usefixtures("municipality")
def test_own_support_by_cohort_for_the_manager(staff: dict[str, User]) -> None:
    dashboard = _build(staff["chef"])
    assert dashboard.key == "utfall"
    table = _table(dashboard, "forsorjning-kohort")
    # 2024: A 60 event, B 100 event, C 50 censored, D 546 censored, E 300 event.
    #   t=50 C censored: 4 at risk
    #   t=60:  4 at risk, 1 event: S = 3/4
    #   t=100: 3 at risk, 1 event: S = 3/4 * 2/3 = 1/2
    #   t=300: 2 at risk, 1 event: S = 1/2 * 1/2 = 1/4
    # Reached at 182 days: 1 - 1/2 = 50 %; at 365: 1 - 1/4 = 75 %; at 730: nobody
    # followed that long (longest 546) -> none. Median: first S <= 1/2 at 100 days.
    # 2023: I alone, open, followed 760 days without the event: 0 % throughout.
    assert table.rows == [
        ["2023", 1, 0, 0.0, 0.0, 0.0, None],
        ["2024", 5, 3, 0.5, 0.75, None, 100.0],
    ]
    # G's date is before its first contact: left out, and said so.
    assert table.note == "1 ärende saknar giltiga datum och är inte med."
    section = next(s for s in dashboard.sections if s.key == "forsorjning-kohort")
    assert section.chart is not None
    assert [s.label for s in section.chart.series] == ["2023", "2024"]
    line_2024 = section.chart.series[1].values
    # Month 0: nobody yet; month 2 (60 days): 1/4; month 4 (121 days): 1/2;
    # month 10 (304 days): 3/4; month 18 (547 days) is after the longest follow-up.
    assert line_2024[0] == 0.0
    assert line_2024[2] == pytest.approx(0.25)
    assert line_2024[4] == pytest.approx(0.5)
    assert line_2024[10] == pytest.approx(0.75)
    assert line_2024[17] == pytest.approx(0.75)
    assert line_2024[18] is None


@pytest.mark.usefixtures("municipality")
def test_own_support_by_category_and_gender(staff: dict[str, User]) -> None:
    dashboard = _build(staff["chef"])
    # ABO: A 60, B 100, C 50c, E 300, I 760c.
    #   t=50 censored -> 4; t=60: S = 3/4; t=100: S = 1/2; t=300 (E, I at risk): S = 1/4
    #   182 d: 50 %, 365 d: 75 %, 730 d: 75 % (I followed 760); median 100.
    # EBO: D alone, censored at 546: 0 %, 0 %, none at 730; no median.
    assert _table(dashboard, "forsorjning-kategori").rows == [
        ["ABO (anläggningsboende)", 5, 3, 0.5, 0.75, 0.75, 100.0],
        ["EBO (eget boende)", 1, 0, 0.0, 0.0, None, None],
    ]
    # Women: A 60, B 100, C 50c, D 546c, I 760c.
    #   t=50 -> 4 at risk; t=60: S = 3/4; t=100: S = 3/4 * 2/3 = 1/2.
    # Men: E alone, event at 300: S = 0 from 300 on. Nobody was followed 730 days, but
    # everyone had reached the outcome before: 100 % is known.
    assert _table(dashboard, "forsorjning-kon").rows == [
        ["Kvinna", 5, 2, 0.5, 0.5, 0.5, 100.0],
        ["Man", 1, 1, 0.0, 1.0, 1.0, 300.0],
    ]


@pytest.mark.usefixtures("municipality")
def test_own_lease(staff: dict[str, User]) -> None:
    dashboard = _build(staff["chef"])
    # 2024: A event 40; B 100c, C 50c, D/E/F/G 546c (F and G were not at their own
    # lease at the start; J was and is left out). n = 7.
    #   t=40: 7 at risk, 1 event: S = 6/7; reached 1/7 at 182 and 365 days.
    assert _table(dashboard, "kontrakt-kohort").rows == [
        ["2023", 1, 0, 0.0, 0.0, 0.0, None],
        ["2024", 7, 1, pytest.approx(1 / 7), pytest.approx(1 / 7), None, None],
    ]
    assert _table(dashboard, "kontrakt-kohort").note == ""


@pytest.mark.usefixtures("municipality")
def test_analyst_sees_small_groups_suppressed(staff: dict[str, User]) -> None:
    dashboard = _build(staff["analytiker"])
    assert dashboard.suppress_below == 5
    # The analyst's scope is the whole municipality: H belongs to Arbetsförmedlingen
    # and stays out. 2023 has one case: everything derived from it is hidden. 2024 has
    # five (shown: five rounds to five), but only 3 events: each share would give away
    # how many of the five had reached it (2 by 182 days, 3 by 365), and the median
    # (100 days) rests on 2 events: all hidden.
    table = _table(dashboard, "forsorjning-kohort")
    assert table.rows == [
        # (2023 has no median at all: nothing to hide.)
        ["2023", SUPPRESSED, 0, SUPPRESSED, SUPPRESSED, SUPPRESSED, None],
        ["2024", 5, SUPPRESSED, SUPPRESSED, SUPPRESSED, None, SUPPRESSED],
    ]
    assert table.note == "Färre än 5 ärenden saknar giltiga datum och är inte med."
    section = next(s for s in dashboard.sections if s.key == "forsorjning-kohort")
    assert section.chart is not None
    assert [s.label for s in section.chart.series] == ["2024"]
    # The curve shows only months 0 and 1 (no event yet, five at risk): from month 2
    # (60 days, A's event) on, every point rests on 1 to 3 events.
    assert section.chart.series[0].values == [0.0, 0.0] + [None] * 35


AddCases = Callable[..., list[Case]]


@pytest.fixture
def add_cases(
    make_case: CaseFactory, make_person: PersonFactory, staff: dict[str, User]
) -> AddCases:
    """Add `n` alike cases (women in ABO) with their first contact on `first`: reaching
    their own support `event` days later, or closed (moved) `closed` days later, or
    open (followed until today)."""

    def add(
        n: int, first: dt.date, *, event: int | None = None, closed: int | None = None
    ) -> list[Case]:
        made = []
        for _i in range(n):
            case = make_case(make_person(), team=())
            fields: dict[str, Any] = {"first_contact_date": first}
            if closed is not None:
                fields |= {
                    "closed_on": first + dt.timedelta(days=closed),
                    "closing_reason": Case.ClosingReason.MOVED,
                    "stage": Case.Stage.CLOSED,
                }
            Case.objects.filter(pk=case.pk).update(**fields)
            if event is not None:
                CaseOutcome.objects.create(
                    case=case,
                    baseline_on=first,
                    baseline_self_sufficient=False,
                    baseline_own_lease=False,
                    baseline_concern_reports=0,
                    updated_by=staff["socsek"],
                    self_sufficient_on=first + dt.timedelta(days=event),
                )
            made.append(case)
        return made

    return add


def test_analyst_cannot_count_events_from_a_share(
    add_cases: AddCases, staff: dict[str, User]
) -> None:
    # The reviewer's case: ten cases of 2024, two reached their own support on day
    # 100, eight are open (followed 546 days).
    #   t=100: 10 at risk, 2 events: S = 8/10: 20 % at 182 and 365 days.
    add_cases(2, START, event=100)
    add_cases(8, START)
    chef = _table(_build(staff["chef"]), "forsorjning-kohort")
    assert chef.rows == [["2024", 10, 2, pytest.approx(0.2), pytest.approx(0.2), None, None]]
    # Ten cases and 20 % would give the two events away: the shares are hidden.
    analyst = _table(_build(staff["analytiker"]), "forsorjning-kohort")
    assert analyst.rows == [["2024", 10, SUPPRESSED, SUPPRESSED, SUPPRESSED, None, None]]


@pytest.fixture
def larger(add_cases: AddCases) -> dict[str, list[Case]]:
    """2024 (first contact 2024-01-01, 20 cases): 10 reach their own support on day 30,
    6 move on day 250, 4 are open (546 days).
    2023 (first contact 2023-06-01, 16 cases): 6 reach it on day 10, 2 on day 100, 8 are
    open (760 days)."""
    return {
        "2024": [
            *add_cases(10, START, event=30),
            *add_cases(6, START, closed=250),
            *add_cases(4, START),
        ],
        "2023": [
            *add_cases(6, START_2023, event=10),
            *add_cases(2, START_2023, event=100),
            *add_cases(8, START_2023),
        ],
    }


@pytest.mark.usefixtures("larger")
def test_larger_groups_for_the_manager_and_the_analyst(staff: dict[str, User]) -> None:
    # 2023: t=10: 16 at risk, 6 events: S = 10/16; t=100: 10 at risk, 2 events:
    #   S = 10/16 * 8/10 = 1/2 (median 100). 50 % at 182, 365 and 730 days (8 followed
    #   760 days).
    # 2024: t=30: 20 at risk, 10 events: S = 1/2 (median 30); the 6 moving on day 250
    #   are censored. 50 % at 182 and 365 days; none followed 730 days.
    chef = _table(_build(staff["chef"]), "forsorjning-kohort")
    assert chef.rows == [
        ["2023", 16, 8, 0.5, 0.5, 0.5, 100.0],
        ["2024", 20, 10, 0.5, 0.5, None, 30.0],
    ]
    dashboard = _build(staff["analytiker"])
    analyst = _table(dashboard, "forsorjning-kohort")
    # Counts are rounded to the nearest five: 16 -> 15, 8 -> 10, 20 and 10 stay.
    # 2023: the curve was last shown at 30 days (6 events); at 182, 365 and 730 days
    #   2 more events had come: the step would count them, so those shares are hidden.
    #   The median rests on 8 events: shown.
    # 2024: at 182 days 10 events and 10 at risk: shown. At 365 days no more events,
    #   but only the 4 open cases are at risk: hidden.
    assert analyst.rows == [
        ["2023", 15, 10, SUPPRESSED, SUPPRESSED, SUPPRESSED, 100.0],
        ["2024", 20, 10, 0.5, SUPPRESSED, None, 30.0],
    ]
    section = next(s for s in dashboard.sections if s.key == "forsorjning-kohort")
    assert section.chart is not None
    line_2023, line_2024 = (series.values for series in section.chart.series)
    # 2023: month 0 nothing; months 1-3 (30-91 days) 6 events: 6/16 = 0.375, shown to
    # the nearest 5 percentage points: 0.4; from month 4 (121 days) the 2 events of day
    # 100 are not 5 more: gaps, to month 25 (760 days); month 26 is after the longest
    # follow-up.
    assert line_2023[:4] == [0.0, 0.4, 0.4, 0.4]
    assert line_2023[4:] == [None] * 33
    # 2024: 1/2 from month 1 to month 8 (243 days, 10 at risk); from month 9 (273
    # days) 4 at risk: gaps; month 18 (547 days) is after the longest follow-up.
    assert line_2024[:9] == [0.0] + [0.5] * 8
    assert line_2024[9:] == [None] * 28
    # The manager's curve has every point.
    manager = next(s for s in _build(staff["chef"]).sections if s.key == "forsorjning-kohort")
    assert manager.chart is not None
    assert manager.chart.series[1].values[9] == 0.5


def test_reports_about_few_cases_are_hidden(add_cases: AddCases, staff: dict[str, User]) -> None:
    # One case with 6 reports in March 2024; five other cases with one each in April.
    cases = add_cases(6, START)
    for n in range(6):
        ConcernReport.objects.create(
            case=cases[0], received_on=dt.date(2024, 3, 1 + n), recorded_by=staff["socsek"]
        )
    for case in cases[1:]:
        ConcernReport.objects.create(
            case=case, received_on=dt.date(2024, 4, 2), recorded_by=staff["socsek"]
        )
    chef = {row[0]: row[1:] for row in _table(_build(staff["chef"]), "orosanmalningar").rows}
    assert chef["2024-03"] == [6, 1]
    assert chef["2024-04"] == [5, 5]
    assert chef["Hela perioden"] == [11, 6]
    table = _table(_build(staff["analytiker"]), "orosanmalningar")
    analyst = {row[0]: row[1:] for row in table.rows}
    # March: 6 reports, but about one case: hidden with the case count. April: 5 reports
    # on 5 cases would show, but with the period's total shown it would give March's
    # away (total − April), so it is hidden too (complementary suppression). The total:
    # 11 reports -> 10 and 6 cases -> 5 (rounded to five).
    assert analyst["2024-03"] == [SUPPRESSED, SUPPRESSED]
    assert analyst["2024-04"] == [SUPPRESSED, 5]
    assert analyst["Hela perioden"] == [10, 5]
    assert table.note == "Antalet orosanmälningar visas inte när de gäller färre än 5 ärenden."
    assert _table(_build(staff["chef"]), "orosanmalningar").note == ""


@pytest.mark.usefixtures("municipality")
def test_split_by_gender(staff: dict[str, User]) -> None:
    dashboard = _build(staff["chef"], Filters(PERIOD.date_from, PERIOD.date_to, split_gender=True))
    table = _table(dashboard, "forsorjning-kohort")
    assert table.heading_columns == 2
    assert [c.label for c in table.columns[:2]] == ["Kohort (år för aktualisering)", "Kön"]
    # 2024 women: A 60, B 100, C 50c, D 546c.
    #   t=50 -> 3 at risk; t=60: S = 2/3; t=100: 2 at risk, S = 1/3.
    #   182 and 365 days: 2/3 reached; median 100.
    # 2024 men: E alone, event at 300: everyone reached it by 365 days.
    assert table.rows == [
        ["2023", "Kvinna", 1, 0, 0.0, 0.0, 0.0, None],
        ["2024", "Kvinna", 4, 2, pytest.approx(2 / 3), pytest.approx(2 / 3), None, 100.0],
        ["2024", "Man", 1, 1, 0.0, 1.0, 1.0, 300.0],
    ]
    # The per-gender table is the same as without the split.
    assert _table(dashboard, "forsorjning-kon").heading_columns == 1
    section = next(s for s in dashboard.sections if s.key == "forsorjning-kohort")
    assert section.chart is not None
    assert [s.label for s in section.chart.series] == ["Kvinna", "Man"]
    # The concern reports split: A, C in February are women, so is D in May.
    concern = _table(dashboard, "orosanmalningar")
    assert ["2024-02", "Kvinna", 3, 2] in concern.rows
    assert concern.rows[-1] == ["Hela perioden", "Kvinna", 4, 3]


@pytest.mark.usefixtures("municipality")
def test_concern_reports_per_month(staff: dict[str, User]) -> None:
    table = _table(_build(staff["chef"]), "orosanmalningar")
    # 24 months and a total. February 2024: A twice and C once (3 reports, 2 cases);
    # May 2024: D once. A's report in 2025 is after the period; H's is out of scope.
    assert len(table.rows) == 25
    by_month = {row[0]: row[1:] for row in table.rows}
    assert by_month["2024-02"] == [3, 2]
    assert by_month["2024-05"] == [1, 1]
    assert by_month["2024-03"] == [0, 0]
    assert by_month["Hela perioden"] == [4, 3]
    # For the analyst every count under five is hidden, the total too.
    analyst = {
        row[0]: row[1:] for row in _table(_build(staff["analytiker"]), "orosanmalningar").rows
    }
    assert analyst["2024-02"] == [SUPPRESSED, SUPPRESSED]
    assert analyst["2024-03"] == [0, 0]
    assert analyst["Hela perioden"] == [SUPPRESSED, SUPPRESSED]


@pytest.mark.usefixtures("municipality")
def test_filters_limit_the_population(staff: dict[str, User]) -> None:
    # Only EBO: D alone, in every table.
    dashboard = _build(staff["chef"], Filters(PERIOD.date_from, PERIOD.date_to, category="ebo"))
    assert _table(dashboard, "forsorjning-kohort").rows == [["2024", 1, 0, 0.0, 0.0, None, None]]
    # A period of 2023 only: I alone.
    dashboard = _build(staff["chef"], Filters(dt.date(2023, 1, 1), dt.date(2023, 12, 31)))
    assert _table(dashboard, "kontrakt-kon").rows == [["Kvinna", 1, 0, 0.0, 0.0, 0.0, None]]


@pytest.mark.usefixtures("municipality")
def test_few_queries(staff: dict[str, User], django_assert_max_num_queries: Any) -> None:
    scope = scope_of(staff["chef"])
    # Two outcomes × three groupings, and two for the reports of concern.
    with django_assert_max_num_queries(8):
        outcomes.build(scope, PERIOD, TODAY)
