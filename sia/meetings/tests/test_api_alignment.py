"""API of the alignment, requested documents, referrals and guidance meetings."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.meetings.alignment import ReferralInput, create_referral
from sia.meetings.models import Alignment, DocumentRequest, GuidanceMeeting, Referral
from sia.process.models import CaseStep, CatalogueItem

ApiAs = Callable[[str], APIClient]


@pytest.fixture
def case(make_case: CaseFactory) -> Case:
    return make_case(team=("vagledare1",))


def item(key: str) -> CatalogueItem:
    return CatalogueItem.objects.get(catalogue__key="sia-documents", key=key)


def later(days: float) -> str:
    return (timezone.now() + dt.timedelta(days=days)).isoformat()


def alignment_body(staff: dict[str, User], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "held_on": timezone.localdate().isoformat(),
        "documents": [str(item("personbevis").pk), str(item("kontoutdrag").pk)],
        "info_for_guide": "Ta upp BankID.",
        "first_visit_at": later(7),
        "first_visit_minutes": 60,
        "standby_guide": str(staff["vagledare1"].pk),
        "referrals": [{"to_unit_name": "Familjerätten", "need": "Vårdnad"}],
    }
    body.update(overrides)
    return body


def booking_body(staff: dict[str, User], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "guide": str(staff["vagledare1"].pk),
        "starts_at": later(-0.05),
        "mode": "phone",
        "interpreter_needed": True,
        "interpreter_language": "ar",
    }
    body.update(overrides)
    return body


def test_recording_and_listing_alignments(
    case: Case, staff: dict[str, User], api_as: ApiAs
) -> None:
    client = api_as("socsek")

    created = client.post(
        f"/api/v1/cases/{case.pk}/alignments/", alignment_body(staff), format="json"
    )
    listed = client.get(f"/api/v1/cases/{case.pk}/alignments/")

    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "initial"
    assert created.json()["standby_guide"] == "vagledare1"
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()] == [created.json()["id"]]
    assert CaseStep.objects.get(case=case, key="alignment").status == CaseStep.Status.DONE
    assert Referral.objects.get(case=case).to_unit_name == "Familjerätten"


def test_a_second_post_is_a_correction(case: Case, staff: dict[str, User], api_as: ApiAs) -> None:
    client = api_as("socsek")
    first = client.post(
        f"/api/v1/cases/{case.pk}/alignments/", alignment_body(staff), format="json"
    ).json()

    second = client.post(
        f"/api/v1/cases/{case.pk}/alignments/", alignment_body(staff, referrals=[]), format="json"
    ).json()
    listed = client.get(f"/api/v1/cases/{case.pk}/alignments/").json()

    assert second["supersedes"] == first["id"]
    assert {row["id"]: row["superseded_by"] for row in listed} == {
        first["id"]: second["id"],
        second["id"]: None,
    }


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"standby_guide": "00000000-0000-0000-0000-000000000000"}, "standby_guide"),
        ({"held_on": "2999-01-01"}, "held_on"),
        ({"documents": ["00000000-0000-0000-0000-000000000000"]}, "documents"),
        ({"referrals": [{"need": "Något"}]}, "referrals"),
        ({"held_on": "igår"}, "held_on"),
        ({"first_visit_minutes": -1}, "first_visit_minutes"),
        ({"first_visit_minutes": 2**70}, "first_visit_minutes"),
    ],
)
def test_bad_alignment_is_a_400_and_writes_nothing(
    case: Case, staff: dict[str, User], api_as: ApiAs, overrides: dict[str, Any], key: str
) -> None:
    response = api_as("socsek").post(
        f"/api/v1/cases/{case.pk}/alignments/", alignment_body(staff, **overrides), format="json"
    )

    assert response.status_code == 400
    assert key in response.json()
    assert not Alignment.objects.exists()
    assert not DocumentRequest.objects.exists()
    assert not Referral.objects.exists()


def test_document_statuses_are_read_and_changed(
    case: Case, staff: dict[str, User], api_as: ApiAs
) -> None:
    client = api_as("vagledare1")
    client.post(f"/api/v1/cases/{case.pk}/alignments/", alignment_body(staff), format="json")
    today = timezone.localdate().isoformat()

    changed = client.patch(
        f"/api/v1/cases/{case.pk}/documents/",
        {
            "on": today,
            "statuses": [
                {"item": str(item("personbevis").pk), "status": "received", "lock_version": 1}
            ],
        },
        format="json",
    )
    listed = client.get(f"/api/v1/cases/{case.pk}/documents/")

    assert changed.status_code == 200
    statuses = {row["key"]: row["status"] for row in listed.json()}
    assert statuses == {"personbevis": "received", "kontoutdrag": "requested"}
    assert AuditEvent.objects.filter(action=AuditAction.DOCUMENTS_UPDATED).count() == 1


def test_a_document_not_on_the_list_is_a_400(
    case: Case, staff: dict[str, User], api_as: ApiAs
) -> None:
    response = api_as("socsek").patch(
        f"/api/v1/cases/{case.pk}/documents/",
        {
            "on": timezone.localdate().isoformat(),
            "statuses": [
                {"item": str(item("personbevis").pk), "status": "received", "lock_version": 1}
            ],
        },
        format="json",
    )

    assert response.status_code == 400


def test_referrals_are_created_and_moved_on_with_409_for_a_wrong_step(
    case: Case, api_as: ApiAs
) -> None:
    client = api_as("socsek")
    today = timezone.localdate().isoformat()
    created = client.post(
        f"/api/v1/cases/{case.pk}/referrals/",
        {"to_unit_name": "Familjerätten", "need": "Vårdnad", "on": today},
        format="json",
    )
    url = f"/api/v1/cases/{case.pk}/referrals/{created.json()['id']}/"

    wrong = client.patch(url, {"status": "closed", "on": "2999-01-01"}, format="json")
    skipped = client.patch(url, {"status": "accepted", "on": today}, format="json")
    sent = client.patch(url, {"status": "sent", "on": today}, format="json")
    listed = client.get(f"/api/v1/cases/{case.pk}/referrals/")

    assert created.status_code == 201
    assert wrong.status_code == 400
    assert skipped.status_code == 409
    assert sent.status_code == 200
    assert sent.json()["status"] == "sent"
    assert [row["status"] for row in listed.json()] == ["sent"]


def test_guidance_meeting_is_booked_rebooked_and_recorded(
    case: Case, staff: dict[str, User], api_as: ApiAs
) -> None:
    client = api_as("vagledare1")
    booked = client.post(
        f"/api/v1/cases/{case.pk}/guidance-meetings/", booking_body(staff), format="json"
    )
    url = f"/api/v1/cases/{case.pk}/guidance-meetings/{booked.json()['id']}/"

    rebooked = client.patch(url, {"place": "Rum 3", "duration_minutes": 90}, format="json")
    recorded = client.post(
        f"{url}record/", {"covered_topics": ["bank", "flyttanmalan"], "notes": "Bra"}, format="json"
    )
    again = client.post(f"{url}record/", {"covered_topics": [], "notes": "Igen"}, format="json")
    changed_after = client.patch(url, {"place": "Rum 4"}, format="json")
    listed = client.get(f"/api/v1/cases/{case.pk}/guidance-meetings/")

    assert booked.status_code == 201, booked.content
    assert rebooked.status_code == 200
    assert (rebooked.json()["place"], rebooked.json()["duration_minutes"]) == ("Rum 3", 90)
    assert recorded.status_code == 200
    assert recorded.json()["status"] == "held"
    assert recorded.json()["covered_topics"] == ["flyttanmalan", "bank"]
    assert again.status_code == 409
    assert changed_after.status_code == 409
    assert listed.json()[0]["notes"] == "Bra"
    step = CaseStep.objects.get(case=case, key="guidance_meeting")
    assert step.status == CaseStep.Status.DONE


def test_guidance_meeting_is_cancelled(case: Case, staff: dict[str, User], api_as: ApiAs) -> None:
    client = api_as("socsek")
    booked = client.post(
        f"/api/v1/cases/{case.pk}/guidance-meetings/", booking_body(staff), format="json"
    ).json()

    response = client.patch(
        f"/api/v1/cases/{case.pk}/guidance-meetings/{booked['id']}/",
        {"status": "cancelled"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"interpreter_language": ""}, "interpreter_language"),
        ({"guide": "00000000-0000-0000-0000-000000000000"}, "guide"),
        ({"duration_minutes": 2}, "duration_minutes"),
    ],
)
def test_bad_booking_is_a_400(
    case: Case, staff: dict[str, User], api_as: ApiAs, overrides: dict[str, Any], key: str
) -> None:
    response = api_as("socsek").post(
        f"/api/v1/cases/{case.pk}/guidance-meetings/",
        booking_body(staff, **overrides),
        format="json",
    )

    assert response.status_code == 400
    assert key in response.json()
    assert not GuidanceMeeting.objects.exists()


def test_recording_before_the_meeting_starts_is_a_400(
    case: Case, staff: dict[str, User], api_as: ApiAs
) -> None:
    client = api_as("vagledare1")
    booked = client.post(
        f"/api/v1/cases/{case.pk}/guidance-meetings/",
        booking_body(staff, starts_at=later(2)),
        format="json",
    ).json()

    response = client.post(
        f"/api/v1/cases/{case.pk}/guidance-meetings/{booked['id']}/record/",
        {"covered_topics": ["bank"]},
        format="json",
    )

    assert response.status_code == 400
    assert GuidanceMeeting.objects.get().status == GuidanceMeeting.Status.BOOKED


def _endpoints(case: Case) -> list[tuple[str, str]]:
    missing = "00000000-0000-0000-0000-000000000000"
    base = f"/api/v1/cases/{case.pk}"
    return [
        ("get", f"{base}/alignments/"),
        ("post", f"{base}/alignments/"),
        ("get", f"{base}/documents/"),
        ("patch", f"{base}/documents/"),
        ("get", f"{base}/referrals/"),
        ("post", f"{base}/referrals/"),
        ("patch", f"{base}/referrals/{missing}/"),
        ("get", f"{base}/guidance-meetings/"),
        ("post", f"{base}/guidance-meetings/"),
        ("patch", f"{base}/guidance-meetings/{missing}/"),
        ("post", f"{base}/guidance-meetings/{missing}/record/"),
    ]


@pytest.mark.parametrize("username", ["annan", "af"])
def test_outsiders_get_404_on_every_endpoint(
    case: Case, staff: dict[str, User], api_as: ApiAs, username: str
) -> None:
    client = api_as(username)
    bodies = {
        "alignments": alignment_body(staff),
        "documents": {
            "on": timezone.localdate().isoformat(),
            "statuses": [
                {"item": str(item("personbevis").pk), "status": "received", "lock_version": 1}
            ],
        },
        "referrals": {
            "to_unit_name": "X",
            "need": "Y",
            "status": "sent",
            "on": timezone.localdate().isoformat(),
        },
        "guidance-meetings": booking_body(staff),
    }

    for method, url in _endpoints(case):
        body = next((b for key, b in bodies.items() if f"/{key}/" in url), {})
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 404, (method, url, response.status_code)

    assert not AuditEvent.objects.filter(actor=staff[username]).exists()


def test_real_referral_and_meeting_of_the_case_are_hidden_from_outsiders(
    case: Case, staff: dict[str, User], api_as: ApiAs
) -> None:
    with transaction.atomic():
        referral = create_referral(
            case_id=case.pk,
            referral=ReferralInput(need="Vårdnad", to_unit_name="Familjerätten"),
            on=timezone.localdate(),
            created_by=staff["socsek"],
            channel=Channel.SYSTEM,
        )
    client = api_as("annan")

    response = client.patch(
        f"/api/v1/cases/{case.pk}/referrals/{referral.pk}/",
        {"status": "sent", "on": timezone.localdate().isoformat()},
        format="json",
    )

    assert response.status_code == 404
    assert Referral.objects.get().status == Referral.Status.IDENTIFIED


@pytest.mark.parametrize("resource", ["alignments", "documents", "referrals", "guidance-meetings"])
def test_list_queries_do_not_grow_with_rows(
    case: Case, staff: dict[str, User], api_as: ApiAs, resource: str
) -> None:
    client = api_as("socsek")
    url = f"/api/v1/cases/{case.pk}/{resource}/"

    def add_rows(keys: list[str]) -> None:
        client.post(
            f"/api/v1/cases/{case.pk}/alignments/",
            alignment_body(staff, documents=[str(item(key).pk) for key in keys]),
            format="json",
        )
        meeting = client.post(
            f"/api/v1/cases/{case.pk}/guidance-meetings/", booking_body(staff), format="json"
        ).json()
        client.patch(
            f"/api/v1/cases/{case.pk}/guidance-meetings/{meeting['id']}/",
            {"status": "cancelled"},
            format="json",
        )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_rows(["personbevis"])
    few = count()
    for keys in (["kontoutdrag", "af-beslut"], ["fk-beslut", "sfi-intyg"], ["lakarintyg"]):
        add_rows(keys)

    assert count() == few


def test_a_transfer_alignment_with_a_bad_length_is_a_400(
    case: Case, staff: dict[str, User], api_as: ApiAs
) -> None:
    from django.db import transaction

    from sia.audit.models import Channel
    from sia.process.services import allocate_case, transfer_case

    with transaction.atomic():
        allocate_case(
            case_id=case.pk,
            guides=[staff["vagledare1"]],
            social_worker=staff["socsek"],
            allocated_by=staff["chef"],
            channel=Channel.SYSTEM,
        )
        transfer_case(
            case_id=case.pk,
            assessment_worker=staff["ug"],
            transferred_by=staff["chef"],
            channel=Channel.SYSTEM,
        )
    body = {"held_on": timezone.localdate().isoformat(), "first_visit_minutes": -1}

    response = api_as("ug").post(f"/api/v1/cases/{case.pk}/alignments/", body, format="json")

    assert response.status_code == 400
    assert not Alignment.objects.filter(case=case).exists()
