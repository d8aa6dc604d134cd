"""Allocation: the deputy manager hands a new case to the SIA group in one action."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import Role, Unit, User
from sia.audit.models import AuditAction, AuditEvent
from sia.cases.models import Case, CaseTeamMember
from sia.people.models import Person
from sia.process.models import CaseStep


@pytest.fixture
def new_case(make_case: CaseFactory) -> Case:
    """A case just opened by socsek, not allocated yet."""
    return make_case(team=())


def active_team(case: Case) -> set[tuple[str, str]]:
    return set(
        CaseTeamMember.objects.filter(case=case, left_at__isnull=True).values_list(
            "user__username", "role"
        )
    )


def allocate(client: Client, case: Case, staff: dict[str, User], *guides: str) -> Any:
    return client.post(
        f"/arenden/{case.pk}/fordelning/",
        {"guides": [str(staff[g].pk) for g in guides], "social_worker": str(staff["socsek"].pk)},
    )


def test_the_manager_allocates_two_guides_and_the_social_worker_in_one_action(
    new_case: Case, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    response = allocate(login("chef"), new_case, staff, "vagledare1", "vagledare2")
    assert response.status_code == 302
    assert response["Location"] == f"/arenden/{new_case.pk}/"
    assert active_team(new_case) == {
        ("socsek", Role.RECEPTION_SOCIAL_WORKER),
        ("vagledare1", Role.COMMUNITY_GUIDE),
        ("vagledare2", Role.COMMUNITY_GUIDE),
    }
    step = CaseStep.objects.get(case=new_case, key="allocation")
    assert step.status == CaseStep.Status.DONE
    assert step.completed_by == staff["chef"]
    new_case.refresh_from_db()
    assert new_case.stage == Case.Stage.ALIGNMENT
    assert AuditEvent.objects.filter(case=new_case, action=AuditAction.CASE_ALLOCATED).exists()


def test_the_allocation_page_offers_guides_and_reception_workers_with_the_opener_chosen(
    new_case: Case, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    page = login("chef").get(f"/arenden/{new_case.pk}/fordelning/").content.decode()
    assert "Vera Vägledare" in page
    assert "Viktor Vägledare" in page
    assert f'value="{staff["socsek"].pk}" selected' in page
    # Not a guide, not in the municipality's reception role: not offered.
    assert "Ulf Utredare" not in page
    assert "Alva Förmedlare" not in page
    # A social worker of another unit of the municipality never gets the reception's case.
    assert "Ali Annansson" not in page


def test_the_allocation_queue_links_to_the_allocation_page(
    new_case: Case, login: Callable[[str], Client]
) -> None:
    page = login("chef").get("/mitt-arbete/").content.decode()
    assert "Väntar på fördelning" in page
    assert f"/arenden/{new_case.pk}/fordelning/" in page
    start = login("chef").get("/").content.decode()
    assert f"/arenden/{new_case.pk}/fordelning/" in start


@pytest.mark.parametrize("username", ["socsek", "vagledare1", "annan", "af", "analytiker"])
def test_only_the_manager_may_allocate(
    new_case: Case, login: Callable[[str], Client], staff: dict[str, User], username: str
) -> None:
    client = login(username)
    assert client.get(f"/arenden/{new_case.pk}/fordelning/").status_code == 404
    assert allocate(client, new_case, staff, "vagledare1").status_code == 404
    assert active_team(new_case) == {("socsek", Role.RECEPTION_SOCIAL_WORKER)}


def test_a_refused_allocation_page_records_no_read(
    new_case: Case, login: Callable[[str], Client]
) -> None:
    before = AuditEvent.objects.count()
    login("socsek").get(f"/arenden/{new_case.pk}/fordelning/")
    assert AuditEvent.objects.count() == before


def test_allocating_without_a_guide_is_a_clear_error_and_changes_nothing(
    new_case: Case, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    response = allocate(login("chef"), new_case, staff)
    assert response.status_code == 200
    assert "Välj minst en samhällsvägledare." in response.content.decode()
    assert CaseStep.objects.get(case=new_case, key="allocation").status == CaseStep.Status.OPEN


def test_someone_who_is_not_a_guide_cannot_be_chosen_as_guide(
    new_case: Case, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    response = allocate(login("chef"), new_case, staff, "ug")
    assert response.status_code == 200
    assert active_team(new_case) == {("socsek", Role.RECEPTION_SOCIAL_WORKER)}


def test_a_social_worker_of_another_unit_cannot_be_put_on_the_case(
    new_case: Case, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    response = login("chef").post(
        f"/arenden/{new_case.pk}/fordelning/",
        {"guides": [str(staff["vagledare1"].pk)], "social_worker": str(staff["annan"].pk)},
    )
    assert response.status_code == 200
    assert not CaseTeamMember.objects.filter(case=new_case, user=staff["annan"]).exists()


def test_an_allocated_case_cannot_be_allocated_again(
    new_case: Case, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    client = login("chef")
    allocate(client, new_case, staff, "vagledare1")
    page = client.get(f"/arenden/{new_case.pk}/fordelning/").content.decode()
    assert "Ärendet är redan fördelat." in page
    again = allocate(client, new_case, staff, "vagledare2")
    assert again.status_code == 200
    assert ("vagledare2", Role.COMMUNITY_GUIDE) not in active_team(new_case)


def test_the_timeline_shows_the_allocation(
    new_case: Case, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    client = login("chef")
    allocate(client, new_case, staff, "vagledare1")
    page = client.get(f"/arenden/{new_case.pk}/").content.decode()
    timeline = page[page.index("Händelser i ärendet") :]
    assert "Fördelade ärende" in timeline
    assert "Cecilia Chefsson" in timeline
    assert timeline.index("Fördelade ärende") < timeline.index("Aktualiserade ärende")


# --- Intake: eligibility ----------------------------------------------------------------


def test_the_open_case_page_says_when_the_person_is_inside_the_target_group(
    make_person: PersonFactory, login: Callable[[str], Client]
) -> None:
    person = make_person()
    page = login("socsek").get(f"/arenden/ny/{person.pk}/").content.decode()
    assert "Inom målgruppen" in page
    assert "outside_target_group_confirmed" not in page


def too_old(make_person: PersonFactory) -> Person:
    return make_person(date_of_birth=dt.date(1940, 5, 5))


def test_the_open_case_page_lists_why_the_person_is_outside_and_asks_to_confirm(
    make_person: PersonFactory, login: Callable[[str], Client], reception: Unit
) -> None:
    person = too_old(make_person)
    client = login("socsek")
    page = client.get(f"/arenden/ny/{person.pk}/").content.decode()
    assert "målgruppen är till och med 64 år" in page
    assert "Öppna ärendet ändå (personen ligger utanför målgruppen)" in page
    data = {"unit": str(reception.pk), "first_contact_date": person.created_at.date().isoformat()}
    refused = client.post(f"/arenden/ny/{person.pk}/", data)
    assert refused.status_code == 200
    assert Case.objects.count() == 0
    opened = client.post(
        f"/arenden/ny/{person.pk}/", {**data, "outside_target_group_confirmed": "on"}
    )
    assert opened.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.CASE_CREATED)
    assert event.changes["outside_target_group"] is True


def test_the_api_opens_a_case_outside_the_target_group_only_when_confirmed(
    make_person: PersonFactory, api_as: Callable[[str], APIClient], reception: Unit
) -> None:
    person = too_old(make_person)
    client = api_as("socsek")
    data = {
        "person": str(person.pk),
        "unit": str(reception.pk),
        "first_contact_date": person.created_at.date().isoformat(),
    }
    refused = client.post("/api/v1/cases/", data, format="json")
    assert refused.status_code == 400
    assert "outside_target_group_confirmed" in refused.json()
    opened = client.post(
        "/api/v1/cases/", {**data, "outside_target_group_confirmed": True}, format="json"
    )
    assert opened.status_code == 201
    assert [step["key"] for step in opened.json()["steps"]][:2] == ["allocation", "alignment"]


def test_the_service_refuses_a_reception_worker_of_another_unit(
    new_case: Case, staff: dict[str, User]
) -> None:
    from django.db import transaction

    from sia.audit.models import Channel
    from sia.core.exceptions import ValidationFailed
    from sia.process.services import allocate_case

    with pytest.raises(ValidationFailed), transaction.atomic():
        allocate_case(
            case_id=new_case.pk,
            guides=[staff["vagledare1"]],
            social_worker=staff["annan"],
            allocated_by=staff["chef"],
            channel=Channel.SYSTEM,
        )
    assert active_team(new_case) == {("socsek", Role.RECEPTION_SOCIAL_WORKER)}
    assert CaseStep.objects.get(case=new_case, key="allocation").status == CaseStep.Status.OPEN
