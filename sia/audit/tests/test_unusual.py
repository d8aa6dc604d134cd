"""The report of unusual access: each table on hand-built events, on the page and in the API."""

from collections.abc import Callable

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction
from sia.audit.selectors_review import Period, UnusualAccess, unusual_access
from sia.audit.tests.conftest import LogEvent, query
from sia.cases.models import Case
from sia.people.models import Person


@pytest.fixture
def case(make_case: CaseFactory) -> Case:
    """A reception case with the guide from Samhällsvägledning on its team."""
    return make_case(team=("vagledare1",))


def report(client: Client, period: Period) -> UnusualAccess:
    response = client.get("/logg/avvikelser/", query(period))
    assert response.status_code == 200
    result: UnusualAccess = response.context["report"]
    return result


def test_reads_of_a_case_owned_by_another_unit_are_listed_outsiders_first(
    case: Case, log: LogEvent, login: Callable[[str], Client], period: Period
) -> None:
    own = log("socsek", AuditAction.CASE_VIEWED, case=case)
    guide = log("vagledare1", AuditAction.CASE_VIEWED, case=case, minutes=5)
    outsider = log("annan", AuditAction.CASE_UPDATED, case=case, minutes=1)
    table = report(login("chef"), period).other_unit
    assert [event.id for event in table.events] == [outsider.id, guide.id]
    assert own.id not in [event.id for event in table.events]
    assert [event.on_team for event in table.events] == [False, True]  # type: ignore[attr-defined]
    assert table.total == 2


def test_the_other_unit_table_shows_who_when_which_case_and_what(
    case: Case, log: LogEvent, login: Callable[[str], Client], period: Period
) -> None:
    event = log("annan", AuditAction.CASE_UPDATED, case=case)
    body = login("chef").get("/logg/avvikelser/", query(period)).content.decode()
    assert "Ärenden i en annan enhet än användarens (1 händelse)" in body
    assert "annan" in body
    assert "Socialsekreterare, mottagning" in body
    assert "Ekonomiskt bistånd, vuxna" in body
    assert event.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M") in body
    assert case.reference in body
    assert "Ändrade ärende" in body


def test_access_to_a_protected_person_is_listed(
    make_person: PersonFactory, log: LogEvent, login: Callable[[str], Client], period: Period
) -> None:
    protected = make_person(protected_identity=True)
    ordinary = make_person()
    seen = log("socsek", person=protected)
    log("socsek", person=ordinary)
    table = report(login("chef"), period).protected
    assert [event.id for event in table.events] == [seen.id]
    assert table.total == 1


def test_emergency_access_is_listed(
    case: Case, log: LogEvent, login: Callable[[str], Client], period: Period
) -> None:
    emergency = log("annan", AuditAction.EMERGENCY_ACCESS, case=case)
    log("annan", AuditAction.CASE_VIEWED, case=case)
    table = report(login("chef"), period).emergency
    assert [event.id for event in table.events] == [emergency.id]
    body = login("chef").get("/logg/avvikelser/", query(period)).content.decode()
    assert "Nödåtkomst (1 händelse)" in body
    assert "Tog nödåtkomst till ärende" in body


@pytest.fixture
def thirty_one(make_person: PersonFactory) -> list[Person]:
    return [make_person(with_identifier=False) for _ in range(31)]


def test_an_actor_touching_31_persons_in_one_hour_is_flagged_and_29_is_not(
    thirty_one: list[Person], log: LogEvent, login: Callable[[str], Client], period: Period
) -> None:
    for i, person in enumerate(thirty_one):
        log("vagledare1", person=person, minutes=i)
        log("vagledare1", AuditAction.PERSON_LISTED, person=person, minutes=i)
    for i, person in enumerate(thirty_one[:29]):
        log("vagledare2", person=person, minutes=i)
    table = report(login("chef"), period).many_persons
    assert table.threshold == 30
    [row] = table.rows
    assert (row.actor_username, row.persons, row.events) == ("vagledare1", 31, 62)
    assert row.hour.astimezone().strftime("%H:%M") == "10:00"


def test_31_persons_spread_over_two_clock_hours_are_not_flagged(
    thirty_one: list[Person], log: LogEvent, login: Callable[[str], Client], period: Period
) -> None:
    # 10:10 to 11:10: twenty-five before eleven, six after.
    for i, person in enumerate(thirty_one):
        log("vagledare1", person=person, minutes=i * 2)
    assert report(login("chef"), period).many_persons.rows == []


@override_settings(SIA_REVIEW_MANY_PERSONS=28)
def test_the_threshold_comes_from_the_settings(
    thirty_one: list[Person], log: LogEvent, login: Callable[[str], Client], period: Period
) -> None:
    for i, person in enumerate(thirty_one[:29]):
        log("vagledare2", person=person, minutes=i)
    table = report(login("chef"), period).many_persons
    assert [(row.actor_username, row.persons) for row in table.rows] == [("vagledare2", 29)]
    body = login("chef").get("/logg/avvikelser/", query(period)).content.decode()
    assert "fler än 28 olika personer" in body


def test_the_api_reports_the_same_tables(
    case: Case,
    make_person: PersonFactory,
    log: LogEvent,
    api_as: Callable[[str], APIClient],
    period: Period,
) -> None:
    outsider = log("annan", AuditAction.EMERGENCY_ACCESS, case=case)
    protected = log("socsek", person=make_person(protected_identity=True))
    response = api_as("chef").get("/api/v1/audit/unusual/", query(period))
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["other_unit"]["events"]] == [outsider.id]
    assert body["other_unit"]["events"][0]["on_team"] is False
    assert body["other_unit"]["events"][0]["unit_name"] == "Ekonomiskt bistånd, vuxna"
    assert body["other_unit"]["events"][0]["case_reference"] == case.reference
    assert [row["id"] for row in body["protected"]["events"]] == [protected.id]
    assert [row["id"] for row in body["emergency"]["events"]] == [outsider.id]
    assert body["many_persons"] == {"threshold": 30, "total": 0, "rows": []}


def test_tables_list_at_most_100_events_and_count_the_rest(
    case: Case, log: LogEvent, staff: dict[str, User], period: Period
) -> None:
    for i in range(103):
        log("annan", AuditAction.CASE_VIEWED, case=case, minutes=i / 10)
    table = unusual_access(staff["chef"], period).other_unit
    assert (len(table.events), table.total, table.more) == (100, 103, 3)


def test_the_report_stays_in_the_managers_units(
    make_person: PersonFactory,
    log: LogEvent,
    staff: dict[str, User],
    period: Period,
    other_unit: object,
) -> None:
    theirs = make_person(protected_identity=True)
    Person.objects.filter(pk=theirs.pk).update(
        registered_unit=other_unit, registered_by=staff["annan"]
    )
    log("annan", person=theirs)
    assert unusual_access(staff["chef"], period).protected.total == 0


def test_a_bad_period_is_a_clear_error_not_a_crash(
    login: Callable[[str], Client], api_as: Callable[[str], APIClient]
) -> None:
    page = login("chef").get("/logg/avvikelser/", {"fran": "2020-02-01", "till": "2020-01-01"})
    assert page.status_code == 200
    assert page.context["report"] is None
    assert "Perioden måste sluta samma dag eller efter den börjar." in page.content.decode()
    api = api_as("chef").get("/api/v1/audit/unusual/", {"fran": "x", "till": "2020-01-01"})
    assert api.status_code == 400
    assert "fran" in api.json()


def test_the_report_puts_no_personnummer_on_the_page(
    case: Case, log: LogEvent, login: Callable[[str], Client], period: Period
) -> None:
    log("annan", AuditAction.CASE_VIEWED, case=case)
    body = login("chef").get("/logg/avvikelser/", query(period)).content.decode()
    assert case.person.family_name in body
    for identifier in case.person.identifiers.all():
        assert identifier.value not in body
        assert identifier.value[2:] not in body
