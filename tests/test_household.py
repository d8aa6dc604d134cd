"""Household links: a relative is found by number, linked once, and shown from both sides."""

from collections.abc import Callable

from django.test import Client

from conftest import CaseFactory, PersonFactory
from sia.audit.models import AuditAction, AuditEvent
from sia.people.models import HouseholdLink


def test_linking_a_child_shows_it_on_the_parent_and_the_parent_on_the_child(
    make_case: CaseFactory, make_person: PersonFactory, login: Callable[[str], Client]
) -> None:
    parent = make_case().person
    child = make_person(given_name="Lilla")
    client = login("chef")
    response = client.post(
        f"/personer/{parent.pk}/hushall/",
        {"relation": "child", "relative_identifier": child.identifiers.get().value},
    )
    assert response.status_code == 302
    assert HouseholdLink.objects.filter(person=parent, relative=child, relation="child").exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.PERSON_UPDATED, person_id=parent.pk
    ).exists()
    assert "Lilla" in client.get(f"/personer/{parent.pk}/").content.decode()
    child_page = client.get(f"/personer/{child.pk}/").content.decode()
    assert "Förälder" in child_page
    assert parent.family_name in child_page


def test_an_unknown_number_or_a_second_link_is_refused_and_changes_nothing(
    make_case: CaseFactory, make_person: PersonFactory, login: Callable[[str], Client]
) -> None:
    parent = make_case().person
    child = make_person()
    client = login("chef")
    unknown = client.post(
        f"/personer/{parent.pk}/hushall/",
        {"relation": "child", "relative_identifier": "12-345678"},
    )
    assert unknown.status_code == 400
    assert "Registrera den anhöriga först" in unknown.content.decode()
    number = child.identifiers.get().value
    client.post(
        f"/personer/{parent.pk}/hushall/", {"relation": "child", "relative_identifier": number}
    )
    again = client.post(
        f"/personer/{parent.pk}/hushall/", {"relation": "child", "relative_identifier": number}
    )
    assert again.status_code == 400
    assert "Kopplingen finns redan" in again.content.decode()
    assert HouseholdLink.objects.count() == 1


def test_a_guide_cannot_change_the_household(
    make_case: CaseFactory, login: Callable[[str], Client]
) -> None:
    case = make_case(team=("vagledare1",))
    response = login("vagledare1").post(
        f"/personer/{case.person_id}/hushall/", {"relation": "child", "relative_identifier": "x"}
    )
    assert response.status_code == 404


def test_a_relative_the_viewer_may_not_see_is_left_out_of_the_household(
    make_case: CaseFactory, make_person: PersonFactory, login: Callable[[str], Client]
) -> None:
    parent = make_case(team=("vagledare1",)).person
    partner = make_case(
        make_person(family_name="Skyddadsson", protected_identity=True), team=("vagledare2",)
    ).person
    login("chef").post(
        f"/personer/{parent.pk}/hushall/",
        {"relation": "partner", "relative_identifier": partner.identifiers.get().value},
    )
    assert "Skyddadsson" in login("chef").get(f"/personer/{parent.pk}/").content.decode()
    assert login("vagledare1").get(f"/personer/{partner.pk}/").status_code == 404
    # socsek opened both cases and may see both; vagledare1 is only on the parent's team
    body = login("vagledare1").get(f"/personer/{parent.pk}/").content.decode()
    assert "Skyddadsson" not in body
