"""The shapes every dashboard is built from: tables of figures (with small counts
suppressed), the chart drawn from the same figures, and the database expressions and
summary statistics the measures share.

A measure runs its aggregation in the database and gets back a small table (counts per
group, or counts per number of days); the summaries here (median, quartiles, shares)
are computed from those counts, never from rows of cases.
"""

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Func, IntegerField
from django.db.models.sql.compiler import SQLCompiler
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sia.people.models import Gender


class Suppressed:
    """A figure hidden because it counts, or is computed from, too few people."""

    _instance: "Suppressed | None" = None

    def __new__(cls) -> "Suppressed":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SUPPRESSED"


SUPPRESSED = Suppressed()

# None means "no figure" (nothing to count yet); SUPPRESSED means "hidden".
Value = int | float | str | Suppressed | None

ColumnKind = Literal["text", "count", "share", "days", "number"]


@dataclass(frozen=True)
class Column:
    """One column of a table: its key (for CSV and the API), heading and kind."""

    key: str
    label: str
    kind: ColumnKind = "count"


@dataclass(frozen=True)
class Table:
    """A table of figures, with a caption; the first columns are the row headings."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Value]]
    # How many leading columns head a row (th scope="row") rather than hold figures.
    heading_columns: int = 1
    note: str = ""


@dataclass(frozen=True)
class Series:
    """One line or set of bars of a chart."""

    label: str
    values: list[float | None]


@dataclass(frozen=True)
class Chart:
    """A chart drawn from a table's figures; suppressed figures are gaps."""

    kind: Literal["bar", "line", "step"]
    title: str
    x_labels: list[str]
    series: list[Series]
    y_label: str = ""
    # Shares are drawn 0–100 %; other figures from 0 to their largest value.
    y_percent: bool = False


@dataclass(frozen=True)
class Section:
    """One part of a dashboard: a heading, a short explanation, a chart and its table."""

    key: str
    title: str
    description: str
    table: Table
    chart: Chart | None = None
    # Extra tables shown under the main one (for example the late steps list).
    extra: list[Table] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        """The main table and the extra ones, in page order."""
        return [self.table, *self.extra]


@dataclass(frozen=True)
class Dashboard:
    """A dashboard page: its sections, and the suppression limit its figures obey."""

    key: str
    title: str
    sections: list[Section]
    suppress_below: int | None

    def tables(self) -> list[Table]:
        """Every table of the dashboard, in page order."""
        return [table for section in self.sections for table in section.tables]

    def table(self, key: str) -> Table | None:
        """The table with this key, if the dashboard has one."""
        return next((t for t in self.tables() if t.key == key), None)


# --- Suppression ------------------------------------------------------------------------


def suppress_limit(suppress: bool) -> int | None:
    """The limit below which counts are hidden, or None when nothing is hidden."""
    return int(settings.SIA_SUPPRESS_BELOW) if suppress else None


def few(n: int, limit: int | None) -> bool:
    """A count from 1 to limit - 1, which a suppressed scope must not give away."""
    return limit is not None and 0 < n < limit


def count_value(n: int, limit: int | None) -> Value:
    """A count as the viewer may see it.

    Unsuppressed (limit None): the count. Suppressed: zero is shown ("nobody" identifies
    nobody, and hiding it would hide that a step or a group is empty); 1 to limit - 1 is
    hidden; larger counts are rounded to the nearest multiple of `SIA_ROUND_COUNTS_TO`
    (default 5), so that the difference of two figures – split against unsplit, one
    filter against another, one period against a day longer, one table's total against
    another's – cannot give a hidden count away."""
    if limit is None or n == 0:
        return n
    if n < limit:
        return SUPPRESSED
    base = int(settings.SIA_ROUND_COUNTS_TO)
    if base <= 1:
        return n
    return max(base, int((n + base / 2) // base) * base)


def share_value(part: int, whole: int, limit: int | None) -> Value:
    """part / whole as a fraction; None when there is no whole. Suppressed: hidden when
    the whole is under the limit, or when the part or the rest (whole - part) is a count
    from 1 to limit - 1, which the share and the whole would otherwise give away; else
    the share of the rounded counts."""
    if whole == 0:
        return None
    if limit is None:
        return part / whole
    if whole < limit or 0 < part < limit or 0 < whole - part < limit:
        return SUPPRESSED
    # From the rounded counts, so the share cannot tell the exact counts behind them
    # (5 of 13 would otherwise say 13 beside a rounded 15).
    shown_part, shown_whole = count_value(part, limit), count_value(whole, limit)
    if not isinstance(shown_part, int) or not isinstance(shown_whole, int):
        return SUPPRESSED  # pragma: no cover - both are 0 or at least the limit here
    return shown_part / shown_whole


def coarse_share(value: float | None, limit: int | None) -> Value:
    """A share that is not a ratio of two counts (a survival estimate, a rate), shown to
    the nearest 5 percentage points when figures are suppressed, so its decimals cannot
    tell how many people are behind it."""
    if value is None or limit is None:
        return value
    return round(value * 20) / 20


def derived_value(value: float | int | None, based_on: int, limit: int | None) -> Value:
    """A figure computed from `based_on` people (a share, a median), hidden when they are
    too few; None when there is nothing to compute it from."""
    if based_on == 0 or value is None:
        return None
    if limit is not None and based_on < limit:
        return SUPPRESSED
    return value


def protect_group(values: Sequence[Value], total_shown: bool) -> list[Value]:
    """Hide one more count of a group whose total is shown, when exactly one of its
    counts is hidden: the total minus the others would give it away. The smallest
    remaining count goes too (complementary suppression)."""
    out = list(values)
    hidden = [i for i, v in enumerate(out) if v is SUPPRESSED]
    if not total_shown or len(hidden) != 1:
        return out
    shown = [(v, i) for i, v in enumerate(out) if isinstance(v, int) and v > 0]
    if shown:
        _value, index = min(shown)
        out[index] = SUPPRESSED
    return out


# --- Statistics from counts -------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """The median and quartiles of a number of days, from how many values."""

    n: int
    median: float | None
    q1: float | None
    q3: float | None


def quantile(histogram: Mapping[int, int], q: float) -> float | None:
    """The q-quantile of values given as {value: how many}, by linear interpolation
    between order statistics (the same as PostgreSQL's percentile_cont and numpy's
    default)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    position = q * (total - 1)
    lower_index = math.floor(position)
    fraction = position - lower_index
    lower: int | None = None
    upper: int | None = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if lower is None and seen > lower_index:
            lower = value
        if seen > lower_index + (1 if fraction else 0):
            upper = value
            break
    if lower is None or upper is None:  # pragma: no cover - the loop always finds both
        return None
    return lower + (upper - lower) * fraction


def spread(histogram: Mapping[int, int]) -> Spread:
    """Median and quartiles of a histogram of days."""
    return Spread(
        n=sum(histogram.values()),
        median=quantile(histogram, 0.5),
        q1=quantile(histogram, 0.25),
        q3=quantile(histogram, 0.75),
    )


def share(part: int, whole: int) -> float | None:
    """part / whole as a fraction, None when there is no whole."""
    return part / whole if whole else None


# --- Database expressions ---------------------------------------------------------------


class DaysBetween(Func):
    """Whole days from one date column to another (later - earlier), in the database."""

    output_field = IntegerField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        **extra_context: Any,
    ) -> tuple[str, Any]:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def month_start(day: dt.date) -> dt.date:
    """The first day of the day's month."""
    return day.replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of every month from `first`'s month to `last`'s, inclusive."""
    months: list[dt.date] = []
    current = month_start(first)
    while current <= last:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def gender_labels() -> list[tuple[str, str]]:
    """(value, label) of every gender, for a split."""
    return [(value, str(label)) for value, label in Gender.choices]


def genders_present(found: Iterable[str]) -> list[tuple[str, str]]:
    """(value, label) of the genders among `found`, in the choices' order."""
    present = set(found)
    return [(value, label) for value, label in gender_labels() if value in present]


def plot_value(value: Value) -> float | None:
    """A figure as a chart point; hidden and missing figures are gaps."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def label_of(choices: Iterable[tuple[str, Any]], value: str) -> str:
    """The display label of a choice value (the value itself when unknown)."""
    return str(dict(choices).get(value, value)) or _("Uppgift saknas")


# --- Showing figures --------------------------------------------------------------------


def format_value(value: Value, kind: ColumnKind, limit: int | None) -> str:
    """A figure as text, in the active language: shares as per cent, days with one
    decimal, hidden figures as "färre än N", missing ones as a dash."""
    if value is SUPPRESSED:
        return _("färre än %(n)s") % {"n": limit}
    if value is None:
        return "–"
    if isinstance(value, str | Suppressed) or kind == "text":
        return str(value)
    if kind == "share":
        return f"{number_format(round(float(value) * 100), 0)} %"
    if kind == "days" or (kind == "number" and isinstance(value, float)):
        return str(number_format(round(float(value), 1), 1))
    return str(number_format(value, 0, force_grouping=True))
