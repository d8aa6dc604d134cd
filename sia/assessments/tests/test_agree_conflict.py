"""Agreeing the future and health plan: only the draft the person was shown is agreed.

A colleague's change after the person was shown the draft refuses the agreement (409),
on the page and in the API, and nothing is agreed.
"""

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sia.accounts.models import User
from sia.assessments.models import FuturePlan
from sia.assessments.tests.test_edit_conflict import draft, edit
from sia.audit.models import AuditAction, AuditEvent
from sia.cases.models import Case
from sia.core.tests.pages import hidden_values

Login = Callable[[str], Client]
ApiAs = Callable[[str], APIClient]

CONFLICT = (
    "Någon annan har ändrat framtids- och hälsoplanen medan du arbetade. "
    "Din ändring har inte sparats."
)


def page_url(case: Case) -> str:
    return reverse("future-plan", kwargs={"case_id": case.pk})


def agree_url(case: Case, plan: FuturePlan) -> str:
    return reverse("future-plan-agree", kwargs={"case_id": case.pk, "plan_id": plan.pk})


def shown(client: Client, case: Case, plan: FuturePlan) -> dict[str, Any]:
    """Open the plan page and fill in the agree form the person is shown."""
    page = client.get(page_url(case)).content.decode()
    hidden = hidden_values(page, action=agree_url(case, plan))
    return {**hidden, "agreed_on": timezone.localdate().isoformat()}


def agreements(case: Case) -> int:
    return AuditEvent.objects.filter(case=case, action=AuditAction.FUTURE_PLAN_AGREED).count()


def test_agreeing_a_draft_someone_changed_after_it_was_shown_gets_the_conflict(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)
    shower, editor = login("socsek"), login("vagledare1")
    agree = shown(shower, case, plan)
    loaded = hidden_values(editor.get(page_url(case)).content.decode())
    assert editor.post(page_url(case), edit("Starta eget kafé", loaded)).status_code == 302

    refused = shower.post(agree_url(case, plan), agree)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert CONFLICT in page
    assert "Starta eget kafé" in page  # the change the person was never shown
    plan.refresh_from_db()
    assert plan.status == FuturePlan.Status.DRAFT
    assert plan.agreed_on is None
    assert plan.goal == "Starta eget kafé"
    assert agreements(case) == 0


def test_agreeing_the_draft_as_shown_again_after_the_conflict_works(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)
    shower, editor = login("socsek"), login("vagledare1")
    agree = shown(shower, case, plan)
    loaded = hidden_values(editor.get(page_url(case)).content.decode())
    editor.post(page_url(case), edit("Starta eget kafé", loaded))
    assert shower.post(agree_url(case, plan), agree).status_code == 409

    agreed = shower.post(agree_url(case, plan), shown(shower, case, plan))

    assert agreed.status_code == 302
    plan.refresh_from_db()
    assert plan.status == FuturePlan.Status.AGREED
    assert plan.goal == "Starta eget kafé"
    assert agreements(case) == 1


def test_an_agree_without_the_shown_version_agrees_nothing(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)

    response = login("socsek").post(
        agree_url(case, plan), {"agreed_on": timezone.localdate().isoformat()}, follow=True
    )

    assert "Sidan saknar uppgift om vilken version du utgick från." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == FuturePlan.Status.DRAFT
    assert agreements(case) == 0


def test_a_stale_agree_through_the_api_answers_409_and_agrees_nothing(
    case: Case, api_as: ApiAs, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)
    save_url = reverse("api-future-plan-list", kwargs={"case_id": case.pk})
    agree_api = reverse("api-future-plan-agree", kwargs={"case_id": case.pk, "plan_id": plan.pk})
    seen = plan.lock_version
    saved = api_as("socsek").post(
        save_url, {"based_on": str(plan.pk), "lock_version": seen, "goal": "Ändrat"}, format="json"
    )
    shower = api_as("vagledare1")

    refused = shower.post(agree_api, {"lock_version": seen}, format="json")
    missing = shower.post(agree_api, {}, format="json")

    assert saved.status_code == 201
    assert refused.status_code == 409
    body = refused.json()
    assert body["detail"] == [CONFLICT]
    assert body["changed_by"] == "socsek"
    assert body["current"]["goal"] == "Ändrat"
    assert body["current"]["status"] == "draft"
    assert body["current"]["lock_version"] == saved.json()["lock_version"]
    assert missing.status_code == 400
    assert "lock_version" in missing.json()
    plan.refresh_from_db()
    assert plan.status == FuturePlan.Status.DRAFT
    assert agreements(case) == 0
    current = {"lock_version": body["current"]["lock_version"]}
    assert shower.post(agree_api, current, format="json").json()["status"] == "agreed"


def test_the_openapi_schema_says_agreeing_needs_the_version_and_may_answer_409(
    api_as: ApiAs,
) -> None:
    schema = api_as("socsek").get(reverse("api-schema"), {"format": "json"}).json()

    for suffix in ("/plans/{plan_id}/agree/", "/future-plans/{plan_id}/agree/"):
        item = next(v for path, v in schema["paths"].items() if path.endswith(suffix))
        body = item["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        component = schema["components"]["schemas"][body.rsplit("/", 1)[1]]
        assert "lock_version" in component["required"]
        assert "409" in item["post"]["responses"]
