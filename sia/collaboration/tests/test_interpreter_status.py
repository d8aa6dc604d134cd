"""The interpreting agency's answer: a booked interpreter is confirmed or cancelled."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.collaboration import services
from sia.collaboration.models import InterpreterBooking, Meeting

pytestmark = pytest.mark.django_db


def _interpreter_done(client: APIClient, meeting: Meeting) -> bool:
    body = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    return bool({i["key"]: i for i in body["checklist"]}["interpreter"]["done"])


def test_the_guide_confirms_and_cancels_the_interpreter_on_the_meeting_page(
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
    staff: dict[str, User],
    sip_case: Case,
    plan_sip: Callable[..., Meeting],
) -> None:
    meeting = plan_sip(sip_case)
    services.book_interpreter(
        actor=staff["vagledare1"], meeting_id=meeting.pk, mode="phone", channel=Channel.SYSTEM
    )
    client = login("vagledare1")
    page_url = reverse("meeting-detail", args=[meeting.pk])
    page = client.get(page_url).content.decode()
    assert "Beställd" in page
    assert reverse("meeting-interpreter-confirm", args=[meeting.pk]) in page

    blank = client.post(
        reverse("meeting-interpreter-confirm", args=[meeting.pk]), {"interpreter_reference": ""}
    )
    assert blank.status_code == 302
    assert InterpreterBooking.objects.get(meeting=meeting).status == "requested"

    client.post(
        reverse("meeting-interpreter-confirm", args=[meeting.pk]),
        {"interpreter_reference": "Tolk nr 4711"},
    )
    booking = InterpreterBooking.objects.get(meeting=meeting)
    assert (booking.status, booking.interpreter_reference) == ("confirmed", "Tolk nr 4711")
    page = client.get(page_url).content.decode()
    assert "Bekräftad" in page
    assert "Tolk nr 4711" in page
    assert reverse("meeting-interpreter-cancel", args=[meeting.pk]) in page
    confirmed = AuditEvent.objects.filter(
        action=AuditAction.INTERPRETER_BOOKED, changes__status="confirmed"
    )
    assert confirmed.count() == 1
    api = api_as("vagledare1")
    assert _interpreter_done(api, meeting)

    client.post(reverse("meeting-interpreter-cancel", args=[meeting.pk]))
    assert InterpreterBooking.objects.get(meeting=meeting).status == "cancelled"
    assert AuditEvent.objects.filter(changes__status="cancelled").count() == 1
    assert not _interpreter_done(api, meeting)
    page = client.get(page_url).content.decode()
    assert "Avbokad" in page
    assert reverse("meeting-interpreter-cancel", args=[meeting.pk]) not in page


def test_the_api_confirms_and_cancels_only_while_the_meeting_is_to_be_held(
    api_as: Callable[[str], APIClient],
    staff: dict[str, User],
    sip_case: Case,
    plan_sip: Callable[..., Meeting],
) -> None:
    meeting = plan_sip(sip_case)
    client = api_as("vagledare1")
    base = f"/api/v1/meetings/{meeting.pk}/interpreter/"
    assert reverse("api-meeting-interpreter-confirm", args=[meeting.pk]) == base + "confirm/"
    assert reverse("api-meeting-interpreter-cancel", args=[meeting.pk]) == base + "cancel/"
    # Nothing booked yet: nothing to confirm.
    assert client.post(base + "confirm/", {"interpreter_reference": "Ali"}).status_code == 400
    assert client.post(base, {"mode": "on_site"}).status_code == 200
    assert client.post(base + "confirm/", {"interpreter_reference": ""}).status_code == 400
    assert api_as("af").post(base + "cancel/").status_code == 404

    response = client.post(base + "confirm/", {"interpreter_reference": "Ali Nr 12"})
    assert response.status_code == 200
    assert response.json()["interpreter"]["status"] == "confirmed"
    assert response.json()["interpreter"]["interpreter_reference"] == "Ali Nr 12"

    assert client.post(base + "cancel/").json()["interpreter"]["status"] == "cancelled"
    assert client.post(base + "cancel/").status_code == 409
    assert client.post(base + "confirm/", {"interpreter_reference": "Ali"}).status_code == 409

    client.post(base, {"mode": "on_site"})
    services.cancel_meeting(
        actor=staff["vagledare1"], meeting_id=meeting.pk, reason="Sjuk", channel=Channel.SYSTEM
    )
    assert client.post(base + "confirm/", {"interpreter_reference": "Ali"}).status_code == 409
    assert InterpreterBooking.objects.get(meeting=meeting).interpreter_reference == ""
