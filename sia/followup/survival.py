"""Kaplan–Meier survival curves from counts: how many people reached an event (or were
lost to follow-up) after how many days.

The database returns (days, events, censored) per number of days; the curve is computed
here from those few rows, never from the cases themselves. "Survival" is the share who
have NOT yet reached the event; a dashboard shows 1 − S(t), the share who have.

The estimator is the standard product-limit one: at each time with events,
S(t) = S(t−) × (1 − events / at risk). At one time, events come before censorings (a
person censored on the day of an event was still at risk of it), as in lifelines.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Survival equal to one half within float rounding counts as reached (the exact
# product of fractions would be exactly 0.5).
_HALF_TOLERANCE = 1e-12


@dataclass(frozen=True)
class CountRow:
    """How many people had the event, and how many were censored, after `days`."""

    days: int
    events: int
    censored: int


@dataclass(frozen=True)
class CurvePoint:
    """The curve at one event time: who was at risk, what happened, and S(t) after it."""

    t: int
    at_risk: int
    events: int
    censored: int
    survival: float


def kaplan_meier(rows: Iterable[CountRow | tuple[int, int, int]]) -> list[CurvePoint]:
    """The product-limit curve, one point per distinct time with at least one event.

    Rows may repeat a time (they are added up). Censorings at times without events do
    not make a point but lower the number at risk afterwards."""
    events_at: dict[int, int] = defaultdict(int)
    censored_at: dict[int, int] = defaultdict(int)
    for row in rows:
        days, events, censored = (
            (row.days, row.events, row.censored) if isinstance(row, CountRow) else row
        )
        if events < 0 or censored < 0:
            raise ValueError("counts cannot be negative")
        events_at[days] += events
        censored_at[days] += censored
    at_risk = sum(events_at.values()) + sum(censored_at.values())
    survival = 1.0
    curve: list[CurvePoint] = []
    for t in sorted(set(events_at) | set(censored_at)):
        events, censored = events_at[t], censored_at[t]
        if events:
            survival *= 1.0 - events / at_risk
            curve.append(CurvePoint(t, at_risk, events, censored, survival))
        at_risk -= events + censored
    return curve


def survival_at(curve: Sequence[CurvePoint], t: float) -> float:
    """S(t): the survival after the last event time at or before t (1.0 before any)."""
    survival = 1.0
    for point in curve:
        if point.t > t:
            break
        survival = point.survival
    return survival


def median_time(curve: Sequence[CurvePoint]) -> float | None:
    """The smallest event time with S(t) <= 0.5 (lifelines' median_survival_time_),
    or None when the curve never comes down to one half."""
    for point in curve:
        if point.survival <= 0.5 + _HALF_TOLERANCE:
            return float(point.t)
    return None
