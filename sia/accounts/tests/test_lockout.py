"""Five failed logins lock a username, or an address, for fifteen minutes."""

import datetime as dt
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

LOCKED = "Inloggningen är tillfälligt spärrad efter för många misslyckade försök."
WRONG = "Ange ett korrekt användarnamn och lösenord."  # Django's own; says neither is wrong.


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    with time_machine.travel(start, tick=False) as traveller:
        yield traveller


def log_in(client: Client, username: str, password: str) -> tuple[int, str]:
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code, response.content.decode()


def fail(client: Client, username: str, times: int) -> tuple[int, str]:
    result = (0, "")
    for _ in range(times):
        result = log_in(client, username, "wrong-password-123")
    return result


def without_username_and_token(page: str, username: str) -> str:
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return page.replace(f'value="{username}"', "")


def lockout_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.LOGIN_LOCKED_OUT))


def test_four_failures_only_say_the_login_was_wrong(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    status, content = fail(client, "socsek", 4)

    assert status == 200
    assert WRONG in content
    assert LOCKED not in content
    assert log_in(client, "socsek", PASSWORD)[0] == 302


def test_fifth_failure_locks_with_a_clear_message_and_when_to_try_again(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    status, content = fail(client, "socsek", 5)

    assert status == 429
    assert LOCKED in content
    assert "Försök igen tidigast klockan 09:15." in content
    assert 'name="username"' in content
    assert "Traceback" not in content


def test_right_password_is_refused_while_locked_and_accepted_after_fifteen_minutes(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    fail(client, "socsek", 5)

    clock.shift(dt.timedelta(minutes=14, seconds=59))
    status, content = log_in(client, "socsek", PASSWORD)
    assert status == 429
    assert LOCKED in content
    assert client.get(reverse("start"))["Location"].startswith(reverse("login"))

    clock.shift(dt.timedelta(seconds=2))
    status, _content = log_in(client, "socsek", PASSWORD)
    assert status == 302
    # The password is accepted: the second factor comes next (socsek has no app yet).
    assert client.get(reverse("start"))["Location"].startswith(reverse("two-factor-enrol"))


def test_tries_during_the_lockout_do_not_extend_it(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    fail(client, "socsek", 5)

    clock.shift(dt.timedelta(minutes=10))
    status, content = fail(client, "socsek", 3)
    assert status == 429
    assert "Försök igen tidigast klockan 09:15." in content

    clock.shift(dt.timedelta(minutes=5, seconds=1))
    assert log_in(client, "socsek", PASSWORD)[0] == 302


def test_lockout_is_audited_once_with_the_user(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    fail(client, "socsek", 5)
    fail(client, "socsek", 3)
    log_in(client, "socsek", PASSWORD)

    [event] = lockout_events()
    assert event.actor == staff["socsek"]
    assert event.actor_username == "socsek"
    assert event.changes == {"ip_address": "127.0.0.1"}


def test_unknown_username_gets_the_same_page_and_is_not_written_down(
    clock: time_machine.Traveller, staff: dict[str, User]
) -> None:
    known, unknown = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")

    known_status, known_page = fail(known, "socsek", 5)
    unknown_status, unknown_page = fail(unknown, "19850101-1234", 5)

    assert known_status == unknown_status == 429
    assert LOCKED in unknown_page
    assert without_username_and_token(known_page, "socsek") == without_username_and_token(
        unknown_page, "19850101-1234"
    )
    unknown_event = next(event for event in lockout_events() if event.actor is None)
    assert unknown_event.actor_username == ""
    assert "19850101" not in str(unknown_event.changes)


def test_many_usernames_from_one_address_lock_the_address(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    for username in ("anna", "bertil", "cecilia", "david"):
        fail(client, username, 1)
    status, content = fail(client, "erik", 1)

    assert status == 429
    assert LOCKED in content
    assert log_in(client, "socsek", PASSWORD)[0] == 429
    # The same user from another address is not locked.
    assert log_in(Client(REMOTE_ADDR="10.0.0.9"), "socsek", PASSWORD)[0] == 302


def test_one_username_is_locked_from_every_address(
    clock: time_machine.Traveller, staff: dict[str, User]
) -> None:
    for number in range(5):
        fail(Client(REMOTE_ADDR=f"10.0.1.{number}"), "socsek", 1)

    assert log_in(Client(REMOTE_ADDR="10.0.2.1"), "socsek", PASSWORD)[0] == 429


def test_successful_login_resets_the_failures(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    fail(client, "socsek", 4)
    assert log_in(client, "socsek", PASSWORD)[0] == 302
    client.post(reverse("logout"))

    status, content = fail(client, "socsek", 4)

    assert status == 200
    assert LOCKED not in content
