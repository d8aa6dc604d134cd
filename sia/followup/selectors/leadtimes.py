"""Lead times: how long each step of the process takes against its target, how many
steps wait now and which of them are late.

Every table comes from one grouped query: done steps counted per group (step, month,
unit, arrival category, worker) and per number of days from the case's first contact,
so medians and quartiles are read from a small histogram {days: steps}, never from
rows of steps. Steps without a due date have no target: they count as done and in the
medians, but not in the share done within target. Steps marked done before the case's
first contact have no valid lead time: they are left out of every table, and the notes
say how many.

In suppressed scopes a count of steps is not a count of people: one person's case has
several steps. The tables that put all steps together (per month, unit and arrival
category) therefore hide a row drawn from too few distinct cases. A case has at most one
step of each key, so a row of n steps comes from at least n / (number of keys) cases,
and a month's row from at least as many cases as its commonest step: only when that
bound is under the limit are the distinct cases counted, in one extra grouped query for
the month table and one for the unit and category tables together (on a large scope,
usually neither is needed). A per-step row counts one step per case already.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Count, DateField, Exists, F, OuterRef, Q, QuerySet
from django.db.models import Value as Constant
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sia.cases.models import CaseTeamMember
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
    gender_labels,
    genders_present,
    label_of,
    months_between,
    plot_value,
    protect_group,
    share_value,
    spread,
    suppress_limit,
)
from sia.followup.filters import Filters, case_condition
from sia.people.models import ArrivalCategory
from sia.process.models import CaseStep, StepDefinition

T = TypeVar("T")

GENDER = "case__person__gender"
# The gender key of figures that are not split by gender.
ALL = ""
HAS_TARGET = Q(due_date__isnull=False)
ON_TIME = Q(due_date__isnull=False, completed_on__lte=F("due_date"))
# A done step has a valid lead time when it was done on or after the first contact.
VALID = Q(completed_on__gte=F("case__first_contact_date"))
UNIT = "case__owning_unit_id"
CATEGORY = "case__person__arrival_category"

# Figures per group, then per gender (ALL when not split).
Grouped = dict[tuple[Any, ...], dict[str, T]]


@dataclass
class Done:
    """Done steps of one group: how many, how many had a target and how many met it,
    and how many steps took each number of days from the first contact."""

    done: int = 0
    with_target: int = 0
    on_time: int = 0
    days: Counter[int] = field(default_factory=Counter)
    # Distinct cases behind the steps, where steps of one case are put together and
    # the steps alone do not show there are enough (None where not counted).
    cases: int | None = None


@dataclass
class MonthDone:
    """Done steps of one month per step key, and the distinct cases behind them."""

    per_step: dict[str, Done] = field(default_factory=dict)
    cases: int | None = None


@dataclass
class Waiting:
    """Open steps of one group: how many, how many are late, and how many have waited
    each number of days since they were opened (steps without an opening day left out)."""

    waiting: int = 0
    late: int = 0
    days: Counter[int] = field(default_factory=Counter)


# --- Queries ------------------------------------------------------------------------------


def _step_titles() -> list[tuple[str, str]]:
    """(key, title) of every step, in process order: one per key, titled as the
    definition with the lowest order (the newest template version on a tie)."""
    titles: dict[str, str] = {}
    definitions = StepDefinition.objects.order_by("order", "-template__version")
    for key, title in definitions.values_list("key", "title"):
        titles.setdefault(key, title)
    return list(titles.items())


def _done_steps(scope: Scope, filters: Filters, *, valid_only: bool = True) -> QuerySet[CaseStep]:
    """Steps of cases in scope done within the period (only those done on or after the
    case's first contact, unless `valid_only` is false)."""
    steps = CaseStep.objects.filter(
        case_condition(scope, filters, "case__"),
        status=CaseStep.Status.DONE,
        completed_on__gte=filters.date_from,
        completed_on__lte=filters.date_to,
    )
    return steps.filter(VALID) if valid_only else steps


def _count_done(
    steps: QuerySet[CaseStep], fields: Sequence[str], *, split: bool, with_days: bool = True
) -> tuple[Grouped[Done], int]:
    """Done steps per group of `fields` (and gender when split), in one query; and how
    many steps were done before their case's first contact (left out; counted only
    `with_days`, otherwise `steps` must hold valid steps only)."""
    group = [*fields, GENDER] if split else [*fields]
    if with_days:
        steps = steps.annotate(
            lead_days=DaysBetween(F("completed_on"), F("case__first_contact_date"))
        )
        group.append("lead_days")
    rows = (
        steps.values(*group)
        .annotate(
            n=Count("id"),
            n_with_target=Count("id", filter=HAS_TARGET),
            n_on_time=Count("id", filter=ON_TIME),
        )
        .order_by()
    )
    grouped: Grouped[Done] = {}
    invalid = 0
    for row in rows:
        if with_days and row["lead_days"] < 0:
            invalid += row["n"]
            continue
        key = tuple(row[name] for name in fields)
        figures = grouped.setdefault(key, {}).setdefault(row[GENDER] if split else ALL, Done())
        figures.done += row["n"]
        figures.with_target += row["n_with_target"]
        figures.on_time += row["n_on_time"]
        if with_days:
            figures.days[row["lead_days"]] += row["n"]
    return grouped, invalid


def _count_cases(steps: QuerySet[CaseStep], fields: Sequence[str], *, split: bool) -> Grouped[int]:
    """Distinct cases behind the steps per group of `fields` (and gender when split), in
    one query."""
    group = [*fields, GENDER] if split else [*fields]
    rows = steps.values(*group).annotate(cases=Count("case", distinct=True)).order_by()
    counted: Grouped[int] = {}
    for row in rows:
        key = tuple(row[name] for name in fields)
        counted.setdefault(key, {})[row[GENDER] if split else ALL] = row["cases"]
    return counted


def _cases_by(counted: Grouped[int], index: int) -> Grouped[int]:
    """Case counts summed per one field of their key. Exact only for a field that puts
    each case in a single group (a case has one owning unit and one person)."""
    summed: Grouped[int] = {}
    for key, per_gender in counted.items():
        target = summed.setdefault((key[index],), {})
        for gender, n in per_gender.items():
            target[gender] = target.get(gender, 0) + n
    return summed


def _fewest_cases(steps: int, keys: int) -> int:
    """The fewest cases `steps` done steps can come from, at most one step of each of
    `keys` keys per case."""
    return -(-steps // max(keys, 1))


def _in_doubt(grouped: Grouped[Done], keys: int, limit: int | None) -> set[tuple[Any, ...]]:
    """The groups of which some row (a gender's, when split) has too few steps to be sure
    it comes from at least `limit` cases."""
    if limit is None:
        return set()
    return {
        key
        for key, per_gender in grouped.items()
        if any(_fewest_cases(done.done, keys) < limit for done in per_gender.values())
    }


def _attach_cases(
    grouped: Grouped[Done],
    cases: Grouped[int],
    key_of: Callable[[tuple[Any, ...]], tuple[Any, ...]],
    only: set[tuple[Any, ...]],
) -> None:
    """Set the distinct cases behind the done steps of the groups in `only`."""
    for key, per_gender in grouped.items():
        if key not in only:
            continue
        counted = cases.get(key_of(key), {})
        for gender, done in per_gender.items():
            done.cases = counted.get(gender, 0)


def _open_steps(scope: Scope, filters: Filters) -> QuerySet[CaseStep]:
    """Open steps of open cases in scope, as of now."""
    return CaseStep.objects.filter(
        case_condition(scope, filters, "case__"),
        status=CaseStep.Status.OPEN,
        case__closed_on__isnull=True,
    )


def _count_waiting(steps: QuerySet[CaseStep], today: dt.date, *, split: bool) -> Grouped[Waiting]:
    """Open steps per step key (and gender when split), in one query."""
    group = ["key", GENDER] if split else ["key"]
    rows = (
        steps.annotate(
            wait_days=DaysBetween(Constant(today, output_field=DateField()), F("opened_on"))
        )
        .values(*group, "wait_days")
        .annotate(n=Count("id"), n_late=Count("id", filter=Q(due_date__lt=today)))
        .order_by()
    )
    grouped: Grouped[Waiting] = {}
    for row in rows:
        figures = grouped.setdefault((row["key"],), {}).setdefault(
            row[GENDER] if split else ALL, Waiting()
        )
        figures.waiting += row["n"]
        figures.late += row["n_late"]
        if row["wait_days"] is not None:
            figures.days[row["wait_days"]] += row["n"]
    return grouped


def _count_late_per_responsible(
    late: QuerySet[CaseStep], *, split: bool
) -> tuple[Grouped[int], dict[str, int]]:
    """Late open steps per responsible person (a current team member in the step's
    responsible role), and those with nobody in that role, per gender when split."""
    user = "case__team__user__"
    names = [f"{user}id", f"{user}first_name", f"{user}last_name", f"{user}username"]
    rows = (
        late.filter(
            case__team__left_at__isnull=True,
            case__team__role=F("definition__responsible_role"),
        )
        .values(*names, *([GENDER] if split else []))
        .annotate(n=Count("id"))
        .order_by()
    )
    per_person: Grouped[int] = {}
    for row in rows:
        key = tuple(row[name] for name in names)
        per_person.setdefault(key, {})[row[GENDER] if split else ALL] = row["n"]
    responsible = CaseTeamMember.objects.filter(
        case_id=OuterRef("case_id"),
        left_at__isnull=True,
        role=OuterRef("definition__responsible_role"),
    )
    nobody_steps = late.exclude(Exists(responsible))
    nobody: dict[str, int]
    if split:
        nobody = {
            row[GENDER]: row["n"]
            for row in nobody_steps.values(GENDER).annotate(n=Count("id")).order_by()
        }
    else:
        nobody = {ALL: nobody_steps.count()}
    return per_person, nobody


# --- Rows ---------------------------------------------------------------------------------


def _genders(grouped: Iterable[Mapping[str, Any]], split: bool) -> list[tuple[str, str]] | None:
    """The genders a split table shows (those that occur, or all when none does), or None
    when the figures are not split."""
    if not split:
        return None
    occurring = genders_present(gender for per_gender in grouped for gender in per_gender)
    return occurring or gender_labels()


def _rows(
    headings: Sequence[tuple[Hashable, list[Value]]],
    grouped: Mapping[Any, Mapping[str, T]],
    genders: list[tuple[str, str]] | None,
    figures: Callable[[T | None], list[Value]],
    count_columns: Sequence[int] = (0,),
) -> list[list[Value]]:
    """One row per group (heading cells, then figures), or one per group and gender.

    Across the genders of a group, the counts in `count_columns` (indexes into the
    figures) are protected against being worked out from the group's total, which the
    page shows when it is not split."""
    rows: list[list[Value]] = []
    for key, heading in headings:
        per_gender = grouped.get(key, {})
        if genders is None:
            rows.append([*heading, *figures(per_gender.get(ALL))])
            continue
        block = [figures(per_gender.get(value)) for value, _label in genders]
        for column in count_columns:
            protected = protect_group([cells[column] for cells in block], total_shown=True)
            for cells, value in zip(block, protected, strict=True):
                cells[column] = value
        for (_value, label), cells in zip(genders, block, strict=True):
            rows.append([*heading, label, *cells])
    return rows


def _columns(first: Column, split: bool, figures: Sequence[Column]) -> list[Column]:
    """The row heading column, the gender column when split, then the figures."""
    gender = [Column("gender", _("Kön"), "text")] if split else []
    return [first, *gender, *figures]


def _too_few_cases(cases: int | None, limit: int | None) -> bool:
    """Whether figures drawn from this many distinct cases must be hidden."""
    return limit is not None and cases is not None and 0 < cases < limit


def _done_figures(limit: int | None, *, quartiles: bool) -> Callable[[Done | None], list[Value]]:
    """Klara, Inom mål, Median (and Kvartil 1, Kvartil 3) of a group's done steps, all
    hidden when they come from too few cases."""

    def figures(done: Done | None) -> list[Value]:
        done = done or Done()
        if _too_few_cases(done.cases, limit):
            return [SUPPRESSED] * (5 if quartiles else 3)
        days = spread(done.days)
        values = [
            count_value(done.done, limit),
            share_value(done.on_time, done.with_target, limit),
            derived_value(days.median, days.n, limit),
        ]
        if quartiles:
            values += [
                derived_value(days.q1, days.n, limit),
                derived_value(days.q3, days.n, limit),
            ]
        return values

    return figures


def _done_columns(*, quartiles: bool) -> list[Column]:
    columns = [
        Column("done", _("Klara"), "count"),
        Column("within_target", _("Inom mål"), "share"),
        Column("median_days", _("Median, dagar"), "days"),
    ]
    if quartiles:
        columns += [
            Column("q1_days", _("Kvartil 1, dagar"), "days"),
            Column("q3_days", _("Kvartil 3, dagar"), "days"),
        ]
    return columns


def _invalid_note(invalid: int, limit: int | None) -> str:
    """The sentence telling how many steps were left out for a date before the first
    contact, or nothing when none was."""
    shown = count_value(invalid, limit)
    if shown == 0:
        return ""
    if shown is SUPPRESSED:
        return _(
            "Färre än %(n)s steg blev klara före ärendets aktualiseringsdatum och är inte med."
        ) % {"n": limit}
    n = shown if isinstance(shown, int) else invalid
    return ngettext(
        "%(n)s steg blev klart före ärendets aktualiseringsdatum och är inte med.",
        "%(n)s steg blev klara före ärendets aktualiseringsdatum och är inte med.",
        n,
    ) % {"n": n}


def _cases_note(limit: int | None) -> str:
    """The sentence on rows hidden for too few cases (suppressed scopes only)."""
    if limit is None:
        return ""
    return _(
        "Ett ärende kan ha flera steg: siffrorna i en rad från färre än %(n)s ärenden visas inte."
    ) % {"n": limit}


def _note(*sentences: str) -> str:
    return " ".join(sentence for sentence in sentences if sentence)


def _person_name(first_name: str, last_name: str, username: str) -> str:
    return f"{first_name} {last_name}".strip() or username


def _gender_series(
    rows: list[list[Value]], genders: list[tuple[str, str]], column: int, groups: int
) -> list[Series]:
    """One series per gender from split rows (group-major, genders in order)."""
    return [
        Series(label, [plot_value(rows[g * len(genders) + i][column]) for g in range(groups)])
        for i, (_value, label) in enumerate(genders)
    ]


# --- Sections -----------------------------------------------------------------------------


def _per_step_section(
    filters: Filters,
    grouped: Grouped[Done],
    invalid: int,
    steps: list[tuple[str, str]],
    limit: int | None,
) -> Section:
    split = filters.split_gender
    genders = _genders(grouped.values(), split)
    headings: list[tuple[Hashable, list[Value]]] = [((key,), [title]) for key, title in steps]
    rows = _rows(headings, grouped, genders, _done_figures(limit, quartiles=True))
    table = Table(
        key="ledtid_per_steg",
        title=_("Ledtid per steg"),
        columns=_columns(Column("step", _("Steg"), "text"), split, _done_columns(quartiles=True)),
        rows=rows,
        heading_columns=2 if split else 1,
        note=_note(
            _(
                "Steg klara under perioden. Inom mål är andelen som blev klara senast på sin "
                "förfallodag; steg utan förfallodag räknas inte med i andelen. Median och "
                "kvartiler är dagar från aktualiseringsdatum till att steget blev klart."
            ),
            _invalid_note(invalid, limit),
        ),
    )
    share_column = 3 if split else 2
    if genders is None:
        series = [Series(_("Inom mål"), [plot_value(row[share_column]) for row in rows])]
    else:
        series = _gender_series(rows, genders, share_column, len(steps))
    chart = Chart(
        kind="bar",
        title=_("Andel klara inom mål per steg"),
        x_labels=[title for _key, title in steps],
        series=series,
        y_label=_("Inom mål"),
        y_percent=True,
    )
    return Section(
        key="ledtid_per_steg",
        title=_("Ledtid per steg"),
        description=_(
            "Hur många steg som blev klara under perioden, hur stor andel som blev klara "
            "inom målet och hur många dagar från aktualiseringen det tog."
        ),
        table=table,
        chart=chart,
    )


def _as_day(month: dt.date | dt.datetime) -> dt.date:
    return month.date() if isinstance(month, dt.datetime) else month


def _per_month_section(
    scope: Scope,
    filters: Filters,
    invalid: int,
    steps: list[tuple[str, str]],
    keys: int,
    limit: int | None,
) -> Section:
    split = filters.split_gender
    in_months = _done_steps(scope, filters).annotate(month=TruncMonth("completed_on"))
    by_month_step, _none = _count_done(in_months, ["month", "key"], split=split, with_days=False)
    # month -> gender -> step key -> figures (and the cases behind all steps)
    grouped: dict[tuple[Any, ...], dict[str, MonthDone]] = {}

    def slot(month: dt.date | dt.datetime, gender: str) -> MonthDone:
        return grouped.setdefault((_as_day(month),), {}).setdefault(gender, MonthDone())

    for (month, key), done_per_gender in by_month_step.items():
        for gender, done in done_per_gender.items():
            slot(month, gender).per_step[key] = done

    def fewest_cases(month_done: MonthDone) -> int:
        done = [d.done for d in month_done.per_step.values()]
        return max(_fewest_cases(sum(done), keys), *done, 0)

    doubtful = [
        month
        for (month,), per_gender in grouped.items()
        if limit is not None
        and any(fewest_cases(month_done) < limit for month_done in per_gender.values())
    ]
    if doubtful:
        # Some months may come from too few cases: count theirs, in one more query.
        month_cases = _count_cases(in_months.filter(month__in=doubtful), ["month"], split=split)
        for (month,), cases_per_gender in month_cases.items():
            for gender, n in cases_per_gender.items():
                slot(month, gender).cases = n
    genders = _genders(grouped.values(), split)
    months = months_between(filters.date_from, filters.date_to)

    def figures(month_done: MonthDone | None) -> list[Value]:
        month_done = month_done or MonthDone()
        per_step = month_done.per_step
        values: list[Value] = []
        for key, _title in steps:
            done = per_step.get(key) or Done()
            values.append(share_value(done.on_time, done.with_target, limit))
        if _too_few_cases(month_done.cases, limit):
            return [*values, SUPPRESSED, SUPPRESSED]
        on_time = sum(done.on_time for done in per_step.values())
        with_target = sum(done.with_target for done in per_step.values())
        values.append(share_value(on_time, with_target, limit))
        values.append(count_value(sum(done.done for done in per_step.values()), limit))
        return values

    headings: list[tuple[Hashable, list[Value]]] = [
        ((month,), [month.strftime("%Y-%m")]) for month in months
    ]
    total_count = len(steps) + 1
    rows = _rows(headings, grouped, genders, figures, count_columns=(total_count,))
    step_columns = [Column(f"within_target_{key}", title, "share") for key, title in steps]
    table = Table(
        key="inom_mal_per_manad",
        title=_("Andel inom mål per månad"),
        columns=_columns(
            Column("month", _("Månad"), "text"),
            split,
            [
                *step_columns,
                Column("within_target_all", _("Alla steg"), "share"),
                Column("done", _("Klara"), "count"),
            ],
        ),
        rows=rows,
        heading_columns=2 if split else 1,
        note=_note(
            _(
                "Andel av stegen som blev klara under månaden som blev klara inom målet. Steg "
                "utan förfallodag räknas inte med i andelen men ingår i Klara."
            ),
            _cases_note(limit),
            _invalid_note(invalid, limit),
        ),
    )
    first = 2 if split else 1
    if genders is None:
        series = [
            Series(title, [plot_value(row[first + i]) for row in rows])
            for i, (_key, title) in enumerate(steps)
        ]
    else:
        series = _gender_series(rows, genders, first + len(steps), len(months))
    chart = Chart(
        kind="line",
        title=_("Andel inom mål per månad"),
        x_labels=[month.strftime("%Y-%m") for month in months],
        series=series,
        y_label=_("Inom mål"),
        y_percent=True,
    )
    return Section(
        key="inom_mal_per_manad",
        title=_("Inom mål per månad"),
        description=_(
            "För varje månad i perioden: hur stor andel av stegen som blev klara den "
            "månaden som blev klara inom målet."
        ),
        table=table,
        chart=chart,
    )


def _done_group_section(
    *,
    key: str,
    title: str,
    description: str,
    heading: Column,
    grouped: Grouped[Done],
    headings: list[tuple[Hashable, list[Value]]],
    split: bool,
    invalid: int,
    limit: int | None,
) -> Section:
    """A section of done figures (Klara, Inom mål, Median) per group, without a chart."""
    genders = _genders(grouped.values(), split)
    table = Table(
        key=key,
        title=title,
        columns=_columns(heading, split, _done_columns(quartiles=False)),
        rows=_rows(headings, grouped, genders, _done_figures(limit, quartiles=False)),
        heading_columns=2 if split else 1,
        note=_note(
            _(
                "Alla steg som blev klara under perioden. Steg utan förfallodag räknas inte "
                "med i andelen inom mål."
            ),
            _cases_note(limit),
            _invalid_note(invalid, limit),
        ),
    )
    return Section(key=key, title=title, description=description, table=table)


def _per_unit_section(
    filters: Filters, grouped: Grouped[Done], invalid: int, limit: int | None
) -> Section:
    headings: list[tuple[Hashable, list[Value]]] = [
        (key, [key[1]]) for key in sorted(grouped, key=lambda k: str(k[1]).casefold())
    ]
    return _done_group_section(
        key="per_enhet",
        title=_("Per enhet"),
        description=_("Klara steg under perioden per ansvarig enhet, alla steg tillsammans."),
        heading=Column("unit", _("Enhet"), "text"),
        grouped=grouped,
        headings=headings,
        split=filters.split_gender,
        invalid=invalid,
        limit=limit,
    )


def _per_category_section(
    filters: Filters, grouped: Grouped[Done], invalid: int, limit: int | None
) -> Section:
    order = [value for value, _label in ArrivalCategory.choices]
    headings: list[tuple[Hashable, list[Value]]] = [
        ((value,), [label_of(ArrivalCategory.choices, value)])
        for value in sorted(
            (key[0] for key in grouped),
            key=lambda v: (order.index(v) if v in order else len(order), v),
        )
    ]
    return _done_group_section(
        key="per_ankomstkategori",
        title=_("Per ankomstkategori"),
        description=_("Klara steg under perioden per ankomstkategori, alla steg tillsammans."),
        heading=Column("category", _("Ankomstkategori"), "text"),
        grouped=grouped,
        headings=headings,
        split=filters.split_gender,
        invalid=invalid,
        limit=limit,
    )


def _per_worker_section(scope: Scope, filters: Filters, invalid: int, limit: int | None) -> Section:
    """Per worker: shown only in scopes that may see cases, which are never suppressed,
    so the cases behind a row are not counted (a case's steps can be done by several
    workers, so the count would need a query of its own)."""
    fields = [
        "completed_by_id",
        "completed_by__first_name",
        "completed_by__last_name",
        "completed_by__username",
    ]
    grouped, _none = _count_done(_done_steps(scope, filters), fields, split=filters.split_gender)
    named = [
        (key, _person_name(key[1], key[2], key[3]) if key[0] is not None else _("Okänd"))
        for key in grouped
    ]
    headings: list[tuple[Hashable, list[Value]]] = [
        (key, [name]) for key, name in sorted(named, key=lambda kn: kn[1].casefold())
    ]
    return _done_group_section(
        key="per_handlaggare",
        title=_("Per handläggare"),
        description=_(
            "Klara steg under perioden per den som klarmarkerade steget, alla steg tillsammans."
        ),
        heading=Column("worker", _("Handläggare"), "text"),
        grouped=grouped,
        headings=headings,
        split=filters.split_gender,
        invalid=invalid,
        limit=limit,
    )


def _waiting_section(
    scope: Scope,
    filters: Filters,
    today: dt.date,
    steps: list[tuple[str, str]],
    limit: int | None,
) -> Section:
    split = filters.split_gender
    open_steps = _open_steps(scope, filters)
    grouped = _count_waiting(open_steps, today, split=split)
    genders = _genders(grouped.values(), split)

    def figures(waiting: Waiting | None) -> list[Value]:
        waiting = waiting or Waiting()
        days = spread(waiting.days)
        return [
            count_value(waiting.waiting, limit),
            count_value(waiting.late, limit),
            derived_value(days.median, days.n, limit),
        ]

    headings: list[tuple[Hashable, list[Value]]] = [((key,), [title]) for key, title in steps]
    rows = _rows(headings, grouped, genders, figures, count_columns=(0, 1))
    table = Table(
        key="vantar_nu",
        title=_("Väntar nu"),
        columns=_columns(
            Column("step", _("Steg"), "text"),
            split,
            [
                Column("waiting", _("Väntar"), "count"),
                Column("late", _("Varav sena"), "count"),
                Column("median_wait_days", _("Median väntetid, dagar"), "days"),
            ],
        ),
        rows=rows,
        heading_columns=2 if split else 1,
        note=_(
            "Öppna steg i öppna ärenden i dag. Sena steg har passerat sin förfallodag. "
            "Väntetiden räknas från dagen steget öppnades; steg utan öppningsdag ingår inte "
            "i medianen."
        ),
    )
    first = 2 if split else 1
    x_labels = [title for _key, title in steps]
    if genders is None:
        series = [
            Series(_("Väntar"), [plot_value(row[first]) for row in rows]),
            Series(_("Varav sena"), [plot_value(row[first + 1]) for row in rows]),
        ]
    else:
        series = [
            Series(f"{name} – {by_gender.label}", by_gender.values)
            for offset, name in ((0, _("Väntar")), (1, _("Varav sena")))
            for by_gender in _gender_series(rows, genders, first + offset, len(steps))
        ]
    chart = Chart(
        kind="bar",
        title=_("Väntande och sena steg"),
        x_labels=x_labels,
        series=series,
        y_label=_("Steg"),
    )
    extra = []
    if scope.may_see_cases:
        extra.append(_late_per_responsible_table(open_steps, today, split, limit))
    return Section(
        key="vantar_nu",
        title=_("Väntar nu"),
        description=_(
            "Steg som är öppna i dag: hur många som väntar, hur många som är sena och hur "
            "länge de har väntat."
        ),
        table=table,
        chart=chart,
        extra=extra,
    )


def _late_per_responsible_table(
    open_steps: QuerySet[CaseStep], today: dt.date, split: bool, limit: int | None
) -> Table:
    per_person, nobody = _count_late_per_responsible(
        open_steps.filter(due_date__lt=today), split=split
    )
    named = sorted(
        ((key, _person_name(key[1], key[2], key[3])) for key in per_person),
        key=lambda kn: kn[1].casefold(),
    )
    nobody_key = ("nobody",)
    grouped: dict[Any, dict[str, int]] = {**per_person, nobody_key: nobody}
    headings: list[tuple[Hashable, list[Value]]] = [(key, [name]) for key, name in named]
    headings.append((nobody_key, [_("Ingen ansvarig")]))
    genders = _genders(grouped.values(), split)

    def figures(late: int | None) -> list[Value]:
        return [count_value(late or 0, limit)]

    return Table(
        key="sena_per_handlaggare",
        title=_("Sena steg per handläggare"),
        columns=_columns(
            Column("worker", _("Ansvarig"), "text"),
            split,
            [Column("late", _("Sena steg"), "count")],
        ),
        rows=_rows(headings, grouped, genders, figures),
        heading_columns=2 if split else 1,
        note=_(
            "Ansvarig är den i ärendets team som har stegets ansvariga roll. Ett steg med "
            "flera ansvariga räknas hos var och en."
        ),
    )


def build(scope: Scope, filters: Filters, today: dt.date) -> Dashboard:
    """The lead-times dashboard: lead time per step, within target per month, per unit,
    arrival category and (for managers) worker, and the steps waiting now."""
    limit = suppress_limit(scope.suppress)
    steps = _step_titles()
    split = filters.split_gender
    # The per-step query sees every done step, so it also counts those done before the
    # first contact (left out of every table); the other queries leave them out.
    per_step, invalid = _count_done(
        _done_steps(scope, filters, valid_only=False), ["key"], split=split
    )
    # The most steps one case can have done: one of each key.
    keys = len({key for key, _title in steps} | {key for (key,) in per_step})
    valid = _done_steps(scope, filters)
    per_unit, _none = _count_done(valid, [UNIT, "case__owning_unit__name"], split=split)
    per_category, _none = _count_done(valid, [CATEGORY], split=split)
    doubtful_units = _in_doubt(per_unit, keys, limit)
    doubtful_categories = _in_doubt(per_category, keys, limit)
    if doubtful_units or doubtful_categories:
        # Some rows may come from too few cases: count the cases behind those units and
        # categories in one query. A case has one owning unit and one person, so the
        # counts per unit and category add up exactly to a doubtful unit's (all its
        # categories are counted) or a doubtful category's (all its units are).
        in_doubt = Q(**{f"{UNIT}__in": [key[0] for key in doubtful_units]}) | Q(
            **{f"{CATEGORY}__in": [key[0] for key in doubtful_categories]}
        )
        cases = _count_cases(valid.filter(in_doubt), [UNIT, CATEGORY], split=split)
        _attach_cases(per_unit, _cases_by(cases, 0), lambda key: key[:1], doubtful_units)
        _attach_cases(per_category, _cases_by(cases, 1), lambda key: key, doubtful_categories)
    sections = [
        _per_step_section(filters, per_step, invalid, steps, limit),
        _per_month_section(scope, filters, invalid, steps, keys, limit),
        _per_unit_section(filters, per_unit, invalid, limit),
        _per_category_section(filters, per_category, invalid, limit),
    ]
    if scope.may_see_cases:
        sections.append(_per_worker_section(scope, filters, invalid, limit))
    sections.append(_waiting_section(scope, filters, today, steps, limit))
    return Dashboard(key="ledtider", title=_("Ledtider"), sections=sections, suppress_below=limit)
