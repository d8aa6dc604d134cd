"""Two people writing the decision on one agenda point: the second gets the conflict."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.collaboration import services
from sia.collaboration.models import AgendaItem, Meeting
from sia.core.tests.pages import hidden_values

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
ApiAs = Callable[[str], APIClient]


def _item(staff: dict[str, User], meeting: Meeting) -> AgendaItem:
    return services.add_agenda_item(
        actor=staff["vagledare1"],
        meeting_id=meeting.pk,
        topic="Arbetsträning",
        channel=Channel.SYSTEM,
    )


def test_the_second_decision_on_an_agenda_point_gets_the_conflict_and_changes_nothing(
    staff: dict[str, User],
    sip_case: Case,
    plan_sip: Callable[..., Meeting],
    login: Login,
) -> None:
    meeting = plan_sip(sip_case)
    item = _item(staff, meeting)
    url = reverse("meeting-decision", args=[meeting.pk, item.pk])
    page = reverse("meeting-detail", args=[meeting.pk])
    first, second = login("vagledare1"), login("socsek")
    first_loaded = hidden_values(first.get(page).content.decode(), action=url)
    second_loaded = hidden_values(second.get(page).content.decode(), action=url)
    events = AuditEvent.objects.filter(action=AuditAction.MEETING_RECORDED).count()

    saved = first.post(url, {**first_loaded, "decision": "AF ordnar arbetsträning"})
    refused = second.post(url, {**second_loaded, "decision": "Vänta till efter SFI"})

    assert saved.status_code == 302
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Någon annan har ändrat beslutet på punkten medan du arbetade." in text
    assert "AF ordnar arbetsträning" in text
    assert "Vänta till efter SFI" in text
    item.refresh_from_db()
    assert item.decision == "AF ordnar arbetsträning"
    assert item.edited_by == staff["vagledare1"]
    assert AuditEvent.objects.filter(action=AuditAction.MEETING_RECORDED).count() == events + 1


def test_a_stale_decision_through_the_api_answers_409_with_the_current_point(
    staff: dict[str, User],
    sip_case: Case,
    plan_sip: Callable[..., Meeting],
    api_as: ApiAs,
) -> None:
    meeting = plan_sip(sip_case)
    item = _item(staff, meeting)
    url = reverse("api-meeting-decision", args=[meeting.pk, item.pk])

    saved = api_as("vagledare1").post(
        url, {"decision": "AF ordnar arbetsträning", "lock_version": 1}, format="json"
    )
    refused = api_as("socsek").post(
        url, {"decision": "Vänta till efter SFI", "lock_version": 1}, format="json"
    )
    missing = api_as("socsek").post(url, {"decision": "Vänta till efter SFI"}, format="json")

    assert saved.status_code == 200
    assert saved.json()["meeting"]["agenda_items"][0]["lock_version"] == 2
    assert refused.status_code == 409
    assert refused.json()["current"]["decision"] == "AF ordnar arbetsträning"
    assert refused.json()["current"]["lock_version"] == 2
    assert refused.json()["changed_by"] == "vagledare1"
    assert missing.status_code == 400
    item.refresh_from_db()
    assert item.decision == "AF ordnar arbetsträning"
