"""A database that goes away mid-request: a clear 503, no partial write, and recovery.

The fault is real: a statement of a real multi-write request (opening a case writes the
case, its process steps and the audit event) fails inside the database driver's call,
on SQLite and PostgreSQL alike; on PostgreSQL the app's own connection is also killed
from a second connection in the middle of the request, and again between requests.
"""

import io
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import PersonFactory
from sia.accounts.models import Unit, User
from sia.audit.models import AuditAction, AuditEvent
from sia.cases.models import Case, CaseTeamMember
from sia.process.models import CaseStep

MESSAGE = "Systemet når inte databasen just nu. Ingenting av det du skickade sparades."

pytestmark = pytest.mark.usefixtures("committed_db")


Execute = Callable[[str, Any, bool, dict[str, Any]], Any]


class FailAtWrite:
    """An execute wrapper: once the case row is written, the next INSERT/UPDATE of
    ``table`` fails as a lost connection does."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.case_written = False
        self.failed_sql = ""

    def __call__(self, execute: Execute, sql: str, params: Any, many: bool, context: Any) -> Any:
        write = sql.lstrip().upper().startswith(("INSERT", "UPDATE"))
        if write and self.case_written and not self.failed_sql and f'"{self.table}"' in sql:
            self.failed_sql = sql
            raise OperationalError("server closed the connection unexpectedly")
        result = execute(sql, params, many, context)
        self.case_written = self.case_written or sql.startswith('INSERT INTO "cases_case" ')
        return result


def open_case_form(person_id: Any, unit: Unit) -> dict[str, str]:
    return {"unit": str(unit.pk), "first_contact_date": timezone.localdate().isoformat()}


def nothing_written_for(person_id: Any) -> None:
    assert not Case.objects.filter(person_id=person_id).exists()
    assert not CaseStep.objects.filter(case__person_id=person_id).exists()
    assert not CaseTeamMember.objects.filter(case__person_id=person_id).exists()
    assert not AuditEvent.objects.filter(
        person_id=person_id, action=AuditAction.CASE_CREATED
    ).exists()


@pytest.fixture
def caseworker(staff: dict[str, User]) -> Client:
    client = Client()
    client.force_login(staff["socsek"])
    return client


@pytest.mark.parametrize("table", ["cases_caseteammember", "process_casestep", "audit_auditevent"])
def test_lost_database_mid_request_gives_503_and_no_partial_write(
    caseworker: Client,
    make_person: PersonFactory,
    reception: Unit,
    table: str,
) -> None:
    person = make_person()
    url = reverse("case-open", kwargs={"person_id": person.pk})
    data = open_case_form(person.pk, reception)

    fault = FailAtWrite(table)
    with connection.execute_wrapper(fault):
        response = caseworker.post(url, data)

    assert fault.failed_sql
    assert response.status_code == 503
    assert response["Retry-After"]
    page = response.content.decode()
    assert MESSAGE in page
    assert "Databasen går inte att nå" in page
    nothing_written_for(person.pk)

    again = caseworker.post(url, data)

    assert again.status_code == 302
    case = Case.objects.get(person_id=person.pk)
    assert again["Location"] == reverse("case-detail", kwargs={"case_id": case.pk})
    assert CaseStep.objects.filter(case=case).exists()


def test_503_page_is_built_without_the_database(
    caseworker: Client, make_person: PersonFactory, reception: Unit
) -> None:
    """Once the write fails, nothing more is asked of the database to draw the page."""
    person = make_person()
    url = reverse("case-open", kwargs={"person_id": person.pk})
    statements_after_failure: list[str] = []
    failed = False

    def wrapper(execute: Execute, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal failed
        if failed:
            statements_after_failure.append(sql)
        elif sql.lstrip().upper().startswith("INSERT"):
            failed = True
            raise OperationalError("the database went away")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        response = caseworker.post(url, open_case_form(person.pk, reception))

    assert response.status_code == 503
    # Only the rollback's and the session's own bookkeeping may follow; no page reads.
    assert not [
        sql for sql in statements_after_failure if sql.lstrip().upper().startswith("SELECT")
    ]


def test_database_lost_before_the_view_still_gets_the_503_page(caseworker: Client) -> None:
    """Reading the session happens in middleware, outside the view (handler500's case)."""

    def fail_session_read(execute: Execute, sql: str, params: Any, many: bool, context: Any) -> Any:
        if '"django_session"' in sql:
            raise OperationalError("could not connect to server")
        return execute(sql, params, many, context)

    caseworker.raise_request_exception = False
    with connection.execute_wrapper(fail_session_read):
        response = caseworker.get(reverse("start"))

    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
    assert caseworker.get(reverse("start")).status_code == 200


def test_api_answers_503_json_and_writes_nothing(
    staff: dict[str, User], make_person: PersonFactory, reception: Unit
) -> None:
    client = APIClient()
    client.force_authenticate(staff["socsek"])
    person = make_person()
    body = {
        "person": str(person.pk),
        "unit": str(reception.pk),
        "first_contact_date": timezone.localdate().isoformat(),
    }

    fault = FailAtWrite("process_casestep")
    with connection.execute_wrapper(fault):
        response = client.post(reverse("api-case-list"), body, format="json")

    assert fault.failed_sql
    assert response.status_code == 503
    assert MESSAGE in response.json()["detail"]
    nothing_written_for(person.pk)
    assert client.post(reverse("api-case-list"), body, format="json").status_code == 201


# --- A real outage on PostgreSQL ----------------------------------------------------------


@pytest.fixture
def postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Killing the app's database connection needs PostgreSQL.")
    return


def terminate_backend(pid: int) -> None:
    """From a second connection, end the app connection's server process, and wait for it."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        ended = admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()
    assert ended == (True,)


def wsgi_get(path: str, session_cookie: str) -> tuple[str, str]:
    """A request through Django's production WSGI handler, with its start-of-request
    connection checks (the test client leaves those out)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "HTTP_COOKIE": f"sessionid={session_cookie}",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    status: list[str] = []

    def start_response(
        status_line: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], object]:
        status.append(status_line)
        return lambda data: None

    body = WSGIHandler()(environ, start_response)
    text = b"".join(body).decode()
    body.close()
    return status[0], text


def test_connection_killed_mid_request_then_recovered(
    postgres: None,
    caseworker: Client,
    make_person: PersonFactory,
    reception: Unit,
) -> None:
    person = make_person()
    url = reverse("case-open", kwargs={"person_id": person.pk})
    data = open_case_form(person.pk, reception)
    killed = False

    def kill_after_first_write(
        execute: Execute, sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        nonlocal killed
        result = execute(sql, params, many, context)
        if not killed and sql.lstrip().upper().startswith("INSERT"):
            killed = True
            terminate_backend(context["connection"].connection.info.backend_pid)
        return result

    caseworker.raise_request_exception = False
    with connection.execute_wrapper(kill_after_first_write):
        response = caseworker.post(url, data)

    assert killed
    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
    nothing_written_for(person.pk)

    # The database restarts while the app is idle: the kept connection is dead, and the
    # next request's health check replaces it instead of failing.
    pid = connection.cursor().connection.info.backend_pid
    terminate_backend(pid)
    status, page = wsgi_get(reverse("start"), caseworker.cookies["sessionid"].value)
    assert status.startswith("200"), page
    assert connection.connection.info.backend_pid != pid

    again = caseworker.post(url, data)
    assert again.status_code == 302
    assert Case.objects.filter(person_id=person.pk).count() == 1
