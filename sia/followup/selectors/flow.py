"""Flow: cases coming in and going out per month, the cases open now and the caseload
per worker, and the balance between them (seed 003 shows a group whose inflow outran its
outflow). Every figure is a grouped count in the database."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from sia.accounts.models import Role
from sia.cases.models import Case, CaseTeamMember
from sia.followup.access import Scope
from sia.followup.figures import (
    SUPPRESSED,
    Chart,
    Column,
    Dashboard,
    Section,
    Series,
    Table,
    Value,
    count_value,
    derived_value,
    genders_present,
    label_of,
    months_between,
    plot_value,
    spread,
    suppress_limit,
)
from sia.followup.filters import Filters, case_condition, cases_in_scope
from sia.people.models import Gender

# The caseworkers whose caseload is counted: the roles a case is allocated to.
CASELOAD_ROLES = [
    Role.RECEPTION_SOCIAL_WORKER,
    Role.ASSESSMENT_SOCIAL_WORKER,
    Role.INTEGRATION_SOCIAL_WORKER,
    Role.COMMUNITY_GUIDE,
]

Key = tuple[object, str]  # (group, gender); gender "" when not split


def _genders(filters: Filters, present: Iterable[str]) -> list[tuple[str, str]]:
    """The genders to show rows for: every gender that occurs, in the choices' order."""
    if not filters.split_gender:
        return [("", "")]
    return genders_present(present)


def _gender_field(filters: Filters, prefix: str = "") -> list[str]:
    return [f"{prefix}person__gender"] if filters.split_gender else []


def _counts(
    rows: Iterable[dict[str, object]], group: str, filters: Filters, prefix: str = ""
) -> dict[Key, int]:
    out: dict[Key, int] = defaultdict(int)
    for row in rows:
        gender = str(row[f"{prefix}person__gender"]) if filters.split_gender else ""
        key = row[group]
        if isinstance(key, dt.datetime):
            key = key.date()
        out[(key, gender)] += int(str(row["n"]))
    return out


def _balance(new: Value, closed: Value) -> Value:
    if isinstance(new, int) and isinstance(closed, int):
        return new - closed
    return SUPPRESSED


def _monthly(scope: Scope, filters: Filters, limit: int | None) -> Section:
    cases = cases_in_scope(scope, filters)
    period = Q(first_contact_date__range=(filters.date_from, filters.date_to))
    new = _counts(
        cases.filter(period)
        .annotate(month=TruncMonth("first_contact_date"))
        .values("month", *_gender_field(filters))
        .annotate(n=Count("id"))
        .order_by(),
        "month",
        filters,
    )
    closed = _counts(
        cases.filter(closed_on__range=(filters.date_from, filters.date_to))
        .annotate(month=TruncMonth("closed_on"))
        .values("month", *_gender_field(filters))
        .annotate(n=Count("id"))
        .order_by(),
        "month",
        filters,
    )
    # Open when the period starts: first contact before it, not closed before it.
    open_at_start: dict[str, int] = defaultdict(int)
    for row in (
        cases.filter(first_contact_date__lt=filters.date_from)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=filters.date_from))
        .values(*_gender_field(filters))
        .annotate(n=Count("id"))
        .order_by()
    ):
        open_at_start[str(row["person__gender"]) if filters.split_gender else ""] += int(row["n"])
    genders = _genders(filters, {g for _m, g in [*new, *closed]} | set(open_at_start))
    months = months_between(filters.date_from, filters.date_to)
    rows: list[list[Value]] = []
    series_new: dict[str, list[float | None]] = defaultdict(list)
    series_closed: dict[str, list[float | None]] = defaultdict(list)
    for gender, gender_label in genders:
        running = open_at_start[gender]
        for month in months:
            n_new = new.get((month, gender), 0)
            n_closed = closed.get((month, gender), 0)
            running += n_new - n_closed
            shown_new = count_value(n_new, limit)
            shown_closed = count_value(n_closed, limit)
            line: list[Value] = [f"{month:%Y-%m}"]
            if filters.split_gender:
                line.append(gender_label)
            line += [shown_new, shown_closed, _balance(shown_new, shown_closed)]
            if limit is None:
                line.append(running)
            rows.append(line)
            series_new[gender_label].append(plot_value(shown_new))
            series_closed[gender_label].append(plot_value(shown_closed))
    columns = [Column("month", _("Månad"), "text")]
    if filters.split_gender:
        columns.append(Column("gender", _("Kön"), "text"))
    columns += [
        Column("new", _("Nya ärenden")),
        Column("closed", _("Avslutade ärenden")),
        Column("balance", _("Balans (nya minus avslutade)"), "number"),
    ]
    note = ""
    if limit is None:
        columns.append(Column("open", _("Öppna vid månadens slut")))
    else:
        # Two month-ends apart by the month's new and closed cases would give a hidden
        # count away, so with small counts hidden the month-end figures are left out.
        note = _(
            "Öppna ärenden vid varje månads slut visas bara för den egna enhetens chef: "
            "skillnaden mellan två månader skulle annars avslöja dolda antal."
        )
    series = []
    for gender, gender_label in genders:
        suffix = f" – {gender_label}" if gender else ""
        series.append(Series(_("Nya") + suffix, series_new[gender_label]))
        series.append(Series(_("Avslutade") + suffix, series_closed[gender_label]))
    return Section(
        key="per-manad",
        title=_("Inflöde och utflöde per månad"),
        description=_(
            "Nya ärenden räknas från aktualiseringsdatumet, avslutade från avslutsdatumet. "
            "En positiv balans betyder att fler ärenden kom in än avslutades."
        ),
        table=Table(
            key="inflode-utflode",
            title=_("Nya och avslutade ärenden per månad"),
            columns=columns,
            rows=rows,
            heading_columns=2 if filters.split_gender else 1,
            note=note,
        ),
        chart=Chart(
            kind="bar",
            title=_("Nya och avslutade ärenden per månad"),
            x_labels=[f"{m:%Y-%m}" for m in months],
            series=series,
            y_label=_("Ärenden"),
        ),
    )


def _split_columns(first: Column, filters: Filters) -> list[Column]:
    columns = [first]
    if filters.split_gender:
        columns.append(Column("gender", _("Kön"), "text"))
    return columns


def _grouped_rows(
    counts: dict[Key, int],
    groups: list[tuple[object, str]],
    filters: Filters,
    limit: int | None,
) -> tuple[list[list[Value]], dict[str, list[float | None]]]:
    """One row per group (× gender), with its count; chart values per gender."""
    genders = _genders(filters, {g for _k, g in counts})
    rows: list[list[Value]] = []
    series: dict[str, list[float | None]] = defaultdict(list)
    for group, label in groups:
        for gender, gender_label in genders:
            shown = count_value(counts.get((group, gender), 0), limit)
            rows.append([label, gender_label, shown] if filters.split_gender else [label, shown])
            series[gender_label or _("Ärenden")].append(plot_value(shown))
    return rows, series


@dataclass(frozen=True)
class CountByChoice:
    """A section counting cases by one field's choices: which field, which choices, words."""

    field: str
    groups: list[tuple[object, str]]
    key: str
    title: str
    description: str
    table_key: str
    heading: Column
    count: Column


def _count_by_choice(
    cases: QuerySet[Case], what: CountByChoice, filters: Filters, limit: int | None
) -> Section:
    counts = _counts(
        cases.values(what.field, *_gender_field(filters)).annotate(n=Count("id")).order_by(),
        what.field,
        filters,
    )
    rows, series = _grouped_rows(counts, what.groups, filters, limit)
    return Section(
        key=what.key,
        title=what.title,
        description=what.description,
        table=Table(
            key=what.table_key,
            title=what.title,
            columns=[*_split_columns(what.heading, filters), what.count],
            rows=rows,
            heading_columns=2 if filters.split_gender else 1,
        ),
        chart=Chart(
            kind="bar",
            title=what.title,
            x_labels=[label for _v, label in what.groups],
            series=[Series(label, values) for label, values in series.items()],
            y_label=_("Ärenden"),
        ),
    )


def _closing_reasons(scope: Scope, filters: Filters, limit: int | None) -> Section:
    closed = cases_in_scope(scope, filters).filter(
        closed_on__range=(filters.date_from, filters.date_to)
    )
    what = CountByChoice(
        field="closing_reason",
        groups=[(value, str(label)) for value, label in Case.ClosingReason.choices],
        key="avslut",
        title=_("Avslutade ärenden per avslutsorsak"),
        description=_("Ärenden som avslutades under perioden, efter orsak."),
        table_key="avslutsorsaker",
        heading=Column("reason", _("Avslutsorsak"), "text"),
        count=Column("closed", _("Avslutade")),
    )
    return _count_by_choice(closed, what, filters, limit)


def _open_by_stage(scope: Scope, filters: Filters, limit: int | None) -> Section:
    what = CountByChoice(
        field="stage",
        groups=[
            (value, str(label)) for value, label in Case.Stage.choices if value != Case.Stage.CLOSED
        ],
        key="oppna",
        title=_("Öppna ärenden i dag per steg"),
        description=_("Hur många ärenden som är öppna nu och var i processen de står."),
        table_key="oppna-per-steg",
        heading=Column("stage", _("Steg"), "text"),
        count=Column("open", _("Öppna ärenden")),
    )
    opened = cases_in_scope(scope, filters).filter(closed_on__isnull=True)
    return _count_by_choice(opened, what, filters, limit)


def _per_unit(scope: Scope, filters: Filters, limit: int | None) -> Section:
    in_period = (filters.date_from, filters.date_to)
    rows_db = (
        cases_in_scope(scope, filters)
        .values("owning_unit_id", "owning_unit__name", *_gender_field(filters))
        .annotate(
            new=Count("id", filter=Q(first_contact_date__range=in_period)),
            closed=Count("id", filter=Q(closed_on__range=in_period)),
            open=Count("id", filter=Q(closed_on__isnull=True)),
        )
        .order_by("owning_unit__name", "owning_unit_id")
    )
    rows: list[list[Value]] = []
    labels: list[str] = []
    new_values: list[float | None] = []
    closed_values: list[float | None] = []
    for row in rows_db:
        new = count_value(int(row["new"]), limit)
        closed = count_value(int(row["closed"]), limit)
        heading: list[Value] = [str(row["owning_unit__name"])]
        if filters.split_gender:
            heading.append(label_of(Gender.choices, str(row["person__gender"])))
        rows.append(
            [*heading, new, closed, _balance(new, closed), count_value(int(row["open"]), limit)]
        )
        labels.append(" – ".join(str(h) for h in heading))
        new_values.append(plot_value(new))
        closed_values.append(plot_value(closed))
    return Section(
        key="per-enhet",
        title=_("Balans per enhet"),
        description=_(
            "Nya och avslutade ärenden under perioden och öppna ärenden i dag, per ansvarig enhet."
        ),
        table=Table(
            key="balans-per-enhet",
            title=_("Balans per enhet"),
            columns=[
                *_split_columns(Column("unit", _("Enhet"), "text"), filters),
                Column("new", _("Nya ärenden")),
                Column("closed", _("Avslutade ärenden")),
                Column("balance", _("Balans (nya minus avslutade)"), "number"),
                Column("open", _("Öppna i dag")),
            ],
            rows=rows,
            heading_columns=2 if filters.split_gender else 1,
        ),
        chart=Chart(
            kind="bar",
            title=_("Nya och avslutade ärenden per enhet"),
            x_labels=labels,
            series=[Series(_("Nya"), new_values), Series(_("Avslutade"), closed_values)],
            y_label=_("Ärenden"),
        ),
    )


def _caseload(scope: Scope, filters: Filters, limit: int | None) -> Section:
    """Open cases per caseworker on their teams. Managers see each worker by name; an
    analyst sees only how the caseloads are spread, per role."""
    members = (
        CaseTeamMember.objects.filter(
            case_condition(scope, filters, "case__"),
            left_at__isnull=True,
            case__closed_on__isnull=True,
            role__in=CASELOAD_ROLES,
        )
        .values(
            "role",
            "user__first_name",
            "user__last_name",
            "user__username",
            *_gender_field(filters, "case__"),
        )
        .annotate(n=Count("case", distinct=True))
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )
    if scope.may_see_cases:
        rows: list[list[Value]] = []
        for row in members:
            name = f"{row['user__first_name']} {row['user__last_name']}".strip() or str(
                row["user__username"]
            )
            heading: list[Value] = [name, label_of(Role.choices, str(row["role"]))]
            if filters.split_gender:
                heading.append(label_of(Gender.choices, str(row["case__person__gender"])))
            rows.append([*heading, int(row["n"])])
        columns = [Column("worker", _("Handläggare"), "text"), Column("role", _("Roll"), "text")]
        if filters.split_gender:
            columns.append(Column("gender", _("Kön"), "text"))
        columns.append(Column("open", _("Öppna ärenden")))
        table = Table(
            key="arenden-per-handlaggare",
            title=_("Öppna ärenden per handläggare"),
            columns=columns,
            rows=rows,
            heading_columns=len(columns) - 1,
        )
        return Section(
            key="arendemangd",
            title=_("Ärendemängd per handläggare"),
            description=_("Öppna ärenden där handläggaren finns i ärendeteamet."),
            table=table,
        )
    # Analysts: the spread of caseloads per role (and gender), never a worker's own figure.
    loads: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in members:
        gender = str(row["case__person__gender"]) if filters.split_gender else ""
        loads[(str(row["role"]), gender)][int(row["n"])] += 1
    rows = []
    for (role, gender), histogram in sorted(loads.items()):
        summary = spread(histogram)
        heading = [label_of(Role.choices, role)]
        if filters.split_gender:
            heading.append(label_of(Gender.choices, gender))
        rows.append(
            [
                *heading,
                count_value(summary.n, limit),
                derived_value(summary.median, summary.n, limit),
                derived_value(summary.q1, summary.n, limit),
                derived_value(summary.q3, summary.n, limit),
            ]
        )
    return Section(
        key="arendemangd",
        title=_("Ärendemängd per handläggare"),
        description=_(
            "Hur många öppna ärenden handläggarna har, som median och kvartiler per roll. "
            "Enskilda handläggare visas inte."
        ),
        table=Table(
            key="arendemangd-per-roll",
            title=_("Ärendemängd per roll"),
            columns=[
                *_split_columns(Column("role", _("Roll"), "text"), filters),
                Column("workers", _("Handläggare")),
                Column("median", _("Median, ärenden"), "number"),
                Column("q1", _("Kvartil 1"), "number"),
                Column("q3", _("Kvartil 3"), "number"),
            ],
            rows=rows,
            heading_columns=2 if filters.split_gender else 1,
        ),
    )


def build(scope: Scope, filters: Filters, today: dt.date) -> Dashboard:
    """The flow dashboard for the scope and filters."""
    limit = suppress_limit(scope.suppress)
    return Dashboard(
        key="flode",
        title=_("Inflöde och utflöde"),
        sections=[
            _monthly(scope, filters, limit),
            _per_unit(scope, filters, limit),
            _open_by_stage(scope, filters, limit),
            _closing_reasons(scope, filters, limit),
            _caseload(scope, filters, limit),
        ],
        suppress_below=limit,
    )
