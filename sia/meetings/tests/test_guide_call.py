"""Calling the standby guide into the first visit: only that guide sees and answers it."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.meetings.alignment import AlignmentInput, record_alignment
from sia.meetings.models import GuideCall

Login = Callable[[str], Client]
ApiAs = Callable[[str], APIClient]
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def case(make_case: CaseFactory, staff: dict[str, User]) -> Case:
    """A case with vagledare1 and vagledare2 on the team and vagledare1 on standby."""
    case = make_case(team=("vagledare1", "vagledare2"))
    record_alignment(
        case_id=case.pk,
        data=AlignmentInput(
            held_on=timezone.localdate(),
            first_visit_at=timezone.now() + dt.timedelta(days=7),
            standby_guide_id=staff["vagledare1"].pk,
        ),
        recorded_by=staff["socsek"],
        channel=Channel.SYSTEM,
    )
    return case


def call_in(client: Client, case: Case, **data: Any) -> Any:
    return client.post(reverse("guide-call", kwargs={"case_id": case.pk}), data)


def poll(client: Client) -> dict[str, Any]:
    response = client.get(reverse("guide-calls-poll"))
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def answer(client: Client, call: GuideCall, value: str = "on_my_way", **extra: Any) -> Any:
    url = reverse("guide-call-answer", kwargs={"call_id": call.pk})
    return client.post(url, {"answer": value}, **extra)


def test_call_in_reaches_only_the_standby_guide(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    call_in(login("socsek"), case, message="Rum 3")

    call = GuideCall.objects.get(case=case)
    assert call.guide == staff["vagledare1"]
    calls = poll(login("vagledare1"))["calls"]
    assert [c["id"] for c in calls] == [str(call.pk)]
    assert calls[0]["case_reference"] == case.reference
    assert calls[0]["caller_name"] == "Sara Sekreterare"
    assert calls[0]["message"] == "Rum 3"
    assert calls[0]["answer_url"] == reverse("guide-call-answer", kwargs={"call_id": call.pk})
    assert poll(login("vagledare2"))["calls"] == []
    assert poll(login("annan")) == {"calls": [], "sent": []}
    assert AuditEvent.objects.filter(action=AuditAction.GUIDE_CALLED, case=case).count() == 1


def test_the_poll_carries_no_personal_data_and_writes_no_audit_event(
    case: Case, login: Login
) -> None:
    call_in(login("socsek"), case)
    guide = login("vagledare1")
    events = AuditEvent.objects.count()

    raw = guide.get(reverse("guide-calls-poll")).content.decode()

    assert AuditEvent.objects.count() == events
    assert case.person.given_name not in raw
    assert case.person.family_name not in raw
    for identifier in case.person.identifiers.all():
        assert identifier.value not in raw
        assert identifier.value[2:] not in raw


def test_the_banner_shows_the_call_on_any_page_without_javascript(case: Case, login: Login) -> None:
    call_in(login("socsek"), case)

    page = login("vagledare1").get(reverse("start")).content.decode()
    other = login("vagledare2").get(reverse("start")).content.decode()

    assert 'id="guide-call-banner"' in page
    assert page.count("Du kallas in till nybesök") == 2  # the call, and the script's template
    assert ">Jag kommer</button>" in page
    assert "Kan inte komma" in page
    assert other.count("Du kallas in till nybesök") == 1  # only the script's template
    assert "js/guide-calls.js" in page


def test_the_answer_reaches_the_caller(case: Case, login: Login) -> None:
    caller = login("socsek")
    call_in(caller, case)
    call = GuideCall.objects.get(case=case)

    response = answer(login("vagledare1"), call, **JSON)

    assert response.status_code == 200
    assert response.json()["answer"] == "on_my_way"
    call.refresh_from_db()
    assert call.answer == GuideCall.Answer.ON_MY_WAY
    assert call.answered_at is not None
    sent = poll(caller)["sent"]
    assert [(s["id"], s["status_label"]) for s in sent] == [(str(call.pk), "Svar: Jag kommer")]
    assert poll(login("vagledare1"))["calls"] == []
    page = caller.get(reverse("first-visit", kwargs={"case_id": case.pk})).content.decode()
    assert "Svar: Jag kommer" in page
    assert AuditEvent.objects.filter(action=AuditAction.GUIDE_CALL_ANSWERED, case=case).exists()


def test_answering_without_javascript_returns_to_the_page_the_guide_was_on(
    case: Case, login: Login
) -> None:
    guide = login("vagledare1")
    call_in(login("socsek"), case)
    first = GuideCall.objects.get(case=case)
    response = guide.post(
        reverse("guide-call-answer", kwargs={"call_id": first.pk}),
        {"answer": "cannot", "next": "/arenden/"},
    )
    call_in(login("socsek"), case)
    second = GuideCall.objects.exclude(pk=first.pk).get(case=case)
    elsewhere = guide.post(
        reverse("guide-call-answer", kwargs={"call_id": second.pk}),
        {"answer": "on_my_way", "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/arenden/"
    assert elsewhere.status_code == 302
    assert elsewhere["Location"] == reverse("start")
    first.refresh_from_db()
    assert first.answer == GuideCall.Answer.CANNOT


def test_answering_twice_is_refused_with_409_and_keeps_the_first_answer(
    case: Case, login: Login, api_as: ApiAs
) -> None:
    call_in(login("socsek"), case)
    call = GuideCall.objects.get(case=case)
    guide = login("vagledare1")
    answer(guide, call, "cannot", **JSON)

    again = answer(guide, call, "on_my_way", **JSON)
    again_api = api_as("vagledare1").post(
        reverse("api-guide-call-answer", kwargs={"call_id": call.pk}),
        {"answer": "on_my_way"},
        format="json",
    )

    assert again.status_code == 409
    assert again_api.status_code == 409
    call.refresh_from_db()
    assert call.answer == GuideCall.Answer.CANNOT
    assert AuditEvent.objects.filter(action=AuditAction.GUIDE_CALL_ANSWERED).count() == 1


@pytest.mark.parametrize("username", ["vagledare2", "socsek", "annan", "af"])
def test_only_the_called_guide_may_answer(
    case: Case, login: Login, api_as: ApiAs, username: str
) -> None:
    call_in(login("socsek"), case)
    call = GuideCall.objects.get(case=case)

    page = answer(login(username), call, **JSON)
    api = api_as(username).post(
        reverse("api-guide-call-answer", kwargs={"call_id": call.pk}),
        {"answer": "on_my_way"},
        format="json",
    )

    assert (page.status_code, api.status_code) == (404, 404)
    call.refresh_from_db()
    assert call.answered_at is None


def test_a_bad_answer_changes_nothing(case: Case, login: Login) -> None:
    call_in(login("socsek"), case)
    call = GuideCall.objects.get(case=case)

    response = answer(login("vagledare1"), call, "maybe", **JSON)

    assert response.status_code == 400
    call.refresh_from_db()
    assert call.answered_at is None


def test_without_a_standby_guide_the_social_worker_chooses_one_on_the_team(
    make_case: CaseFactory, login: Login, staff: dict[str, User]
) -> None:
    case = make_case(team=("vagledare1",))
    client = login("socsek")

    refused = call_in(client, case)
    outsider = call_in(client, case, guide=staff["vagledare2"].pk)
    chosen = call_in(client, case, guide=staff["vagledare1"].pk)

    assert refused.status_code == outsider.status_code == chosen.status_code == 302
    assert [c.guide for c in GuideCall.objects.filter(case=case)] == [staff["vagledare1"]]
    page = client.get(reverse("first-visit", kwargs={"case_id": case.pk})).content.decode()
    assert "Ingen samhällsvägledare är i beredskap" in page


def test_a_second_call_while_the_first_waits_is_refused(case: Case, api_as: ApiAs) -> None:
    api = api_as("socsek")
    url = reverse("api-guide-call-create", kwargs={"case_id": case.pk})

    first = api.post(url, {"message": "Rum 3"}, format="json")
    second = api.post(url, {"message": "Rum 3"}, format="json")

    assert first.status_code == 201
    assert second.status_code == 409
    assert GuideCall.objects.count() == 1


def test_a_guide_may_not_call_in_and_a_long_message_is_refused(
    case: Case, login: Login, api_as: ApiAs
) -> None:
    url = reverse("api-guide-call-create", kwargs={"case_id": case.pk})

    guide = call_in(login("vagledare1"), case)
    too_long = api_as("socsek").post(url, {"message": "x" * 201}, format="json")

    assert guide.status_code == 404
    assert too_long.status_code == 400
    assert not GuideCall.objects.exists()


def test_the_api_lists_my_open_calls_and_takes_the_answer(case: Case, api_as: ApiAs) -> None:
    created = api_as("socsek").post(
        reverse("api-guide-call-create", kwargs={"case_id": case.pk}), {}, format="json"
    )
    guide = api_as("vagledare1")

    mine = guide.get(reverse("api-guide-call-list"))
    others = api_as("vagledare2").get(reverse("api-guide-call-list"))
    answered = guide.post(
        reverse("api-guide-call-answer", kwargs={"call_id": created.json()["id"]}),
        {"answer": "on_my_way"},
        format="json",
    )

    assert [c["id"] for c in mine.json()] == [created.json()["id"]]
    assert mine.json()[0]["guide"] == "vagledare1"
    assert others.json() == []
    assert answered.status_code == 200
    assert answered.json()["answer"] == "on_my_way"
    assert guide.get(reverse("api-guide-call-list")).json() == []


def test_an_unanswered_call_is_no_longer_shown_when_the_visit_is_long_over(
    case: Case, login: Login
) -> None:
    call_in(login("socsek"), case)

    with time_machine.travel(timezone.now() + dt.timedelta(hours=3)):
        assert poll(login("vagledare1"))["calls"] == []


def test_the_poll_and_the_first_visit_page_do_not_query_per_call(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    def counts() -> tuple[int, int]:
        guide, caller = login("vagledare1"), login("socsek")
        with CaptureQueriesContext(connection) as polled:
            guide.get(reverse("guide-calls-poll"))
        with CaptureQueriesContext(connection) as page:
            caller.get(reverse("first-visit", kwargs={"case_id": case.pk}))
        return len(polled), len(page)

    def add_calls(n: int) -> None:
        for _ in range(n):
            GuideCall.objects.create(
                case=case, guide=staff["vagledare1"], called_by=staff["socsek"]
            )

    add_calls(2)
    few = counts()
    add_calls(10)
    many = counts()

    assert few == many


def _leave_team(case: Case, user: User) -> None:
    from sia.cases.models import CaseTeamMember

    CaseTeamMember.objects.filter(case=case, user=user).update(left_at=timezone.now())


def test_a_guide_who_left_the_team_no_longer_sees_or_answers_the_call(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    call_in(login("socsek"), case, message="Rum 3")
    call = GuideCall.objects.get(case=case)
    _leave_team(case, staff["vagledare1"])

    guide = login("vagledare1")
    assert poll(guide)["calls"] == []
    assert "Rum 3" not in guide.get(reverse("start")).content.decode()
    assert answer(guide, call).status_code == 404
    call.refresh_from_db()
    assert call.answered_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.GUIDE_CALL_ANSWERED).exists()


def test_the_standby_guide_who_left_the_team_is_not_called(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    _leave_team(case, staff["vagledare1"])

    client = login("socsek")
    call_in(client, case)

    page = client.get(reverse("first-visit", kwargs={"case_id": case.pk})).content.decode()
    assert "Ingen samhällsvägledare är i beredskap" in page
    assert not GuideCall.objects.filter(case=case).exists()
