"""Two people saving one housing task: the second gets the conflict and changes nothing."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.core.tests.pages import hidden_values
from sia.settlement.services import start_checklist
from sia.settlement.tests.conftest import OrderSettlement

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
ApiAs = Callable[[str], APIClient]


def test_the_second_save_of_a_housing_task_gets_the_conflict_and_changes_nothing(
    staff: dict[str, User],
    make_case: CaseFactory,
    login: Login,
    order_settlement: OrderSettlement,
) -> None:
    case = make_case()
    order_settlement(case)
    task = start_checklist(actor=staff["socsek"], case_id=case.pk, channel=Channel.SYSTEM)[0]
    url = reverse("housing-task-status", args=[case.pk, task.pk])
    page = reverse("case-housing", args=[case.pk])
    first, second = login("socsek"), login("bosattning")
    first_loaded = hidden_values(first.get(page).content.decode(), action=url)
    second_loaded = hidden_values(second.get(page).content.decode(), action=url)
    today = timezone.localdate().isoformat()
    events = AuditEvent.objects.filter(action=AuditAction.HOUSING_TASK_CHANGED).count()

    saved = first.post(
        url, {**first_loaded, "status": "done", "status_date": today, "note": "Kontrakt klart"}
    )
    refused = second.post(
        url,
        {**second_loaded, "status": "not_needed", "status_date": today, "note": "Ordnar själv"},
    )

    assert saved.status_code == 302
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Någon annan har ändrat bostadsuppgiften medan du arbetade." in text
    assert "Kontrakt klart" in text
    assert "Ordnar själv" in text
    assert "Behövs inte" in text
    task.refresh_from_db()
    assert (task.status, task.note) == ("done", "Kontrakt klart")
    assert AuditEvent.objects.filter(action=AuditAction.HOUSING_TASK_CHANGED).count() == events + 1


def test_a_stale_housing_task_version_through_the_api_answers_409_with_the_current_task(
    staff: dict[str, User],
    make_case: CaseFactory,
    api_as: ApiAs,
    order_settlement: OrderSettlement,
) -> None:
    case = make_case()
    order_settlement(case)
    task = start_checklist(actor=staff["socsek"], case_id=case.pk, channel=Channel.SYSTEM)[0]
    url = reverse("api-housing-task-detail", args=[case.pk, task.pk])

    saved = api_as("socsek").patch(
        url, {"status": "in_progress", "note": "Visning bokad", "lock_version": 1}, format="json"
    )
    refused = api_as("bosattning").patch(
        url, {"note": "Väntar på svar", "lock_version": 1}, format="json"
    )
    missing = api_as("bosattning").patch(url, {"note": "Väntar på svar"}, format="json")

    assert saved.status_code == 200
    assert refused.status_code == 409
    assert refused.json()["current"]["note"] == "Visning bokad"
    assert refused.json()["current"]["lock_version"] == 2
    assert refused.json()["changed_by"] == "socsek"
    assert missing.status_code == 400
    task.refresh_from_db()
    assert (task.status, task.note) == ("in_progress", "Visning bokad")
