"""Two people editing one future and health plan, or taking up one postponed topic: the
second save gets the conflict."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sia.accounts.models import User
from sia.assessments import services
from sia.assessments.models import FuturePlan, PostponedTopic
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


def postponed(case: Case, staff: dict[str, User]) -> PostponedTopic:
    """A topic postponed a week ago, due yesterday."""
    topic = services.postpone_topic(
        case_id=case.pk,
        topic="Orsak till flykt",
        remind_on=timezone.localdate(),
        recorded_by=staff["socsek"],
        channel=Channel.SYSTEM,
    )
    today = timezone.localdate()
    PostponedTopic.objects.filter(pk=topic.pk).update(
        postponed_on=today - dt.timedelta(days=7), remind_on=today - dt.timedelta(days=1)
    )
    return topic


def test_the_second_return_to_a_topic_gets_the_conflict_and_nothing_is_overwritten(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    topic = postponed(case, staff)
    page = reverse("case-assessments", kwargs={"case_id": case.pk})
    url = reverse("assessment-topic-return", kwargs={"case_id": case.pk, "topic_id": topic.pk})
    first, second = login("socsek"), login("vagledare1")
    first_loaded = hidden_values(first.get(page).content.decode(), action=url)
    second_loaded = hidden_values(second.get(page).content.decode(), action=url)
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    audited = AuditEvent.objects.filter(action=AuditAction.TOPIC_RETURNED).count()

    saved = first.post(
        url, {**first_loaded, "returned_on": yesterday.isoformat(), "note": "Ville prata"}
    )
    refused = second.post(
        url, {**second_loaded, "returned_on": today.isoformat(), "note": "Inte redo än"}
    )

    assert saved.status_code == 302
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Någon annan har ändrat det uppskjutna ämnet medan du arbetade." in text
    assert yesterday.isoformat() in text
    assert "Ville prata" in text
    assert "Inte redo än" in text
    topic.refresh_from_db()
    assert (topic.returned_on, topic.return_note) == (yesterday, "Ville prata")
    assert topic.returned_by == staff["socsek"]
    assert AuditEvent.objects.filter(action=AuditAction.TOPIC_RETURNED).count() == audited + 1


def test_a_stale_return_to_a_topic_through_the_api_answers_409_with_the_current_topic(
    case: Case, api_as: ApiAs, staff: dict[str, User]
) -> None:
    topic = postponed(case, staff)
    url = reverse("api-postponed-topic-return", kwargs={"case_id": case.pk, "topic_id": topic.pk})

    saved = api_as("socsek").post(url, {"note": "Ville prata", "lock_version": 1}, format="json")
    refused = api_as("vagledare1").post(
        url, {"note": "Inte redo än", "lock_version": 1}, format="json"
    )
    missing = api_as("vagledare1").post(url, {"note": "Inte redo än"}, format="json")

    assert saved.status_code == 200
    assert saved.json()["lock_version"] == 2
    assert refused.status_code == 409
    assert refused.json()["current"]["return_note"] == "Ville prata"
    assert refused.json()["changed_by"] == "socsek"
    assert missing.status_code == 400
    topic.refresh_from_db()
    assert topic.return_note == "Ville prata"
