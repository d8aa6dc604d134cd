"""Progress steps and participation: steps forward and outcomes side by side, barriers,
the programmes' enrolments and discharges, and attendance at group activities.

Every table is one grouped query (two where a median or a distinct total needs its own
grouping) that returns a row per group, or per group and gender when the figures are
split by gender.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from sia.assessments.kinds import KINDS_BY_CATEGORY, add_months
from sia.assessments.models import Barrier, Enrolment, ProgressStep
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
    genders_present,
    label_of,
    plot_value,
    protect_group,
    share_value,
    spread,
    suppress_limit,
)
from sia.followup.filters import Filters, case_condition
from sia.groups.models import Attendance, GroupEnrolment, GroupSession

# A group of figures: (group value, gender value); the gender is "" when not split.
Key = tuple[str, str]
Counts = dict[Key, dict[str, int]]


# --- Shared helpers ---------------------------------------------------------------------


def _in_period(field: str, filters: Filters) -> Q:
    return Q(**{f"{field}__gte": filters.date_from, f"{field}__lte": filters.date_to})


def _group_by(field: str, gender_field: str, filters: Filters) -> list[str]:
    return [field, gender_field] if filters.split_gender else [field]


def _counts(rows: Iterable[Mapping[str, Any]], field: str, gender_field: str) -> Counts:
    """The grouped query's rows by (group, gender), each a dict of its counts."""
    out: Counts = {}
    for row in rows:
        key = (str(row[field]), str(row.get(gender_field, "") or ""))
        out[key] = {k: int(v) for k, v in row.items() if k not in (field, gender_field)}
    return out


def _genders(filters: Filters, *found: Iterable[Key]) -> list[tuple[str, str]]:
    """The genders to split by (those that occur in the figures), or one blank one."""
    if not filters.split_gender:
        return [("", "")]
    present = {gender for keys in found for _group, gender in keys}
    if not present:
        # Nothing to split: one row per group, for everybody, rather than no rows at all.
        return [("", _("Alla"))]
    genders = genders_present(present)
    known = {value for value, _label in genders}
    # A gender outside the choices (should not happen) is still shown, not dropped.
    genders += [(value, label_of([], value)) for value in sorted(present - known)]
    return genders


def _heading_columns(first: list[Column], filters: Filters) -> list[Column]:
    if filters.split_gender:
        return [*first, Column("gender", _("Kön"), "text")]
    return first


def _heads(labels: list[str], gender_label: str, filters: Filters) -> list[Value]:
    return [*labels, gender_label] if filters.split_gender else list(labels)


def _series_label(label: str, gender_label: str) -> str:
    return f"{label}, {gender_label}" if gender_label else label


# --- Progress steps and outcomes --------------------------------------------------------


def _of_cases(figures: dict[str, int], name: str, limit: int | None) -> Value:
    """The count `name` (of barriers, enrolments), hidden when it is about fewer cases
    than the limit (figures[f"{name}_cases"]): five barriers of one person are still one
    person."""
    if count_value(figures.get(f"{name}_cases", 0), limit) is SUPPRESSED:
        return SUPPRESSED
    return count_value(figures.get(name, 0), limit)


def _events(figures: dict[str, int], limit: int | None) -> Value:
    """A count of steps, hidden (like its count of cases) when they are the steps of fewer
    people than the limit: six steps of one person are still one person."""
    if count_value(figures.get("cases", 0), limit) is SUPPRESSED:
        return SUPPRESSED
    return count_value(figures.get("steps", 0), limit)


def _progress_section(scope: Scope, filters: Filters, limit: int | None) -> Section:
    gender_field = "case__person__gender"
    steps = ProgressStep.objects.filter(
        case_condition(scope, filters, "case__"), _in_period("occurred_on", filters)
    ).order_by()
    per_kind = _counts(
        steps.values(*_group_by("kind", gender_field, filters)).annotate(
            steps=Count("pk"), cases=Count("case", distinct=True)
        ),
        "kind",
        gender_field,
    )
    # A case can take steps of several kinds, so the category's cases are counted apart.
    per_category = _counts(
        steps.values(*_group_by("category", gender_field, filters)).annotate(
            steps=Count("pk"), cases=Count("case", distinct=True)
        ),
        "category",
        gender_field,
    )
    genders = _genders(filters, per_kind, per_category)
    rows: list[list[Value]] = []
    chart_values: dict[str, list[float | None]] = defaultdict(list)
    x_labels: list[str] = []
    for category, kinds in KINDS_BY_CATEGORY.items():
        category_label = label_of(ProgressStep.Category.choices, category)
        x_labels += [label_of(ProgressStep.Kind.choices, kind) for kind in kinds]
        for gender, gender_label in genders:
            total = per_category.get((category, gender), {})
            total_steps = _events(total, limit)
            # The category total minus the other kinds must not give a hidden count away.
            step_values = protect_group(
                [_events(per_kind.get((k, gender), {}), limit) for k in kinds],
                total_shown=isinstance(total_steps, int),
            )
            for kind, steps_value in zip(kinds, step_values, strict=True):
                cases = per_kind.get((kind, gender), {}).get("cases", 0)
                kind_label = label_of(ProgressStep.Kind.choices, kind)
                rows.append(
                    [
                        *_heads([category_label, kind_label], gender_label, filters),
                        steps_value,
                        count_value(cases, limit),
                    ]
                )
                chart_values[gender_label].append(plot_value(steps_value))
            rows.append(
                [
                    *_heads([category_label, _("Totalt")], gender_label, filters),
                    total_steps,
                    count_value(total.get("cases", 0), limit),
                ]
            )
    columns = [
        *_heading_columns(
            [
                Column("category", _("Kategori"), "text"),
                Column("kind", _("Stegförflyttning eller utfall"), "text"),
            ],
            filters,
        ),
        Column("steps", _("Antal"), "count"),
        Column("cases", _("Ärenden"), "count"),
    ]
    table = Table(
        key="stegforflyttningar",
        title=_("Stegförflyttningar och utfall i perioden"),
        columns=columns,
        rows=rows,
        heading_columns=3 if filters.split_gender else 2,
        note=_("Ett ärende kan ha flera stegförflyttningar; totalen räknar varje ärende en gång."),
    )
    chart = Chart(
        kind="bar",
        title=_("Antal stegförflyttningar och utfall per slag"),
        x_labels=x_labels,
        series=[
            Series(_series_label(_("Antal"), gender_label), chart_values[gender_label])
            for _gender, gender_label in genders
        ],
        y_label=_("Antal"),
    )
    return Section(
        key="stegforflyttningar",
        title=_("Stegförflyttningar och utfall"),
        description=_(
            "Stegförflyttningar (till exempel kontakt med vården eller att börja SFI) och utfall "
            "(till exempel arbete eller studier) som inträffade i perioden, redovisade sida vid "
            "sida: att bara räkna arbete och studier missar de steg människor tar."
        ),
        table=table,
        chart=chart,
    )


# --- Barriers ---------------------------------------------------------------------------


def _barrier_section(scope: Scope, filters: Filters, today: dt.date, limit: int | None) -> Section:
    gender_field = "case__person__gender"
    barriers = Barrier.objects.filter(case_condition(scope, filters, "case__")).order_by()
    noted = _in_period("noted_on", filters)
    resolved = _in_period("resolved_on", filters)
    remaining = Q(resolved_on__isnull=True, noted_on__lte=today, case__closed_on__isnull=True)
    counts = _counts(
        barriers.filter(noted | resolved | remaining)
        .values(*_group_by("kind", gender_field, filters))
        .annotate(
            noted=Count("pk", filter=noted),
            noted_cases=Count("case", distinct=True, filter=noted),
            resolved=Count("pk", filter=resolved),
            resolved_cases=Count("case", distinct=True, filter=resolved),
            remaining=Count("pk", filter=remaining),
            remaining_cases=Count("case", distinct=True, filter=remaining),
        ),
        "kind",
        gender_field,
    )
    histograms: dict[Key, dict[int, int]] = defaultdict(dict)
    for row in (
        barriers.filter(resolved)
        .annotate(days=DaysBetween("resolved_on", "noted_on"))
        .values(*_group_by("kind", gender_field, filters), "days")
        .annotate(n=Count("pk"))
    ):
        key = (str(row["kind"]), str(row.get(gender_field, "") or ""))
        histograms[key][int(row["days"])] = int(row["n"])
    genders = _genders(filters, counts)
    rows: list[list[Value]] = []
    chart_values: dict[tuple[str, str], list[float | None]] = defaultdict(list)
    for kind, kind_label in Barrier.Kind.choices:
        for gender, gender_label in genders:
            figures = counts.get((kind, gender), {})
            median = spread(histograms.get((kind, gender), {})).median
            noted_value = _of_cases(figures, "noted", limit)
            resolved_value = _of_cases(figures, "resolved", limit)
            rows.append(
                [
                    *_heads([str(kind_label)], gender_label, filters),
                    noted_value,
                    resolved_value,
                    _of_cases(figures, "remaining", limit),
                    derived_value(median, based_on=figures.get("resolved_cases", 0), limit=limit),
                ]
            )
            chart_values[("noted", gender_label)].append(plot_value(noted_value))
            chart_values[("resolved", gender_label)].append(plot_value(resolved_value))
    columns = [
        *_heading_columns([Column("kind", _("Hinder"), "text")], filters),
        Column("noted", _("Noterade i perioden"), "count"),
        Column("resolved", _("Undanröjda i perioden"), "count"),
        Column("remaining", _("Kvarstår nu"), "count"),
        Column("median_days", _("Median dagar till undanröjt"), "days"),
    ]
    series_names = {"noted": _("Noterade i perioden"), "resolved": _("Undanröjda i perioden")}
    chart = Chart(
        kind="bar",
        title=_("Noterade och undanröjda hinder per slag"),
        x_labels=[str(label) for _kind, label in Barrier.Kind.choices],
        series=[
            Series(_series_label(name, gender_label), chart_values[(what, gender_label)])
            for _gender, gender_label in genders
            for what, name in series_names.items()
        ],
        y_label=_("Antal"),
    )
    return Section(
        key="hinder",
        title=_("Hinder"),
        description=_(
            "Hinder som noterades och som undanröjdes i perioden, hinder som kvarstår i öppna "
            "ärenden i dag, och hur många dagar det tog att undanröja dem som undanröjdes i "
            "perioden (median)."
        ),
        table=Table(
            key="hinder",
            title=_("Hinder per slag"),
            columns=columns,
            rows=rows,
            heading_columns=2 if filters.split_gender else 1,
        ),
        chart=chart,
    )


# --- Programme enrolments ---------------------------------------------------------------


def latest_start_past_limit(today: dt.date, max_months: int) -> dt.date:
    """The last start date whose time limit (start + max_months, as the assessments
    overview counts it) is reached by `today`."""
    # The limit falls in today's month for starts in the month max_months earlier;
    # the later of those days whose end is not after today is the answer.
    month_index = today.year * 12 + today.month - 1 - max_months
    first = dt.date(month_index // 12, month_index % 12 + 1, 1)
    latest = first - dt.timedelta(days=1)
    day = first
    while day.month == first.month:
        if add_months(day, max_months) <= today:
            latest = day
        day += dt.timedelta(days=1)
    return latest


def _past_limit(enrolments: QuerySet[Enrolment], today: dt.date) -> Q | None:
    """The condition that an ongoing enrolment is past its time limit, one date bound per
    distinct max_months (there are few), or None when nothing is ongoing."""
    limits = enrolments.values_list("max_months", flat=True).distinct()
    condition: Q | None = None
    for months in limits:
        bound = Q(max_months=months, started_on__lte=latest_start_past_limit(today, months))
        condition = bound if condition is None else condition | bound
    return condition


def _enrolment_section(
    scope: Scope, filters: Filters, today: dt.date, limit: int | None
) -> Section:
    gender_field = "case__person__gender"
    enrolments = Enrolment.objects.filter(case_condition(scope, filters, "case__")).order_by()
    started = _in_period("started_on", filters)
    ongoing = Q(discharged_on__isnull=True, started_on__lte=today)
    discharged = _in_period("discharged_on", filters)
    reasons = Enrolment.DischargeReason.choices
    conditions: dict[str, Q] = {
        "started": started,
        "ongoing": ongoing,
        **{
            f"reason_{reason}": discharged & Q(discharge_reason=reason)
            for reason, _label in reasons
        },
    }
    past_limit = _past_limit(enrolments.filter(ongoing), today)
    if past_limit is not None:
        conditions["past_limit"] = ongoing & past_limit
    # A case may be enrolled again after a discharge: each count goes with its cases.
    aggregates: dict[str, Any] = {}
    for name, condition in conditions.items():
        aggregates[name] = Count("pk", filter=condition)
        aggregates[f"{name}_cases"] = Count("case", distinct=True, filter=condition)
    counts = _counts(
        enrolments.filter(started | ongoing | discharged)
        .values(*_group_by("programme", gender_field, filters))
        .annotate(**aggregates),
        "programme",
        gender_field,
    )
    genders = _genders(filters, counts)
    rows: list[list[Value]] = []
    x_labels: list[str] = []
    chart_values: dict[str, list[float | None]] = defaultdict(list)
    for programme, programme_label in Enrolment.Programme.choices:
        for gender, gender_label in genders:
            figures = counts.get((programme, gender), {})
            discharges = [_of_cases(figures, f"reason_{reason}", limit) for reason, _l in reasons]
            rows.append(
                [
                    *_heads([str(programme_label)], gender_label, filters),
                    _of_cases(figures, "started", limit),
                    _of_cases(figures, "ongoing", limit),
                    _of_cases(figures, "past_limit", limit),
                    *discharges,
                ]
            )
            x_labels.append(_series_label(str(programme_label), gender_label))
            for (reason, _label), value in zip(reasons, discharges, strict=True):
                chart_values[reason].append(plot_value(value))
    columns = [
        *_heading_columns([Column("programme", _("Insats"), "text")], filters),
        Column("started", _("Inskrivna i perioden"), "count"),
        Column("ongoing", _("Pågår nu"), "count"),
        Column("past_limit", _("Över tidsgränsen nu"), "count"),
        *[
            Column(f"discharged_{reason}", _("Utskrivna: %(reason)s") % {"reason": label}, "count")
            for reason, label in reasons
        ],
    ]
    chart = Chart(
        kind="bar",
        title=_("Utskrivna i perioden per orsak och insats"),
        x_labels=x_labels,
        series=[Series(str(label), chart_values[reason]) for reason, label in reasons],
        y_label=_("Antal"),
    )
    return Section(
        key="insatser",
        title=_("Insatser (inskrivningar)"),
        description=_(
            "Inskrivningar i insatserna: hur många som skrevs in i perioden, hur många "
            "inskrivningar som pågår i dag och hur många av dem som passerat sin tidsgräns, "
            "och hur många som skrevs ut i perioden, per orsak."
        ),
        table=Table(
            key="insatser",
            title=_("Inskrivningar per insats"),
            columns=columns,
            rows=rows,
            heading_columns=2 if filters.split_gender else 1,
        ),
        chart=chart,
    )


# --- Group activities -------------------------------------------------------------------


def _group_section(scope: Scope, filters: Filters, limit: int | None) -> Section:
    unit_ids = scope.unit_ids & {filters.unit_id} if filters.unit_id else scope.unit_ids
    series = list(
        GroupSession.objects.filter(_in_period("held_on", filters), series__unit_id__in=unit_ids)
        .order_by()
        .values("series", "series__title")
        .annotate(sessions=Count("pk"))
        .order_by("series__title", "series")
    )
    series_ids = [row["series"] for row in series]
    gender_field = "case__person__gender"
    status = GroupEnrolment.Status
    enrolments = _counts(
        GroupEnrolment.objects.filter(case_condition(scope, filters, "case__"))
        .filter(series_id__in=series_ids)
        .order_by()
        .values(*_group_by("series", gender_field, filters))
        .annotate(
            invited=Count("pk"),
            # Only an accepted participant can leave, so those who left had said yes too.
            accepted=Count("pk", filter=Q(status__in=[status.ACCEPTED, status.LEFT])),
            declined=Count("pk", filter=Q(status=status.DECLINED)),
        ),
        "series",
        gender_field,
    )
    attendance_gender = "enrolment__case__person__gender"
    attendance = _counts(
        Attendance.objects.filter(case_condition(scope, filters, "enrolment__case__"))
        .filter(_in_period("session__held_on", filters), session__series_id__in=series_ids)
        .order_by()
        .values(*_group_by("session__series", attendance_gender, filters))
        .annotate(
            recorded_count=Count("pk"),
            present_count=Count("pk", filter=Q(present=True)),
            recorded_people=Count("enrolment", distinct=True),
            present_people=Count("enrolment", distinct=True, filter=Q(present=True)),
        ),
        "session__series",
        attendance_gender,
    )
    genders = _genders(filters, enrolments, attendance)
    rows: list[list[Value]] = []
    chart_values: dict[str, list[float | None]] = defaultdict(list)
    for one in series:
        series_id = str(one["series"])
        for gender, gender_label in genders:
            people = enrolments.get((series_id, gender), {})
            came = attendance.get((series_id, gender), {})
            # Hidden for fewer people than the limit, and (as any share) when the present
            # or absent marks are so few that the share would count them.
            attended = share_value(
                came.get("present_count", 0), came.get("recorded_count", 0), limit
            )
            if few(came.get("recorded_people", 0), limit):
                attended = SUPPRESSED
            rows.append(
                [
                    *_heads([str(one["series__title"])], gender_label, filters),
                    # Sessions are held for the group, so their number tells of nobody.
                    int(one["sessions"]),
                    count_value(people.get("invited", 0), limit),
                    count_value(people.get("accepted", 0), limit),
                    count_value(people.get("declined", 0), limit),
                    attended,
                    count_value(came.get("present_people", 0), limit),
                ]
            )
            chart_values[gender_label].append(plot_value(attended))
    columns = [
        *_heading_columns([Column("series", _("Gruppaktivitet"), "text")], filters),
        Column("sessions", _("Tillfällen"), "count"),
        Column("invited", _("Inbjudna"), "count"),
        Column("accepted", _("Tackat ja"), "count"),
        Column("declined", _("Tackat nej"), "count"),
        Column("attendance", _("Närvaro"), "share"),
        Column("participants", _("Deltagare med minst ett tillfälle"), "count"),
    ]
    chart = Chart(
        kind="bar",
        title=_("Närvaro per gruppaktivitet"),
        x_labels=[str(one["series__title"]) for one in series],
        series=[
            Series(_series_label(_("Närvaro"), gender_label), chart_values[gender_label])
            for _gender, gender_label in genders
        ],
        y_label=_("Närvaro"),
        y_percent=True,
    )
    return Section(
        key="gruppverksamhet",
        title=_("Gruppverksamhet"),
        description=_(
            "Gruppaktiviteter med minst ett tillfälle i perioden: tillfällen i perioden, hur "
            "många som bjudits in, tackat ja och tackat nej, närvaron (andel registrerade "
            "närvarotillfällen i perioden där deltagaren var där) och hur många som deltog "
            "minst en gång."
        ),
        table=Table(
            key="gruppverksamhet",
            title=_("Gruppaktiviteter"),
            columns=columns,
            rows=rows,
            heading_columns=2 if filters.split_gender else 1,
            note=_("Tackat ja räknar också dem som senare avbrutit."),
        ),
        chart=chart if series else None,
    )


def build(scope: Scope, filters: Filters, today: dt.date) -> Dashboard:
    """Build the progress and participation dashboard for the scope and filters."""
    limit = suppress_limit(scope.suppress)
    return Dashboard(
        key="stegforflyttningar",
        title=_("Stegförflyttningar och deltagande"),
        sections=[
            _progress_section(scope, filters, limit),
            _barrier_section(scope, filters, today, limit),
            _enrolment_section(scope, filters, today, limit),
            _group_section(scope, filters, limit),
        ],
        suppress_below=limit,
    )
