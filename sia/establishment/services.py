"""Record a case's establishment programme status, its outcome measures and the reports of
concern about the household's children. Every write is atomic and audited; the audit lists
the changed field names and dates, never free text.

SFI and civic orientation should start "as soon as the individual action plan exists" (seed
004), but SFI is open to every resident, so an earlier start is a fact to record, not an
error: it is saved and the page warns (`alerts.order_warnings`). Nothing the programme
records happens before the residence permit. Registration at Arbetsförmedlingen may precede
the municipality's first contact, so that date is not a limit here. Dates already passed may
not lie in the future, except the programme's planned end (up to three years ahead).
"""

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case
from sia.core.exceptions import InvalidTransition, ValidationFailed
from sia.core.text import MAX_AHEAD, clean_text
from sia.establishment.access import can_change_outcome, can_change_programme
from sia.establishment.models import CaseOutcome, ConcernReport, ProgrammeRules, ProgrammeStatus
from sia.process.access import access_case_for

MAX_LINE = 200
MAX_CONCERN_REPORTS = 100
BASELINE_BEFORE_CONTACT = dt.timedelta(days=30)

# Dates that happened, so never in the future, and not before the residence permit.
PAST_DATES = (
    "af_registered_on",
    "programme_started_on",
    "action_plan_on",
    "sfi_started_on",
    "civic_orientation_started_on",
    "intensive_year_started_on",
)


@dataclass(frozen=True)
class ProgrammeInput:
    """Everything recorded about a person's establishment programme."""

    af_registered_on: dt.date | None = None
    programme_started_on: dt.date | None = None
    programme_ends_on: dt.date | None = None
    action_plan_on: dt.date | None = None
    sfi_started_on: dt.date | None = None
    civic_orientation_started_on: dt.date | None = None
    education_duty: bool | None = None
    intensive_year_started_on: dt.date | None = None
    reduced_work_capacity: bool = False
    adaptation_needs: str = ""
    af_contact: str = ""
    other_contacts: str = ""


def rules() -> ProgrammeRules:
    """Return the single row of alert thresholds, created with the defaults if missing."""
    found = ProgrammeRules.objects.order_by("created_at").first()
    if found is None:
        found, _created = ProgrammeRules.objects.get_or_create(pk=1)
    return found


def _not_future(day: dt.date | None, field: str, today: dt.date) -> None:
    if day is not None and day > today:
        raise ValidationFailed(_("Datumet kan inte ligga i framtiden."), field=field)


def _check_programme(case: Case, data: ProgrammeInput, today: dt.date) -> None:
    permit = case.person.residence_permit_date
    for field in PAST_DATES:
        day = getattr(data, field)
        _not_future(day, field, today)
        if day is not None and permit is not None and day < permit:
            raise ValidationFailed(
                _("Datumet kan inte ligga före uppehållstillståndet."), field=field
            )
    ends = data.programme_ends_on
    if ends is not None and ends > today + MAX_AHEAD:
        raise ValidationFailed(
            _("Datumet ligger för långt fram i tiden."), field="programme_ends_on"
        )
    started = data.programme_started_on
    if ends is not None and started is not None and ends <= started:
        raise ValidationFailed(
            _("Programmet måste sluta efter att det började."), field="programme_ends_on"
        )
    if ends is not None and data.programme_started_on is None:
        raise ValidationFailed(
            _("Ange när programmet började innan du anger när det slutar."),
            field="programme_started_on",
        )


def _changed(old: Any, new: Any) -> bool:
    return bool(old != new)


def _audit_value(value: object) -> object:
    """Dates and yes/no answers as they are; free text only as "changed"."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool):
        return value
    return "changed"


@transaction.atomic
def save_programme(
    *, actor: User, case_id: UUID, data: ProgrammeInput, channel: Channel
) -> ProgrammeStatus:
    """Create or update the case's programme status."""
    case = access_case_for(actor, case_id, can_change_programme)
    today = timezone.localdate()
    data = ProgrammeInput(
        **{
            **{f.name: getattr(data, f.name) for f in fields(data)},
            "adaptation_needs": clean_text(data.adaptation_needs, "adaptation_needs"),
            "af_contact": clean_text(data.af_contact, "af_contact", limit=MAX_LINE),
            "other_contacts": clean_text(data.other_contacts, "other_contacts"),
        }
    )
    _check_programme(case, data, today)
    status = ProgrammeStatus.objects.select_for_update().filter(case=case).first()
    created = status is None
    if status is None:
        status = ProgrammeStatus(case=case, updated_by=actor)
    changes: dict[str, Any] = {}
    for f in fields(data):
        new = getattr(data, f.name)
        old = getattr(status, f.name) if not created else None
        if created or _changed(old, new):
            changes[f.name] = _audit_value(new)
        setattr(status, f.name, new)
    if not created and not changes:
        return status
    status.updated_by = actor
    status.save()
    audit.record_case(
        actor=actor,
        action=AuditAction.PROGRAMME_CHANGED,
        channel=channel,
        case=case,
        changes={"created": created, "fields": changes},
    )
    return status


@transaction.atomic
def record_baseline(
    *,
    actor: User,
    case_id: UUID,
    baseline_on: dt.date,
    self_sufficient: bool,
    own_lease: bool,
    concern_reports_last_year: int,
    channel: Channel,
) -> CaseOutcome:
    """Record the case's baseline values, once: they are what the outcomes are measured from."""
    case = access_case_for(actor, case_id, can_change_outcome)
    case = Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=case.pk)
    if CaseOutcome.objects.filter(case=case).exists():
        raise InvalidTransition(_("Ingångsvärdena är redan registrerade."))
    today = timezone.localdate()
    _not_future(baseline_on, "baseline_on", today)
    if baseline_on < case.first_contact_date - BASELINE_BEFORE_CONTACT:
        raise ValidationFailed(
            _("Ingångsvärdena kan inte gälla mer än 30 dagar före aktualiseringen."),
            field="baseline_on",
        )
    if not 0 <= concern_reports_last_year <= MAX_CONCERN_REPORTS:
        raise ValidationFailed(
            _("Ange ett antal mellan 0 och 100."), field="concern_reports_last_year"
        )
    outcome = CaseOutcome.objects.create(
        case=case,
        baseline_on=baseline_on,
        baseline_self_sufficient=self_sufficient,
        baseline_own_lease=own_lease,
        baseline_concern_reports=concern_reports_last_year,
        updated_by=actor,
    )
    audit.record_case(
        actor=actor,
        action=AuditAction.OUTCOME_CHANGED,
        channel=channel,
        case=case,
        changes={
            "baseline_on": baseline_on.isoformat(),
            "fields": [
                "baseline_self_sufficient",
                "baseline_own_lease",
                "baseline_concern_reports",
            ],
        },
    )
    return outcome


@transaction.atomic
def record_outcome(
    *,
    actor: User,
    case_id: UUID,
    self_sufficient_on: dt.date | None = None,
    own_lease_on: dt.date | None = None,
    channel: Channel,
) -> CaseOutcome:
    """Record (or clear) the dates of self-sufficiency and own lease, after the baseline."""
    case = access_case_for(actor, case_id, can_change_outcome)
    outcome = CaseOutcome.objects.select_for_update().filter(case=case).first()
    if outcome is None:
        raise InvalidTransition(_("Registrera ingångsvärdena först."))
    today = timezone.localdate()
    changes: dict[str, str | None] = {}
    for field, day in (("self_sufficient_on", self_sufficient_on), ("own_lease_on", own_lease_on)):
        _not_future(day, field, today)
        if day is not None and day < outcome.baseline_on:
            raise ValidationFailed(_("Datumet kan inte ligga före ingångsvärdena."), field=field)
        if getattr(outcome, field) != day:
            changes[field] = day.isoformat() if day else None
    if not changes:
        return outcome
    outcome.self_sufficient_on = self_sufficient_on
    outcome.own_lease_on = own_lease_on
    outcome.updated_by = actor
    outcome.save()
    audit.record_case(
        actor=actor,
        action=AuditAction.OUTCOME_CHANGED,
        channel=channel,
        case=case,
        changes=changes,
    )
    return outcome


@transaction.atomic
def record_concern_report(
    *, actor: User, case_id: UUID, received_on: dt.date, channel: Channel
) -> ConcernReport:
    """Record that a report of concern about the household's children came in (date only)."""
    case = access_case_for(actor, case_id, can_change_outcome)
    _not_future(received_on, "received_on", timezone.localdate())
    if received_on < case.first_contact_date - BASELINE_BEFORE_CONTACT:
        raise ValidationFailed(
            _("Orosanmälningar före ärendets start räknas i ingångsvärdena."),
            field="received_on",
        )
    report = ConcernReport.objects.create(case=case, received_on=received_on, recorded_by=actor)
    audit.record_case(
        actor=actor,
        action=AuditAction.CONCERN_REPORT_RECORDED,
        channel=channel,
        case=case,
        changes={"received_on": received_on.isoformat()},
    )
    return report
