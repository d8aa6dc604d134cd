"""The teamwork API: the same services and access as the pages."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import Organisation, User
from sia.cases.models import Case, CaseTeamMember, TeamFunction
from sia.demo.synthetic import personal_number
from sia.teamwork.models import Consultation, TeamTask
from sia.teamwork.tests.conftest import ConsentFactory

ApiAs = Callable[[str], APIClient]


@pytest.fixture
def case(make_case: CaseFactory) -> Case:
    return make_case(team=("vagledare1",))


def test_team_and_tasks_round_trip_with_a_partner(
    case: Case,
    staff: dict[str, User],
    api_as: ApiAs,
    consent_for: ConsentFactory,
    af_org: Organisation,
    municipality: Organisation,
) -> None:
    socsek, af = api_as("socsek"), api_as("af")
    members_url = reverse("api-team-member-list", args=[case.pk])
    tasks_url = reverse("api-task-list", args=[case.pk])

    added = socsek.post(
        members_url,
        {"user": str(staff["af"].pk), "function": TeamFunction.EMPLOYMENT_OFFICER},
        format="json",
    )
    hidden = af.get(tasks_url)
    consent_for(case)
    af_task = socsek.post(
        tasks_url,
        {
            "title": "Praktikplats",
            "owner_organisation": str(af_org.pk),
            "owner": str(staff["af"].pk),
        },
        format="json",
    ).json()
    kommun_task = socsek.post(
        tasks_url, {"title": "Bostad", "owner_organisation": str(municipality.pk)}, format="json"
    ).json()
    listed = af.get(tasks_url)
    patched = af.patch(
        reverse("api-task-detail", args=[case.pk, af_task["id"]]),
        {"status": "done", "done_on": timezone.localdate().isoformat(), "lock_version": 1},
        format="json",
    )
    refused = af.patch(
        reverse("api-task-detail", args=[case.pk, kommun_task["id"]]),
        {"status": "in_progress", "lock_version": 1},
        format="json",
    )
    not_added = af.post(
        members_url, {"user": str(staff["ug"].pk), "function": "psychologist"}, format="json"
    )
    members = af.get(members_url).json()
    left = af.delete(reverse("api-team-member-detail", args=[case.pk, staff["af"].pk]))

    assert added.status_code == 201
    assert added.json()["organisation_name"] == "Arbetsförmedlingen"
    assert added.json()["role"] == "partner_caseworker"
    assert hidden.status_code == 404
    assert {row["title"] for row in listed.json()} == {"Praktikplats", "Bostad"}
    assert patched.status_code == 200
    assert patched.json()["status"] == "done"
    assert refused.status_code == 404
    assert TeamTask.objects.get(pk=kommun_task["id"]).status == TeamTask.Status.OPEN
    assert not_added.status_code == 404
    assert {row["username"] for row in members} == {"socsek", "vagledare1", "af"}
    assert left.status_code == 204
    assert not CaseTeamMember.objects.filter(case=case, user=staff["af"], left_at__isnull=True)


def test_bad_task_input_answers_400_and_writes_nothing(
    case: Case, api_as: ApiAs, municipality: Organisation
) -> None:
    url = reverse("api-task-list", args=[case.pk])
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()

    past = api_as("socsek").post(
        url,
        {"title": "Sent", "owner_organisation": str(municipality.pk), "due_on": yesterday},
        format="json",
    )
    no_title = api_as("socsek").post(
        url, {"title": "", "owner_organisation": str(municipality.pk)}, format="json"
    )
    done_without_date = api_as("socsek").post(
        url, {"title": "Klar", "owner_organisation": str(municipality.pk)}, format="json"
    )
    task_id = done_without_date.json()["id"]
    patch = api_as("socsek").patch(
        reverse("api-task-detail", args=[case.pk, task_id]),
        {"status": "done", "lock_version": 1},
        format="json",
    )

    assert past.status_code == 400
    assert "due_on" in past.json()
    assert no_title.status_code == 400
    assert patch.status_code == 400
    assert "done_on" in patch.json()
    assert TeamTask.objects.get().status == TeamTask.Status.OPEN


def test_consultations_round_trip(case: Case, staff: dict[str, User], api_as: ApiAs) -> None:
    vagledare = api_as("vagledare1")
    url = reverse("api-consultation-list")
    number = personal_number(dt.date(1988, 7, 2), serial=983)

    refused = vagledare.post(
        url,
        {"specialist_function": "psychologist", "question": f"Gäller {number}."},
        format="json",
    )
    asked = vagledare.post(
        url,
        {
            "case": str(case.pk),
            "specialist_function": "social_worker",
            "specialist": str(staff["socsek"].pk),
            "question": "Kan hon få stöd med hyran?",
        },
        format="json",
    )
    waiting = api_as("socsek").get(url, {"box": "to_answer"})
    outsider = api_as("annan").post(
        reverse("api-consultation-answer", args=[asked.json()["id"]]),
        {"answer": "Ja."},
        format="json",
    )
    answered = api_as("socsek").post(
        reverse("api-consultation-answer", args=[asked.json()["id"]]),
        {"answer": "Ja, ansök om ekonomiskt bistånd."},
        format="json",
    )
    mine = vagledare.get(url)

    assert refused.status_code == 400
    assert "question" in refused.json()
    assert asked.status_code == 201
    assert [row["id"] for row in waiting.json()] == [asked.json()["id"]]
    assert outsider.status_code == 404
    assert answered.status_code == 200
    assert answered.json()["status"] == "answered"
    assert mine.json()[0]["answer"] == "Ja, ansök om ekonomiskt bistånd."
    assert Consultation.objects.count() == 1
