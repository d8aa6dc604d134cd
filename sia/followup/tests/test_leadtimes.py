"""The lead-times dashboard on a handful of cases whose figures are worked out by hand.

Period: 1 December 2025 – 31 March 2026 (December has no done steps); today is
15 April 2026. Every step of every case starts pending; each test case sets only the
steps it needs.

Reception unit (managed by `chef`):
  A  female, ABO, first contact 5 Jan: alignment done 8 Jan (3 days, due 8 Jan: on time)
     by socsek; first visit done 25 Jan (20 days, due 26 Jan: on time) by socsek.
  B  female, EBO, first contact 10 Jan: alignment done 20 Jan (10 days, due 14 Jan: late)
     by socsek; first visit done 10 Mar (59 days, no due date) by vagledare1.
  C  male, ABO, first contact 1 Feb: alignment done 4 Feb (3 days, on time) by socsek;
     first visit done 2 Apr (after the period: not counted).
  D  female, ABO, open, first contact 1 Apr, open steps today: allocation (opened 1 Apr,
     due 1 Apr: late, nobody on the team in the manager role), alignment (opened 1 Apr,
     due 6 Apr: late, socsek responsible), guidance meeting (no opening day, no due
     date), first visit (opened 5 Apr, due 22 Apr: not late).
  E  male, closed 1 Apr, alignment open and due 1 Mar: a closed case, not waiting.
Community guidance unit (not `chef`'s; the analyst sees it):
  F  female, first contact 1 Feb: alignment done 10 Feb (9 days, due 4 Feb: late);
     first visit open, opened 1 Feb, due 1 Apr: late.
  G  male, first contact 2 Mar: alignment done 4 Mar (2 days, on time).

The tests of suppression, rounding and invalid dates build their own cases (see each).
In suppressed scopes counts of 5 and more are rounded to a multiple of 5
(SIA_ROUND_COUNTS_TO); tests about hiding rather than rounding turn rounding off.
"""

import datetime as dt
from collections.abc import Callable

import pytest
from pytest_django.fixtures import Settings

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import Unit, User
from sia.cases.models import Case
from sia.followup.access import scope_of
from sia.followup.figures import SUPPRESSED, Dashboard, Table, Value
from sia.followup.filters import Filters
from sia.followup.selectors.leadtimes import build
from sia.process.models import CaseStep

D = dt.date
TODAY = D(2026, 4, 15)
PERIOD = Filters(date_from=D(2025, 12, 1), date_to=D(2026, 3, 31))
STEPS = [
    "Fördelning",
    "SIA-avstämning",
    "Samhällsvägledningsmöte (SVA)",
    "Nybesök (IB:3)",
    "SIA-plan överenskommen",
    "Överföring till utredningsgruppen",
]


def set_step(
    case: Case,
    key: str,
    *,
    status: str,
    due: dt.date | None = None,
    opened: dt.date | None = None,
    done: dt.date | None = None,
    by: User | None = None,
) -> None:
    CaseStep.objects.filter(case=case, key=key).update(
        status=status,
        due_date=due,
        opened_on=opened,
        completed_on=done,
        completed_at=(
            dt.datetime.combine(done, dt.time(12), tzinfo=dt.UTC) if done is not None else None
        ),
        completed_by=by,
    )


def done(case: Case, key: str, on: dt.date, due: dt.date | None, by: User) -> None:
    set_step(case, key, status=CaseStep.Status.DONE, due=due, opened=None, done=on, by=by)


def waiting(case: Case, key: str, opened: dt.date | None, due: dt.date | None) -> None:
    set_step(case, key, status=CaseStep.Status.OPEN, due=due, opened=opened)


NewCase = Callable[[str, str, dt.date], Case]


@pytest.fixture
def new_case(make_case: CaseFactory, make_person: PersonFactory) -> NewCase:
    """A reception case of a person of the gender and arrival category, first contact on
    the day, every step pending."""

    def new(gender: str, category: str, first_contact: dt.date) -> Case:
        case = make_case(make_person(gender=gender, arrival_category=category))
        CaseStep.objects.filter(case=case).update(
            status=CaseStep.Status.PENDING,
            due_date=None,
            opened_on=None,
            completed_on=None,
            completed_at=None,
            completed_by=None,
        )
        Case.objects.filter(pk=case.pk).update(first_contact_date=first_contact)
        return case

    return new


@pytest.fixture
def cases(new_case: NewCase, staff: dict[str, User], units: dict[str, Unit]) -> dict[str, Case]:
    new = new_case
    socsek, guide = staff["socsek"], staff["vagledare1"]
    a = new("female", "abo", D(2026, 1, 5))
    done(a, "alignment", D(2026, 1, 8), D(2026, 1, 8), socsek)
    done(a, "first_visit", D(2026, 1, 25), D(2026, 1, 26), socsek)
    b = new("female", "ebo", D(2026, 1, 10))
    done(b, "alignment", D(2026, 1, 20), D(2026, 1, 14), socsek)
    done(b, "first_visit", D(2026, 3, 10), None, guide)
    c = new("male", "abo", D(2026, 2, 1))
    done(c, "alignment", D(2026, 2, 4), D(2026, 2, 4), socsek)
    done(c, "first_visit", D(2026, 4, 2), D(2026, 4, 2), socsek)
    d = new("female", "abo", D(2026, 4, 1))
    waiting(d, "allocation", D(2026, 4, 1), D(2026, 4, 1))
    waiting(d, "alignment", D(2026, 4, 1), D(2026, 4, 6))
    waiting(d, "guidance_meeting", None, None)
    waiting(d, "first_visit", D(2026, 4, 5), D(2026, 4, 22))
    e = new("male", "abo", D(2026, 2, 1))
    waiting(e, "alignment", D(2026, 2, 1), D(2026, 3, 1))
    Case.objects.filter(pk=e.pk).update(
        stage=Case.Stage.CLOSED, closed_on=D(2026, 4, 1), closing_reason=Case.ClosingReason.MOVED
    )
    guidance_unit = units["Samhällsvägledning"]
    f = new("female", "abo", D(2026, 2, 1))
    done(f, "alignment", D(2026, 2, 10), D(2026, 2, 4), socsek)
    waiting(f, "first_visit", D(2026, 2, 1), D(2026, 4, 1))
    g = new("male", "abo", D(2026, 3, 2))
    done(g, "alignment", D(2026, 3, 4), D(2026, 3, 4), socsek)
    Case.objects.filter(pk__in=[f.pk, g.pk]).update(owning_unit=guidance_unit)
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g}


def dashboard(user: User, filters: Filters = PERIOD) -> Dashboard:
    return build(scope_of(user), filters, TODAY)


def table(board: Dashboard, key: str) -> Table:
    found = board.table(key)
    assert found is not None, key
    return found


def rows_by_heading(found: Table) -> dict[tuple[Value, ...], list[Value]]:
    return {tuple(row[: found.heading_columns]): row[found.heading_columns :] for row in found.rows}


@pytest.mark.usefixtures("cases")
def test_lead_time_per_step_for_the_manager(staff: dict[str, User]) -> None:
    board = dashboard(staff["chef"])
    assert board.key == "ledtider"
    assert board.suppress_below is None
    steps = table(board, "ledtid_per_steg")
    assert [c.label for c in steps.columns] == [
        "Steg",
        "Klara",
        "Inom mål",
        "Median, dagar",
        "Kvartil 1, dagar",
        "Kvartil 3, dagar",
    ]
    assert [row[0] for row in steps.rows] == STEPS
    rows = rows_by_heading(steps)
    # Alignment: A 3 days (on time), B 10 (late), C 3 (on time); F, G are not chef's.
    # Sorted [3, 3, 10]: median at position 0.5·2 = 1 → 3; Q1 at 0.5 → 3;
    # Q3 at 1.5 → 3 + (10 − 3)·0.5 = 6.5. Within target 2 of 3.
    assert rows[("SIA-avstämning",)] == [3, pytest.approx(2 / 3), 3, 3, 6.5]
    # First visit: A 20 days (on time), B 59 (no due date: not in the share); C's was
    # done after the period. [20, 59]: median 20 + 39·0.5 = 39.5, Q1 20 + 39·0.25 =
    # 29.75, Q3 20 + 39·0.75 = 49.25. Within target 1 of 1.
    assert rows[("Nybesök (IB:3)",)] == [2, 1.0, 39.5, 29.75, 49.25]
    # Nothing done: zero is shown, the rest has nothing to show.
    assert rows[("Fördelning",)] == [0, None, None, None, None]
    chart = board.sections[0].chart
    assert chart is not None
    assert chart.y_percent
    assert chart.x_labels == STEPS
    assert [s.values for s in chart.series] == [[None, pytest.approx(2 / 3), None, 1.0, None, None]]


@pytest.mark.usefixtures("cases")
def test_within_target_per_month_shows_every_month(staff: dict[str, User]) -> None:
    months = table(dashboard(staff["chef"]), "inom_mal_per_manad")
    assert [c.label for c in months.columns] == ["Månad", *STEPS, "Alla steg", "Klara"]
    rows = rows_by_heading(months)
    assert list(rows) == [("2025-12",), ("2026-01",), ("2026-02",), ("2026-03",)]
    nothing = [None] * 6
    # December: nothing done, still a row.
    assert rows[("2025-12",)] == [*nothing, None, 0]
    # January: alignment A on time, B late → 1/2; first visit A on time → 1/1;
    # all steps 2 of 3; three done.
    assert rows[("2026-01",)] == [None, 0.5, None, 1.0, None, None, pytest.approx(2 / 3), 3]
    # February: alignment C on time.
    assert rows[("2026-02",)] == [None, 1.0, None, None, None, None, 1.0, 1]
    # March: B's first visit has no due date: done, but no share.
    assert rows[("2026-03",)] == [*nothing, None, 1]
    chart = dashboard(staff["chef"]).sections[1].chart
    assert chart is not None
    assert chart.kind == "line"
    assert chart.x_labels == ["2025-12", "2026-01", "2026-02", "2026-03"]
    assert [s.label for s in chart.series] == STEPS
    assert chart.series[1].values == [None, 0.5, 1.0, None]


@pytest.mark.usefixtures("cases")
def test_per_unit_category_and_worker(staff: dict[str, User]) -> None:
    board = dashboard(staff["chef"])
    # All five done steps: days [3, 3, 10, 20, 59] → median 10; within target 3 of 4
    # (B's first visit has no due date).
    assert rows_by_heading(table(board, "per_enhet")) == {("Mottagningsgruppen",): [5, 0.75, 10]}
    # ABO: A (3, 20) and C (3): median 3, 3 of 3 on time. EBO: B (10, 59): median
    # 10 + 49·0.5 = 34.5, 0 of 1 on time.
    assert rows_by_heading(table(board, "per_ankomstkategori")) == {
        ("ABO (anläggningsboende)",): [3, 1.0, 3],
        ("EBO (eget boende)",): [2, 0.0, 34.5],
    }
    # Sara Sekreterare: A alignment 3, A first visit 20, B alignment 10, C alignment 3:
    # [3, 3, 10, 20] → median 3 + 7·0.5 = 6.5, on time 3 of 4. Vera Vägledare: B's
    # first visit, 59 days, no due date.
    assert rows_by_heading(table(board, "per_handlaggare")) == {
        ("Sara Sekreterare",): [4, 0.75, 6.5],
        ("Vera Vägledare",): [1, None, 59],
    }


@pytest.mark.usefixtures("cases")
def test_waiting_now_and_late_steps_per_responsible(staff: dict[str, User]) -> None:
    board = dashboard(staff["chef"])
    rows = rows_by_heading(table(board, "vantar_nu"))
    # Only D's open steps: E is closed, F belongs to another unit. Waited since 1 Apr
    # → 14 days, since 5 Apr → 10 days; the guidance meeting has no opening day.
    assert rows == {
        ("Fördelning",): [1, 1, 14],
        ("SIA-avstämning",): [1, 1, 14],
        ("Samhällsvägledningsmöte (SVA)",): [1, 0, None],
        ("Nybesök (IB:3)",): [1, 0, 10],
        ("SIA-plan överenskommen",): [0, 0, None],
        ("Överföring till utredningsgruppen",): [0, 0, None],
    }
    chart = board.sections[-1].chart
    assert chart is not None
    assert [(s.label, s.values) for s in chart.series] == [
        ("Väntar", [1, 1, 1, 1, 0, 0]),
        ("Varav sena", [1, 1, 0, 0, 0, 0]),
    ]
    # D's late alignment is socsek's (reception social worker on the team); nobody on
    # the team holds the manager role of the late allocation.
    late = table(board, "sena_per_handlaggare")
    assert rows_by_heading(late) == {("Sara Sekreterare",): [1], ("Ingen ansvarig",): [1]}


@pytest.mark.usefixtures("cases")
def test_the_analyst_sees_no_workers_and_small_figures_suppressed(
    staff: dict[str, User],
) -> None:
    board = dashboard(staff["analytiker"])
    assert board.suppress_below == 5
    assert board.table("per_handlaggare") is None
    assert board.table("sena_per_handlaggare") is None
    rows = rows_by_heading(table(board, "ledtid_per_steg"))
    # Alignment over every unit: A 3, B 10, C 3, F 9 (late), G 2 → five steps, shown
    # (5 rounds to 5). [2, 3, 3, 9, 10]: median 3, Q1 at position 1 → 3, Q3 at position
    # 3 → 9. On time A, C, G: 3 of 5, but the two late ones (1–4) would follow from the
    # share and the count: hidden.
    assert rows[("SIA-avstämning",)] == [5, SUPPRESSED, 3, 3, 9]
    # First visit: two done (1–4 hidden), the share from one and medians from two too.
    assert rows[("Nybesök (IB:3)",)] == [SUPPRESSED] * 5
    assert rows[("Fördelning",)] == [0, None, None, None, None]
    months = rows_by_heading(table(board, "inom_mal_per_manad"))
    # January: three done (hidden), alignment share from 2, all steps from 3.
    hidden = SUPPRESSED
    assert months[("2026-01",)] == [None, hidden, None, hidden, None, None, hidden, hidden]
    # All steps together: reception's five steps come from three cases (A, B, C), the
    # guidance unit's two from two (F, G); ABO's five steps from four cases (A, C, F, G),
    # EBO's two from one (B): every row is drawn from fewer than five people.
    assert rows_by_heading(table(board, "per_enhet")) == {
        ("Mottagningsgruppen",): [hidden] * 3,
        ("Samhällsvägledning",): [hidden] * 3,
    }
    assert rows_by_heading(table(board, "per_ankomstkategori")) == {
        ("ABO (anläggningsboende)",): [hidden] * 3,
        ("EBO (eget boende)",): [hidden] * 3,
    }
    waiting_rows = rows_by_heading(table(board, "vantar_nu"))
    # First visit: D (not late) and F (late) wait: 2 and 1, both hidden.
    assert waiting_rows[("Nybesök (IB:3)",)] == [SUPPRESSED, SUPPRESSED, SUPPRESSED]
    assert waiting_rows[("SIA-plan överenskommen",)] == [0, 0, None]


@pytest.mark.usefixtures("cases")
def test_split_by_gender(staff: dict[str, User]) -> None:
    board = dashboard(staff["chef"], Filters(PERIOD.date_from, PERIOD.date_to, split_gender=True))
    steps = table(board, "ledtid_per_steg")
    assert steps.heading_columns == 2
    assert [c.label for c in steps.columns][:2] == ["Steg", "Kön"]
    rows = rows_by_heading(steps)
    # Done steps are women's (A, B) and men's (C): one row per step and gender.
    assert len(steps.rows) == 6 * 2
    # Women's alignments: A 3 (on time), B 10 (late): median 6.5, Q1 3 + 7·0.25 = 4.75,
    # Q3 3 + 7·0.75 = 8.25. Men's: C 3 on time.
    assert rows[("SIA-avstämning", "Kvinna")] == [2, 0.5, 6.5, 4.75, 8.25]
    assert rows[("SIA-avstämning", "Man")] == [1, 1.0, 3, 3, 3]
    assert rows[("Nybesök (IB:3)", "Man")] == [0, None, None, None, None]
    chart = board.sections[0].chart
    assert chart is not None
    assert [(s.label, s.values) for s in chart.series] == [
        ("Kvinna", [None, 0.5, None, 1.0, None, None]),
        ("Man", [None, 1.0, None, None, None, None]),
    ]
    months = table(board, "inom_mal_per_manad")
    month_rows = rows_by_heading(months)
    # January, women: A alignment and first visit on time, B alignment late → 2/3.
    assert month_rows[("2026-01", "Kvinna")][-2:] == [pytest.approx(2 / 3), 3]
    assert month_rows[("2026-01", "Man")][-2:] == [None, 0]
    assert month_rows[("2025-12", "Kvinna")][-2:] == [None, 0]
    month_chart = board.sections[1].chart
    assert month_chart is not None
    assert [(s.label, s.values) for s in month_chart.series] == [
        ("Kvinna", [None, pytest.approx(2 / 3), None, None]),
        ("Man", [None, None, 1.0, None]),
    ]
    # Waiting: only D's steps (a woman's) wait.
    waiting_rows = rows_by_heading(table(board, "vantar_nu"))
    assert waiting_rows[("SIA-avstämning", "Kvinna")] == [1, 1, 14]
    late = rows_by_heading(table(board, "sena_per_handlaggare"))
    assert late == {("Sara Sekreterare", "Kvinna"): [1], ("Ingen ansvarig", "Kvinna"): [1]}
    assert rows_by_heading(table(board, "per_handlaggare"))[("Sara Sekreterare", "Man")] == [
        1,
        1.0,
        3,
    ]


@pytest.mark.usefixtures("cases")
def test_filters_limit_the_cases(staff: dict[str, User]) -> None:
    ebo = Filters(PERIOD.date_from, PERIOD.date_to, category="ebo")
    rows = rows_by_heading(table(dashboard(staff["chef"], ebo), "ledtid_per_steg"))
    # Only B: alignment 10 days, late.
    assert rows[("SIA-avstämning",)] == [1, 0.0, 10, 10, 10]


def test_no_steps_in_scope(staff: dict[str, User]) -> None:
    board = dashboard(staff["chef"])
    assert rows_by_heading(table(board, "per_enhet")) == {}
    assert rows_by_heading(table(board, "vantar_nu"))[("Fördelning",)] == [0, 0, None]
    # The step titles come from the template the migrations seed.
    assert [row[0] for row in table(board, "ledtid_per_steg").rows] == STEPS


def test_a_within_target_share_that_gives_late_steps_away_is_hidden(
    staff: dict[str, User], new_case: NewCase, settings: Settings
) -> None:
    """Six reception ABO cases, first contact 1 Feb: alignments due 4 Feb, five done
    4 Feb (3 days, on time), one 10 Feb (9 days, late); first visits due 20 Feb, all six
    done 20 Feb (19 days, on time)."""
    settings.SIA_ROUND_COUNTS_TO = 1  # about hiding, not rounding
    socsek = staff["socsek"]
    for n in range(6):
        case = new_case("female", "abo", D(2026, 2, 1))
        done(case, "alignment", D(2026, 2, 10 if n == 0 else 4), D(2026, 2, 4), socsek)
        done(case, "first_visit", D(2026, 2, 20), D(2026, 2, 20), socsek)
    board = dashboard(staff["analytiker"])
    steps = rows_by_heading(table(board, "ledtid_per_steg"))
    # Alignment: 5 of 6 on time: "83 %" next to "6" would say one was late: hidden.
    # Days [3, 3, 3, 3, 3, 9]: median and Q1 3, Q3 at position 3.75 → 3.
    assert steps[("SIA-avstämning",)] == [6, SUPPRESSED, 3, 3, 3]
    # First visit: 6 of 6 on time (nobody late): shown.
    assert steps[("Nybesök (IB:3)",)] == [6, 1.0, 19, 19, 19]
    # February: alignment 5/6 hidden, first visit 6/6; all steps 11 of 12 (one late):
    # hidden, the twelve done shown.
    months = rows_by_heading(table(board, "inom_mal_per_manad"))
    assert months[("2026-02",)] == [None, SUPPRESSED, None, 1.0, None, None, SUPPRESSED, 12]
    # Unit and category: twelve steps of six cases, 11 of 12 on time (hidden); days
    # 3 ×5, 9, 19 ×6: median between the 6th and 7th (9 and 19) → 14.
    assert rows_by_heading(table(board, "per_enhet")) == {
        ("Mottagningsgruppen",): [12, SUPPRESSED, 14]
    }
    assert rows_by_heading(table(board, "per_ankomstkategori")) == {
        ("ABO (anläggningsboende)",): [12, SUPPRESSED, 14]
    }
    # The manager sees the share: 5 of 6.
    manager = rows_by_heading(table(dashboard(staff["chef"]), "ledtid_per_steg"))
    assert manager[("SIA-avstämning",)][:2] == [6, pytest.approx(5 / 6)]


def test_all_steps_rows_from_too_few_cases_are_hidden(
    staff: dict[str, User], new_case: NewCase, settings: Settings
) -> None:
    """Five reception ABO men, first contact 1 Feb, alignment done 1 Feb + n days
    (n = 1..5, due 10 Feb: on time). One EBO woman, first contact 1 Mar, every step done,
    one a day from 2 Mar (1 day) to 7 Mar (6 days), no due dates: six steps, one person."""
    settings.SIA_ROUND_COUNTS_TO = 1  # about hiding, not rounding
    socsek = staff["socsek"]
    for n in range(1, 6):
        case = new_case("male", "abo", D(2026, 2, 1))
        done(case, "alignment", D(2026, 2, 1 + n), D(2026, 2, 10), socsek)
    ebo = new_case("female", "ebo", D(2026, 3, 1))
    keys = ["allocation", "alignment", "guidance_meeting", "first_visit", "sia_plan", "transfer"]
    for n, key in enumerate(keys, start=1):
        done(ebo, key, D(2026, 3, 1 + n), None, socsek)
    board = dashboard(staff["analytiker"])
    # EBO: "Klara 6" would read as six people; it is one: the whole row is hidden.
    # ABO: five steps of five cases, days [1..5]: median 3, all 5 on time.
    assert rows_by_heading(table(board, "per_ankomstkategori")) == {
        ("ABO (anläggningsboende)",): [5, 1.0, 3],
        ("EBO (eget boende)",): [SUPPRESSED] * 3,
    }
    # The unit: 11 steps of six cases, shown. Days [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6]:
    # median (6th) 3; on time 5 of the 5 with a due date.
    assert rows_by_heading(table(board, "per_enhet")) == {("Mottagningsgruppen",): [11, 1.0, 3]}
    # March: six steps of one case: Alla steg and Klara hidden (no step has a target,
    # so the per-step shares have nothing to show). February: five cases, shown.
    months = rows_by_heading(table(board, "inom_mal_per_manad"))
    assert months[("2026-03",)] == [None] * 6 + [SUPPRESSED, SUPPRESSED]
    assert months[("2026-02",)] == [None, 1.0, None, None, None, None, 1.0, 5]
    # Per step one step is one case: alignment's six (five ABO, EBO's 2 days) are shown.
    # Days [1, 2, 2, 3, 4, 5]: median 2.5, Q1 at 1.25 → 2, Q3 at 3.75 → 3.75.
    steps = rows_by_heading(table(board, "ledtid_per_steg"))
    assert steps[("SIA-avstämning",)] == [6, 1.0, 2.5, 2, 3.75]
    # Allocation: EBO's one step (hidden), without a due date (no share to show).
    hidden = SUPPRESSED
    assert steps[("Fördelning",)] == [hidden, None, hidden, hidden, hidden]
    note = table(board, "per_enhet").note
    assert "från färre än 5 ärenden visas inte" in note
    # Split by gender: the unit's women's row (one case) is hidden; the men's count (5)
    # would follow from the unsplit total (11) and goes too.
    split = Filters(PERIOD.date_from, PERIOD.date_to, split_gender=True)
    units = rows_by_heading(table(dashboard(staff["analytiker"], split), "per_enhet"))
    assert units == {
        ("Mottagningsgruppen", "Kvinna"): [SUPPRESSED] * 3,
        ("Mottagningsgruppen", "Man"): [SUPPRESSED, 1.0, 3],
    }
    # The manager sees every row.
    manager = rows_by_heading(table(dashboard(staff["chef"]), "per_ankomstkategori"))
    # EBO: days [1..6]: median 3.5, no target.
    assert manager[("EBO (eget boende)",)] == [6, None, 3.5]


def test_cases_are_counted_only_when_the_steps_leave_doubt(
    staff: dict[str, User], new_case: NewCase, settings: Settings
) -> None:
    """Four reception ABO women and one man, first contact 1 Feb, every step done, one a
    day from 2 Feb (1 day) to 7 Feb (6 days), no due dates: 30 steps of five cases."""
    settings.SIA_ROUND_COUNTS_TO = 1  # about hiding, not rounding
    keys = ["allocation", "alignment", "guidance_meeting", "first_visit", "sia_plan", "transfer"]
    for gender in ["female"] * 4 + ["male"]:
        case = new_case(gender, "abo", D(2026, 2, 1))
        for n, key in enumerate(keys, start=1):
            done(case, key, D(2026, 2, 1 + n), None, staff["socsek"])
    board = dashboard(staff["analytiker"])
    # 30 steps, at most six (one per key) per case: at least five cases, shown.
    # Days 1..6 five times each: median between the 15th (3) and 16th (4).
    assert rows_by_heading(table(board, "per_enhet")) == {("Mottagningsgruppen",): [30, None, 3.5]}
    assert rows_by_heading(table(board, "inom_mal_per_manad"))[("2026-02",)][-2:] == [None, 30]
    # The women only: 24 steps could come from four cases, and do: counted, hidden.
    women = Filters(PERIOD.date_from, PERIOD.date_to, gender="female")
    board = dashboard(staff["analytiker"], women)
    assert rows_by_heading(table(board, "per_enhet")) == {("Mottagningsgruppen",): [SUPPRESSED] * 3}
    assert rows_by_heading(table(board, "inom_mal_per_manad"))[("2026-02",)][-2:] == [
        SUPPRESSED,
        SUPPRESSED,
    ]


def test_steps_done_before_the_first_contact_are_left_out(
    staff: dict[str, User], new_case: NewCase
) -> None:
    """H: first contact 1 Mar, alignment done 20 Feb (−9 days: invalid). I: first contact
    1 Mar, alignment done 5 Mar (4 days, due 5 Mar: on time). Both by socsek."""
    socsek = staff["socsek"]
    h = new_case("female", "abo", D(2026, 3, 1))
    done(h, "alignment", D(2026, 2, 20), D(2026, 2, 25), socsek)
    i = new_case("female", "abo", D(2026, 3, 1))
    done(i, "alignment", D(2026, 3, 5), D(2026, 3, 5), socsek)
    board = dashboard(staff["chef"])
    steps = table(board, "ledtid_per_steg")
    # Only I's alignment: one step, on time, 4 days.
    assert rows_by_heading(steps)[("SIA-avstämning",)] == [1, 1.0, 4, 4, 4]
    left_out = "1 steg blev klart före ärendets aktualiseringsdatum och är inte med."
    assert left_out in steps.note
    # Left out of the counts too: February has nothing done, March I's step.
    months = table(board, "inom_mal_per_manad")
    assert rows_by_heading(months)[("2026-02",)][-2:] == [None, 0]
    assert rows_by_heading(months)[("2026-03",)][-2:] == [1.0, 1]
    assert left_out in months.note
    for key in ("per_enhet", "per_ankomstkategori", "per_handlaggare"):
        found = table(board, key)
        assert list(rows_by_heading(found).values()) == [[1, 1.0, 4]], key
        assert left_out in found.note
    # The analyst is told that fewer than five were left out.
    analyst = table(dashboard(staff["analytiker"]), "ledtid_per_steg")
    assert "Färre än 5 steg blev klara före ärendets aktualiseringsdatum" in analyst.note


def test_the_analyst_sees_counts_rounded_to_fives(
    staff: dict[str, User], new_case: NewCase
) -> None:
    """Eight reception ABO cases, first contact 2 Feb: alignment done 4 Feb (2 days, due
    4 Feb: on time); six of them also first visit done 10 Feb (8 days, due 10 Feb)."""
    socsek = staff["socsek"]
    for n in range(8):
        case = new_case("male", "abo", D(2026, 2, 2))
        done(case, "alignment", D(2026, 2, 4), D(2026, 2, 4), socsek)
        if n < 6:
            done(case, "first_visit", D(2026, 2, 10), D(2026, 2, 10), socsek)
    board = dashboard(staff["analytiker"])
    steps = rows_by_heading(table(board, "ledtid_per_steg"))
    # 8 → 10 and 6 → 5 (nearest multiple of 5); shares and medians are not rounded.
    assert steps[("SIA-avstämning",)] == [10, 1.0, 2, 2, 2]
    assert steps[("Nybesök (IB:3)",)] == [5, 1.0, 8, 8, 8]
    # All 14 steps → 15. Days 2 ×8, 8 ×6: median at position 6.5 → 2.
    assert rows_by_heading(table(board, "per_enhet")) == {("Mottagningsgruppen",): [15, 1.0, 2]}
    months = rows_by_heading(table(board, "inom_mal_per_manad"))
    assert months[("2026-02",)] == [None, 1.0, None, 1.0, None, None, 1.0, 15]
    # The manager sees the exact counts.
    manager = table(dashboard(staff["chef"]), "ledtid_per_steg")
    assert [row[1] for row in manager.rows] == [0, 8, 0, 6, 0, 0]
    assert rows_by_heading(table(dashboard(staff["chef"]), "per_enhet")) == {
        ("Mottagningsgruppen",): [14, 1.0, 2]
    }
