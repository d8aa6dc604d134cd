"""The flow dashboard on a small hand-built municipality: each figure is counted by hand
in the comments, for the manager (unsuppressed) and the analyst (small counts hidden)."""

import datetime as dt
from typing import Any

import pytest

from sia.accounts.models import Unit, User
from sia.cases.models import Case
from sia.followup.access import scope_of
from sia.followup.figures import SUPPRESSED, Dashboard, Table
from sia.followup.filters import Filters
from sia.followup.selectors import flow

TODAY = dt.date(2026, 4, 15)
PERIOD = Filters(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 3, 31))


def _set(case: Case, **fields: Any) -> None:
    Case.objects.filter(pk=case.pk).update(**fields)


@pytest.fixture
def municipality(make_case: Any, make_person: Any, units: dict[str, Unit]) -> None:
    """Five cases in the reception unit (chef's), one in the integration group (not chef's)."""
    # Open before the period and still open: open when the period starts.
    _set(make_case(), first_contact_date=dt.date(2025, 12, 10))
    # New in January, closed as self-sufficient in February.
    _set(
        make_case(),
        first_contact_date=dt.date(2026, 1, 5),
        closed_on=dt.date(2026, 2, 10),
        stage=Case.Stage.CLOSED,
        closing_reason=Case.ClosingReason.SELF_SUFFICIENT,
    )
    # New in January, open.
    _set(make_case(), first_contact_date=dt.date(2026, 1, 20))
    # New in March, a man, open.
    _set(make_case(make_person(gender="male")), first_contact_date=dt.date(2026, 3, 3))
    # Opened and closed before the period: in no figure of it.
    _set(
        make_case(),
        first_contact_date=dt.date(2025, 11, 1),
        closed_on=dt.date(2025, 12, 1),
        stage=Case.Stage.CLOSED,
        closing_reason=Case.ClosingReason.MOVED,
    )
    # Another unit's case: the analyst counts it, the reception manager does not.
    _set(
        make_case(),
        first_contact_date=dt.date(2026, 1, 8),
        owning_unit=units["Integrationsgruppen"],
    )


def _table(dashboard: Dashboard, key: str) -> Table:
    table = dashboard.table(key)
    assert table is not None, key
    return table


@pytest.mark.usefixtures("municipality")
def test_the_manager_sees_inflow_outflow_and_open_cases_per_month(
    staff: dict[str, User],
) -> None:
    dashboard = flow.build(scope_of(staff["chef"]), PERIOD, TODAY)
    assert dashboard.suppress_below is None
    # Open at the start: the December case. Jan +2 → 3; Feb −1 → 2; Mar +1 → 3.
    assert _table(dashboard, "inflode-utflode").rows == [
        ["2026-01", 2, 0, 2, 3],
        ["2026-02", 0, 1, -1, 2],
        ["2026-03", 1, 0, 1, 3],
    ]
    # The reception unit: 3 new, 1 closed in the period; 3 open today.
    assert _table(dashboard, "balans-per-enhet").rows == [["Mottagningsgruppen", 3, 1, 2, 3]]
    stages = {row[0]: row[1] for row in _table(dashboard, "oppna-per-steg").rows}
    assert stages["Aktualiserad"] == 3
    assert stages["Nybesök"] == 0
    reasons = {row[0]: row[1] for row in _table(dashboard, "avslutsorsaker").rows}
    # The case closed as moved was closed before the period.
    assert reasons == {
        "Egen försörjning": 1,
        "Flyttat från kommunen": 0,
        "Överfört till annan enhet": 0,
        "Tackat nej till stöd": 0,
        "Tillhör inte målgruppen": 0,
        "Annat": 0,
    }


@pytest.mark.usefixtures("municipality")
def test_the_manager_sees_each_workers_caseload_by_name(staff: dict[str, User]) -> None:
    dashboard = flow.build(scope_of(staff["chef"]), PERIOD, TODAY)
    rows = _table(dashboard, "arenden-per-handlaggare").rows
    guide = staff["vagledare1"].get_full_name()
    # vagledare1 is on every team; three of chef's cases are open.
    assert [guide, "Samhällsvägledare", 3] in rows
    assert dashboard.table("arendemangd-per-roll") is None


@pytest.mark.usefixtures("municipality")
def test_the_split_by_gender_gives_each_gender_its_own_rows(staff: dict[str, User]) -> None:
    split = Filters(date_from=PERIOD.date_from, date_to=PERIOD.date_to, split_gender=True)
    dashboard = flow.build(scope_of(staff["chef"]), split, TODAY)
    table = _table(dashboard, "inflode-utflode")
    assert table.heading_columns == 2
    # Women: the December case open at the start, Jan +2 → 3, Feb −1 → 2, Mar 2.
    # Men: only the March case.
    assert table.rows == [
        ["2026-01", "Kvinna", 2, 0, 2, 3],
        ["2026-02", "Kvinna", 0, 1, -1, 2],
        ["2026-03", "Kvinna", 0, 0, 0, 2],
        ["2026-01", "Man", 0, 0, 0, 0],
        ["2026-02", "Man", 0, 0, 0, 0],
        ["2026-03", "Man", 1, 0, 1, 1],
    ]
    chart = next(s.chart for s in dashboard.sections if s.key == "per-manad")
    assert chart is not None
    assert [s.label for s in chart.series] == [
        "Nya – Kvinna",
        "Avslutade – Kvinna",
        "Nya – Man",
        "Avslutade – Man",
    ]


@pytest.mark.usefixtures("municipality")
def test_the_analyst_sees_the_whole_organisation_with_small_counts_hidden(
    staff: dict[str, User],
) -> None:
    dashboard = flow.build(scope_of(staff["analytiker"]), PERIOD, TODAY)
    assert dashboard.suppress_below == 5
    # With the integration group's January case: Jan 3 new — under five. Zero stays
    # visible: it identifies nobody. The month-end open cases are left out: two of them
    # apart would give the hidden counts away.
    table = _table(dashboard, "inflode-utflode")
    assert [c.key for c in table.columns] == ["month", "new", "closed", "balance"]
    assert table.rows == [
        ["2026-01", SUPPRESSED, 0, SUPPRESSED],
        ["2026-02", 0, SUPPRESSED, SUPPRESSED],
        ["2026-03", SUPPRESSED, 0, SUPPRESSED],
    ]
    assert "månads slut" in table.note
    # No worker by name: only the spread per role, and one guide is too few to show.
    assert dashboard.table("arenden-per-handlaggare") is None
    guides = [
        r for r in _table(dashboard, "arendemangd-per-roll").rows if r[0] == "Samhällsvägledare"
    ]
    assert guides == [["Samhällsvägledare", SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]]


def test_with_five_or_more_the_analyst_sees_the_counts(
    staff: dict[str, User], make_case: Any
) -> None:
    for _n in range(5):
        _set(make_case(), first_contact_date=dt.date(2026, 2, 3))
    dashboard = flow.build(scope_of(staff["analytiker"]), PERIOD, TODAY)
    assert _table(dashboard, "inflode-utflode").rows[1] == ["2026-02", 5, 0, 5]
    # One guide with five open cases: still one worker, so the spread stays hidden.
    guides = [
        r for r in _table(dashboard, "arendemangd-per-roll").rows if r[0] == "Samhällsvägledare"
    ]
    assert guides[0][1] is SUPPRESSED
