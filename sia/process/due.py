"""Due dates of a case's steps from their rules, counted in Swedish working days.

Pure functions over plain values, so the rules are tested without a database.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sia.process.workdays import add_working_days, working_day_number

FIRST_CONTACT = "first_contact"
STEP = "step"
OPENED = "opened"
WORKING_DAY = "working_day"


@dataclass(frozen=True)
class StepRule:
    """A step's due rule and where the step stands."""

    key: str
    anchor: str
    anchor_step: str
    counting: str
    days: int
    not_later_than_step: str
    is_open: bool
    opened_on: dt.date | None = None
    completed_on: dt.date | None = None
    scheduled_on: dt.date | None = None


def _count(anchor_day: dt.date, rule: StepRule) -> dt.date:
    if rule.counting == WORKING_DAY:
        return working_day_number(anchor_day, rule.days)
    return add_working_days(anchor_day, rule.days)


class _Resolver:
    def __init__(self, first_contact: dt.date, rules: Mapping[str, StepRule]) -> None:
        self.first_contact = first_contact
        self.rules = rules
        self.due: dict[str, dt.date | None] = {}
        self.visiting: set[str] = set()

    def due_of(self, key: str) -> dt.date | None:
        if key in self.due:
            return self.due[key]
        if key in self.visiting or key not in self.rules:
            return None  # a cycle or an unknown step gives no date rather than a loop
        self.visiting.add(key)
        self.due[key] = self._compute(self.rules[key])
        self.visiting.discard(key)
        return self.due[key]

    def reached_on(self, key: str) -> dt.date | None:
        """The day another step counts from: when it was done, else the day it is booked
        for (the agreed first-visit time), else when it is due."""
        rule = self.rules.get(key)
        if rule is not None and rule.completed_on is not None:
            return rule.completed_on
        if rule is not None and rule.scheduled_on is not None:
            return rule.scheduled_on
        return self.due_of(key)

    def _anchor_day(self, rule: StepRule) -> dt.date | None:
        if rule.anchor == FIRST_CONTACT:
            return self.first_contact
        if rule.anchor == OPENED:
            return rule.opened_on
        return self.reached_on(rule.anchor_step)

    def _compute(self, rule: StepRule) -> dt.date | None:
        anchor_day = self._anchor_day(rule)
        if anchor_day is None:
            return None
        due = _count(anchor_day, rule)
        if rule.not_later_than_step:
            limit = self.reached_on(rule.not_later_than_step)
            if limit is not None and limit < due:
                due = limit
        return due


def compute_due_dates(
    first_contact: dt.date, rules: Mapping[str, StepRule]
) -> dict[str, dt.date | None]:
    """Return every step's due date; a step not yet opened by its event has none."""
    resolver = _Resolver(first_contact, rules)
    return {
        key: resolver.due_of(key) if rule.is_open or rule.anchor != OPENED else None
        for key, rule in rules.items()
    }
