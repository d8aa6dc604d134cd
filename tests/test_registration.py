"""Search before create, registration and case opening: bad input changes nothing."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import Unit
from sia.cases.models import Case, CaseTeamMember
from sia.demo.synthetic import personal_number
from sia.people.models import Person, PersonIdentifier

BIRTH = dt.date(1993, 8, 21)
NUMBER = personal_number(BIRTH, serial=994)


def form(unit: Unit, **overrides: str) -> dict[str, object]:
    data: dict[str, object] = {
        "unit": str(unit.pk),
        "identifier_kind": "personnummer",
        "identifier_value": NUMBER,
        "given_name": "Yonas",
        "family_name": "Tesfay",
        "date_of_birth": BIRTH.isoformat(),
        "gender": "male",
        "arrival_category": "quota_refugee",
        # A recent residence permit keeps the person inside the SIA target group.
        "residence_permit_date": (dt.date.today() - dt.timedelta(days=60)).isoformat(),  # noqa: DTZ011
        "preferred_languages": ["ti", "en"],
        "interpreter_needed": "on",
        "interpreter_language": "ti",
    }
    data.update(overrides)
    return data


def test_search_by_identifier_finds_the_registered_person(
    make_person: PersonFactory, login: Callable[[str], Client]
) -> None:
    person = make_person()
    number = person.identifiers.get().value
    response = login("socsek").post("/personer/sok/", {"identifier": number})
    assert response.context["result"].matches == [person]
    assert number not in response.request["PATH_INFO"] + response.request["QUERY_STRING"]


def test_search_tells_when_someone_else_holds_the_number_without_showing_them(
    make_case: CaseFactory, login: Callable[[str], Client]
) -> None:
    case = make_case()
    number = case.person.identifiers.get().value
    body = login("annan").post("/personer/sok/", {"identifier": number}).content.decode()
    assert "redan registrerad" in body
    assert case.person.family_name not in body


def test_search_with_a_bad_number_explains_what_is_wrong(login: Callable[[str], Client]) -> None:
    response = login("socsek").post("/personer/sok/", {"identifier": "19930821-0000"})
    assert response.status_code == 200
    assert "Kontrollsiffran" in response.content.decode()


def test_registering_a_person_then_opening_a_case_puts_the_opener_on_the_team(
    login: Callable[[str], Client], reception: Unit
) -> None:
    client = login("socsek")
    response = client.post("/personer/ny/", form(reception))
    person = Person.objects.get(family_name="Tesfay")
    assert response["Location"] == f"/personer/{person.pk}/"
    assert person.identifiers.get().value == NUMBER
    assert person.preferred_languages == ["ti", "en"]
    response = client.post(
        f"/arenden/ny/{person.pk}/",
        {"unit": str(reception.pk), "first_contact_date": dt.date.today().isoformat()},  # noqa: DTZ011
    )
    case = Case.objects.get(person=person)
    assert response["Location"] == f"/arenden/{case.pk}/"
    assert case.stage == Case.Stage.INTAKE
    assert list(
        CaseTeamMember.objects.filter(case=case).values_list("user__username", flat=True)
    ) == ["socsek"]
    assert "Tesfay" in client.get(f"/arenden/{case.pk}/").content.decode()


def test_the_same_identifier_cannot_be_registered_twice(
    login: Callable[[str], Client], reception: Unit
) -> None:
    client = login("socsek")
    client.post("/personer/ny/", form(reception))
    response = client.post("/personer/ny/", form(reception, given_name="Annan"))
    assert response.status_code == 200
    assert "redan en person med detta identitetsnummer" in response.content.decode()
    assert Person.objects.count() == 1


def test_same_name_and_birth_date_needs_an_explicit_confirmation(
    login: Callable[[str], Client], reception: Unit
) -> None:
    client = login("socsek")
    client.post("/personer/ny/", form(reception, identifier_kind="", identifier_value=""))
    second = form(reception, identifier_kind="", identifier_value="")
    assert client.post("/personer/ny/", second).status_code == 200
    assert Person.objects.count() == 1
    second["confirmed_not_duplicate"] = "on"
    assert client.post("/personer/ny/", second).status_code == 302
    assert Person.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"identifier_value": "19930821-9941"}, "Kontrollsiffran"),
        ({"date_of_birth": "1993-08-22"}, "stämmer inte med identitetsnumret"),
        ({"identifier_kind": "samordningsnummer"}, "samordningsnummer har dagen ökad"),
        ({"identifier_kind": "dossier", "identifier_value": "123456"}, "dossiernummer"),
        ({"interpreter_language": ""}, "tolkspråk"),
        (
            {"date_of_birth": "2999-01-01", "identifier_kind": "", "identifier_value": ""},
            "framtiden",
        ),
        ({"given_name": ""}, "obligatoriskt"),
    ],
)
def test_bad_registration_input_gets_a_clear_swedish_error_and_writes_nothing(
    login: Callable[[str], Client], reception: Unit, overrides: dict[str, str], message: str
) -> None:
    response = login("socsek").post("/personer/ny/", form(reception, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Person.objects.count() == 0
    assert PersonIdentifier.objects.count() == 0


def test_the_english_interface_translates_the_error(
    login: Callable[[str], Client], reception: Unit
) -> None:
    client = login("socsek")
    client.cookies["django_language"] = "en"
    body = client.post(
        "/personer/ny/", form(reception, identifier_value="19930821-9941")
    ).content.decode()
    assert "check digit" in body


def test_registering_through_the_api_validates_the_same_way(
    api_as: Callable[[str], APIClient], reception: Unit
) -> None:
    payload = {
        "unit": str(reception.pk),
        "given_name": "Yonas",
        "family_name": "Tesfay",
        "date_of_birth": BIRTH.isoformat(),
        "gender": "male",
        "identifiers": [{"kind": "personnummer", "value": "19930821-9941"}],
    }
    client = api_as("socsek")
    bad = client.post("/api/v1/persons/", payload, format="json")
    assert bad.status_code == 400
    assert "Kontrollsiffran" in str(bad.json())
    payload["identifiers"] = [{"kind": "personnummer", "value": NUMBER}]
    good = client.post("/api/v1/persons/", payload, format="json")
    assert good.status_code == 201
    assert good.json()["identifiers"][0]["value"] == f"{NUMBER[:8]}-{NUMBER[8:]}"
    again = client.post("/api/v1/persons/", payload, format="json")
    assert again.status_code == 409
    assert Person.objects.count() == 1


def test_opening_a_case_with_a_new_person_through_the_api(
    api_as: Callable[[str], APIClient], reception: Unit
) -> None:
    response = api_as("socsek").post(
        "/api/v1/cases/",
        {
            "unit": str(reception.pk),
            "first_contact_date": dt.date.today().isoformat(),  # noqa: DTZ011
            "arrival_category": "ebo",
            "new_person": {
                "given_name": "Olena",
                "family_name": "Kovalenko",
                "date_of_birth": "1984-02-11",
                "gender": "female",
                "residence_permit_date": (dt.date.today() - dt.timedelta(days=30)).isoformat(),  # noqa: DTZ011
            },
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["stage"] == "intake"
    assert [member["user"] for member in data["team"]] == ["socsek"]
    assert Person.objects.get(pk=data["person"]).arrival_category == "ebo"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"first_contact_date": "2026-11-01"},
        {"person": "not-a-uuid", "unit": "x", "first_contact_date": "2026-11-01"},
        {"first_contact_date": "igår", "unit": "00000000-0000-4000-8000-000000000000"},
    ],
)
def test_bad_case_input_through_the_api_is_a_400_and_writes_nothing(
    api_as: Callable[[str], APIClient], payload: dict[str, str]
) -> None:
    response = api_as("socsek").post("/api/v1/cases/", payload, format="json")
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_a_case_cannot_be_opened_in_a_unit_one_does_not_work_in(
    make_person: PersonFactory, api_as: Callable[[str], APIClient], units: dict[str, Unit]
) -> None:
    person = make_person()
    response = api_as("socsek").post(
        "/api/v1/cases/",
        {
            "person": str(person.pk),
            "unit": str(units["Utredningsgruppen"].pk),
            "first_contact_date": "2026-11-01",
        },
        format="json",
    )
    assert response.status_code == 404
    assert Case.objects.count() == 0


@pytest.mark.parametrize(("days", "message"), [(-1, "framtiden"), (400, "ett år bakåt")])
def test_a_first_contact_date_out_of_range_is_refused(
    make_person: PersonFactory,
    login: Callable[[str], Client],
    reception: Unit,
    days: int,
    message: str,
) -> None:
    person = make_person()
    when = dt.date.today() - dt.timedelta(days=days)  # noqa: DTZ011
    response = login("socsek").post(
        f"/arenden/ny/{person.pk}/",
        {"unit": str(reception.pk), "first_contact_date": when.isoformat()},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.count() == 0


def test_a_second_open_case_in_the_same_unit_is_refused(
    make_case: CaseFactory, login: Callable[[str], Client], reception: Unit
) -> None:
    case = make_case()
    response = login("socsek").post(
        f"/arenden/ny/{case.person_id}/",
        {"unit": str(reception.pk), "first_contact_date": case.first_contact_date.isoformat()},
    )
    assert "redan ett öppet ärende" in response.content.decode()
    assert Case.objects.count() == 1


def test_a_hidden_person_with_the_same_name_and_birth_date_is_not_revealed(
    make_person: PersonFactory, login: Callable[[str], Client], units: dict[str, Unit]
) -> None:
    hidden = make_person(protected_identity=True, with_identifier=False)
    response = login("annan").post(
        "/personer/ny/",
        form(
            units["Ekonomiskt bistånd, vuxna"],
            identifier_kind="",
            identifier_value="",
            given_name=hidden.given_name,
            family_name=hidden.family_name,
            date_of_birth=hidden.date_of_birth.isoformat(),
        ),
    )
    assert response.status_code == 302
    assert "samma namn" not in response.content.decode()


def test_digits_from_other_scripts_are_not_accepted_as_a_personnummer(
    api_as: Callable[[str], APIClient], reception: Unit
) -> None:
    arabic_indic = NUMBER.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = api_as("socsek").post(
        "/api/v1/persons/",
        {
            "unit": str(reception.pk),
            "given_name": "Yonas",
            "family_name": "Tesfay",
            "date_of_birth": BIRTH.isoformat(),
            "gender": "male",
            "identifiers": [{"kind": "personnummer", "value": arabic_indic}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert Person.objects.count() == 0


def test_an_overlong_email_is_a_clear_error_not_a_crash(
    login: Callable[[str], Client], reception: Unit
) -> None:
    response = login("socsek").post(
        "/personer/ny/", form(reception, email=("a" * 250) + "@example.invalid")
    )
    assert response.status_code == 200
    assert Person.objects.count() == 0


def test_the_birth_date_cannot_be_changed_away_from_the_personnummer(
    make_case: CaseFactory, api_as: Callable[[str], APIClient]
) -> None:
    person = make_case().person
    response = api_as("socsek").patch(
        f"/api/v1/persons/{person.pk}/", {"date_of_birth": "1950-05-05"}, format="json"
    )
    assert response.status_code == 400
    assert "stämmer inte med identitetsnumret" in str(response.json())
    person.refresh_from_db()
    assert person.date_of_birth != dt.date(1950, 5, 5)
