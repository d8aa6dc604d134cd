"""A signed-in session ends after the idle time, after the absolute limit, and everywhere."""

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from sia.accounts.models import User
from sia.accounts.tests.two_factor_helpers import sign_in
from sia.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

IDLE_MESSAGE = "Du loggades ut efter 15 minuter utan aktivitet. Logga in igen."
ABSOLUTE_MESSAGE = "Du loggades ut eftersom inloggningen nådde sin längsta tillåtna tid."
ENDED_ELSEWHERE = "Din inloggning har avslutats"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("start")).status_code == 200


def test_session_survives_while_the_user_keeps_working(
    clock: time_machine.Traveller, login: Callable[[str], Client]
) -> None:
    client = login("socsek")

    for _ in range(6):
        clock.shift(minutes(14))
        assert is_signed_in(client)


def test_session_ends_after_fifteen_idle_minutes_and_the_login_page_says_why(
    clock: time_machine.Traveller, login: Callable[[str], Client]
) -> None:
    client = login("socsek")
    assert is_signed_in(client)

    clock.shift(minutes(15))
    response = client.get(reverse("case-list"), follow=True)

    assert response.redirect_chain == [(f"{reverse('login')}?next=/arenden/", 302)]
    assert IDLE_MESSAGE in response.content.decode()
    # Logged out for good: the message is said once, the session does not come back.
    again = client.get(reverse("start"), follow=True)
    assert again.redirect_chain == [(f"{reverse('login')}?next=/", 302)]
    assert IDLE_MESSAGE not in again.content.decode()


def test_idle_minutes_are_configurable(
    clock: time_machine.Traveller, login: Callable[[str], Client], settings: Settings
) -> None:
    settings.SIA_IDLE_MINUTES = 5
    client = login("socsek")

    clock.shift(minutes(4))
    assert is_signed_in(client)
    clock.shift(minutes(5))
    response = client.get(reverse("start"), follow=True)

    assert "Du loggades ut efter 5 minuter utan aktivitet." in response.content.decode()


def test_opening_the_login_page_after_idling_says_why(
    clock: time_machine.Traveller, login: Callable[[str], Client]
) -> None:
    client = login("socsek")

    clock.shift(minutes(16))
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert IDLE_MESSAGE in response.content.decode()
    assert not is_signed_in(client)


def test_the_call_in_banner_poll_does_not_keep_an_idle_session_alive(
    clock: time_machine.Traveller, login: Callable[[str], Client]
) -> None:
    client = login("vagledare1")
    poll = reverse("guide-calls-poll")

    for _ in range(3):
        clock.shift(minutes(4))
        assert client.get(poll, headers={"accept": "application/json"}).status_code == 200
    clock.shift(minutes(4))
    # 16 minutes of polling only: the poll is refused, but the session keeps its reason.
    assert client.get(poll, headers={"accept": "application/json"}).status_code == 401
    response = client.get(reverse("start"), follow=True)

    assert IDLE_MESSAGE in response.content.decode()
    assert not is_signed_in(client)


def test_session_ends_after_the_absolute_limit_even_when_active(
    clock: time_machine.Traveller, login: Callable[[str], Client]
) -> None:
    client = login("socsek")
    steps = settings.SIA_SESSION_SECONDS // (10 * 60)

    for _ in range(steps - 1):
        clock.shift(minutes(10))
        assert is_signed_in(client)
    clock.shift(minutes(10))
    response = client.get(reverse("start"), follow=True)

    assert ABSOLUTE_MESSAGE in response.content.decode()
    assert not is_signed_in(client)


def test_absolute_limit_counts_from_a_real_login(
    clock: time_machine.Traveller, client: Client, settings: Settings, staff: dict[str, User]
) -> None:
    from conftest import PASSWORD

    settings.SIA_SESSION_SECONDS = 20 * 60
    sign_in(client, staff["socsek"], PASSWORD)

    clock.shift(minutes(10))
    assert is_signed_in(client)
    clock.shift(minutes(10))
    assert not is_signed_in(client)


def test_api_session_obeys_the_idle_limit(
    clock: time_machine.Traveller, login: Callable[[str], Client]
) -> None:
    client = login("socsek")
    url = reverse("api-case-list")
    assert client.get(url).status_code == 200

    clock.shift(minutes(15))
    response = client.get(url)

    assert response.status_code == 401
    assert b"results" not in response.content
    assert not is_signed_in(client)


def test_logout_everywhere_ends_the_users_sessions_on_every_device(
    login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    desk, laptop = login("socsek"), login("socsek")
    colleague = login("vagledare1")
    assert is_signed_in(desk)
    assert is_signed_in(laptop)

    response = desk.post(reverse("logout-everywhere"), follow=True)

    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "Du är utloggad överallt, även här." in response.content.decode()
    assert not is_signed_in(desk)
    on_laptop = laptop.get(reverse("start"), follow=True)
    assert on_laptop.redirect_chain == [(f"{reverse('login')}?next=/", 302)]
    assert ENDED_ELSEWHERE in on_laptop.content.decode()
    assert not is_signed_in(laptop)
    assert is_signed_in(colleague)
    event = AuditEvent.objects.get(action=AuditAction.LOGGED_OUT_EVERYWHERE)
    assert event.actor == staff["socsek"]
    assert event.actor_username == "socsek"


def test_logging_in_again_after_logout_everywhere_works(
    client: Client, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    from conftest import PASSWORD

    login("socsek").post(reverse("logout-everywhere"))

    sign_in(client, staff["socsek"], PASSWORD)

    assert is_signed_in(client)


def test_logout_everywhere_asks_first_and_a_get_changes_nothing(
    login: Callable[[str], Client],
) -> None:
    client = login("socsek")

    response = client.get(reverse("logout-everywhere"))

    assert response.status_code == 200
    assert "Alla dina inloggningar avslutas" in response.content.decode()
    assert is_signed_in(client)
    assert not AuditEvent.objects.filter(action=AuditAction.LOGGED_OUT_EVERYWHERE).exists()


def test_start_page_offers_logout_everywhere(login: Callable[[str], Client]) -> None:
    content = login("socsek").get(reverse("start")).content.decode()

    assert f'<a href="{reverse("logout-everywhere")}">Logga ut överallt</a>' in content
