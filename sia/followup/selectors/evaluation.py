"""Evaluation: one cohort (the cases that started in the period, with their baseline
recorded) and its baseline values compared with the same measures one and two years on.

Year k counts only the cases whose baseline is at least k years old today: a case not
followed that long is not in that column (it is neither a success nor a failure yet).
So that year k is compared like for like, its change is measured against the baseline
of the same cases (those followed k years), not of the whole cohort. Every column is a
handful of aggregates in the database (counts with conditions, sums), three queries in
all, never a row per case.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sia.assessments.models import ProgressStep
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
    count_value,
    derived_value,
    few,
    gender_labels,
    plot_value,
    share_value,
    suppress_limit,
)
from sia.followup.filters import Filters, case_condition, cases_in_scope
from sia.followup.selectors.outcomes import self_sufficient_on

YEAR = 365
YEARS = (1, 2)

# Aggregates of one group (the whole cohort, or one gender of it), by name. For a
# measure `m`: `m0` at the start over the whole cohort, `m{k}` by the end of year k and
# `m0_{k}` at the start, both over the cases followed k years; `n0` and `n{k}` count
# those cases.
Counts = Mapping[str, int]


@dataclass(frozen=True)
class ShareMeasure:
    """A share of the cohort, by the name of its aggregates (see `Counts`)."""

    key: str
    label: str
    name: str


def _share_measures() -> list[ShareMeasure]:
    return [
        ShareMeasure("forsorjning", _("Andel med egen försörjning"), "ss"),
        ShareMeasure("kontrakt", _("Andel med eget kontrakt"), "lease"),
        ShareMeasure("samhallsorientering", _("Andel som börjat samhällsorientering"), "civic"),
        ShareMeasure("stegforflyttning", _("Andel med minst en stegförflyttning"), "progress"),
    ]


def _followed(years: int, today: dt.date, prefix: str = "") -> Q:
    """The case's baseline is at least `years` years old today."""
    cutoff = today - dt.timedelta(days=YEAR * years)
    return Q(**{f"{prefix}outcome__baseline_on__lte": cutoff})


def _grouped(rows: Any, split: bool, gender_field: str) -> dict[str, dict[str, int]]:
    """Rows of aggregates keyed by gender ("" when not split), with None as 0."""
    return {
        (str(row[gender_field]) if split else ""): {
            name: int(value or 0) for name, value in row.items() if name != gender_field
        }
        for row in rows
    }


def _case_counts(scope: Scope, filters: Filters, today: dt.date) -> dict[str, dict[str, int]]:
    """Per gender: the cases in the period, those with a baseline, those followed one and
    two years, and how many had each outcome at the start and by each year's end."""
    has_baseline = Q(outcome__isnull=False)
    ss_start = Q(outcome__baseline_self_sufficient=True)
    lease_start = Q(outcome__baseline_own_lease=True)
    civic_start = Q(civic_days__lte=0)
    concern_start = Q(outcome__baseline_concern_reports__gt=0)
    concern_sum = Sum("outcome__baseline_concern_reports")
    aggregates: dict[str, Any] = {
        "total": Count("pk"),
        "n0": Count("pk", filter=has_baseline),
        "ss0": Count("pk", filter=ss_start),
        "lease0": Count("pk", filter=lease_start),
        "civic0": Count("pk", filter=civic_start),
        "concern0": Coalesce(concern_sum, 0),
        "concerncases0": Count("pk", filter=concern_start),
    }
    for k in YEARS:
        followed = _followed(k, today)
        aggregates |= {
            f"n{k}": Count("pk", filter=followed),
            f"ss{k}": Count("pk", filter=followed & (ss_start | Q(ss_days__lte=YEAR * k))),
            f"lease{k}": Count("pk", filter=followed & (lease_start | Q(lease_days__lte=YEAR * k))),
            f"civic{k}": Count("pk", filter=followed & Q(civic_days__lte=YEAR * k)),
            f"ss0_{k}": Count("pk", filter=followed & ss_start),
            f"lease0_{k}": Count("pk", filter=followed & lease_start),
            f"civic0_{k}": Count("pk", filter=followed & civic_start),
            f"concern0_{k}": Coalesce(Sum("outcome__baseline_concern_reports", filter=followed), 0),
            f"concerncases0_{k}": Count("pk", filter=followed & concern_start),
        }
    cases = (
        cases_in_scope(scope, filters)
        .filter(first_contact_date__range=(filters.date_from, filters.date_to))
        .annotate(
            # The same definition of own support as the outcomes dashboard's.
            ss_days=DaysBetween(self_sufficient_on(), F("outcome__baseline_on")),
            lease_days=DaysBetween(F("outcome__own_lease_on"), F("outcome__baseline_on")),
            civic_days=DaysBetween(
                F("programme__civic_orientation_started_on"), F("outcome__baseline_on")
            ),
        )
    )
    if filters.split_gender:
        rows: Any = cases.values("person__gender").annotate(**aggregates).order_by()
    else:
        rows = [cases.aggregate(**aggregates)]
    return _grouped(rows, filters.split_gender, "person__gender")


def _cohort_condition(scope: Scope, filters: Filters) -> Q:
    """A related case is in the cohort: in scope, started in the period, with a baseline."""
    return case_condition(scope, filters, "case__") & Q(
        case__first_contact_date__range=(filters.date_from, filters.date_to),
        case__outcome__isnull=False,
    )


def _concern_counts(scope: Scope, filters: Filters, today: dt.date) -> dict[str, dict[str, int]]:
    """Per gender: the reports of concern in the first and second year after the
    baseline (year 1 from the baseline day itself), and how many cases they concern,
    for the cases followed that long."""
    aggregates: dict[str, Any] = {}
    for k in YEARS:
        in_year = _followed(k, today, "case__") & Q(days__gte=YEAR * (k - 1), days__lt=YEAR * k)
        aggregates |= {
            f"concern{k}": Count("pk", filter=in_year),
            f"concerncases{k}": Count("case", distinct=True, filter=in_year),
        }
    reports = (
        ConcernReport.objects.filter(_cohort_condition(scope, filters))
        .annotate(days=DaysBetween(F("received_on"), F("case__outcome__baseline_on")))
        .filter(days__gte=0, days__lt=YEAR * max(YEARS))
    )
    if filters.split_gender:
        rows: Any = reports.values("case__person__gender").annotate(**aggregates).order_by()
    else:
        rows = [reports.aggregate(**aggregates)]
    return _grouped(rows, filters.split_gender, "case__person__gender")


def _progress_counts(scope: Scope, filters: Filters, today: dt.date) -> dict[str, dict[str, int]]:
    """Per gender: the cases with at least one step forward by the baseline and by the
    end of each year (for the cases followed that long)."""
    at_start = Q(days__lte=0)
    aggregates: dict[str, Any] = {
        "progress0": Count("case", distinct=True, filter=at_start),
    }
    for k in YEARS:
        followed = _followed(k, today, "case__")
        aggregates |= {
            f"progress{k}": Count("case", distinct=True, filter=followed & Q(days__lte=YEAR * k)),
            f"progress0_{k}": Count("case", distinct=True, filter=followed & at_start),
        }
    steps = (
        ProgressStep.objects.filter(
            _cohort_condition(scope, filters), category=ProgressStep.Category.PROGRESS
        )
        .annotate(days=DaysBetween(F("occurred_on"), F("case__outcome__baseline_on")))
        .filter(days__lte=YEAR * max(YEARS))
    )
    if filters.split_gender:
        rows: Any = steps.values("case__person__gender").annotate(**aggregates).order_by()
    else:
        rows = [steps.aggregate(**aggregates)]
    return _grouped(rows, filters.split_gender, "case__person__gender")


# --- Figures as shown -------------------------------------------------------------------


def _change(after: Value, before: Value, scale: float) -> Value:
    """after − before (times `scale`, to percentage points or per 100 cases) with one
    decimal; hidden when either is; None when either is missing."""
    if after is SUPPRESSED or before is SUPPRESSED:
        return SUPPRESSED
    if not isinstance(after, int | float) or not isinstance(before, int | float):
        return None
    return round((float(after) - float(before)) * scale, 1)


def _others_few(
    at_start: int, whole: int, cohort_at_start: int, cohort: int, limit: int | None
) -> bool:
    """Whether the baseline of the cases followed k years, next to the whole cohort's,
    would give away a small count among the others (the cases not followed that long):
    how many of them had the outcome at the start, or did not, or how many they are."""
    others = share_value(cohort_at_start - at_start, cohort - whole, limit)
    return others is SUPPRESSED


def _share_change(
    reached: int, at_start: int, whole: int, cohort_at_start: int, cohort: int, limit: int | None
) -> Value:
    """The change in percentage points from the start to the end of year k, for the same
    `whole` cases. Suppressed, it is hidden with either share; when the cases that
    changed (reached − at_start) are 1 to limit - 1, as the change times the cases would
    count them; and when the baseline it implies, next to the whole cohort's, gives a
    small count away (`_others_few`)."""
    if whole == 0:
        return None
    after = share_value(reached, whole, limit)
    before = share_value(at_start, whole, limit)
    if few(reached - at_start, limit) or _others_few(
        at_start, whole, cohort_at_start, cohort, limit
    ):
        return SUPPRESSED
    return _change(after, before, 100)


def _rate(reports: int, cases_with: int, whole: int, limit: int | None) -> Value:
    """Reports of concern per 100 cases. Suppressed, hidden when the cases are under the
    limit or the reports concern 1 to limit - 1 of them (as the outcomes dashboard hides
    a count of reports about so few children)."""
    value = derived_value(100 * reports / whole if whole else None, whole, limit)
    if value is not None and few(cases_with, limit):
        return SUPPRESSED
    if isinstance(value, float) and limit is not None:
        # Whole reports per 100 cases: decimals would tell how many cases are behind it.
        return float(round(value))
    return value


def _missing_note(missing: int, limit: int | None) -> str:
    shown = count_value(missing, limit)
    if shown == 0:
        return ""
    if shown is SUPPRESSED:
        return _(
            "Färre än %(n)s ärenden som aktualiserades under perioden saknar ingångsvärden "
            "och är inte med."
        ) % {"n": limit}
    return ngettext(
        "%(n)s ärende som aktualiserades under perioden saknar ingångsvärden och är inte med.",
        "%(n)s ärenden som aktualiserades under perioden saknar ingångsvärden och är inte med.",
        shown if isinstance(shown, int) else 0,
    ) % {"n": shown}


def build(scope: Scope, filters: Filters, today: dt.date) -> Dashboard:
    """The evaluation dashboard for the scope and filters."""
    limit = suppress_limit(scope.suppress)
    split = filters.split_gender
    counts = _case_counts(scope, filters, today)
    for extra in (_concern_counts(scope, filters, today), _progress_counts(scope, filters, today)):
        for gender, more in extra.items():
            counts.setdefault(gender, {}).update(more)
    if split:
        genders = [
            (value, label)
            for value, label in gender_labels()
            if counts.get(value, {}).get("n0", 0) > 0
        ]
    else:
        genders = [("", "")]
    missing = sum(c.get("total", 0) - c.get("n0", 0) for c in counts.values())

    def get(gender: str, name: str) -> int:
        return counts.get(gender, {}).get(name, 0)

    def heading(label: str, gender_label: str) -> list[Value]:
        return [label, gender_label] if split else [label]

    def followed(gender: str) -> list[Value]:
        return [count_value(get(gender, f"n{k}"), limit) for k in (0, *YEARS)]

    rows: list[list[Value]] = []
    x_labels: list[str] = []
    # Per year: the baseline of the cases followed that long, and their value after it.
    bars: dict[int, tuple[list[float | None], list[float | None]]] = {k: ([], []) for k in YEARS}
    for measure in _share_measures():
        name = measure.name
        for gender, gender_label in genders:
            line = [
                *heading(measure.label, gender_label),
                share_value(get(gender, f"{name}0"), get(gender, "n0"), limit),
            ]
            for k in YEARS:
                whole = get(gender, f"n{k}")
                reached, at_start = get(gender, f"{name}{k}"), get(gender, f"{name}0_{k}")
                after = share_value(reached, whole, limit)
                change = _share_change(
                    reached,
                    at_start,
                    whole,
                    get(gender, f"{name}0"),
                    get(gender, "n0"),
                    limit,
                )
                line += [after, change]
                # The baseline of the same cases is year k minus the change: drawn only
                # where the change is shown.
                before = share_value(at_start, whole, limit)
                bars[k][0].append(plot_value(before) if isinstance(change, float) else None)
                bars[k][1].append(plot_value(after))
            rows.append([*line, *followed(gender)])
            x_labels.append(f"{measure.label} – {gender_label}" if split else measure.label)
    concern_rows: list[list[Value]] = []
    for gender, gender_label in genders:
        line = [
            *heading(_("Orosanmälningar per 100 ärenden"), gender_label),
            _rate(get(gender, "concern0"), get(gender, "concerncases0"), get(gender, "n0"), limit),
        ]
        for k in YEARS:
            whole = get(gender, f"n{k}")
            after = _rate(get(gender, f"concern{k}"), get(gender, f"concerncases{k}"), whole, limit)
            cases_at_start = get(gender, f"concerncases0_{k}")
            before = _rate(get(gender, f"concern0_{k}"), cases_at_start, whole, limit)
            change = _change(after, before, 1)
            # As for the shares: the others' baseline must not give a small count away.
            if change is not None and _others_few(
                cases_at_start, whole, get(gender, "concerncases0"), get(gender, "n0"), limit
            ):
                change = SUPPRESSED
            line += [after, change]
        concern_rows.append([*line, *followed(gender)])

    def columns(kind: Literal["share", "number"], changes: tuple[str, str]) -> list[Column]:
        head = [Column("measure", _("Mått"), "text")]
        if split:
            head.append(Column("gender", _("Kön"), "text"))
        return [
            *head,
            Column("baseline", _("Ingångsvärde"), kind),
            Column("year1", _("Efter år 1"), kind),
            Column("change1", changes[0], "number"),
            Column("year2", _("Efter år 2"), kind),
            Column("change2", changes[1], "number"),
            Column("cases", _("Ärenden")),
            Column("cases1", _("Ärenden år 1")),
            Column("cases2", _("Ärenden år 2")),
        ]

    section = Section(
        key="ingangsvarden-och-utfall",
        title=_("Ingångsvärden och utfall"),
        description=_(
            "Kohorten är ärendena som aktualiserades under perioden och har registrerade "
            "ingångsvärden. Efter år 1 och år 2 räknas bara ärenden vars ingångsvärden "
            "registrerades minst ett respektive två år före idag. Förändringen jämför "
            "värdet efter året med ingångsvärdet för samma ärenden (de som följts så "
            "länge), i procentenheter; ingångsvärdet i första kolumnen gäller hela "
            "kohorten."
        ),
        table=Table(
            key="utvardering",
            title=_("Ingångsvärden och utfall"),
            columns=columns(
                "share",
                (
                    _("Förändring år 1 (procentenheter)"),
                    _("Förändring år 2 (procentenheter)"),
                ),
            ),
            rows=rows,
            heading_columns=2 if split else 1,
            note=_missing_note(missing, limit),
        ),
        extra=[
            Table(
                key="utvardering-orosanmalningar",
                title=_("Orosanmälningar per 100 ärenden"),
                columns=columns("number", (_("Förändring år 1"), _("Förändring år 2"))),
                rows=concern_rows,
                heading_columns=2 if split else 1,
                note=_(
                    "Ingångsvärdet är antalet orosanmälningar under året före "
                    "ingångsvärdena, så som det registrerades. År 1 räknas från dagen för "
                    "ingångsvärdena (en anmälan samma dag hör till år 1) till dagen före "
                    "ettårsdagen, år 2 från ettårsdagen till dagen före tvåårsdagen. "
                    "Förändringen jämför med ingångsvärdet för samma ärenden."
                ),
            )
        ],
        chart=Chart(
            kind="bar",
            title=_("Före och efter för samma ärenden, år 1 och år 2"),
            x_labels=x_labels,
            series=[
                Series(_("Ingångsvärde, ärenden följda 1 år"), bars[1][0]),
                Series(_("Efter år 1"), bars[1][1]),
                Series(_("Ingångsvärde, ärenden följda 2 år"), bars[2][0]),
                Series(_("Efter år 2"), bars[2][1]),
            ],
            y_percent=True,
        ),
    )
    return Dashboard(
        key="utvardering",
        title=_("Utvärdering"),
        sections=[section],
        suppress_below=limit,
    )
