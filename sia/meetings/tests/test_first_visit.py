"""The first visit (nybesök, IB:3): the signed assessment, documents received, corrections."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.core.exceptions import ValidationFailed
from sia.meetings.alignment import AlignmentInput, record_alignment
from sia.meetings.first_visit import record_first_visit
from sia.meetings.models import DocumentRequest, FirstVisit
from sia.process.models import CaseStep, CatalogueItem

Login = Callable[[str], Client]
ApiAs = Callable[[str], APIClient]


def documents(*keys: str) -> list[CatalogueItem]:
    items = CatalogueItem.objects.filter(catalogue__key="sia-documents", key__in=keys)
    return list(items.order_by("order"))


@pytest.fixture
def case(make_case: CaseFactory, staff: dict[str, User]) -> Case:
    """A case whose alignment asked for two documents and put vagledare1 on standby."""
    case = make_case(team=("vagledare1",))
    record_alignment(
        case_id=case.pk,
        data=AlignmentInput(
            held_on=timezone.localdate(),
            document_item_ids=[item.pk for item in documents("personbevis", "hyreskontrakt")],
            first_visit_at=timezone.now() + dt.timedelta(days=7),
            standby_guide_id=staff["vagledare1"].pk,
        ),
        recorded_by=staff["socsek"],
        channel=Channel.SYSTEM,
    )
    return case


def held_at() -> str:
    return (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "held_at": held_at(),
        "svar_boende": "Bor i andrahand, trångbott.",
        "svar_halsa": "Inga kända behov.",
        "continuing_support_need": "on",
        "notes": "Tolk på plats.",
        "received_documents": [str(documents("personbevis")[0].pk)],
    }
    data.update(overrides)
    return data


def url(case: Case) -> str:
    return reverse("first-visit", kwargs={"case_id": case.pk})


def status_of(case: Case, key: str) -> str:
    return DocumentRequest.objects.get(case=case, item__key=key).status


def test_page_shows_the_assessment_questions_and_the_requested_documents(
    case: Case, login: Login
) -> None:
    response = login("socsek").get(url(case))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Boende" in page
    assert "Boendeform, kontrakt, trångboddhet" in page
    assert 'name="svar_halsa"' in page
    assert f'value="{documents("hyreskontrakt")[0].pk}"' in page
    assert "Kalla in samhällsvägledaren" in page


def test_recording_signs_the_visit_completes_the_step_and_ticks_the_documents(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    response = login("socsek").post(url(case), form_data())

    assert response.status_code == 302
    record = FirstVisit.objects.get(case=case)
    assert record.author == staff["socsek"]
    assert record.signed_at is not None
    assert record.answers == {
        "boende": "Bor i andrahand, trångbott.",
        "halsa": "Inga kända behov.",
    }
    assert record.continuing_support_need is True
    step = CaseStep.objects.get(case=case, key="first_visit")
    assert step.status == CaseStep.Status.DONE
    assert step.completed_by == staff["socsek"]
    assert status_of(case, "personbevis") == DocumentRequest.Status.RECEIVED
    assert status_of(case, "hyreskontrakt") == DocumentRequest.Status.REQUESTED
    actions = set(AuditEvent.objects.filter(case=case).values_list("action", flat=True))
    assert {AuditAction.FIRST_VISIT_RECORDED, AuditAction.DOCUMENTS_UPDATED} <= actions


def test_a_second_record_supersedes_the_first_and_leaves_it_unchanged(
    case: Case, login: Login
) -> None:
    client = login("socsek")
    client.post(url(case), form_data())
    first = FirstVisit.objects.get(case=case)
    before = (first.answers, first.signed_at, first.notes, first.updated_at)

    client.post(
        url(case),
        form_data(
            svar_boende="Eget kontrakt sedan i går.", notes="Rättelse.", received_documents=[]
        ),
    )

    first.refresh_from_db()
    assert (first.answers, first.signed_at, first.notes, first.updated_at) == before
    second = FirstVisit.objects.exclude(pk=first.pk).get(case=case)
    assert second.supersedes == first
    assert second.answers["boende"] == "Eget kontrakt sedan i går."
    page = client.get(url(case)).content.decode()
    assert "Ersatt av en rättelse" in page
    assert "Rätta nybesöket" in page


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"held_at": ""}, id="no time"),
        pytest.param(
            {"held_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")},
            id="in the future",
        ),
        pytest.param({"received_documents": ["not-a-uuid"]}, id="not a document"),
        pytest.param({"svar_boende": "x" * 10_001}, id="answer too long"),
    ],
)
def test_bad_input_shows_an_error_and_changes_nothing(
    case: Case, login: Login, overrides: dict[str, Any]
) -> None:
    response = login("socsek").post(url(case), form_data(**overrides))

    assert response.status_code == 200
    assert "Något behöver rättas" in response.content.decode()
    assert not FirstVisit.objects.filter(case=case).exists()
    assert status_of(case, "personbevis") == DocumentRequest.Status.REQUESTED
    assert CaseStep.objects.get(case=case, key="first_visit").status == CaseStep.Status.OPEN


def test_a_document_not_on_the_list_or_an_unknown_question_is_refused(
    case: Case, staff: dict[str, User]
) -> None:
    not_requested = documents("bankkonto") or list(
        CatalogueItem.objects.filter(catalogue__key="sia-documents").exclude(
            key__in=["personbevis", "hyreskontrakt"]
        )[:1]
    )
    for answers, received in (
        ({"okand": "text"}, []),
        ({}, [not_requested[0].pk]),
    ):
        with pytest.raises(ValidationFailed):
            record_first_visit(
                case_id=case.pk,
                held_at=timezone.now() - dt.timedelta(hours=1),
                answers=answers,
                continuing_support_need=False,
                notes="",
                received_document_ids=received,
                recorded_by=staff["socsek"],
                channel=Channel.SYSTEM,
            )
    assert not FirstVisit.objects.filter(case=case).exists()


def test_a_guide_sees_the_page_but_may_not_record_the_visit(case: Case, login: Login) -> None:
    client = login("vagledare1")

    page = client.get(url(case))
    refused = client.post(url(case), form_data())

    assert page.status_code == 200
    assert "Signera nybesöket" not in page.content.decode()
    assert refused.status_code == 404
    assert not FirstVisit.objects.filter(case=case).exists()


@pytest.mark.parametrize("username", ["annan", "af"])
def test_outsiders_get_404_on_every_first_visit_page_and_endpoint(
    case: Case, login: Login, api_as: ApiAs, username: str
) -> None:
    client, api = login(username), api_as(username)
    api_url = reverse("api-first-visit-list", kwargs={"case_id": case.pk})

    answers = [
        client.get(url(case)).status_code,
        client.post(url(case), form_data()).status_code,
        client.post(reverse("guide-call", kwargs={"case_id": case.pk})).status_code,
        api.get(api_url).status_code,
        api.post(api_url, {"held_at": timezone.now().isoformat()}, format="json").status_code,
        api.post(
            reverse("api-guide-call-create", kwargs={"case_id": case.pk}), {}, format="json"
        ).status_code,
    ]

    assert answers == [404] * len(answers)
    assert not FirstVisit.objects.exists()
    assert not AuditEvent.objects.filter(actor_username=username).exists()


def test_api_records_and_lists_first_visits_with_their_corrections(
    case: Case, api_as: ApiAs
) -> None:
    api = api_as("socsek")
    api_url = reverse("api-first-visit-list", kwargs={"case_id": case.pk})
    body = {
        "held_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "answers": {"arbete": "Snickare i tio år."},
        "received_documents": [str(documents("hyreskontrakt")[0].pk)],
    }

    first = api.post(api_url, body, format="json")
    second = api.post(api_url, {**body, "notes": "Rättelse"}, format="json")
    listed = api.get(api_url)

    assert first.status_code == 201
    assert second.status_code == 201
    assert second.json()["supersedes"] == first.json()["id"]
    assert [row["id"] for row in listed.json()] == [second.json()["id"], first.json()["id"]]
    assert status_of(case, "hyreskontrakt") == DocumentRequest.Status.RECEIVED


def test_api_refuses_an_unknown_question_with_400_and_writes_nothing(
    case: Case, api_as: ApiAs
) -> None:
    response = api_as("socsek").post(
        reverse("api-first-visit-list", kwargs={"case_id": case.pk}),
        {"held_at": timezone.now().isoformat(), "answers": {"okand": "x"}},
        format="json",
    )

    assert response.status_code == 400
    assert not FirstVisit.objects.exists()
