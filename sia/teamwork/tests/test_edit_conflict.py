"""Two people moving one task of the shared action plan: the second gets the conflict."""

from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import Organisation, User
from sia.audit.models import AuditAction, AuditEvent
from sia.core.tests.pages import hidden_values
from sia.teamwork.models import TeamTask
from sia.teamwork.tests.conftest import make_task

Login = Callable[[str], Client]
ApiAs = Callable[[str], APIClient]


def test_the_second_status_change_of_a_task_gets_the_conflict_and_changes_nothing(
    make_case: CaseFactory, login: Login, staff: dict[str, User], municipality: Organisation
) -> None:
    case = make_case(team=("vagledare1",))
    task = make_task(case, staff["socsek"], municipality, title="Söka försörjningsstöd")
    url = reverse("case-task-status", args=[case.pk, task.pk])
    page = reverse("case-team", args=[case.pk])
    first, second = login("socsek"), login("vagledare1")
    first_loaded = hidden_values(first.get(page).content.decode(), action=url)
    second_loaded = hidden_values(second.get(page).content.decode(), action=url)
    today = timezone.localdate().isoformat()

    saved = first.post(url, {**first_loaded, "status": "done", "done_on": today})
    refused = second.post(url, {**second_loaded, "status": "cancelled"})

    assert saved.status_code == 302
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Någon annan har ändrat uppgiften medan du arbetade." in text
    assert "Klar" in text
    assert "Avbruten" in text
    task.refresh_from_db()
    assert task.status == TeamTask.Status.DONE
    assert AuditEvent.objects.filter(action=AuditAction.TASK_UPDATED).count() == 1


def test_a_stale_task_version_through_the_api_answers_409_with_the_current_task(
    make_case: CaseFactory, api_as: ApiAs, staff: dict[str, User], municipality: Organisation
) -> None:
    case = make_case(team=("vagledare1",))
    task = make_task(case, staff["socsek"], municipality)
    url = reverse("api-task-detail", args=[case.pk, task.pk])

    saved = api_as("socsek").patch(url, {"status": "in_progress", "lock_version": 1}, format="json")
    refused = api_as("vagledare1").patch(
        url, {"status": "cancelled", "lock_version": 1}, format="json"
    )

    assert saved.status_code == 200
    assert refused.status_code == 409
    assert refused.json()["current"]["status"] == "in_progress"
    assert refused.json()["changed_by"] == "socsek"
    task.refresh_from_db()
    assert task.status == TeamTask.Status.IN_PROGRESS
