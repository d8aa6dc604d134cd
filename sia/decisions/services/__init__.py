"""Decide on support, tell the person, plan it, log the provider's work, follow it up
and end it. Every write is atomic and audited; a refused request writes nothing.

A decision is signed when it is made and never changed: a correction is a new decision
that points at the one it replaces. The one later event on the same record is telling
the person (`record_informed`), set once and never changed. Marking the last checklist
item met does not end the support by itself: the decision page then offers ending it
with the reason "checklist met", which is allowed only when every item is met.
"""

from sia.decisions.services.common import (
    DEFAULT_APPEAL_NOTICE,
    GRANTING,
    MAX_ITEMS,
    MAX_LABEL,
    MAX_MINUTES,
    REFUSING,
)
from sia.decisions.services.decision import make_decision, record_informed
from sia.decisions.services.plan import add_plan_item, make_plan, mark_item
from sia.decisions.services.work import checklist_met, end_support, log_work, record_follow_up

__all__ = [
    "DEFAULT_APPEAL_NOTICE",
    "GRANTING",
    "MAX_ITEMS",
    "MAX_LABEL",
    "MAX_MINUTES",
    "REFUSING",
    "add_plan_item",
    "checklist_met",
    "end_support",
    "log_work",
    "make_decision",
    "make_plan",
    "mark_item",
    "record_follow_up",
    "record_informed",
]
