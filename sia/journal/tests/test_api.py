"""The journal API: list, write, one note, corrections and objections; append-only (405 on
PUT, PATCH and DELETE); partners read with consent and never write."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent
from sia.cases.models import Case
from sia.consent.models import DataKind, Disclosure
from sia.journal.models import JournalEntry, Objection
from sia.journal.tests.conftest import GiveConsent, WriteEntry, hours_ago

ApiAs = Callable[[str], APIClient]


def url(case: Case, rest: str = "") -> str:
    return f"/api/v1/cases/{case.pk}/journal/{rest}"


def test_writing_a_note_answers_with_both_times_and_the_author(
    case: Case, api_as: ApiAs, staff: dict[str, User]
) -> None:
    occurred = hours_ago(5).replace(microsecond=0)
    response = api_as("vagledare1").post(
        url(case),
        {"occurred_at": occurred.isoformat(), "kind": "phone_call", "text": "Ringde om SFI."},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    entry = JournalEntry.objects.get()
    assert body["id"] == str(entry.pk)
    assert body["number"] == 1
    assert body["author"] == "vagledare1"
    assert body["author_role"] == "community_guide"
    assert body["author_unit"] == "Samhällsvägledning"
    assert body["corrects"] is None
    assert body["corrected_by"] is None
    assert body["objections"] == []
    assert entry.occurred_at == occurred
    assert entry.written_at > entry.occurred_at
    event = AuditEvent.objects.get(action=AuditAction.JOURNAL_WRITTEN)
    assert event.channel == "api"


def test_the_server_sets_the_writing_time_whatever_the_client_sends(
    case: Case, api_as: ApiAs
) -> None:
    response = api_as("socsek").post(
        url(case),
        {
            "occurred_at": hours_ago(1).isoformat(),
            "kind": "note",
            "text": "Anteckning.",
            "written_at": "2020-01-01T00:00:00Z",
            "author": "vagledare1",
        },
        format="json",
    )
    assert response.status_code == 201
    entry = JournalEntry.objects.get()
    assert entry.written_at.year == timezone.now().year
    assert entry.author.username == "socsek"


def test_the_list_is_newest_event_first_with_corrections_and_objections(
    case: Case, api_as: ApiAs, write: WriteEntry
) -> None:
    old = write(case, "Äldst.", occurred_at=hours_ago(30))
    write(case, "Nyast.", occurred_at=hours_ago(1))
    client = api_as("socsek")
    fixed = client.post(
        url(case, f"{old.pk}/corrections/"),
        {"text": "Äldst, rättad.", "reason": "Stavfel."},
        format="json",
    )
    assert fixed.status_code == 201
    assert fixed.json()["corrects"] == str(old.pk)
    objected = client.post(
        url(case, f"{old.pk}/objections/"),
        {
            "text": "Det stämmer inte.",
            "received_as": "oral",
            "received_on": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert objected.status_code == 201
    assert objected.json()["objections"][0]["text"] == "Det stämmer inte."
    rows = client.get(url(case)).json()
    assert [row["text"] for row in rows] == ["Nyast.", "Äldst, rättad.", "Äldst."]
    assert rows[2]["corrected_by"] == rows[1]["id"]
    assert rows[1]["correction_reason"] == "Stavfel."
    assert rows[1]["occurred_at"] == rows[2]["occurred_at"]
    assert [o["received_as"] for o in rows[2]["objections"]] == ["oral"]
    one = client.get(url(case, f"{old.pk}/")).json()
    assert one["text"] == "Äldst."
    assert one["corrected_by"] == rows[1]["id"]


def test_correcting_a_corrected_note_answers_409(
    case: Case, api_as: ApiAs, write: WriteEntry
) -> None:
    old = write(case)
    client = api_as("socsek")
    body = {"text": "Rättad.", "reason": "Fel."}
    assert client.post(url(case, f"{old.pk}/corrections/"), body, format="json").status_code == 201
    again = client.post(url(case, f"{old.pk}/corrections/"), body, format="json")
    assert again.status_code == 409
    assert "redan rättad" in again.json()["detail"][0]
    assert JournalEntry.objects.count() == 2


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_notes_cannot_be_changed_or_deleted_through_the_api(
    case: Case, api_as: ApiAs, write: WriteEntry, method: str
) -> None:
    entry = write(case)
    Objection.objects.create(
        entry=entry,
        text="Nej.",
        received_as="oral",
        received_on=timezone.localdate(),
        recorded_by=entry.author,
    )
    client = api_as("socsek")
    for path in ["", f"{entry.pk}/", f"{entry.pk}/corrections/", f"{entry.pk}/objections/"]:
        response = getattr(client, method)(url(case, path), {"text": "Ändrad."}, format="json")
        assert response.status_code == 405, path
    assert JournalEntry.objects.get().text == "Ringde om bostaden."
    assert Objection.objects.get().text == "Nej."


def test_a_note_in_the_future_is_refused_with_a_message(case: Case, api_as: ApiAs) -> None:
    future = (timezone.now() + dt.timedelta(hours=3)).isoformat()
    response = api_as("socsek").post(
        url(case), {"occurred_at": future, "kind": "note", "text": "Sen."}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"occurred_at": ["Händelsetiden kan inte ligga i framtiden."]}
    assert not JournalEntry.objects.exists()


def test_the_partner_reads_with_a_consent_sharing_the_case_and_never_writes(
    case: Case, api_as: ApiAs, give_consent: GiveConsent, write: WriteEntry
) -> None:
    entry = write(case, "Har börjat SFI.")
    af = api_as("af")
    assert af.get(url(case)).status_code == 404
    give_consent(case, [DataKind.IDENTITY])
    assert af.get(url(case)).status_code == 404
    assert af.get(url(case, f"{entry.pk}/")).status_code == 404
    assert not Disclosure.objects.exists()
    consent = give_consent(case, list(DataKind.values))
    assert [row["text"] for row in af.get(url(case)).json()] == ["Har börjat SFI."]
    assert af.get(url(case, f"{entry.pk}/")).status_code == 200
    assert {d.consent_id for d in Disclosure.objects.filter(recipient__username="af")} == {
        consent.pk
    }
    written = af.post(
        url(case),
        {"occurred_at": hours_ago(1).isoformat(), "kind": "note", "text": "AF skriver."},
        format="json",
    )
    assert written.status_code == 404
    corrected = af.post(
        url(case, f"{entry.pk}/corrections/"), {"text": "x", "reason": "y"}, format="json"
    )
    assert corrected.status_code == 404
    objection = {"text": "x", "received_as": "oral", "received_on": str(timezone.localdate())}
    assert (
        af.post(url(case, f"{entry.pk}/objections/"), objection, format="json").status_code == 404
    )
    assert JournalEntry.objects.count() == 1
    assert not Objection.objects.exists()


def test_every_read_through_the_api_is_recorded(
    case: Case, api_as: ApiAs, write: WriteEntry
) -> None:
    entry = write(case)
    client = api_as("vagledare1")
    client.get(url(case))
    client.get(url(case, f"{entry.pk}/"))
    reads = AuditEvent.objects.filter(
        action=AuditAction.CASE_VIEWED, case_id=case.pk, channel="api", actor_username="vagledare1"
    )
    assert reads.count() == 2


def test_the_schema_documents_the_journal(api_as: ApiAs, staff: dict[str, User]) -> None:
    schema = api_as("socsek").get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    base = "/api/v1/cases/{case_id}/journal/"
    assert set(paths[base]) >= {"get", "post"}
    assert set(paths[base + "{entry_id}/"]) == {"get"}
    assert set(paths[base + "{entry_id}/corrections/"]) == {"post"}
    assert set(paths[base + "{entry_id}/objections/"]) == {"post"}
