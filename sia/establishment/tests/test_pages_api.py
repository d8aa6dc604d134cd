"""The case's establishment page and the API: a round trip, what partners see, bad input
writes nothing, and the alerts listed for "Mitt arbete"."""

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import User
from sia.cases.models import Case
from sia.consent.models import DataKind
from sia.establishment.alerts import SFI_NOT_STARTED
from sia.establishment.models import CaseOutcome, ConcernReport, ProgrammeStatus
from sia.establishment.selectors import list_programme_alerts
from sia.establishment.tests.conftest import days_ago


def test_page_records_the_programme_and_shows_alerts(
    make_case: CaseFactory, login: Callable[[str], Client]
) -> None:
    case = make_case()
    client = login("vagledare1")
    url = f"/arenden/{case.pk}/etablering/"
    assert client.get(url).status_code == 200
    answer = client.post(
        url,
        {"action_plan_on": days_ago(35).isoformat(), "education_duty": "yes"},
    )
    assert answer.status_code == 302
    status = ProgrammeStatus.objects.get(case=case)
    assert status.education_duty is True
    page = client.get(url).content.decode()
    assert "SFI har inte börjat" in page
    # A bad date shows on the form, and nothing changes.
    bad = client.post(url, {"sfi_started_on": (timezone.localdate() + dt.timedelta(days=3))})
    assert bad.status_code == 200
    assert "framtiden" in bad.content.decode()
    status.refresh_from_db()
    assert status.sfi_started_on is None
    # SFI before the action plan is recorded, with a warning (SFI is open to everyone).
    early = {"action_plan_on": days_ago(35).isoformat(), "sfi_started_on": days_ago(40)}
    assert client.post(url, early).status_code == 302
    assert "SFI började före den individuella handlingsplanen" in client.get(url).content.decode()


def test_page_baseline_outcome_and_concern_report_forms(
    make_case: CaseFactory, login: Callable[[str], Client]
) -> None:
    case = make_case()
    client = login("vagledare1")
    base = f"/arenden/{case.pk}/etablering/"
    client.post(
        base + "ingangsvarden/",
        {"baseline_on": days_ago(0).isoformat(), "concern_reports_last_year": "2"},
    )
    client.post(base + "utfall/", {"own_lease_on": days_ago(0).isoformat()})
    client.post(base + "orosanmalningar/", {"received_on": "inte ett datum"})
    client.post(base + "orosanmalningar/", {"received_on": days_ago(1).isoformat()})
    outcome = CaseOutcome.objects.get(case=case)
    assert (outcome.baseline_concern_reports, outcome.own_lease_on) == (2, days_ago(0))
    assert ConcernReport.objects.filter(case=case).count() == 1
    page = client.get(base).content.decode()
    assert "1 orosanmälan registrerad" in page


def test_partner_sees_programme_with_plans_consent_never_concern_reports(
    af_case: Callable[..., Case],
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
) -> None:
    case = af_case()
    ConcernReport.objects.create(case=case, received_on=days_ago(1), recorded_by=case.opened_by)
    page = login("af").get(f"/arenden/{case.pk}/etablering/")
    assert page.status_code == 200
    assert "Orosanmälningar" not in page.content.decode()
    assert api_as("af").get(f"/api/v1/cases/{case.pk}/concern-reports/").status_code == 404
    no_plans = af_case(kinds=(DataKind.CASE,))
    assert login("af").get(f"/arenden/{no_plans.pk}/etablering/").status_code == 404
    assert login("fk").get(f"/arenden/{case.pk}/etablering/").status_code == 404


def test_api_round_trip_programme_outcome_and_concern_reports(
    af_case: Callable[..., Case], api_as: Callable[[str], APIClient]
) -> None:
    case = af_case()
    af = api_as("af")
    url = f"/api/v1/cases/{case.pk}/programme/"
    assert af.get(url).status_code == 404
    put = af.put(
        url,
        {"action_plan_on": days_ago(30).isoformat(), "reduced_work_capacity": True},
        format="json",
    )
    assert put.status_code == 200, put.json()
    body = af.get(url).json()
    assert body["reduced_work_capacity"] is True
    assert [alert["code"] for alert in body["alerts"]] == [SFI_NOT_STARTED]
    bad = af.put(url, {"sfi_started_on": "2999-01-01"}, format="json")
    assert bad.status_code == 400
    assert "sfi_started_on" in bad.json()
    assert ProgrammeStatus.objects.get(case=case).reduced_work_capacity is True

    worker = api_as("vagledare1")
    outcome_url = f"/api/v1/cases/{case.pk}/outcome/"
    baseline = {
        "baseline_on": days_ago(0).isoformat(),
        "baseline_self_sufficient": False,
        "baseline_own_lease": True,
        "baseline_concern_reports": 0,
    }
    assert worker.put(outcome_url, baseline, format="json").status_code == 200
    again = worker.put(outcome_url, {**baseline, "baseline_own_lease": False}, format="json")
    assert again.status_code == 409
    dated = worker.put(
        outcome_url, {**baseline, "self_sufficient_on": days_ago(0).isoformat()}, format="json"
    )
    assert dated.json()["self_sufficient_on"] == days_ago(0).isoformat()
    assert af.put(outcome_url, baseline, format="json").status_code == 404

    reports_url = f"/api/v1/cases/{case.pk}/concern-reports/"
    created = worker.post(reports_url, {"received_on": days_ago(2).isoformat()}, format="json")
    assert created.status_code == 201
    assert [r["received_on"] for r in worker.get(reports_url).json()] == [days_ago(2).isoformat()]


def test_my_work_lists_the_alerts_of_my_cases_only(
    make_case: CaseFactory,
    staff: dict[str, User],
    add_programme: Callable[..., ProgrammeStatus],
) -> None:
    mine = make_case(team=("vagledare1",))
    other = make_case(team=("vagledare2",))
    for case in (mine, other):
        add_programme(case, action_plan_on=days_ago(28))
    today = timezone.localdate()
    rows = list_programme_alerts(staff["vagledare1"], today)
    assert [(row.case.pk, [a.code for a in row.alerts]) for row in rows] == [
        (mine.pk, [SFI_NOT_STARTED])
    ]
    assert list_programme_alerts(staff["vagledare1"], today - dt.timedelta(days=1)) == []
