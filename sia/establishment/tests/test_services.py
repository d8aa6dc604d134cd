"""Recording the programme, the baseline, the outcome dates and reports of concern: the
rules refused with nothing written, the audit naming fields only, and who may write."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from conftest import CaseFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.consent.models import DataKind
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.establishment import services
from sia.establishment.models import CaseOutcome, ConcernReport, ProgrammeRules, ProgrammeStatus
from sia.establishment.services import ProgrammeInput
from sia.establishment.tests.conftest import days_ago

TODAY = timezone.localdate


def events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_save_programme_creates_then_updates_and_audits_field_names_only(
    make_case: CaseFactory, staff: dict[str, User]
) -> None:
    case = make_case()
    data = ProgrammeInput(
        af_registered_on=days_ago(60),
        programme_started_on=days_ago(50),
        programme_ends_on=TODAY() + dt.timedelta(days=700),
        action_plan_on=days_ago(40),
        adaptation_needs="Hörselnedsättning, behöver tolk via skärm",
    )
    services.save_programme(
        actor=staff["vagledare1"], case_id=case.pk, data=data, channel=Channel.WEB
    )
    services.save_programme(
        actor=staff["vagledare1"],
        case_id=case.pk,
        data=ProgrammeInput(**{**data.__dict__, "sfi_started_on": days_ago(10)}),
        channel=Channel.WEB,
    )
    status = ProgrammeStatus.objects.get(case=case)
    assert status.sfi_started_on == days_ago(10)
    by_kind = {e.changes["created"]: e for e in events(AuditAction.PROGRAMME_CHANGED)}
    created, changed = by_kind[True], by_kind[False]
    assert created.changes["fields"]["adaptation_needs"] == "changed"
    assert "Hörsel" not in str(created.changes)
    assert changed.changes == {
        "created": False,
        "fields": {"sfi_started_on": days_ago(10).isoformat()},
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sfi_started_on": TODAY() + dt.timedelta(days=1)}, "sfi_started_on"),
        ({"af_registered_on": days_ago(200)}, "af_registered_on"),  # before the permit
        (
            {"programme_started_on": days_ago(10), "programme_ends_on": days_ago(20)},
            "programme_ends_on",
        ),
        (
            {
                "programme_started_on": days_ago(10),
                "programme_ends_on": TODAY() + dt.timedelta(days=4 * 365),
            },
            "programme_ends_on",
        ),
    ],
)
def test_bad_programme_dates_are_refused_and_nothing_is_written(
    make_case: CaseFactory, staff: dict[str, User], fields: dict[str, dt.date], field: str
) -> None:
    case = make_case()
    with pytest.raises(ValidationFailed) as refused:
        services.save_programme(
            actor=staff["vagledare1"],
            case_id=case.pk,
            data=ProgrammeInput(**fields),  # type: ignore[arg-type]
            channel=Channel.WEB,
        )
    assert refused.value.field == field
    assert not ProgrammeStatus.objects.exists()
    assert not events(AuditAction.PROGRAMME_CHANGED)


def test_af_with_a_plans_consent_records_the_programme_other_partners_do_not(
    af_case: Callable[..., Case], staff: dict[str, User]
) -> None:
    covered = af_case()
    services.save_programme(
        actor=staff["af"],
        case_id=covered.pk,
        data=ProgrammeInput(af_registered_on=days_ago(5)),
        channel=Channel.API,
    )
    assert ProgrammeStatus.objects.get(case=covered).updated_by == staff["af"]
    # Only a "case" consent: AF may see the case but not record the programme.
    not_plans = af_case(kinds=(DataKind.CASE,))
    with pytest.raises(NotFoundOrForbidden):
        services.save_programme(
            actor=staff["af"], case_id=not_plans.pk, data=ProgrammeInput(), channel=Channel.API
        )
    # AF never records outcomes or reports of concern (municipal records).
    with pytest.raises(NotFoundOrForbidden):
        services.record_concern_report(
            actor=staff["af"], case_id=covered.pk, received_on=TODAY(), channel=Channel.API
        )
    # Someone not on the team: nothing.
    with pytest.raises(NotFoundOrForbidden):
        services.save_programme(
            actor=staff["annan"], case_id=covered.pk, data=ProgrammeInput(), channel=Channel.WEB
        )
    assert ProgrammeStatus.objects.count() == 1


def test_baseline_once_then_outcome_dates_not_before_it_nor_in_the_future(
    make_case: CaseFactory, staff: dict[str, User]
) -> None:
    case = make_case()
    worker = staff["vagledare1"]

    def baseline(on: dt.date) -> CaseOutcome:
        return services.record_baseline(
            actor=worker,
            case_id=case.pk,
            baseline_on=on,
            self_sufficient=False,
            own_lease=False,
            concern_reports_last_year=1,
            channel=Channel.WEB,
        )

    with pytest.raises(ValidationFailed):
        baseline(days_ago(31))  # more than 30 days before the first contact
    with pytest.raises(ValidationFailed):
        baseline(TODAY() + dt.timedelta(days=1))
    with pytest.raises(InvalidTransition):
        services.record_outcome(actor=worker, case_id=case.pk, channel=Channel.WEB)
    assert not CaseOutcome.objects.exists()
    baseline(days_ago(30))
    with pytest.raises(InvalidTransition):
        baseline(days_ago(2))
    for bad in (days_ago(31), TODAY() + dt.timedelta(days=1)):
        with pytest.raises(ValidationFailed):
            services.record_outcome(
                actor=worker, case_id=case.pk, own_lease_on=bad, channel=Channel.WEB
            )
    services.record_outcome(
        actor=worker, case_id=case.pk, self_sufficient_on=days_ago(1), channel=Channel.WEB
    )
    outcome = CaseOutcome.objects.get(case=case)
    assert (outcome.baseline_on, outcome.self_sufficient_on, outcome.own_lease_on) == (
        days_ago(30),
        days_ago(1),
        None,
    )
    assert len(events(AuditAction.OUTCOME_CHANGED)) == 2


def test_concern_report_is_a_date_and_refused_in_the_future(
    make_case: CaseFactory, staff: dict[str, User]
) -> None:
    case = make_case()
    # In the future, or before the case started (those count in the baseline): refused.
    for bad in (TODAY() + dt.timedelta(days=1), days_ago(31)):
        with pytest.raises(ValidationFailed):
            services.record_concern_report(
                actor=staff["vagledare1"], case_id=case.pk, received_on=bad, channel=Channel.WEB
            )
    services.record_concern_report(
        actor=staff["vagledare1"], case_id=case.pk, received_on=days_ago(3), channel=Channel.WEB
    )
    assert ConcernReport.objects.get().received_on == days_ago(3)
    assert events(AuditAction.CONCERN_REPORT_RECORDED)[0].changes == {
        "received_on": days_ago(3).isoformat()
    }


def test_rules_is_one_row_created_with_the_defaults(db: None) -> None:
    first = services.rules()
    assert (first.sfi_alert_weeks, first.age_limit) == (4, 65)
    assert services.rules().pk == first.pk
    assert ProgrammeRules.objects.count() == 1
