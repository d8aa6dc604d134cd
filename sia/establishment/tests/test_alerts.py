"""Alerts fire exactly on the configured thresholds: not the day before, on the day, and
moving with the rules. Pure function, no database."""

import datetime as dt

from sia.establishment.alerts import (
    AGE_LIMIT,
    CIVIC_NOT_STARTED,
    PROGRAMME_ENDING,
    SFI_NOT_STARTED,
    birthday,
    programme_alerts,
)
from sia.establishment.models import ProgrammeRules, ProgrammeStatus

PLAN = dt.date(2026, 3, 2)
BORN = dt.date(1980, 6, 15)


def codes(status: ProgrammeStatus, rules: ProgrammeRules, today: dt.date) -> set[str]:
    return {alert.code for alert in programme_alerts(status, rules, BORN, today)}


def test_sfi_and_civic_orientation_alerts_fire_on_the_threshold_day() -> None:
    rules = ProgrammeRules(sfi_alert_weeks=4, civic_orientation_alert_weeks=8)
    status = ProgrammeStatus(action_plan_on=PLAN)
    sfi_day = PLAN + dt.timedelta(weeks=4)
    civic_day = PLAN + dt.timedelta(weeks=8)
    assert codes(status, rules, sfi_day - dt.timedelta(days=1)) == set()
    assert codes(status, rules, sfi_day) == {SFI_NOT_STARTED}
    assert codes(status, rules, civic_day - dt.timedelta(days=1)) == {SFI_NOT_STARTED}
    assert codes(status, rules, civic_day) == {SFI_NOT_STARTED, CIVIC_NOT_STARTED}
    alert = programme_alerts(status, rules, BORN, sfi_day)[0]
    assert (alert.message, alert.due_on) == ("SFI har inte börjat", sfi_day)
    # Started: no alert, whatever the day.
    status.sfi_started_on = PLAN + dt.timedelta(weeks=6)
    status.civic_orientation_started_on = PLAN
    assert codes(status, rules, civic_day) == set()


def test_changing_the_rules_changes_the_result() -> None:
    status = ProgrammeStatus(action_plan_on=PLAN)
    today = PLAN + dt.timedelta(weeks=3)
    assert codes(status, ProgrammeRules(sfi_alert_weeks=4), today) == set()
    assert codes(status, ProgrammeRules(sfi_alert_weeks=3), today) == {SFI_NOT_STARTED}
    assert codes(status, ProgrammeRules(sfi_alert_weeks=2), today) == {SFI_NOT_STARTED}


def test_programme_end_alert_until_the_end_then_silence() -> None:
    rules = ProgrammeRules(programme_end_alert_weeks=8)
    ends = dt.date(2027, 1, 10)
    status = ProgrammeStatus(programme_started_on=dt.date(2025, 1, 10), programme_ends_on=ends)
    first = ends - dt.timedelta(weeks=8)
    assert codes(status, rules, first - dt.timedelta(days=1)) == set()
    assert codes(status, rules, first) == {PROGRAMME_ENDING}
    assert codes(status, rules, ends - dt.timedelta(days=1)) == {PROGRAMME_ENDING}
    assert codes(status, rules, ends) == set()  # ended: no alerts at all
    assert codes(status, ProgrammeRules(programme_end_alert_weeks=9), first) == {PROGRAMME_ENDING}
    assert codes(status, ProgrammeRules(programme_end_alert_weeks=7), first) == set()


def test_age_limit_alert_when_the_person_turns_the_limit_within_the_weeks() -> None:
    rules = ProgrammeRules(age_limit=65, age_alert_weeks=12)
    turns = dt.date(2045, 6, 15)
    first = turns - dt.timedelta(weeks=12)
    status = ProgrammeStatus()
    assert codes(status, rules, first - dt.timedelta(days=1)) == set()
    assert codes(status, rules, first) == {AGE_LIMIT}
    assert codes(status, rules, turns) == set()
    assert codes(status, ProgrammeRules(age_limit=45, age_alert_weeks=12), dt.date(2025, 4, 1)) == {
        AGE_LIMIT
    }
    assert birthday(dt.date(2000, 2, 29), 25) == dt.date(2025, 3, 1)
