"""The guidance meeting (SVA): booking, rebooking, cancelling and its record written once."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.core.exceptions import InvalidTransition, ValidationFailed
from sia.meetings.alignment import AlignmentInput, record_alignment
from sia.meetings.guidance import (
    GuidanceBooking,
    book_guidance_meeting,
    record_guidance_meeting,
)
from sia.meetings.models import GuidanceMeeting
from sia.process.models import CaseStep, CatalogueItem

Login = Callable[[str], Client]


@pytest.fixture
def case(make_case: CaseFactory, make_person: PersonFactory) -> Case:
    person = make_person(interpreter_needed=True, interpreter_language="ti")
    return make_case(person, team=("vagledare1",))


def when(days: float) -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0) + dt.timedelta(days=days)


def booking_data(staff: dict[str, User], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": "book",
        "guide": staff["vagledare1"].pk,
        "starts_at": when(3).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "60",
        "place": "Medborgarkontoret",
        "mode": "on_site",
        "interpreter_needed": "on",
        "interpreter_language": "ti",
    }
    data.update(overrides)
    return data


def book(case: Case, staff: dict[str, User], starts_at: dt.datetime) -> GuidanceMeeting:
    with transaction.atomic():
        return book_guidance_meeting(
            case_id=case.pk,
            booking=GuidanceBooking(guide_id=staff["vagledare1"].pk, starts_at=starts_at),
            booked_by=staff["vagledare1"],
            channel=Channel.SYSTEM,
        )


def topic_keys() -> list[str]:
    items = CatalogueItem.objects.filter(catalogue__key="sia-guidance-info").order_by("order")
    return list(items.values_list("key", flat=True))


def test_booking_form_defaults_to_the_guide_and_the_persons_interpreter_need(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    response = login("vagledare1").get(f"/arenden/{case.pk}/samhallsvagledning/")

    initial = response.context["booking_form"].initial
    assert initial["guide"] == staff["vagledare1"].pk
    assert initial["interpreter_needed"] is True
    assert initial["interpreter_language"] == "ti"


def test_a_guide_books_the_meeting_and_the_booking_is_audited(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    response = login("vagledare1").post(
        f"/arenden/{case.pk}/samhallsvagledning/", booking_data(staff)
    )

    assert response.status_code == 302
    meeting = GuidanceMeeting.objects.get(case=case)
    assert meeting.status == GuidanceMeeting.Status.BOOKED
    assert (meeting.guide, meeting.interpreter_language) == (staff["vagledare1"], "ti")
    event = AuditEvent.objects.get(action=AuditAction.GUIDANCE_BOOKED)
    assert event.changes["meeting"] == str(meeting.pk)
    assert "Medborgarkontoret" not in str(event.changes)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"interpreter_language": ""}, "interpreter_language"),
        ({"guide": "00000000-0000-0000-0000-000000000000"}, "guide"),
        ({"mode": "video"}, "mode"),
        ({"starts_at": "imorgon"}, "starts_at"),
    ],
)
def test_bad_booking_input_is_refused_and_changes_nothing(
    case: Case, staff: dict[str, User], login: Login, overrides: dict[str, Any], field: str
) -> None:
    response = login("socsek").post(
        f"/arenden/{case.pk}/samhallsvagledning/", booking_data(staff, **overrides)
    )

    assert response.status_code == 200
    assert field in response.context["booking_form"].errors
    assert not GuidanceMeeting.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.GUIDANCE_BOOKED).exists()


def test_a_guide_not_on_the_team_cannot_be_booked(case: Case, staff: dict[str, User]) -> None:
    with pytest.raises(ValidationFailed), transaction.atomic():
        book_guidance_meeting(
            case_id=case.pk,
            booking=GuidanceBooking(guide_id=staff["vagledare2"].pk, starts_at=when(2)),
            booked_by=staff["socsek"],
            channel=Channel.SYSTEM,
        )
    assert not GuidanceMeeting.objects.exists()


def test_a_booked_meeting_can_be_rebooked_and_cancelled(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    meeting = book(case, staff, when(3))
    client = login("vagledare1")
    new_time = when(4)

    rebooked = client.post(
        f"/arenden/{case.pk}/samhallsvagledning/",
        booking_data(
            staff,
            action="change",
            starts_at=new_time.strftime("%Y-%m-%dT%H:%M"),
            mode="phone",
        ),
    )
    cancelled = client.post(f"/arenden/{case.pk}/samhallsvagledning/", {"action": "cancel"})

    assert rebooked.status_code == 302
    assert cancelled.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == new_time
    assert meeting.mode == "phone"
    assert meeting.status == GuidanceMeeting.Status.CANCELLED
    changes = [e.changes for e in AuditEvent.objects.filter(action=AuditAction.GUIDANCE_CHANGED)]
    assert any("starts_at" in c.get("fields", []) for c in changes)
    assert any(c.get("status") == ["booked", "cancelled"] for c in changes)


def test_only_one_meeting_can_be_booked_at_a_time(case: Case, staff: dict[str, User]) -> None:
    book(case, staff, when(3))

    with pytest.raises(InvalidTransition):
        book(case, staff, when(5))

    assert GuidanceMeeting.objects.filter(case=case).count() == 1


def test_recording_ticks_the_checklist_and_completes_the_step(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    meeting = book(case, staff, when(-0.1))
    keys = topic_keys()

    response = login("vagledare1").post(
        f"/arenden/{case.pk}/samhallsvagledning/",
        {"action": "record", "covered_topics": [keys[0], keys[-1]], "notes": "Gick bra."},
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == GuidanceMeeting.Status.HELD
    assert meeting.covered_topics == [keys[0], keys[-1]]
    assert meeting.recorded_by == staff["vagledare1"]
    assert meeting.recorded_at is not None
    step = CaseStep.objects.get(case=case, key="guidance_meeting")
    assert step.status == CaseStep.Status.DONE
    event = AuditEvent.objects.get(action=AuditAction.GUIDANCE_RECORDED)
    assert event.changes["covered"] == [keys[0], keys[-1]]
    assert "Gick bra" not in str(event.changes)


def test_record_form_offers_the_checklist_and_explains_the_requested_documents(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    personbevis = CatalogueItem.objects.get(catalogue__key="sia-documents", key="personbevis")
    with transaction.atomic():
        record_alignment(
            case_id=case.pk,
            data=AlignmentInput(
                held_on=timezone.localdate(),
                document_item_ids=[personbevis.pk],
                first_visit_at=when(7),
                standby_guide_id=staff["vagledare1"].pk,
            ),
            recorded_by=staff["socsek"],
            channel=Channel.SYSTEM,
        )
    book(case, staff, when(-0.1))

    page = login("vagledare1").get(f"/arenden/{case.pk}/samhallsvagledning/").content.decode()

    assert "Bankkonto och BankID" in page
    assert personbevis.help_text in page


def test_a_meeting_cannot_be_recorded_before_it_starts(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    meeting = book(case, staff, when(2))

    response = login("vagledare1").post(
        f"/arenden/{case.pk}/samhallsvagledning/",
        {"action": "record", "covered_topics": topic_keys()[:1], "notes": ""},
    )

    assert response.status_code == 200
    assert response.context["record_form"].errors
    meeting.refresh_from_db()
    assert meeting.status == GuidanceMeeting.Status.BOOKED
    assert CaseStep.objects.get(case=case, key="guidance_meeting").status == CaseStep.Status.OPEN


def test_a_held_meetings_record_cannot_be_changed(case: Case, staff: dict[str, User]) -> None:
    meeting = book(case, staff, when(-0.1))
    keys = topic_keys()
    with transaction.atomic():
        record_guidance_meeting(
            case_id=case.pk,
            meeting_id=meeting.pk,
            covered_topics=keys[:2],
            notes="Först.",
            recorded_by=staff["vagledare1"],
            channel=Channel.SYSTEM,
        )

    with pytest.raises(InvalidTransition), transaction.atomic():
        record_guidance_meeting(
            case_id=case.pk,
            meeting_id=meeting.pk,
            covered_topics=keys,
            notes="Ändrat.",
            recorded_by=staff["socsek"],
            channel=Channel.SYSTEM,
        )

    meeting.refresh_from_db()
    assert (meeting.notes, meeting.covered_topics) == ("Först.", keys[:2])
    assert AuditEvent.objects.filter(action=AuditAction.GUIDANCE_RECORDED).count() == 1


def test_recording_again_on_the_page_is_a_form_error(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    meeting = book(case, staff, when(-0.1))
    client = login("vagledare1")
    url = f"/arenden/{case.pk}/samhallsvagledning/"
    client.post(url, {"action": "record", "covered_topics": [], "notes": "Först."})

    response = client.post(url, {"action": "record", "covered_topics": [], "notes": "Igen."})

    assert response.status_code == 200
    assert response.context["record_form"].errors
    meeting.refresh_from_db()
    assert meeting.notes == "Först."


def test_an_unknown_topic_is_refused(case: Case, staff: dict[str, User], login: Login) -> None:
    meeting = book(case, staff, when(-0.1))

    response = login("vagledare1").post(
        f"/arenden/{case.pk}/samhallsvagledning/",
        {"action": "record", "covered_topics": ["okand"], "notes": ""},
    )

    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == GuidanceMeeting.Status.BOOKED


@pytest.mark.parametrize("username", ["annan", "af"])
def test_outsiders_cannot_book_or_record(
    case: Case, staff: dict[str, User], login: Login, username: str
) -> None:
    meeting = book(case, staff, when(-0.1))
    client = login(username)
    url = f"/arenden/{case.pk}/samhallsvagledning/"

    assert client.get(url).status_code == 404
    assert client.post(url, booking_data(staff)).status_code == 404
    assert client.post(url, {"action": "record", "notes": "x"}).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == GuidanceMeeting.Status.BOOKED
    assert GuidanceMeeting.objects.count() == 1
