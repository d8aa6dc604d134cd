"""Due dates of the shipped SIA template's steps, around Easter, midsummer and Christmas.

The rules are read from the data migration that ships the template, so these tests
check what a unit actually gets, and they run without a database.
"""

import datetime as dt
import importlib
from collections.abc import Mapping

import pytest

from sia.process.due import FIRST_CONTACT, STEP, WORKING_DAY, StepRule, compute_due_dates

D = dt.date
_SHIPPED = importlib.import_module("sia.process.migrations.0002_default_sia_template")


def sia_rules(
    *,
    completed: Mapping[str, dt.date] | None = None,
    opened: Mapping[str, dt.date] | None = None,
) -> dict[str, StepRule]:
    """Return the shipped SIA rules with some steps done (on a day) or opened by an event."""
    completed = completed or {}
    opened = opened or {}
    rules = {}
    for (
        key,
        _title,
        _order,
        _role,
        anchor,
        anchor_step,
        counting,
        days,
        not_later,
        at_start,
        *_,
    ) in _SHIPPED.STEPS:
        rules[key] = StepRule(
            key=key,
            anchor=anchor,
            anchor_step=anchor_step,
            counting=counting,
            days=days,
            not_later_than_step=not_later,
            is_open=at_start or key in opened,
            opened_on=opened.get(key),
            completed_on=completed.get(key),
        )
    return rules


def due(first_contact: dt.date, **state: Mapping[str, dt.date]) -> dict[str, dt.date | None]:
    return compute_due_dates(first_contact, sia_rules(**state))


def test_a_first_contact_before_easter_gives_every_step_its_due_date() -> None:
    assert due(D(2027, 3, 24)) == {
        "allocation": D(2027, 3, 24),
        "alignment": D(2027, 3, 30),  # Good Friday 26th and Easter Monday 29th skipped
        "guidance_meeting": D(2027, 4, 13),  # 10 working days after the alignment's due date
        "first_visit": D(2027, 4, 16),
        "sia_plan": D(2027, 4, 16),
        "transfer": None,
    }


@pytest.mark.parametrize(
    ("first_contact", "allocation", "name"),
    [
        (D(2027, 6, 12), D(2027, 6, 14), "en lördag"),
        (D(2027, 6, 13), D(2027, 6, 14), "en söndag"),
        (D(2027, 3, 27), D(2027, 3, 30), "påskafton, före annandag påsk"),
        (D(2027, 5, 6), D(2027, 5, 7), "Kristi himmelsfärdsdag"),
        (D(2027, 6, 25), D(2027, 6, 28), "midsommarafton"),
        (D(2026, 12, 24), D(2026, 12, 28), "julafton"),
        (D(2027, 1, 1), D(2027, 1, 4), "nyårsdagen"),
    ],
)
def test_a_first_contact_on_a_day_off_is_allocated_on_the_next_working_day(
    first_contact: dt.date, allocation: dt.date, name: str
) -> None:
    assert due(first_contact)["allocation"] == allocation, name


@pytest.mark.parametrize(
    ("first_contact", "alignment", "name"),
    [
        (D(2027, 3, 24), D(2027, 3, 30), "långfredagen och annandag påsk"),
        (D(2027, 3, 27), D(2027, 4, 1), "kontakt på påskafton: dag 1 är tisdagen"),
        (D(2027, 6, 23), D(2027, 6, 28), "midsommarafton"),
        (D(2025, 12, 22), D(2025, 12, 29), "julafton, juldagen och annandag jul"),
        (D(2026, 12, 29), D(2027, 1, 4), "nyårsafton och nyårsdagen"),
        (D(2027, 1, 5), D(2027, 1, 8), "trettondedag jul"),
    ],
)
def test_the_alignment_is_due_on_working_day_three_counting_the_first_contact_as_day_one(
    first_contact: dt.date, alignment: dt.date, name: str
) -> None:
    assert due(first_contact)["alignment"] == alignment, name


def test_the_first_visit_is_due_fifteen_working_days_after_a_first_contact_on_julafton() -> None:
    # Skipped: juldagen, annandag jul (a Saturday), nyårsafton, nyårsdagen, trettondedag jul.
    assert due(D(2026, 12, 24))["first_visit"] == D(2027, 1, 20)


def test_the_first_visit_over_midsummer_skips_midsommarafton() -> None:
    # 2027-06-14 + 15 working days: 25 June is midsommarafton, so the count ends a day later.
    assert due(D(2027, 6, 14))["first_visit"] == D(2027, 7, 6)


def test_the_guidance_meeting_counts_from_the_day_the_alignment_was_done() -> None:
    dates = due(D(2027, 3, 24), completed={"alignment": D(2027, 3, 25)})
    assert dates["guidance_meeting"] == D(2027, 4, 12)


def test_the_guidance_meeting_is_never_due_after_the_first_visit() -> None:
    # A late alignment on 7 April would put the meeting on 21 April, after the first visit.
    dates = due(D(2027, 3, 24), completed={"alignment": D(2027, 4, 7)})
    assert dates["first_visit"] == D(2027, 4, 16)
    assert dates["guidance_meeting"] == D(2027, 4, 16)


def test_a_first_visit_held_early_pulls_the_guidance_meeting_and_the_plan_with_it() -> None:
    dates = due(
        D(2027, 3, 24),
        completed={"alignment": D(2027, 3, 25), "first_visit": D(2027, 4, 8)},
    )
    assert dates["guidance_meeting"] == D(2027, 4, 8)
    assert dates["sia_plan"] == D(2027, 4, 8)


def test_the_plan_is_due_with_the_first_visit_even_when_that_is_late() -> None:
    dates = due(D(2027, 3, 24), completed={"first_visit": D(2027, 4, 21)})
    assert dates["sia_plan"] == D(2027, 4, 21)


def test_the_transfer_has_no_due_date_until_the_case_is_handed_over() -> None:
    assert due(D(2027, 3, 24))["transfer"] is None
    handed_over = due(D(2027, 3, 24), opened={"transfer": D(2027, 6, 23)})
    assert handed_over["transfer"] == D(2027, 6, 28)  # day 3, midsommarafton skipped


def test_steps_that_count_from_each_other_get_no_date_instead_of_looping() -> None:
    def rule(key: str, anchor_step: str) -> StepRule:
        return StepRule(key, STEP, anchor_step, WORKING_DAY, 3, "", is_open=True)

    rules = {"a": rule("a", "b"), "b": rule("b", "a")}
    assert compute_due_dates(D(2027, 3, 24), rules) == {"a": None, "b": None}


def test_a_step_counting_from_a_step_the_template_lacks_gets_no_date() -> None:
    rules = {
        "first": StepRule("first", FIRST_CONTACT, "", WORKING_DAY, 1, "", is_open=True),
        "orphan": StepRule("orphan", STEP, "missing", WORKING_DAY, 3, "", is_open=True),
    }
    assert compute_due_dates(D(2027, 3, 24), rules) == {"first": D(2027, 3, 24), "orphan": None}
