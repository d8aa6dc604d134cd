"""The assessments API: the same services and access as the pages."""

from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sia.assessments.models import AssessmentTalk, ProgressStep
from sia.assessments.tests.conftest import GiveConsent
from sia.cases.models import Case

ApiAs = Callable[[str], APIClient]


def url(name: str, case: Case, **kwargs: object) -> str:
    return reverse(name, kwargs={"case_id": case.pk, **kwargs})


def test_api_round_trip(case: Case, api_as: ApiAs) -> None:
    client = api_as("socsek")
    today = timezone.localdate().isoformat()
    talk = client.post(
        url("api-assessment-talk-list", case),
        {
            "kind": "talk_2",
            "held_on": today,
            "answers": {"drommar": "Bli lärare"},
        },
        format="json",
    )
    assert talk.status_code == 201
    assert talk.json()["warnings"]
    bad = client.post(
        url("api-assessment-talk-list", case),
        {
            "kind": "talk_1",
            "held_on": today,
            "answers": {"okand": "x"},
        },
        format="json",
    )
    assert bad.status_code == 400
    assert AssessmentTalk.objects.count() == 1
    assert len(client.get(url("api-assessment-talk-list", case)).json()) == 1

    plan = client.post(
        url("api-future-plan-list", case),
        {
            "goal": "Bli lärare",
            "steps": [{"step": "SFI", "why": "Språket"}],
            "based_on": None,
            "lock_version": 0,
        },
        format="json",
    ).json()
    shown = {"lock_version": plan["lock_version"]}
    agree_url = url("api-future-plan-agree", case, plan_id=plan["id"])
    agreed = client.post(agree_url, shown, format="json")
    assert agreed.json()["status"] == "agreed"
    again = {"lock_version": agreed.json()["lock_version"]}
    assert client.post(agree_url, again, format="json").status_code == 409
    v2 = client.post(
        url("api-future-plan-list", case),
        {
            "health": "Sova mer",
            "based_on": plan["id"],
            "lock_version": agreed.json()["lock_version"],
        },
        format="json",
    )
    assert (v2.json()["version"], v2.json()["goal"]) == (2, "Bli lärare")

    step = client.post(
        url("api-progress-step-list", case),
        {"category": "progress", "kind": "sfi_started", "occurred_on": today},
        format="json",
    )
    assert step.status_code == 201
    assert (
        client.post(
            url("api-progress-step-list", case),
            {"category": "progress", "kind": "work", "occurred_on": today},
            format="json",
        ).status_code
        == 400
    )

    barrier = client.post(
        url("api-barrier-list", case), {"kind": "debt", "noted_on": today}, format="json"
    ).json()
    resolved = client.post(
        url("api-barrier-resolve", case, barrier_id=barrier["id"]), {}, format="json"
    )
    assert resolved.json()["resolved_on"] == today

    topic = client.post(
        url("api-postponed-topic-list", case),
        {"topic": "Flykten", "remind_on": today},
        format="json",
    ).json()
    assert topic["is_due"] is True
    returned = client.post(
        url("api-postponed-topic-return", case, topic_id=topic["id"]),
        {"note": "Ville prata", "lock_version": topic["lock_version"]},
        format="json",
    )
    assert returned.json()["returned_on"] == today

    enrolment = client.post(
        url("api-enrolment-list", case),
        {"programme": "cross_agency_team", "started_on": today},
        format="json",
    ).json()
    assert enrolment["max_months"] == 6
    assert enrolment["ends_on"] > today
    assert (
        client.post(
            url("api-enrolment-list", case),
            {"programme": "cross_agency_team", "started_on": today},
            format="json",
        ).status_code
        == 409
    )
    no_reason = client.post(
        url("api-enrolment-discharge", case, enrolment_id=enrolment["id"]), {}, format="json"
    )
    assert no_reason.status_code == 400
    done = client.post(
        url("api-enrolment-discharge", case, enrolment_id=enrolment["id"]),
        {"reason": "declined"},
        format="json",
    )
    assert done.json()["discharge_reason"] == "declined"


def test_partner_api_needs_consent_to_assessments(
    case: Case, api_as: ApiAs, give_consent: GiveConsent
) -> None:
    consent = give_consent(case, ["identity", "case"])
    client = api_as("af")
    for name in [
        "api-assessment-talk-list",
        "api-progress-step-list",
        "api-barrier-list",
        "api-postponed-topic-list",
        "api-enrolment-list",
        "api-future-plan-list",
    ]:
        assert client.get(url(name, case)).status_code == 404, name
    posted = client.post(
        url("api-progress-step-list", case),
        {
            "category": "progress",
            "kind": "sfi_started",
            "occurred_on": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert posted.status_code == 404
    consent.data_kinds = ["assessments"]
    consent.save(update_fields=["data_kinds"])
    assert client.get(url("api-progress-step-list", case)).status_code == 200
    assert client.get(url("api-future-plan-list", case)).status_code == 404
    # The consent lets AF read the assessments, not write in the municipality's record.
    posted = client.post(
        url("api-progress-step-list", case),
        {
            "category": "progress",
            "kind": "sfi_started",
            "occurred_on": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert posted.status_code == 404
    assert not ProgressStep.objects.filter(case=case).exists()
