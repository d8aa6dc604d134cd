"""Two people editing one future and health plan: the second save gets the conflict."""

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sia.accounts.models import User
from sia.assessments import services
from sia.assessments.models import FuturePlan
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.core.tests.pages import hidden_values

Login = Callable[[str], Client]
ApiAs = Callable[[str], APIClient]


def draft(case: Case, staff: dict[str, User]) -> FuturePlan:
    return services.save_future_plan(
        case_id=case.pk,
        saved_by=staff["socsek"],
        channel=Channel.SYSTEM,
        goal="Arbeta som undersköterska",
        steps=[services.StepInput(step="Börja SFI", why="Språket")],
    )


def edit(goal: str, loaded: dict[str, str]) -> dict[str, Any]:
    return {
        "lock_version": loaded["lock_version"],
        "based_on": loaded["based_on"],
        "goal": goal,
        "health": "",
        "steg-TOTAL_FORMS": "1",
        "steg-INITIAL_FORMS": "1",
        "steg-0-step": "Börja SFI",
        "steg-0-why": "Språket",
    }


def test_the_second_save_of_the_future_plan_gets_the_conflict_and_nothing_is_overwritten(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)
    url = reverse("future-plan", kwargs={"case_id": case.pk})
    first, second = login("socsek"), login("vagledare1")
    first_loaded = hidden_values(first.get(url).content.decode())
    second_loaded = hidden_values(second.get(url).content.decode())
    audited = AuditEvent.objects.filter(action=AuditAction.FUTURE_PLAN_CHANGED).count()

    saved = first.post(url, edit("Bli sjuksköterska", first_loaded))
    refused = second.post(url, edit("Starta eget kafé", second_loaded))

    assert saved.status_code == 302
    assert refused.status_code == 409
    page = refused.content.decode()
    assert (
        "Någon annan har ändrat framtids- och hälsoplanen medan du arbetade. "
        "Din ändring har inte sparats." in page
    )
    assert "Bli sjuksköterska" in page
    assert "Starta eget kafé" in page
    plan.refresh_from_db()
    assert plan.goal == "Bli sjuksköterska"
    assert AuditEvent.objects.filter(action=AuditAction.FUTURE_PLAN_CHANGED).count() == audited + 1


def test_a_stale_future_plan_through_the_api_answers_409_with_the_current_plan(
    case: Case, api_as: ApiAs, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)
    url = reverse("api-future-plan-list", kwargs={"case_id": case.pk})
    loaded = {"based_on": str(plan.pk), "lock_version": plan.lock_version}

    saved = api_as("socsek").post(url, {**loaded, "goal": "Först"}, format="json")
    refused = api_as("vagledare1").post(url, {**loaded, "goal": "Sist"}, format="json")

    assert saved.status_code == 201
    assert refused.status_code == 409
    assert refused.json()["current"]["goal"] == "Först"
    plan.refresh_from_db()
    assert plan.goal == "Först"
