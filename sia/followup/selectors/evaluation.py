"""Evaluation: one cohort (the cases that started in the period, with their baseline
recorded) and its baseline values compared with the same measures one and two years on.

Year k counts only the cases whose baseline is at least k years old today: a case not
followed that long is not in that column (it is neither a success nor a failure yet).
Every column is a handful of aggregates in the database (counts with conditions, sums),
three queries in all, never a row per case.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
    ColumnKind,
    Dashboard,
    DaysBetween,
    Section,
    Series,
    Table,
    Value,
    count_value,
    derived_value,
    gender_labels,
    plot_value,
    share,
    suppress_limit,
)
from sia.followup.filters import Filters, case_condition, cases_in_scope

YEAR = 365
YEARS = (1, 2)

# Aggregates of one group (the whole cohort, or one gender of it), by name.
Counts = Mapping[str, int]


@dataclass(frozen=True)
class ShareMeasure:
    """A share of the cohort: the counts (by aggregate name) reached at the start and
    after each year."""

    key: str
    label: str
    counts: tuple[str, str, str]


def _share_measures() -> list[ShareMeasure]:
    return [
        ShareMeasure("forsorjning", _("Andel med egen försörjning"), ("ss0", "ss1", "ss2")),
        ShareMeasure("kontrakt", _("Andel med eget kontrakt"), ("lease0", "lease1", "lease2")),
        ShareMeasure(
            "samhallsorientering",
            _("Andel som börjat samhällsorientering"),
            ("civic0", "civic1", "civic2"),
        ),
        ShareMeasure(
            "stegforflyttning",
            _("Andel med minst en stegförflyttning"),
            ("progress0", "progress1", "progress2"),
        ),
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
    aggregates: dict[str, Any] = {
        "total": Count("pk"),
        "n0": Count("pk", filter=has_baseline),
        "ss0": Count("pk", filter=ss_start),
        "lease0": Count("pk", filter=lease_start),
        "civic0": Count("pk", filter=Q(civic_days__lte=0)),
        "concern0": Coalesce(Sum("outcome__baseline_concern_reports"), 0),
    }
    for k in YEARS:
        followed = _followed(k, today)
        aggregates |= {
            f"n{k}": Count("pk", filter=followed),
            f"ss{k}": Count("pk", filter=followed & (ss_start | Q(ss_days__lte=YEAR * k))),
            f"lease{k}": Count("pk", filter=followed & (lease_start | Q(lease_days__lte=YEAR * k))),
            f"civic{k}": Count("pk", filter=followed & Q(civic_days__lte=YEAR * k)),
        }
    cases = (
        cases_in_scope(scope, filters)
        .filter(first_contact_date__range=(filters.date_from, filters.date_to))
        .annotate(
            ss_days=DaysBetween(F("outcome__self_sufficient_on"), F("outcome__baseline_on")),
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
    baseline, for the cases followed that long."""
    aggregates = {
        f"concern{k}": Count(
            "pk",
            filter=_followed(k, today, "case__") & Q(days__gt=YEAR * (k - 1), days__lte=YEAR * k),
        )
        for k in YEARS
    }
    reports = (
        ConcernReport.objects.filter(_cohort_condition(scope, filters))
        .annotate(days=DaysBetween(F("received_on"), F("case__outcome__baseline_on")))
        .filter(days__gt=0, days__lte=YEAR * max(YEARS))
    )
    if filters.split_gender:
        rows: Any = reports.values("case__person__gender").annotate(**aggregates).order_by()
    else:
        rows = [reports.aggregate(**aggregates)]
    return _grouped(rows, filters.split_gender, "case__person__gender")


def _progress_counts(scope: Scope, filters: Filters, today: dt.date) -> dict[str, dict[str, int]]:
    """Per gender: the cases with at least one step forward by the baseline and by the
    end of each year (for the cases followed that long)."""
    aggregates: dict[str, Any] = {
        "progress0": Count("case", distinct=True, filter=Q(days__lte=0)),
    }
    for k in YEARS:
        aggregates[f"progress{k}"] = Count(
            "case", distinct=True, filter=_followed(k, today, "case__") & Q(days__lte=YEAR * k)
        )
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
        missing,
    ) % {"n": missing}


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

    def n(gender: str, k: int) -> int:
        return counts.get(gender, {}).get(f"n{k}", 0)

    def get(gender: str, name: str) -> int:
        return counts.get(gender, {}).get(name, 0)

    def heading(label: str, gender_label: str) -> list[Value]:
        return [label, gender_label] if split else [label]

    def followed(gender: str) -> list[Value]:
        return [count_value(n(gender, k), limit) for k in (0, *YEARS)]

    rows: list[list[Value]] = []
    x_labels: list[str] = []
    bars: list[list[float | None]] = [[], [], []]
    for measure in _share_measures():
        for gender, gender_label in genders:
            values = [
                derived_value(share(get(gender, name), n(gender, k)), n(gender, k), limit)
                for k, name in enumerate(measure.counts)
            ]
            rows.append([*heading(measure.label, gender_label), *values, *followed(gender)])
            x_labels.append(f"{measure.label} – {gender_label}" if split else measure.label)
            for bar, value in zip(bars, values, strict=True):
                bar.append(plot_value(value))
    concern_rows: list[list[Value]] = []
    for gender, gender_label in genders:
        rates = [
            derived_value(
                100 * get(gender, f"concern{k}") / n(gender, k) if n(gender, k) else None,
                n(gender, k),
                limit,
            )
            for k in (0, *YEARS)
        ]
        concern_rows.append(
            [
                *heading(_("Orosanmälningar per 100 ärenden"), gender_label),
                *rates,
                *followed(gender),
            ]
        )

    def columns(kind: ColumnKind) -> list[Column]:
        head = [Column("measure", _("Mått"), "text")]
        if split:
            head.append(Column("gender", _("Kön"), "text"))
        return [
            *head,
            Column("baseline", _("Ingångsvärde"), kind),
            Column("year1", _("Efter år 1"), kind),
            Column("year2", _("Efter år 2"), kind),
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
            "registrerades minst ett respektive två år före idag. Orosanmälningar räknas "
            "vid start för året före och därefter per år efter ingångsvärdena."
        ),
        table=Table(
            key="utvardering",
            title=_("Ingångsvärden och utfall"),
            columns=columns("share"),
            rows=rows,
            heading_columns=2 if split else 1,
            note=_missing_note(missing, limit),
        ),
        extra=[
            Table(
                key="utvardering-orosanmalningar",
                title=_("Orosanmälningar per 100 ärenden"),
                columns=columns("number"),
                rows=concern_rows,
                heading_columns=2 if split else 1,
            )
        ],
        chart=Chart(
            kind="bar",
            title=_("Ingångsvärden och utfall efter år 1 och år 2"),
            x_labels=x_labels,
            series=[
                Series(_("Ingångsvärde"), bars[0]),
                Series(_("År 1"), bars[1]),
                Series(_("År 2"), bars[2]),
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
