"""Emergency access (nödåtkomst): a caseworker of the municipality who cannot see a case
states why, sees and works on it for a limited time, and the owning unit's deputy manager
reviews it.

The case is the reception unit's (`chef` manages it, `vagledare1` is on its team); `annan`,
a social worker of another unit of the same municipality, is the one in an emergency.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import Membership, Role, Unit, User
from sia.audit.models import AuditAction, AuditEvent
from sia.cases.models import Case, EmergencyAccess
from sia.process.access import can_work_on_case
from sia.teamwork.access import can_manage_team

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A morning, so that four hours of access end the same day: the banner then shows the time only.
MORNING = dt.datetime(2026, 11, 24, 10, 0, tzinfo=STOCKHOLM)
REASON = "Personen ringer i kris och handläggaren är sjuk, behöver se planen."


@pytest.fixture
def case(time_machine: TimeMachineFixture, make_case: CaseFactory) -> Case:
    time_machine.move_to(MORNING, tick=False)
    return make_case(team=("vagledare1",))


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def take(client: Client, case: Case, reason: str = REASON, hours: int | str = 4) -> None:
    response = client.post(f"/arenden/{case.pk}/nodatkomst/", {"reason": reason, "hours": hours})
    assert response.status_code == 302
    assert response["Location"] == f"/arenden/{case.pk}/"


def emergency_events(action: AuditAction = AuditAction.EMERGENCY_ACCESS) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def other_manager(units: dict[str, Unit]) -> User:
    """A deputy manager of another unit of the same municipality."""
    user = User.objects.create_user(username="annanchef", password="x", first_name="Olle")
    Membership.objects.create(
        user=user, unit=units["Ekonomiskt bistånd, vuxna"], role=Role.DEPUTY_UNIT_MANAGER
    )
    return user


def test_a_case_outside_ones_scope_is_404_and_the_request_form_is_offered(
    case: Case, login: Callable[[str], Client]
) -> None:
    client = login("annan")
    assert client.get(f"/arenden/{case.pk}/").status_code == 404
    body = page(client, f"/arenden/{case.pk}/nodatkomst/")
    assert f"Begär nödåtkomst till ärende {case.reference}" in body
    assert case.person.family_name not in body


@pytest.mark.parametrize("username", ["chef", "socsek", "vagledare1"])
def test_the_request_form_is_404_for_a_case_one_already_sees(
    case: Case, login: Callable[[str], Client], username: str
) -> None:
    assert login(username).get(f"/arenden/{case.pk}/nodatkomst/").status_code == 404


def test_the_request_form_is_404_for_a_missing_case(
    case: Case, login: Callable[[str], Client]
) -> None:
    assert login("annan").get(f"/arenden/{uuid.uuid4()}/nodatkomst/").status_code == 404


@pytest.mark.parametrize("username", ["af", "fk", "psykolog", "bosattning", "analytiker", "admin"])
def test_partners_providers_analysts_and_admins_may_not_take_emergency_access(
    case: Case, login: Callable[[str], Client], username: str
) -> None:
    client = login(username)
    url = f"/arenden/{case.pk}/nodatkomst/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": REASON, "hours": 4}).status_code == 404
    assert not EmergencyAccess.objects.exists()
    assert emergency_events() == []


def test_granted_access_opens_the_case_with_a_banner_and_audits_the_reason(
    case: Case, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    client = login("annan")
    take(client, case)

    body = page(client, f"/arenden/{case.pk}/")
    assert "Du har nödåtkomst till ärendet till 14:00" in body
    assert case.person.family_name in body
    (event,) = emergency_events()
    assert event.actor == staff["annan"]
    assert event.case_id == case.pk
    assert event.person_id == case.person_id
    assert event.changes["reason"] == REASON
    assert event.changes["hours"] == 4
    # Reads during the access are audited as every read is.
    assert AuditEvent.objects.filter(
        action=AuditAction.CASE_VIEWED, actor=staff["annan"], case_id=case.pk
    ).exists()
    access = EmergencyAccess.objects.get()
    assert (access.user, access.case, access.reason) == (staff["annan"], case, REASON)
    assert access.expires_at == MORNING + dt.timedelta(hours=4)


def test_other_users_see_no_banner(case: Case, login: Callable[[str], Client]) -> None:
    take(login("annan"), case)
    body = page(login("vagledare1"), f"/arenden/{case.pk}/")
    assert "Du har nödåtkomst" not in body
    # The team sees on the case's timeline that someone took emergency access.
    assert "Tog nödåtkomst till ärende" in body


def test_a_banner_for_access_ending_another_day_gives_the_date(
    case: Case, login: Callable[[str], Client]
) -> None:
    client = login("annan")
    take(client, case, hours=20)
    assert "Du har nödåtkomst till ärendet till 2026-11-25 06:00" in page(
        client, f"/arenden/{case.pk}/"
    )


def test_the_case_is_gone_again_once_the_access_expires(
    case: Case, login: Callable[[str], Client], time_machine: TimeMachineFixture
) -> None:
    client = login("annan")
    take(client, case, hours=2)
    assert case.reference in page(client, "/arenden/")

    time_machine.move_to(MORNING + dt.timedelta(hours=2), tick=False)
    client = login("annan")  # a new session: the old one has timed out since
    assert client.get(f"/arenden/{case.pk}/").status_code == 404
    assert client.get(f"/personer/{case.person_id}/").status_code == 404
    assert case.reference not in page(client, "/arenden/")
    # Expired, the case may be asked for again (the form is shown, not a 404).
    assert client.get(f"/arenden/{case.pk}/nodatkomst/").status_code == 200


@pytest.mark.parametrize(
    ("reason", "hours", "message"),
    [
        ("", 4, "Det här fältet är obligatoriskt."),
        ("   ", 4, "Det här fältet är obligatoriskt."),
        ("Akut läge", 4, "åtminstone har 15 tecken"),
        (REASON, 25, "mindre än eller lika med 24"),
        (REASON, 0, "större än eller lika med 1"),
        (REASON, "fyra", "Fyll i ett heltal."),
        ("x" * 10_001, 4, "som mest 10000 tecken"),
    ],
)
def test_bad_input_gives_a_form_error_and_writes_nothing(
    case: Case, login: Callable[[str], Client], reason: str, hours: int | str, message: str
) -> None:
    client = login("annan")
    response = client.post(f"/arenden/{case.pk}/nodatkomst/", {"reason": reason, "hours": hours})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert emergency_events() == []
    assert client.get(f"/arenden/{case.pk}/").status_code == 404


@override_settings(SIA_EMERGENCY_ACCESS_HOURS=2, SIA_EMERGENCY_ACCESS_MAX_HOURS=8)
def test_default_and_longest_duration_come_from_the_settings(
    case: Case, login: Callable[[str], Client]
) -> None:
    client = login("annan")
    body = page(client, f"/arenden/{case.pk}/nodatkomst/")
    assert 'value="2"' in body
    assert "Högst 8 timmar." in body
    response = client.post(f"/arenden/{case.pk}/nodatkomst/", {"reason": REASON, "hours": 9})
    assert "mindre än eller lika med 8" in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_emergency_access_lets_one_work_on_the_case_but_not_change_its_team(
    case: Case, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    annan = staff["annan"]
    assert not can_work_on_case(annan, case)
    take(login("annan"), case)
    assert can_work_on_case(annan, case)
    assert not can_manage_team(annan, case)
    assert not case.team.filter(user=annan).exists()
    assert case.reference not in page(login("annan"), "/")  # not among "Mina ärenden"


def test_protected_details_stay_hidden_in_emergency_access(
    time_machine: TimeMachineFixture,
    make_person: PersonFactory,
    make_case: CaseFactory,
    login: Callable[[str], Client],
) -> None:
    time_machine.move_to(MORNING, tick=False)
    person = make_person(protected_identity=True, street_address="Hemliga vägen 17")
    case = make_case(person)
    client = login("annan")
    take(client, case)
    assert "Hemliga vägen 17" not in page(client, f"/arenden/{case.pk}/")
    assert "Hemliga vägen 17" not in page(client, f"/personer/{person.pk}/")


def test_the_owning_units_manager_sees_the_flag_until_reviewing_it(
    case: Case,
    login: Callable[[str], Client],
    staff: dict[str, User],
    time_machine: TimeMachineFixture,
) -> None:
    take(login("annan"), case)
    access = EmergencyAccess.objects.get()
    # Still flagged after the access itself has ended.
    time_machine.move_to(MORNING + dt.timedelta(days=1), tick=False)
    chef = login("chef")
    start = page(chef, "/")
    assert "Nödåtkomster att granska" in start
    assert "Ali Annansson" in start
    assert case.reference in start
    assert REASON in start
    assert "2026-11-24 10:00" in start

    detail = page(chef, f"/arenden/nodatkomst/{access.pk}/granska/")
    assert REASON in detail
    response = chef.post(
        f"/arenden/nodatkomst/{access.pk}/granska/", {"note": "Kontrollerat med Ali."}
    )
    assert response.status_code == 302

    access.refresh_from_db()
    assert access.reviewed_by == staff["chef"]
    assert access.review_note == "Kontrollerat med Ali."
    (event,) = emergency_events(AuditAction.EMERGENCY_ACCESS_REVIEWED)
    assert (event.actor, event.case_id) == (staff["chef"], case.pk)
    assert event.changes["note"] == "Kontrollerat med Ali."
    start = page(chef, "/")
    assert REASON not in start
    assert "Inga nödåtkomster att granska." in start


def test_a_review_is_recorded_once(case: Case, login: Callable[[str], Client]) -> None:
    take(login("annan"), case)
    access = EmergencyAccess.objects.get()
    chef = login("chef")
    url = f"/arenden/nodatkomst/{access.pk}/granska/"
    assert chef.post(url, {"note": ""}).status_code == 302
    response = chef.post(url, {"note": "Igen"})
    assert "Nödåtkomsten är redan granskad." in response.content.decode()
    assert len(emergency_events(AuditAction.EMERGENCY_ACCESS_REVIEWED)) == 1


def test_a_too_long_review_note_is_refused_on_the_field_and_nothing_written(
    case: Case, login: Callable[[str], Client]
) -> None:
    take(login("annan"), case)
    access = EmergencyAccess.objects.get()
    response = login("chef").post(
        f"/arenden/nodatkomst/{access.pk}/granska/", {"note": "x" * 10_001}
    )
    body = response.content.decode()
    assert "som mest 10000 tecken" in body
    assert f'href="#note-{access.pk}"' in body
    assert f'id="note-{access.pk}"' in body
    access.refresh_from_db()
    assert access.reviewed_at is None
    assert emergency_events(AuditAction.EMERGENCY_ACCESS_REVIEWED) == []


def test_other_managers_and_staff_do_not_see_or_review_the_flag(
    case: Case,
    login: Callable[[str], Client],
    units: dict[str, Unit],
) -> None:
    take(login("annan"), case)
    access = EmergencyAccess.objects.get()
    manager = Client()
    manager.force_login(other_manager(units))
    start = page(manager, "/")
    assert REASON not in start
    assert "Inga nödåtkomster att granska." in start
    url = f"/arenden/nodatkomst/{access.pk}/granska/"
    assert manager.get(url).status_code == 404
    assert manager.post(url, {"note": ""}).status_code == 404
    for username in ("annan", "socsek", "vagledare1"):
        client = login(username)
        assert "Nödåtkomster att granska" not in page(client, "/")
        assert client.get(url).status_code == 404
    access.refresh_from_db()
    assert access.reviewed_at is None


def test_the_person_search_offers_emergency_access_without_the_cases_details(
    case: Case, login: Callable[[str], Client]
) -> None:
    identifier = case.person.identifiers.get().value
    client = login("annan")
    response = client.post("/personer/sok/", {"identifier": identifier})
    body = response.content.decode()
    assert "du har inte åtkomst till personen" in body
    assert f'href="/arenden/{case.pk}/nodatkomst/"' in body
    assert "Begär nödåtkomst" in body
    assert case.person.family_name not in body

    take(client, case)
    body = client.post("/personer/sok/", {"identifier": identifier}).content.decode()
    assert case.person.family_name in body
    assert "Begär nödåtkomst" not in body


def test_the_person_search_offers_nothing_to_those_who_see_the_case(
    case: Case, login: Callable[[str], Client]
) -> None:
    identifier = case.person.identifiers.get().value
    body = login("socsek").post("/personer/sok/", {"identifier": identifier}).content.decode()
    assert "Begär nödåtkomst" not in body


def test_the_api_grants_lists_and_reviews(
    case: Case, api_as: Callable[[str], APIClient], staff: dict[str, User]
) -> None:
    response = api_as("annan").post(
        f"/api/v1/cases/{case.pk}/emergency-access/", {"reason": REASON}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["case"] == str(case.pk)
    assert body["expires_at"] == (MORNING + dt.timedelta(hours=4)).isoformat()
    assert api_as("annan").get(f"/api/v1/cases/{case.pk}/").status_code == 200

    listed = api_as("chef").get("/api/v1/emergency-access/?to_review=true").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    assert listed["results"][0]["reason"] == REASON
    assert api_as("annan").get("/api/v1/emergency-access/").status_code == 404

    review = api_as("chef").post(
        f"/api/v1/emergency-access/{body['id']}/review/", {"note": "OK"}, format="json"
    )
    assert review.status_code == 200
    assert review.json()["reviewed_by"] == "chef"
    again = api_as("chef").post(f"/api/v1/emergency-access/{body['id']}/review/", {})
    assert again.status_code == 409
    assert api_as("chef").get("/api/v1/emergency-access/?to_review=true").json()["results"] == []
    assert len(api_as("chef").get("/api/v1/emergency-access/").json()["results"]) == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "Kort"}, "reason"),
        ({"reason": REASON, "hours": 48}, "hours"),
        ({"reason": REASON, "hours": "x"}, "hours"),
    ],
)
def test_the_api_refuses_bad_input_with_400_and_writes_nothing(
    case: Case, api_as: Callable[[str], APIClient], data: dict[str, object], field: str
) -> None:
    response = api_as("annan").post(
        f"/api/v1/cases/{case.pk}/emergency-access/", data, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("username", ["af", "bosattning", "analytiker", "admin", "socsek"])
def test_the_api_answers_404_to_those_who_may_not_take_it(
    case: Case, api_as: Callable[[str], APIClient], username: str
) -> None:
    response = api_as(username).post(
        f"/api/v1/cases/{case.pk}/emergency-access/", {"reason": REASON}, format="json"
    )
    assert response.status_code == 404
    assert not EmergencyAccess.objects.exists()
