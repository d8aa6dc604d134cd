"""Reads of the establishment programme: a case's status and alerts, the alerts of the
user's own cases (for "Mitt arbete"), and the group-level report for Arbetsförmedlingen
without personal data, small counts suppressed."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sia.accounts.models import Role, Unit, User
from sia.accounts.selectors import managed_unit_ids, memberships_of
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.cases.selectors import list_my_cases, read_cases
from sia.consent.coverage import persons_sharing
from sia.consent.models import DataKind
from sia.establishment.alerts import Alert, programme_alerts
from sia.establishment.models import CaseOutcome, ConcernReport, ProgrammeStatus
from sia.establishment.services import rules


def get_programme(case: Case) -> ProgrammeStatus | None:
    """Return the case's programme status, if recorded (access checked by the caller)."""
    return ProgrammeStatus.objects.filter(case=case).first()


def get_outcome(case: Case) -> CaseOutcome | None:
    """Return the case's outcome measures, if the baseline is recorded."""
    return CaseOutcome.objects.filter(case=case).first()


def list_concern_reports(case: Case) -> QuerySet[ConcernReport]:
    """Return the case's reports of concern, latest first (municipal staff only)."""
    return ConcernReport.objects.filter(case=case)


def case_programme_alerts(case: Case, today: dt.date) -> list[Alert]:
    """Return the alerts due today for a case the caller has shown (for the case page)."""
    status = get_programme(case)
    if status is None:
        return []
    return programme_alerts(status, rules(), case.person.date_of_birth, today)


@dataclass(frozen=True)
class CaseAlerts:
    """The alerts of one of the user's cases."""

    case: Case
    alerts: list[Alert]


def list_programme_alerts(user: User, today: dt.date) -> list[CaseAlerts]:
    """Return the programme alerts of the open cases on whose team the user is (for "Mitt
    arbete"), the most overdue first. A partner's user sees only cases whose consent shares
    plans. The cases shown are recorded as listed."""
    thresholds = rules()
    statuses = ProgrammeStatus.objects.filter(
        case__in=list_my_cases(user).values("pk")
    ).select_related("case__person")
    # The same rule as `can_see_programme`, with the consents read once for all the cases.
    sharing = persons_sharing(user, DataKind.PLANS)
    found: list[CaseAlerts] = []
    for status in statuses:
        if sharing is not None and status.case.person_id not in sharing:
            continue
        alerts = programme_alerts(status, thresholds, status.case.person.date_of_birth, today)
        if alerts:
            found.append(CaseAlerts(case=status.case, alerts=alerts))
    if found:
        read_cases(user, [row.case for row in found], channel=Channel.WEB)
    return sorted(found, key=lambda row: row.alerts[0].due_on)


# --- The group-level report -------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    """One count of the report; `count` is None when suppressed ("färre än N")."""

    key: str
    label: str
    count: int | None


@dataclass(frozen=True)
class ProgrammeReport:
    """Counts of people in the programme, with no names or ids."""

    today: dt.date
    suppress_below: int
    rows: list[ReportRow]

    def count(self, key: str) -> int | None:
        """Return the (possibly suppressed) count of one row."""
        return next(row.count for row in self.rows if row.key == key)


def _scope(unit_or_user: Unit | User) -> Q:
    if isinstance(unit_or_user, Unit):
        return Q(case__owning_unit_id=unit_or_user.pk)
    organisations = {
        m.unit.organisation_id for m in memberships_of(unit_or_user) if m.role == Role.ANALYST
    }
    return Q(case__owning_unit_id__in=managed_unit_ids(unit_or_user)) | Q(
        case__owning_unit__organisation_id__in=organisations
    )


def _in_programme(scope: Q, today: dt.date) -> list[ProgrammeStatus]:
    # Open cases only (a closed case's status is no longer followed up), one status per
    # person: the latest updated of the person's cases.
    rows = (
        ProgrammeStatus.objects.filter(scope, case__closed_on__isnull=True)
        .filter(programme_started_on__lte=today)
        .filter(Q(programme_ends_on__isnull=True) | Q(programme_ends_on__gt=today))
        .select_related("case")
        .order_by("case__person_id", "-updated_at")
    )
    per_person: dict[object, ProgrammeStatus] = {}
    for row in rows:
        per_person.setdefault(row.case.person_id, row)
    return list(per_person.values())


def programme_report(unit_or_user: Unit | User, today: dt.date) -> ProgrammeReport:
    """Count the people in the programme in a unit, or in what a manager or analyst oversees.

    Every count below `SIA_SUPPRESS_BELOW` is suppressed, and so is every count whose
    complement (the total minus it, or the not-started count minus the overdue ones) is
    below it, so that no suppressed number can be worked out from the ones shown.
    """
    limit: int = settings.SIA_SUPPRESS_BELOW
    thresholds = rules()
    people = _in_programme(_scope(unit_or_user), today)
    sfi_due = dt.timedelta(weeks=thresholds.sfi_alert_weeks)

    def n(test: Callable[[ProgrammeStatus], bool], among: list[ProgrammeStatus]) -> int:
        return sum(1 for status in among if test(status))

    total = len(people)
    sfi_not_started = [p for p in people if p.sfi_started_on is None]
    overdue = n(
        lambda p: p.action_plan_on is not None and p.action_plan_on + sfi_due <= today,
        sfi_not_started,
    )
    raw: list[tuple[str, str, int, int]] = [
        # key, label, count, the whole it is a part of (its complement = whole - count)
        (
            "registered",
            _("Inskrivna på Arbetsförmedlingen"),
            n(lambda p: p.af_registered_on is not None, people),
            total,
        ),
        (
            "action_plan",
            _("Med individuell handlingsplan"),
            n(lambda p: p.action_plan_on is not None, people),
            total,
        ),
        (
            "education_duty",
            _("Omfattas av utbildningsplikt"),
            n(lambda p: p.education_duty is True, people),
            total,
        ),
        (
            "intensive_year",
            _("I intensivår"),
            n(lambda p: p.intensive_year_started_on is not None, people),
            total,
        ),
        (
            "reduced_work_capacity",
            _("Med nedsatt arbetsförmåga"),
            n(lambda p: p.reduced_work_capacity, people),
            total,
        ),
        ("sfi_started", _("SFI har börjat"), total - len(sfi_not_started), total),
        ("sfi_not_started", _("SFI har inte börjat"), len(sfi_not_started), total),
        (
            "sfi_overdue",
            _("SFI har inte börjat efter larmgränsen"),
            overdue,
            len(sfi_not_started),
        ),
        (
            "civic_started",
            _("Samhällsorienteringen har börjat"),
            n(lambda p: p.civic_orientation_started_on is not None, people),
            total,
        ),
        (
            "civic_not_started",
            _("Samhällsorienteringen har inte börjat"),
            n(lambda p: p.civic_orientation_started_on is None, people),
            total,
        ),
    ]
    total_hidden = total < limit
    not_started_hidden = (
        total_hidden or min(len(sfi_not_started), total - len(sfi_not_started)) < limit
    )
    rows = [
        ReportRow("people", _("Personer i etableringsprogrammet"), None if total_hidden else total)
    ]
    for key, label, count, whole in raw:
        hidden = total_hidden or count < limit or whole - count < limit
        if key == "sfi_overdue":
            hidden = hidden or not_started_hidden
        rows.append(ReportRow(key, label, None if hidden else count))
    return ProgrammeReport(today=today, suppress_below=limit, rows=rows)
