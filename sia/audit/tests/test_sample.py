"""A random sample of the log to check: random, the same again for the same seed, in scope."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import Unit, User
from sia.audit.models import AuditAction, AuditEvent
from sia.audit.selectors_review import Period
from sia.audit.tests.conftest import LogEvent, query
from sia.cases.models import Case
from sia.people.models import Person


@pytest.fixture
def forty(make_case: CaseFactory, log: LogEvent) -> list[AuditEvent]:
    """Forty reads of one reception case by its social worker, a minute apart, last month."""
    case = make_case()
    return [log("socsek", AuditAction.CASE_VIEWED, case=case, minutes=i) for i in range(40)]


def sampled(client: Client, period: Period, **params: object) -> list[int]:
    response = client.get("/logg/kontroll/", query(period, **params))
    assert response.status_code == 200
    return [event.id for event in response.context["events"]]


def test_the_same_seed_draws_the_same_sample_and_another_seed_another(
    forty: list[AuditEvent], login: Callable[[str], Client], period: Period
) -> None:
    chef = login("chef")
    first = sampled(chef, period, antal=10, seed=123)
    assert len(first) == 10
    assert set(first) <= {event.id for event in forty}
    assert sampled(chef, period, antal=10, seed=123) == first
    assert sampled(chef, period, antal=10, seed=124) != first


def test_the_page_draws_a_new_seed_that_redraws_the_same_sample(
    forty: list[AuditEvent], login: Callable[[str], Client], period: Period
) -> None:
    chef = login("chef")
    response = chef.get("/logg/kontroll/")
    seed = response.context["form"].cleaned_data["seed"]
    first = [event.id for event in response.context["events"]]
    # Defaults: last month and twenty events.
    assert len(first) == 20
    assert f"slumpfrö {seed}" in response.content.decode()
    assert sampled(chef, period, antal=20, seed=seed) == first


def test_the_api_draws_the_same_sample_as_the_page(
    forty: list[AuditEvent],
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
    period: Period,
) -> None:
    page = sampled(login("chef"), period, antal=7, seed=99)
    response = api_as("chef").get("/api/v1/audit/sample/", query(period, antal=7, seed=99))
    assert response.status_code == 200
    body = response.json()
    assert (body["seed"], body["size"], body["total"]) == (99, 7, 40)
    assert sorted(row["id"] for row in body["events"]) == sorted(page)
    assert body["events"][0]["actor"] == "socsek"
    assert body["events"][0]["case_reference"] == str(forty[0].case_id)[:8].upper()


def test_a_sample_never_holds_events_outside_the_managers_units(
    make_person: PersonFactory,
    log: LogEvent,
    login: Callable[[str], Client],
    period: Period,
    other_unit: Unit,
    staff: dict[str, User],
) -> None:
    ours = make_person()
    theirs = make_person()
    Person.objects.filter(pk=theirs.pk).update(
        registered_unit=other_unit, registered_by=staff["annan"]
    )
    inside = [log("socsek", person=ours, minutes=i) for i in range(3)]
    for i in range(30):
        log("annan", person=theirs, minutes=i)
    assert sorted(sampled(login("chef"), period, antal=200, seed=5)) == [e.id for e in inside]


def test_a_sample_leaves_out_events_outside_the_period_and_log_reviews(
    forty: list[AuditEvent], log: LogEvent, login: Callable[[str], Client], period: Period
) -> None:
    log("chef", AuditAction.AUDIT_VIEWED, person=None, case=None)
    # Fixtures' own events happen today, outside last month.
    ids = sampled(login("chef"), period, antal=200, seed=1)
    assert sorted(ids) == sorted(event.id for event in forty)


def test_the_sample_size_is_bounded(
    forty: list[AuditEvent],
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
    period: Period,
) -> None:
    chef = login("chef")
    response = chef.get("/logg/kontroll/", query(period, antal=201, seed=1))
    assert response.status_code == 200
    assert response.context["events"] == []
    assert "mindre än eller lika med 200" in response.content.decode()
    api = api_as("chef").get("/api/v1/audit/sample/", query(period, antal=201))
    assert api.status_code == 400
    assert "antal" in api.json()
    assert len(sampled(chef, period, antal=5, seed=1)) == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"fran": "igår", "till": "2020-01-01"}, "fran"),
        ({"fran": "2020-02-01", "till": "2020-01-01"}, "till"),
        ({"fran": "2019-01-01", "till": "2020-06-01"}, "till"),
        ({"fran": "2020-01-01", "till": "2999-01-01"}, "till"),
        ({"fran": "2020-01-01", "till": "2020-01-31", "seed": "x"}, "seed"),
        ({"fran": "2020-01-01", "till": "2020-01-31", "antal": "0"}, "antal"),
    ],
)
def test_a_bad_period_or_sample_is_a_clear_error_not_a_crash(
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
    params: dict[str, str],
    field: str,
) -> None:
    page = login("chef").get("/logg/kontroll/", params)
    assert page.status_code == 200
    assert page.context["form"].errors[field]
    assert page.context["events"] == []
    api = api_as("chef").get("/api/v1/audit/sample/", params)
    assert api.status_code == 400
    assert field in api.json()


def test_looking_at_a_sample_is_itself_logged_with_its_seed(
    forty: list[AuditEvent], login: Callable[[str], Client], period: Period
) -> None:
    sampled(login("chef"), period, antal=3, seed=42)
    viewed = AuditEvent.objects.filter(action=AuditAction.AUDIT_VIEWED).first()
    assert viewed is not None
    assert viewed.actor_username == "chef"
    assert viewed.changes == {
        "check": "sample",
        "period_from": period.start.isoformat(),
        "period_to": period.end.isoformat(),
        "seed": 42,
        "size": 3,
    }


def test_the_sample_names_the_people_the_manager_may_see_and_no_personnummer(
    make_case: CaseFactory, log: LogEvent, login: Callable[[str], Client], period: Period
) -> None:
    case: Case = make_case()
    log("vagledare1", AuditAction.CASE_VIEWED, case=case)
    response = login("chef").get("/logg/kontroll/", query(period, seed=3))
    body = response.content.decode()
    assert case.person.family_name in body
    assert case.reference in body
    for identifier in case.person.identifiers.all():
        assert identifier.value not in body
        assert identifier.value[2:] not in body


def test_the_number_of_queries_does_not_grow_with_the_sample(
    make_person: PersonFactory, log: LogEvent, login: Callable[[str], Client], period: Period
) -> None:
    chef = login("chef")
    people = [make_person(with_identifier=False) for _ in range(12)]
    for i, person in enumerate(people[:2]):
        log("socsek", person=person, minutes=i)
    with CaptureQueriesContext(connection) as few:
        assert len(sampled(chef, period, antal=200, seed=1)) == 2
    for i, person in enumerate(people[2:]):
        log("vagledare1", person=person, minutes=i)
    with CaptureQueriesContext(connection) as many:
        assert len(sampled(chef, period, antal=200, seed=1)) == 12
    assert len(many) == len(few)
