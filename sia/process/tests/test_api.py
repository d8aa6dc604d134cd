"""The process through the API: steps on a case, allocation, transfer, the first-contact
date, the timeline, my work and the catalogues, with the same access rules as the pages."""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from conftest import CaseFactory
from sia.accounts.models import User
from sia.cases.models import Case, CaseTeamMember
from sia.process.models import CaseStep

STOCKHOLM = ZoneInfo("Europe/Stockholm")
API = Callable[[str], APIClient]


@pytest.fixture
def new_case(make_case: CaseFactory) -> Case:
    return make_case(team=())


def allocate(client: APIClient, case: Case, staff: dict[str, User], *guides: str) -> object:
    return client.post(
        f"/api/v1/cases/{case.pk}/allocate/",
        {"guides": [str(staff[g].pk) for g in guides], "social_worker": str(staff["socsek"].pk)},
        format="json",
    )


def test_a_case_includes_its_steps_with_iso_due_dates(
    new_case: Case, api_as: API, time_machine: TimeMachineFixture
) -> None:
    data = api_as("socsek").get(f"/api/v1/cases/{new_case.pk}/").json()
    assert [step["key"] for step in data["steps"]] == [
        "allocation",
        "alignment",
        "guidance_meeting",
        "first_visit",
        "sia_plan",
        "transfer",
    ]
    allocation = data["steps"][0]
    assert allocation["status"] == "open"
    assert allocation["due_date"] == new_case.first_contact_date.isoformat()
    assert allocation["completed_at"] is None
    assert allocation["responsible_role"] == "deputy_unit_manager"
    assert allocation["title"] == "Fördelning"
    assert data["steps"][-1]["status"] == "pending"


def test_the_manager_allocates_through_the_api(
    new_case: Case, api_as: API, staff: dict[str, User]
) -> None:
    response = allocate(api_as("chef"), new_case, staff, "vagledare1", "vagledare2")
    assert response.status_code == 200  # type: ignore[attr-defined]
    data = response.json()  # type: ignore[attr-defined]
    assert {member["user"] for member in data["team"]} == {"socsek", "vagledare1", "vagledare2"}
    assert data["steps"][0]["status"] == "done"
    assert data["steps"][0]["completed_at"] is not None
    assert data["stage"] == "alignment"


@pytest.mark.parametrize("username", ["socsek", "vagledare1", "annan", "af"])
def test_only_the_manager_allocates_through_the_api(
    new_case: Case, api_as: API, staff: dict[str, User], username: str
) -> None:
    response = allocate(api_as(username), new_case, staff, "vagledare1")
    assert response.status_code == 404  # type: ignore[attr-defined]
    assert not CaseTeamMember.objects.filter(case=new_case, user=staff["vagledare1"]).exists()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"guides": [], "social_worker": "x"},
        {"guides": ["00000000-0000-4000-8000-000000000000"], "social_worker": None},
    ],
)
def test_bad_allocation_input_is_a_400_and_changes_nothing(
    new_case: Case, api_as: API, staff: dict[str, User], payload: dict[str, object]
) -> None:
    if payload.get("social_worker") is None and "guides" in payload:
        payload = {**payload, "social_worker": str(staff["socsek"].pk)}
    response = api_as("chef").post(f"/api/v1/cases/{new_case.pk}/allocate/", payload, format="json")
    assert response.status_code == 400
    assert CaseStep.objects.get(case=new_case, key="allocation").status == CaseStep.Status.OPEN


def test_a_user_who_is_not_a_guide_is_refused_as_guide(
    new_case: Case, api_as: API, staff: dict[str, User]
) -> None:
    response = allocate(api_as("chef"), new_case, staff, "ug")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "guides" in response.json()  # type: ignore[attr-defined]


def test_transfer_through_the_api(new_case: Case, api_as: API, staff: dict[str, User]) -> None:
    allocate(api_as("chef"), new_case, staff, "vagledare1")
    url = f"/api/v1/cases/{new_case.pk}/transfer/"
    body = {"assessment_worker": str(staff["ug"].pk)}
    assert api_as("vagledare1").post(url, body, format="json").status_code == 404
    assert api_as("annan").post(url, body, format="json").status_code == 404
    # The reception social worker leaves the team with the transfer, so sees no case back.
    assert api_as("socsek").post(url, body, format="json").status_code == 204
    data = api_as("ug").get(f"/api/v1/cases/{new_case.pk}/").json()
    assert data["stage"] == "assessment"
    assert {m["user"] for m in data["team"]} == {"vagledare1", "ug"}
    assert data["steps"][-1]["status"] == "open"


def test_correcting_the_first_contact_date_through_the_api_recomputes_due_dates(
    make_case: CaseFactory, api_as: API, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(dt.datetime(2027, 3, 31, 10, tzinfo=STOCKHOLM), tick=False)
    case = make_case(team=())
    url = f"/api/v1/cases/{case.pk}/first-contact-date/"
    assert api_as("annan").patch(url, {"first_contact_date": "2027-03-24"}).status_code == 404
    assert api_as("af").patch(url, {"first_contact_date": "2027-03-24"}).status_code == 404
    assert api_as("socsek").patch(url, {"first_contact_date": "2027-04-30"}).status_code == 400
    response = api_as("socsek").patch(url, {"first_contact_date": "2027-03-24"}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["first_contact_date"] == "2027-03-24"
    steps = {step["key"]: step for step in data["steps"]}
    assert steps["alignment"]["due_date"] == "2027-03-30"


def test_the_timeline_through_the_api_shows_the_allocation_first(
    new_case: Case, api_as: API, staff: dict[str, User]
) -> None:
    allocate(api_as("chef"), new_case, staff, "vagledare1")
    response = api_as("socsek").get(f"/api/v1/cases/{new_case.pk}/timeline/")
    assert response.status_code == 200
    actions = [entry["action"] for entry in response.json()]
    assert actions[0] == "case.allocated"
    assert "case.created" in actions
    assert "case.viewed" not in actions
    assert api_as("annan").get(f"/api/v1/cases/{new_case.pk}/timeline/").status_code == 404


def test_my_work_through_the_api(make_case: CaseFactory, api_as: API) -> None:
    case = make_case(team=("vagledare1",))
    data = api_as("vagledare1").get("/api/v1/my-work/").json()
    assert [(s["key"], s["case"]["id"]) for s in data["due_steps"]] == [
        ("guidance_meeting", str(case.pk))
    ]
    chef = api_as("chef").get("/api/v1/my-work/").json()
    assert [c["id"] for c in chef["waiting"]] == [str(case.pk)]


def test_a_catalogue_lists_its_active_items(api_as: API) -> None:
    data = api_as("vagledare1").get("/api/v1/catalogues/sia-documents/").json()
    assert data["kind"] == "documents"
    assert data["items"][0]["key"] == "uppehallstillstand"
    assert api_as("vagledare1").get("/api/v1/catalogues/finns-inte/").status_code == 404


def test_the_case_list_costs_the_same_queries_with_steps_for_2_cases_as_for_12(
    make_case: CaseFactory, api_as: API
) -> None:
    client = api_as("socsek")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/cases/")
            assert response.status_code == 200
        assert all(len(case["steps"]) == 6 for case in response.json()["results"])
        return len(queries)

    for _ in range(2):
        make_case()
    few = count()
    for _ in range(10):
        make_case()
    assert count() == few
