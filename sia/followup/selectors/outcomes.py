"""Outcomes over time: how soon the cases that started in the period reach their own
support (egen försörjning) and their own lease (eget kontrakt), by cohort, arrival
category and gender, and the reports of concern about the children per month.

Time to an outcome is counted from the first contact. A case still open, or closed
without the outcome, counts for as long as it was followed (it is censored), so the
shares are Kaplan–Meier estimates (sia.followup.survival) computed from counts per
number of days: one grouped query per outcome and grouping, never a row per case.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.expressions import Combinable
from django.db.models.expressions import Value as DbValue
from django.db.models.functions import Coalesce, ExtractYear, TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sia.cases.models import Case
from sia.establishment.models import ConcernReport
from sia.followup.access import Scope
from sia.followup.figures import (
    SUPPRESSED,
    Chart,
    Column,
    Dashboard,
    DaysBetween,
    Section,
    Series,
    Table,
    Value,
    coarse_share,
    count_value,
    derived_value,
    few,
    gender_labels,
    genders_present,
    label_of,
    months_between,
    plot_value,
    protect_group,
    suppress_limit,
)
from sia.followup.filters import Filters, case_condition, cases_in_scope
from sia.followup.survival import CurvePoint, kaplan_meier, median_time, survival_at
from sia.people.models import ArrivalCategory, Gender

# The follow-up times the tables show, in months (182, 365 and 730 days): points of
# the chart's curve.
SHARE_MONTHS = (6, 12, 24)
# The chart runs from the first contact to three years on, month by month.
CHART_MONTHS = 36


def _month_days(month: int) -> int:
    """Days in `month` whole months, as the tables count them (6 -> 182, 12 -> 365)."""
    return month * 365 // 12


@dataclass(frozen=True)
class Outcome:
    """One outcome measured as time from first contact."""

    key: str
    title: str
    share_label: str
    # CaseOutcome's field saying the case had the outcome already at the start.
    baseline_field: str
    # The date the outcome was reached, as a database expression on Case.
    reached_on: Callable[[], Combinable]


def self_sufficient_on(prefix: str = "") -> Combinable:
    """The date a case reached its own support, as a database expression on the case
    (`prefix` leads from another model to it, e.g. "case__"): the recorded date; else,
    for a case closed because the household supports itself, the day it was closed.
    The evaluation dashboard uses the same definition."""
    return Coalesce(
        F(f"{prefix}outcome__self_sufficient_on"),
        CaseWhen(
            When(
                **{f"{prefix}closing_reason": Case.ClosingReason.SELF_SUFFICIENT},
                then=F(f"{prefix}closed_on"),
            ),
            default=DbValue(None),
            output_field=DateField(),
        ),
        output_field=DateField(),
    )


def _own_lease_on() -> Combinable:
    return F("outcome__own_lease_on")


def _outcomes() -> list[Outcome]:
    return [
        Outcome(
            key="forsorjning",
            title=_("Egen försörjning"),
            share_label=_("Andel med egen försörjning"),
            baseline_field="baseline_self_sufficient",
            reached_on=self_sufficient_on,
        ),
        Outcome(
            key="kontrakt",
            title=_("Eget kontrakt"),
            share_label=_("Andel med eget kontrakt"),
            baseline_field="baseline_own_lease",
            reached_on=_own_lease_on,
        ),
    ]


@dataclass(frozen=True)
class Grouping:
    """How the cases are divided: the expression naming a case's group, and labels."""

    key: str
    title: str
    heading: str
    expression: Callable[[], Combinable]
    order: Callable[[Iterable[object]], list[tuple[object, str]]]


def _by_cohort(found: Iterable[object]) -> list[tuple[object, str]]:
    return [(year, str(year)) for year in sorted({int(str(y)) for y in found})]


def _by_choices(
    choices: list[tuple[str, str]],
) -> Callable[[Iterable[object]], list[tuple[object, str]]]:
    def order(found: Iterable[object]) -> list[tuple[object, str]]:
        present = {str(value) for value in found}
        known = [(value, str(label)) for value, label in choices if value in present]
        rest = sorted(present - {value for value, _label in choices})
        return [*known, *[(value, label_of(choices, value)) for value in rest]]

    return order


def _groupings() -> list[Grouping]:
    return [
        Grouping(
            "kohort",
            _("per kohort"),
            _("Kohort (år för aktualisering)"),
            lambda: ExtractYear("first_contact_date"),
            _by_cohort,
        ),
        Grouping(
            "kategori",
            _("per ankomstkategori"),
            _("Ankomstkategori"),
            lambda: F("person__arrival_category"),
            _by_choices([(str(v), str(label)) for v, label in ArrivalCategory.choices]),
        ),
        Grouping(
            "kon",
            _("per kön"),
            _("Kön"),
            lambda: F("person__gender"),
            _by_choices([(str(v), str(label)) for v, label in Gender.choices]),
        ),
    ]


# --- Counting ---------------------------------------------------------------------------

Key = tuple[object, str]  # (group, gender); gender "" when not split


class _Counts:
    """Events and censorings per number of days, for one group (filled, then read)."""

    def __init__(self) -> None:
        self.by_days: dict[int, list[int]] = defaultdict(lambda: [0, 0])

    @cached_property
    def n(self) -> int:
        return sum(e + c for e, c in self.by_days.values())

    @cached_property
    def events(self) -> int:
        return sum(e for e, _c in self.by_days.values())

    @cached_property
    def longest(self) -> int:
        return max(self.by_days, default=-1)

    @cached_property
    def curve(self) -> list[CurvePoint]:
        return kaplan_meier((days, e, c) for days, (e, c) in self.by_days.items())

    def events_until(self, days: float) -> int:
        """How many reached the outcome on or before `days`."""
        return sum(e for d, (e, _c) in self.by_days.items() if d <= days)

    def at_risk(self, days: float) -> int:
        """How many were still at risk at `days`: followed that long without having
        reached the outcome before (the number at risk of a Kaplan–Meier table)."""
        return sum(e + c for d, (e, c) in self.by_days.items() if d >= days)


def _population(scope: Scope, filters: Filters, outcome: Outcome, today: dt.date) -> QuerySet[Case]:
    """The cases that started in the period and were at risk, with the days from first
    contact to the outcome (is_event) or to the end of follow-up (closing or today)."""
    at_risk = Q(outcome__isnull=True) | Q(**{f"outcome__{outcome.baseline_field}": False})
    return (
        cases_in_scope(scope, filters)
        .filter(first_contact_date__range=(filters.date_from, filters.date_to))
        .filter(at_risk)
        .annotate(reached_on=outcome.reached_on())
        .annotate(
            is_event=ExpressionWrapper(Q(reached_on__isnull=False), output_field=BooleanField()),
            duration=DaysBetween(
                Coalesce(
                    F("reached_on"),
                    F("closed_on"),
                    DbValue(today, output_field=DateField()),
                    output_field=DateField(),
                ),
                F("first_contact_date"),
            ),
        )
    )


def _count(
    population: QuerySet[Case], grouping: Grouping, split: bool
) -> tuple[dict[Key, _Counts], int]:
    """Counts per group (× gender) and number of days; and how many cases had a date
    before their first contact (left out)."""
    fields = ["group_key", "duration", "is_event"]
    annotations: dict[str, Combinable] = {"group_key": grouping.expression()}
    if split:
        annotations["gender_key"] = F("person__gender")
        fields.append("gender_key")
    rows = population.annotate(**annotations).values(*fields).annotate(n=Count("pk")).order_by()
    counts: dict[Key, _Counts] = {}
    invalid = 0
    for row in rows:
        n = int(row["n"])
        days = row["duration"]
        if days is None or days < 0:
            invalid += n
            continue
        key = (row["group_key"], str(row["gender_key"]) if split else "")
        slot = counts.setdefault(key, _Counts())
        slot.by_days[int(days)][0 if row["is_event"] else 1] += n
    return counts, invalid


# --- Tables and charts ------------------------------------------------------------------


def _share_reached(curve: list[CurvePoint], counts: _Counts, days: int) -> float | None:
    """1 − S(days), or None when nobody in the group was followed that long (unless
    everyone had reached the outcome by then: the share is then known to be 100 %)."""
    survival = survival_at(curve, days)
    if days > counts.longest and survival > 0:
        return None
    return 1.0 - survival


def _curve_shown(counts: _Counts, limit: int | None) -> list[Value]:
    """1 − S(t) at each month of the chart (0 to CHART_MONTHS), as the viewer may see it;
    the tables show the same points at 6, 12 and 24 months.

    Suppressed, every point is hidden when the group is under the limit, and a point is
    hidden when the number still at risk then is 1 to limit - 1, or when 1 to limit - 1
    events happened since the last point shown (from the start for the first): the
    group's size, or the step from a shown point, would give those events away. So
    every point shown is at least `limit` events (or none) from the one before."""
    values: list[Value] = []
    events_shown = 0
    for month in range(CHART_MONTHS + 1):
        days = _month_days(month)
        value = coarse_share_of(
            derived_value(_share_reached(counts.curve, counts, days), counts.n, limit), limit
        )
        if isinstance(value, float) and limit is not None:
            events = counts.events_until(days)
            if few(events - events_shown, limit) or few(counts.at_risk(days), limit):
                value = SUPPRESSED
            else:
                events_shown = events
        values.append(value)
    return values


def _median_shown(counts: _Counts, limit: int | None) -> Value:
    """The median time as the viewer may see it. Suppressed, it is hidden when the group
    is under the limit or fewer than `limit` reached the outcome by the median time."""
    median = median_time(counts.curve)
    value = derived_value(median, counts.n, limit)
    if median is None or value is SUPPRESSED:
        return value
    if limit is not None and counts.events_until(median) < limit:
        return SUPPRESSED
    return value


def coarse_share_of(value: Value, limit: int | None) -> Value:
    """A survival point to the nearest 5 percentage points when suppressed (see
    figures.coarse_share); hidden and missing points stay as they are."""
    if isinstance(value, float):
        return coarse_share(value, limit)
    return value


def _invalid_note(invalid: int, limit: int | None) -> str:
    shown = count_value(invalid, limit)
    if shown == 0:
        return ""
    if shown is SUPPRESSED:
        return _("Färre än %(n)s ärenden saknar giltiga datum och är inte med.") % {"n": limit}
    return ngettext(
        "%(n)s ärende saknar giltiga datum och är inte med.",
        "%(n)s ärenden saknar giltiga datum och är inte med.",
        shown if isinstance(shown, int) else 0,
    ) % {"n": shown}


def _genders_present(counts: dict[Key, _Counts]) -> list[tuple[str, str]]:
    return genders_present(gender for _group, gender in counts)


def _series(
    counts: dict[Key, _Counts],
    labels: Sequence[tuple[Key, str]],
    limit: int | None,
) -> list[Series]:
    """One step line per group shown (groups too small to show are left out)."""
    series = []
    for key, label in labels:
        group = counts[key]
        if derived_value(1.0, group.n, limit) in (None, SUPPRESSED):
            continue
        series.append(Series(label, [plot_value(v) for v in _curve_shown(group, limit)]))
    return series


def _section(
    outcome: Outcome,
    grouping: Grouping,
    counts: dict[Key, _Counts],
    invalid: int,
    by_gender: dict[Key, _Counts],
    filters: Filters,
    limit: int | None,
) -> Section:
    split = filters.split_gender and grouping.key != "kon"
    groups = grouping.order({group for group, _gender in counts})
    genders = _genders_present(counts) if split else [("", "")]
    keys: list[tuple[Key, str, str]] = [
        ((group, gender), label, gender_label)
        for group, label in groups
        for gender, gender_label in genders
        if (group, gender) in counts
    ]
    rows: list[list[Value]] = []
    for key, label, gender_label in keys:
        group = counts[key]
        line: list[Value] = [label, gender_label] if split else [label]
        line += [count_value(group.n, limit), count_value(group.events, limit)]
        curve = _curve_shown(group, limit)
        line += [curve[month] for month in SHARE_MONTHS]
        line.append(_median_shown(group, limit))
        rows.append(line)
    if split:
        # The per-gender table shows each gender's total: hide one more count where
        # exactly one group of a gender is hidden.
        for gender, _label in genders:
            indexes = [i for i, (key, _l, _g) in enumerate(keys) if key[1] == gender]
            for column in (2, 3):
                protected = protect_group([rows[i][column] for i in indexes], total_shown=True)
                for i, value in zip(indexes, protected, strict=True):
                    rows[i][column] = value
    columns = [Column("group", grouping.heading, "text")]
    if split:
        columns.append(Column("gender", _("Kön"), "text"))
    columns += [
        Column("cases", _("Ärenden")),
        Column("events", _("Händelser")),
        Column("m6", _("Andel vid 6 mån"), "share"),
        Column("m12", _("Andel vid 12 mån"), "share"),
        Column("m24", _("Andel vid 24 mån"), "share"),
        Column("median", _("Median (dagar)"), "days"),
    ]
    if split:
        # One line per group and gender would be too many: the chart shows the genders.
        chart_labels: list[tuple[Key, str]] = [
            ((g, ""), label) for g, label in gender_labels() if (g, "") in by_gender
        ]
        chart_counts = by_gender
    else:
        chart_labels = [(key, label) for key, label, _g in keys]
        chart_counts = counts
    title = f"{outcome.title} {grouping.title}"
    return Section(
        key=f"{outcome.key}-{grouping.key}",
        title=title,
        description=_(
            "Tid från aktualisering till %(outcome)s för ärenden som aktualiserades under "
            "perioden. Öppna ärenden och ärenden som avslutats av andra skäl räknas så "
            "länge de följts (Kaplan–Meier). Ärenden som hade det redan vid start är inte "
            "med. Andelen saknas när ingen i gruppen följts så länge."
        )
        % {"outcome": outcome.title.lower()},
        table=Table(
            key=f"{outcome.key}-{grouping.key}",
            title=title,
            columns=columns,
            rows=rows,
            heading_columns=2 if split else 1,
            note=_invalid_note(invalid, limit),
        ),
        chart=Chart(
            kind="step",
            title=_("%(share)s, månader efter aktualisering") % {"share": outcome.share_label},
            x_labels=[str(month) for month in range(CHART_MONTHS + 1)],
            series=_series(chart_counts, chart_labels, limit),
            y_label=outcome.share_label,
            y_percent=True,
        ),
    )


def _outcome_sections(
    scope: Scope, filters: Filters, today: dt.date, limit: int | None
) -> list[Section]:
    sections = []
    for outcome in _outcomes():
        population = _population(scope, filters, outcome, today)
        groupings = _groupings()
        results = {
            grouping.key: _count(
                population, grouping, filters.split_gender and grouping.key != "kon"
            )
            for grouping in groupings
        }
        by_gender = results["kon"][0]
        for grouping in groupings:
            counts, invalid = results[grouping.key]
            sections.append(_section(outcome, grouping, counts, invalid, by_gender, filters, limit))
    return sections


def _month_key(value: object) -> object:
    return value.date() if isinstance(value, dt.datetime) else value


def _reports_value(reports: int, cases: int, limit: int | None) -> Value:
    """A number of reports of concern as the viewer may see it. Suppressed, it is also
    hidden when the reports concern 1 to limit - 1 cases: the count would tell how
    many reports were made about so few children."""
    if few(cases, limit):
        return SUPPRESSED
    return count_value(reports, limit)


def _concern_section(scope: Scope, filters: Filters, limit: int | None) -> Section:
    split = filters.split_gender
    reports = ConcernReport.objects.filter(
        case_condition(scope, filters, "case__"),
        received_on__range=(filters.date_from, filters.date_to),
    )
    gender_field = ["case__person__gender"] if split else []
    per_month: dict[Key, tuple[int, int]] = {}
    for row in (
        reports.annotate(month=TruncMonth("received_on"))
        .values("month", *gender_field)
        .annotate(reports=Count("pk"), cases=Count("case", distinct=True))
        .order_by()
    ):
        gender = str(row["case__person__gender"]) if split else ""
        per_month[(_month_key(row["month"]), gender)] = (int(row["reports"]), int(row["cases"]))
    total_counts = {"reports": Count("pk"), "cases": Count("case", distinct=True)}
    total_rows = (
        reports.values(*gender_field).annotate(**total_counts).order_by()
        if split
        else [reports.aggregate(**total_counts)]
    )
    totals: dict[str, tuple[int, int]] = {
        (str(row["case__person__gender"]) if split else ""): (
            int(row["reports"]),
            int(row["cases"]),
        )
        for row in total_rows
    }
    months = months_between(filters.date_from, filters.date_to)
    genders = (
        [(value, label) for value, label in gender_labels() if value in totals]
        if split
        else [("", "")]
    )
    rows: list[list[Value]] = []
    series: list[Series] = []
    for gender, gender_label in genders:
        total_reports, total_cases = totals.get(gender, (0, 0))
        total_shown = _reports_value(total_reports, total_cases, limit)
        month_reports = protect_group(
            [_reports_value(*per_month.get((m, gender), (0, 0)), limit) for m in months],
            total_shown=total_shown is not SUPPRESSED,
        )
        for month, shown in zip(months, month_reports, strict=True):
            cases = per_month.get((month, gender), (0, 0))[1]
            line: list[Value] = [f"{month:%Y-%m}"]
            if split:
                line.append(gender_label)
            rows.append([*line, shown, count_value(cases, limit)])
        line = [_("Hela perioden")]
        if split:
            line.append(gender_label)
        rows.append([*line, total_shown, count_value(total_cases, limit)])
        series.append(
            Series(
                gender_label or _("Orosanmälningar"),
                [float(v) if isinstance(v, int) else None for v in month_reports],
            )
        )
    columns = [Column("month", _("Månad"), "text")]
    if split:
        columns.append(Column("gender", _("Kön"), "text"))
    columns += [
        Column("reports", _("Orosanmälningar")),
        Column("cases", _("Ärenden med minst en orosanmälan")),
    ]
    return Section(
        key="orosanmalningar",
        title=_("Orosanmälningar"),
        description=_(
            "Orosanmälningar om barnen som kom in under perioden, per månad, och hur många "
            "ärenden de gällde."
        ),
        table=Table(
            key="orosanmalningar",
            title=_("Orosanmälningar per månad"),
            columns=columns,
            rows=rows,
            heading_columns=2 if split else 1,
            note=(
                _("Antalet orosanmälningar visas inte när de gäller färre än %(n)s ärenden.")
                % {"n": limit}
                if limit is not None
                else ""
            ),
        ),
        chart=Chart(
            kind="bar",
            title=_("Orosanmälningar per månad"),
            x_labels=[f"{m:%Y-%m}" for m in months],
            series=series,
            y_label=_("Orosanmälningar"),
        ),
    )


def build(scope: Scope, filters: Filters, today: dt.date) -> Dashboard:
    """The outcomes dashboard for the scope and filters."""
    limit = suppress_limit(scope.suppress)
    return Dashboard(
        key="utfall",
        title=_("Utfall över tid"),
        sections=[
            *_outcome_sections(scope, filters, today, limit),
            _concern_section(scope, filters, limit),
        ],
        suppress_below=limit,
    )
