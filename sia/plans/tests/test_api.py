"""The SIA plan API: the same services and access as the pages, 409 on an agreed version."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.audit.models import AuditAction, AuditEvent
from sia.cases.models import Case
from sia.plans.models import PlanActivity, SiaPlan
from sia.process.models import CaseStep, CatalogueItem

ApiAs = Callable[[str], APIClient]


@pytest.fixture
def case(make_case: CaseFactory) -> Case:
    return make_case(team=("vagledare1",))


def plans_url(case: Case) -> str:
    return reverse("api-plan-list", kwargs={"case_id": case.pk})


def plan_url(case: Case, plan_id: str, name: str = "api-plan-detail") -> str:
    return reverse(name, kwargs={"case_id": case.pk, "plan_id": plan_id})


def activity_url(case: Case, plan_id: str, activity_id: str) -> str:
    kwargs = {"case_id": case.pk, "plan_id": plan_id, "activity_id": activity_id}
    return reverse("api-plan-activity", kwargs=kwargs)


def body(**overrides: Any) -> dict[str, Any]:
    item = CatalogueItem.objects.get(catalogue__key="sia-activities", key="sprakcafe")
    data: dict[str, Any] = {
        "assessment": "Behöver stöd med bostad.",
        "guidance_needs": "Bostadsvägledning.",
        "activities": [
            {"catalogue_item": str(item.pk), "responsible": "Biblioteket"},
            {"title": "Öppna bankkonto", "start_date": "2026-12-01", "target_date": "2027-01-15"},
        ],
    }
    data.update(overrides)
    return data


def test_a_plan_is_proposed_edited_agreed_and_followed_up_through_the_api(
    case: Case, api_as: ApiAs
) -> None:
    api = api_as("socsek")

    proposed = api.post(plans_url(case), body(), format="json")
    plan_id = proposed.json()["id"]
    edited = api.patch(
        plan_url(case, plan_id),
        {"guidance_needs": "Förstärkt.", "lock_version": proposed.json()["lock_version"]},
        format="json",
    )
    agreed = api.post(
        plan_url(case, plan_id, "api-plan-agree"),
        {"lock_version": edited.json()["lock_version"]},
        format="json",
    )
    activity = agreed.json()["activities"][0]
    moved = api.patch(
        activity_url(case, plan_id, activity["id"]),
        {"status": "done", "lock_version": activity["lock_version"]},
        format="json",
    )
    listed = api.get(plans_url(case))

    assert proposed.status_code == 201
    assert [a["name"] for a in proposed.json()["activities"]] == ["Språkcafé", "Öppna bankkonto"]
    assert edited.status_code == 200
    assert edited.json()["guidance_needs"] == "Förstärkt."
    assert len(edited.json()["activities"]) == 2
    assert agreed.status_code == 200
    assert agreed.json()["status"] == "agreed"
    assert agreed.json()["agreed_by"] == "socsek"
    assert moved.status_code == 200
    assert moved.json()["status"] == "done"
    assert [p["version"] for p in listed.json()] == [1]
    assert CaseStep.objects.get(case=case, key="sia_plan").status == CaseStep.Status.DONE
    actions = list(AuditEvent.objects.filter(case=case).values_list("action", flat=True))
    for action in (
        AuditAction.PLAN_PROPOSED,
        AuditAction.PLAN_AGREED,
        AuditAction.PLAN_ACTIVITY_UPDATED,
    ):
        assert action in actions


def test_an_agreed_plan_is_never_changed_and_a_new_version_copies_it(
    case: Case, api_as: ApiAs
) -> None:
    api = api_as("vagledare1")
    proposed = api.post(plans_url(case), body(), format="json").json()
    plan_id = proposed["id"]
    shown = {"lock_version": proposed["lock_version"]}
    api.post(plan_url(case, plan_id, "api-plan-agree"), shown, format="json")
    before = api.get(plan_url(case, plan_id)).json()

    changed = api.patch(
        plan_url(case, plan_id),
        {"assessment": "Annat", "lock_version": before["lock_version"]},
        format="json",
    )
    agreed_again = api.post(
        plan_url(case, plan_id, "api-plan-agree"),
        {"lock_version": before["lock_version"]},
        format="json",
    )
    second = api.post(plans_url(case), {}, format="json")

    assert changed.status_code == 409
    assert agreed_again.status_code == 409
    assert second.status_code == 201
    assert second.json()["version"] == 2
    assert second.json()["assessment"] == before["assessment"]
    assert [a["name"] for a in second.json()["activities"]] == [
        a["name"] for a in before["activities"]
    ]
    assert api.get(plan_url(case, plan_id)).json() == before


def test_the_status_of_a_replaced_version_answers_409(case: Case, api_as: ApiAs) -> None:
    api = api_as("socsek")
    first = api.post(plans_url(case), body(), format="json").json()
    api.post(plan_url(case, first["id"], "api-plan-agree"), first, format="json")
    second = api.post(plans_url(case), {}, format="json").json()
    api.post(plan_url(case, second["id"], "api-plan-agree"), second, format="json")

    response = api.patch(
        activity_url(case, first["id"], first["activities"][0]["id"]),
        {"status": "cancelled", "lock_version": first["activities"][0]["lock_version"]},
        format="json",
    )

    assert response.status_code == 409
    assert PlanActivity.objects.get(pk=first["activities"][0]["id"]).status == "planned"


@pytest.mark.parametrize(
    "activities",
    [
        pytest.param([{"title": ""}], id="nothing chosen"),
        pytest.param(
            [{"title": "Kurs", "start_date": "2027-02-01", "target_date": "2027-01-01"}],
            id="target before start",
        ),
        pytest.param([{"catalogue_item": "00000000-0000-0000-0000-000000000000"}], id="no such"),
        pytest.param([{"title": "Kurs", "status": "forgotten"}], id="unknown status"),
        pytest.param(
            [{"title": "Kurs", "responsible": "AF", "responsible_user": None}] * 51,
            id="too many",
        ),
    ],
)
def test_bad_input_answers_400_and_writes_nothing(
    case: Case, api_as: ApiAs, activities: list[dict[str, Any]]
) -> None:
    response = api_as("socsek").post(plans_url(case), body(activities=activities), format="json")

    assert response.status_code == 400
    assert not SiaPlan.objects.exists()


@pytest.mark.parametrize("username", ["annan", "af"])
def test_outsiders_get_404_on_every_plan_endpoint(case: Case, api_as: ApiAs, username: str) -> None:
    plan = api_as("socsek").post(plans_url(case), body(), format="json").json()
    api = api_as(username)

    answers = [
        api.get(plans_url(case)).status_code,
        api.post(plans_url(case), body(), format="json").status_code,
        api.get(plan_url(case, plan["id"])).status_code,
        api.patch(
            plan_url(case, plan["id"]), {"assessment": "x", "lock_version": 1}, format="json"
        ).status_code,
        api.post(
            plan_url(case, plan["id"], "api-plan-agree"), {"lock_version": 1}, format="json"
        ).status_code,
        api.patch(
            activity_url(case, plan["id"], plan["activities"][0]["id"]),
            {"status": "done", "lock_version": 1},
            format="json",
        ).status_code,
    ]

    assert answers == [404] * len(answers)
    assert SiaPlan.objects.get().status == SiaPlan.Status.PROPOSED
    assert not AuditEvent.objects.filter(actor_username=username).exists()
