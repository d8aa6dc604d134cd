"""The dry-run page and the disposal log: who sees them, and what they show."""

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sia.audit.models import AuditAction, AuditEvent
from sia.cases.models import Case
from sia.people.models import Person
from sia.retention.rules import RetentionRule
from sia.retention.services import run_retention

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_person(make_person: Callable[..., Person], make_case: Callable[..., Case]) -> Person:
    with time_machine.travel(dt.datetime(2015, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        person = make_person(given_name="Gammal", date_of_birth=dt.date(1980, 1, 2))
        case = make_case(person)
        case.stage = Case.Stage.CLOSED
        case.closed_on = dt.date(2015, 3, 3)
        case.closing_reason = Case.ClosingReason.MOVED
        case.save()
    return person


def test_the_manager_sees_who_would_go_and_the_reading_is_logged(
    login: Callable[[str], Client], old_person: Person
) -> None:
    response = login("chef").get("/gallring/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Gammal" in body
    assert "2015-03-03" in body
    assert "1 person gallras" in body
    assert Person.objects.filter(pk=old_person.pk).exists(), "a dry run disposes of nothing"
    assert AuditEvent.objects.filter(
        action=AuditAction.PERSON_LISTED, person_id=old_person.pk
    ).exists()
    assert AuditEvent.objects.filter(action=AuditAction.RETENTION_DRY_RUN).exists()


def test_the_administrator_sees_nobody_and_the_log_has_the_totals(
    login: Callable[[str], Client], old_person: Person
) -> None:
    response = login("admin").get("/gallring/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "0 personer gallras" in body
    assert "Gammal" not in body
    assert "Ingen person som du har tillgång till gallras." in body
    run_retention(rule=RetentionRule.configured(), dry_run=True)
    log = login("admin").get("/gallring/logg/").content.decode()
    assert "Provkörning per" in log
    assert "Gammal" not in log


@pytest.mark.parametrize("username", ["socsek", "vagledare1", "analytiker", "af"])
def test_others_get_not_found(login: Callable[[str], Client], username: str) -> None:
    client = login(username)
    assert client.get("/gallring/").status_code == 404
    assert client.get("/gallring/logg/").status_code == 404


def test_the_log_page_lists_runs_without_personal_data(
    login: Callable[[str], Client], old_person: Person
) -> None:
    run_retention(rule=RetentionRule.configured(), dry_run=True)
    run_retention(rule=RetentionRule.configured(), dry_run=False)
    response = login("chef").get("/gallring/logg/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Provkörning per" in body
    assert "Gallring per" in body
    assert "Ärenden" in body
    assert "Gammal" not in body
    assert not Person.objects.filter(pk=old_person.pk).exists()


def test_the_log_page_costs_the_same_for_2_runs_as_for_12(
    login: Callable[[str], Client], old_person: Person
) -> None:
    client = login("chef")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/gallring/logg/").status_code == 200
        return len(captured)

    for _ in range(2):
        run_retention(rule=RetentionRule.configured(), dry_run=True)
    few = queries()
    for _ in range(10):
        run_retention(rule=RetentionRule.configured(), dry_run=True)
    assert queries() == few
