"""Two people ticking one point of a support plan's checklist: the second gets the conflict."""

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from sia.audit.models import AuditAction, AuditEvent
from sia.core.tests.pages import hidden_values
from sia.decisions.models import PlanItem
from sia.decisions.tests import test_decisions
from sia.decisions.tests.test_decisions import _plan

TODAY = timezone.localdate()
# The fixtures of the decision tests: a case with the integration social worker, a decision.
case = test_decisions.case
decide = test_decisions.decide


def test_the_second_mark_of_a_checklist_point_gets_the_conflict_and_changes_nothing(
    decide: Any, case: Any, login: Any, staff: Any
) -> None:
    decision = decide()
    item = _plan(staff, decision, items=("Bank",)).items.get()
    detail = reverse("decision-detail", args=[case.pk, decision.pk])
    url = reverse("decision-item-mark", args=[case.pk, decision.pk, item.pk])
    first, second = login("integration"), login("chef")
    first_loaded = hidden_values(first.get(detail).content.decode(), action=url)
    second_loaded = hidden_values(second.get(detail).content.decode(), action=url)
    audited = AuditEvent.objects.filter(action=AuditAction.SUPPORT_PLAN_CHANGED).count()
    earlier = TODAY - dt.timedelta(days=1)

    saved = first.post(url, {**first_loaded, "met_on": f"{TODAY:%Y-%m-%d}"})
    refused = second.post(url, {**second_loaded, "met_on": f"{earlier:%Y-%m-%d}"})

    assert saved.status_code == 302
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Någon annan har ändrat punkten i checklistan medan du arbetade." in page
    assert f"{TODAY:%Y-%m-%d}" in page
    item.refresh_from_db()
    assert item.met_on == TODAY
    assert AuditEvent.objects.filter(action=AuditAction.SUPPORT_PLAN_CHANGED).count() == audited + 1


def test_a_stale_checklist_point_through_the_api_answers_409(
    decide: Any, case: Any, api_as: Any, staff: Any
) -> None:
    decision = decide()
    item = _plan(staff, decision, items=("Bank",)).items.get()
    url = f"/api/v1/cases/{case.pk}/decisions/{decision.pk}/plan/items/{item.pk}/"
    body = {"met_on": f"{TODAY:%Y-%m-%d}", "lock_version": item.lock_version}

    saved = api_as("integration").patch(url, body, format="json")
    refused = api_as("chef").patch(url, {**body, "met_on": None}, format="json")

    assert saved.status_code == 200
    assert refused.status_code == 409
    assert refused.json()["current"]["met_on"] == f"{TODAY:%Y-%m-%d}"
    item.refresh_from_db()
    assert item.met_on == TODAY
    assert PlanItem.objects.filter(met_on=TODAY).count() == 1
