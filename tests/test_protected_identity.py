"""Protected identity: address and contact never reach a user without the permission."""

from collections.abc import Callable

import pytest
from django.test import Client

from conftest import CaseFactory, PersonFactory
from sia.cases.models import Case

ADDRESS = "Hemliga vägen 17"
PHONE = "070-1234567"
EMAIL = "skyddad@example.invalid"


@pytest.fixture
def protected_case(make_person: PersonFactory, make_case: CaseFactory) -> Case:
    person = make_person(
        protected_identity=True,
        street_address=ADDRESS,
        postal_code="123 45",
        city="Demostad",
        phone=PHONE,
        email=EMAIL,
    )
    return make_case(person, team=("vagledare1",))


def pages(case: Case) -> list[str]:
    return [
        "/",
        "/arenden/",
        f"/arenden/{case.pk}/",
        f"/personer/{case.person_id}/",
        f"/personer/{case.person_id}/andra/",
        "/api/v1/persons/",
        f"/api/v1/persons/{case.person_id}/",
        "/api/v1/cases/",
        f"/api/v1/cases/{case.pk}/",
        "/api/v1/audit-events/",
        "/logg/",
    ]


@pytest.mark.parametrize(
    "username",
    ["socsek", "vagledare1", "vagledare2", "ug", "af", "analytiker", "admin", "annan"],
)
def test_no_page_or_response_shows_the_address_without_the_permission(
    protected_case: Case, login: Callable[[str], Client], username: str
) -> None:
    client = login(username)
    for url in pages(protected_case):
        body = client.get(url).content.decode()
        for secret in (ADDRESS, PHONE, EMAIL):
            assert secret not in body, f"{secret!r} leaked on {url} to {username}"


def test_search_results_do_not_show_the_address(
    protected_case: Case, login: Callable[[str], Client]
) -> None:
    person = protected_case.person
    response = login("socsek").post(
        "/personer/sok/",
        {"family_name": person.family_name, "date_of_birth": person.date_of_birth.isoformat()},
    )
    body = response.content.decode()
    assert person.family_name in body
    assert ADDRESS not in body


def test_the_user_with_the_permission_sees_the_address(
    protected_case: Case, login: Callable[[str], Client]
) -> None:
    body = login("chef").get(f"/personer/{protected_case.person_id}/").content.decode()
    assert ADDRESS in body
    assert PHONE in body


@pytest.mark.parametrize("url", ["/arenden/", "/arenden/{case}/", "/personer/{person}/"])
def test_the_protected_marker_shows_wherever_the_person_appears(
    protected_case: Case, login: Callable[[str], Client], url: str
) -> None:
    body = login("socsek").get(url.format(case=protected_case.pk, person=protected_case.person_id))
    assert 'class="badge badge-protected"' in body.content.decode()


def test_the_api_says_details_are_hidden(
    protected_case: Case, login: Callable[[str], Client]
) -> None:
    data = login("socsek").get(f"/api/v1/persons/{protected_case.person_id}/").json()
    assert data["protected_identity"] is True
    assert data["details_hidden"] is True
    assert data["street_address"] == ""


def test_saving_the_form_without_the_permission_keeps_the_hidden_address(
    protected_case: Case, login: Callable[[str], Client]
) -> None:
    person = protected_case.person
    response = login("socsek").post(
        f"/personer/{person.pk}/andra/",
        {
            "given_name": "Nytt",
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth.isoformat(),
            "gender": person.gender,
            "protected_identity": "on",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.given_name == "Nytt"
    assert person.street_address == ADDRESS


def test_changing_the_address_without_the_permission_is_refused_through_the_api(
    protected_case: Case, login: Callable[[str], Client]
) -> None:
    response = login("socsek").patch(
        f"/api/v1/persons/{protected_case.person_id}/",
        {"street_address": "Ny väg 1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    protected_case.person.refresh_from_db()
    assert protected_case.person.street_address == ADDRESS


def test_lifting_the_protection_needs_the_permission(
    protected_case: Case, login: Callable[[str], Client]
) -> None:
    person = protected_case.person
    response = login("socsek").post(
        f"/personer/{person.pk}/andra/",
        {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth.isoformat(),
            "gender": person.gender,
        },
    )
    assert response.status_code == 200
    assert "behörighet" in response.content.decode()
    person.refresh_from_db()
    assert person.protected_identity is True
