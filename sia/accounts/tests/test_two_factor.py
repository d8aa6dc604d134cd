"""Two-factor sign-in: enrolment, the code step, recovery codes, lockout, reset, enforcement.

Every sign-in here goes through the real login form and the real code forms; the
codes are computed from the authenticator's key, as the user's app would.
"""

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings
from rest_framework.authtoken.models import Token

from conftest import PASSWORD
from sia.accounts.models import User
from sia.accounts.sessions import mark_second_factor_done
from sia.accounts.tests.two_factor_helpers import code_now, give_authenticator
from sia.accounts.two_factor import otpauth_uri, recovery_code_digest
from sia.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

WRONG = "Koden stämmer inte."
LOCKED = "För många felaktiga koder."
WAIT = "Vänta några sekunder"
CODE_STEP = "/tvastegsverifiering/"
ENROL = "/tvastegsverifiering/aktivera/"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def password_step(client: Client, username: str, next_url: str = "") -> str:
    """Sign in with the password only; return where the browser is sent next."""
    data = {"username": username, "password": PASSWORD, "next": next_url}
    response = client.post(reverse("login"), data, follow=True)
    return str(response.redirect_chain[-1][0])


def enter(client: Client, code: str, next_url: str = "") -> tuple[int, str, str]:
    """Type a code on the code step; return the status, the page text and where it leads."""
    response = client.post(reverse("two-factor-verify"), {"code": code, "next": next_url})
    return response.status_code, response.content.decode(), response.get("Location", "")


def enrol(client: Client, user: User) -> list[str]:
    """Open the enrolment page, confirm with the app's code; return the recovery codes shown."""
    assert client.get(ENROL).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"code": code_now(device)})
    assert response.status_code == 200
    return re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.content.decode())


def events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("occurred_at", "pk"))


def is_through(client: Client) -> bool:
    """Tell whether the client reaches an ordinary page."""
    return client.get(reverse("case-list")).status_code == 200


# Enrolment


def test_first_sign_in_goes_to_enrolment_with_a_qr_code_and_the_secret_as_text(
    client: Client, staff: dict[str, User]
) -> None:
    landed = password_step(client, "socsek", "/arenden/")

    assert landed == f"{ENROL}?next=%2Farenden%2F"
    page = client.get(landed).content.decode()
    device = TOTPDevice.objects.get(user=staff["socsek"], confirmed=False)
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page)
    assert secret is not None
    assert secret.group(1).replace(" ", "") in otpauth_uri(device)
    assert not is_through(client)


def test_the_qr_code_holds_the_issuer_and_the_username_and_nothing_personal(
    client: Client, staff: dict[str, User]
) -> None:
    password_step(client, "socsek")
    uri = otpauth_uri(TOTPDevice.objects.get(user=staff["socsek"]))

    assert uri.startswith("otpauth://totp/SIA%3Asocsek?")
    assert "issuer=SIA" in uri
    user = staff["socsek"]
    for personal in (user.first_name, user.last_name, user.email):
        if personal:
            assert personal.lower() not in uri.lower()


def test_reloading_the_enrolment_page_keeps_the_same_secret(
    client: Client, staff: dict[str, User]
) -> None:
    password_step(client, "socsek")

    first = re.findall(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', client.get(ENROL).text)
    second = re.findall(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', client.get(ENROL).text)

    assert first == second != []
    assert TOTPDevice.objects.filter(user=staff["socsek"]).count() == 1


def test_confirming_with_a_code_shows_ten_recovery_codes_once_and_opens_the_app(
    client: Client, staff: dict[str, User]
) -> None:
    password_step(client, "socsek", "/arenden/")

    codes = enrol(client, staff["socsek"])

    assert len(codes) == 10 == len(set(codes))
    assert TOTPDevice.objects.get(user=staff["socsek"]).confirmed
    assert is_through(client)
    assert len(events(AuditAction.MFA_ENROLLED)) == 1
    assert len(events(AuditAction.MFA_RECOVERY_CODES)) == 1


def test_the_recovery_codes_page_continues_to_the_page_asked_for(
    client: Client, staff: dict[str, User]
) -> None:
    password_step(client, "socsek", "/arenden/")
    assert client.get(ENROL).status_code == 200
    device = TOTPDevice.objects.get(user=staff["socsek"])

    response = client.post(ENROL, {"code": code_now(device), "next": "/arenden/"})

    assert 'href="/arenden/"' in response.content.decode()
    assert response.headers["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response.headers["Cache-Control"]


def test_a_wrong_enrolment_code_is_refused_and_the_app_stays_unconfirmed(
    client: Client, staff: dict[str, User]
) -> None:
    password_step(client, "socsek")
    client.get(ENROL)

    response = client.post(ENROL, {"code": "000000"})

    assert WRONG in response.content.decode()
    assert not TOTPDevice.objects.get(user=staff["socsek"]).confirmed
    assert not StaticToken.objects.exists()
    assert not is_through(client)
    assert len(events(AuditAction.MFA_FAILED)) == 1


def test_a_user_with_an_app_cannot_enrol_another_with_the_password_alone(
    client: Client, staff: dict[str, User]
) -> None:
    give_authenticator(staff["socsek"])
    password_step(client, "socsek")

    response = client.get(ENROL)

    assert response.status_code == 302
    assert response["Location"].startswith(CODE_STEP)
    assert TOTPDevice.objects.filter(user=staff["socsek"]).count() == 1


# The code step


def test_an_enrolled_user_gives_a_code_and_continues_to_the_page_asked_for(
    client: Client, staff: dict[str, User]
) -> None:
    device = give_authenticator(staff["socsek"])

    landed = password_step(client, "socsek", "/arenden/")
    assert landed == f"{CODE_STEP}?next=%2Farenden%2F"
    assert "Tvåstegsverifiering" in client.get(landed).content.decode()
    assert not is_through(client)

    status, _page, location = enter(client, code_now(device), "/arenden/")

    assert (status, location) == (302, "/arenden/")
    assert is_through(client)


def test_the_session_key_changes_when_the_second_factor_is_passed(
    client: Client, staff: dict[str, User]
) -> None:
    device = give_authenticator(staff["socsek"])
    password_step(client, "socsek")
    before = client.session.session_key

    enter(client, code_now(device))

    assert client.session.session_key != before
    assert client.session[SESSION_KEY] == str(staff["socsek"].pk)


@pytest.mark.parametrize(
    "next_url", ["https://elsewhere.example/", "//elsewhere.example/", "javascript:alert(1)"]
)
def test_a_next_address_off_the_site_is_ignored(
    client: Client, staff: dict[str, User], next_url: str
) -> None:
    device = give_authenticator(staff["socsek"])
    password_step(client, "socsek")

    _status, _page, location = enter(client, code_now(device), next_url)

    assert location == reverse("start")


def test_a_wrong_code_gives_a_clear_error_and_is_audited_without_the_code(
    client: Client, staff: dict[str, User]
) -> None:
    give_authenticator(staff["socsek"])
    password_step(client, "socsek")

    status, page, _location = enter(client, "123456")

    assert status == 200
    assert WRONG in page
    assert not is_through(client)
    [event] = events(AuditAction.MFA_FAILED)
    assert event.actor == staff["socsek"]
    assert "123456" not in json.dumps(event.changes)


def test_a_code_cannot_be_used_twice(clock: time_machine.Traveller, staff: dict[str, User]) -> None:
    device = give_authenticator(staff["socsek"])
    code = code_now(device)
    first, second = Client(), Client()
    password_step(first, "socsek")
    password_step(second, "socsek")

    assert enter(first, code)[0] == 302
    clock.shift(dt.timedelta(seconds=2))
    _status, page, _location = enter(second, code)

    assert WRONG in page
    assert not is_through(second)


def test_a_quick_retry_after_a_wrong_code_is_asked_to_wait(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    device = give_authenticator(staff["socsek"])
    password_step(client, "socsek")
    enter(client, "111111")

    status, page, _location = enter(client, code_now(device))

    assert status == 429
    assert WAIT in page
    clock.shift(dt.timedelta(seconds=2))
    assert enter(client, code_now(device))[0] == 302


def test_five_wrong_codes_lock_the_code_step_for_fifteen_minutes(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    device = give_authenticator(staff["socsek"])
    password_step(client, "socsek")
    for wrong in ("111111", "222222", "aaaaa-bbbbb", "333333", "444444"):
        clock.shift(dt.timedelta(seconds=20))
        status, page, _location = enter(client, wrong)

    assert status == 429
    assert LOCKED in page
    assert "försök igen tidigast klockan" in page
    clock.shift(dt.timedelta(minutes=14))
    status, page, _location = enter(client, code_now(device))
    assert (status, LOCKED in page) == (429, True)
    assert not is_through(client)

    clock.shift(dt.timedelta(minutes=1, seconds=1))
    assert enter(client, code_now(device))[0] == 302
    assert is_through(client)
    failed = events(AuditAction.MFA_FAILED)
    assert [event.changes["locked"] for event in failed] == [False] * 4 + [True]


def test_the_lockout_holds_in_every_session_of_the_user(
    clock: time_machine.Traveller, staff: dict[str, User]
) -> None:
    device = give_authenticator(staff["socsek"])
    attacker, owner = Client(), Client()
    password_step(attacker, "socsek")
    for _ in range(5):
        clock.shift(dt.timedelta(seconds=20))
        enter(attacker, "999999")

    password_step(owner, "socsek")
    status, page, _location = enter(owner, code_now(device))

    assert (status, LOCKED in page) == (429, True)


def test_failures_older_than_the_lockout_time_are_forgotten(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    device = give_authenticator(staff["socsek"])
    password_step(client, "socsek")
    for _ in range(4):
        clock.shift(dt.timedelta(seconds=20))
        enter(client, "999999")

    clock.shift(dt.timedelta(minutes=10))
    client.get(reverse("two-factor-verify"))  # not idle long enough to be logged out
    clock.shift(dt.timedelta(minutes=6))
    status, page, _location = enter(client, "999999")
    assert (status, LOCKED in page) == (200, False)
    clock.shift(dt.timedelta(seconds=20))
    assert enter(client, code_now(device))[0] == 302


# Recovery codes


def test_a_recovery_code_signs_in_once(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    password_step(client, "socsek")
    codes = enrol(client, staff["socsek"])
    client.post(reverse("logout"))

    password_step(client, "socsek")
    status, _page, _location = enter(client, codes[3].upper().replace("-", " "))
    assert status == 302
    assert "9 reservkoder kvar" in client.get(reverse("start")).content.decode()
    client.post(reverse("logout"))

    clock.shift(dt.timedelta(seconds=5))
    password_step(client, "socsek")
    status, page, _location = enter(client, codes[3])
    assert WRONG in page
    assert not is_through(client)
    [used] = events(AuditAction.MFA_RECOVERY_USED)
    assert used.changes == {"codes_left": 9}


def test_new_recovery_codes_replace_the_old_ones(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    password_step(client, "socsek")
    old = enrol(client, staff["socsek"])

    response = client.post(reverse("two-factor-renew-codes"))
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.content.decode())
    client.post(reverse("logout"))

    assert len(new) == 10
    assert not set(new) & set(old)
    password_step(client, "socsek")
    assert WRONG in enter(client, old[0])[1]
    clock.shift(dt.timedelta(seconds=5))
    assert enter(client, new[0])[0] == 302
    assert len(events(AuditAction.MFA_RECOVERY_CODES)) == 2


def test_recovery_codes_cannot_be_renewed_by_a_get(client: Client, staff: dict[str, User]) -> None:
    password_step(client, "socsek")
    enrol(client, staff["socsek"])
    before = set(StaticToken.objects.values_list("token", flat=True))

    assert client.get(reverse("two-factor-renew-codes")).status_code == 405
    assert set(StaticToken.objects.values_list("token", flat=True)) == before


# The user's own page


def test_the_account_page_shows_the_status(client: Client, staff: dict[str, User]) -> None:
    password_step(client, "socsek")
    enrol(client, staff["socsek"])

    page = client.get(reverse("two-factor-account")).content.decode()

    assert "Kopplad sedan" in page
    assert "Med kod från appen" in page
    assert re.search(r"Oanvända reservkoder</dt>\s*<dd>\s*10\s*</dd>", page)


def test_changing_app_needs_a_current_code_and_replaces_the_old_app(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    user = staff["socsek"]
    password_step(client, "socsek")
    old_codes = enrol(client, user)
    old_device = TOTPDevice.objects.get(user=user)

    refused = client.post(reverse("two-factor-reenrol"), {"code": "123456"})
    assert WRONG in refused.content.decode()
    assert client.get(ENROL)["Location"].startswith(CODE_STEP)

    clock.shift(dt.timedelta(seconds=40))
    response = client.post(reverse("two-factor-reenrol"), {"code": code_now(old_device)})
    assert response["Location"] == ENROL
    assert "Den gamla appen" in client.get(ENROL).content.decode()
    new_device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"code": code_now(new_device)})

    assert response.status_code == 200
    assert list(TOTPDevice.objects.filter(user=user)) == [new_device]
    assert not StaticToken.objects.filter(token=recovery_code_digest(old_codes[0])).exists()
    assert [e.changes for e in events(AuditAction.MFA_ENROLLED)] == [
        {"replaced": False},
        {"replaced": True},
    ]


# Reset by an administrator


def test_reset_command_removes_the_app_and_ends_the_sessions(
    client: Client, staff: dict[str, User]
) -> None:
    password_step(client, "socsek")
    enrol(client, staff["socsek"])
    out = StringIO()

    call_command("reset_2fa", "socsek", "--by", "admin", stdout=out)

    assert "Two-factor sign-in reset for socsek" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=staff["socsek"]).exists()
    assert not StaticToken.objects.exists()
    assert client.get(reverse("case-list"))["Location"].startswith(reverse("login"))
    assert password_step(client, "socsek").startswith(ENROL)
    [event] = events(AuditAction.MFA_RESET)
    assert event.actor == staff["admin"]
    assert event.changes == {"user": "socsek", "had_devices": True}


def test_reset_command_refuses_an_unknown_username(staff: dict[str, User]) -> None:
    with pytest.raises(CommandError, match="No user has that username"):
        call_command("reset_2fa", "ingen-sadan")
    assert not events(AuditAction.MFA_RESET)


def test_an_administrator_resets_two_factor_in_the_admin(
    login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    give_authenticator(staff["socsek"])
    admin = login("admin")

    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [str(staff["socsek"].pk)]},
        follow=True,
    )

    assert "Tvåstegsverifieringen nollställdes för 1 användare" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff["socsek"]).exists()
    [event] = events(AuditAction.MFA_RESET)
    assert event.actor == staff["admin"]


def test_the_admin_does_not_show_authenticator_secrets(login: Callable[[str], Client]) -> None:
    admin = login("admin")

    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin.get("/admin/otp_static/staticdevice/").status_code == 404


# What is reachable before the second factor


def test_before_the_second_factor_only_sign_in_pages_are_reachable(
    client: Client, staff: dict[str, User]
) -> None:
    give_authenticator(staff["socsek"])
    password_step(client, "socsek")

    for url in ("/", "/arenden/", "/admin/", reverse("two-factor-account"), "/logg/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(CODE_STEP), url
    assert client.get(reverse("two-factor-verify")).status_code == 200
    assert not client.get("/static/css/sia.css").has_header("Location")
    switched = client.post(reverse("set_language"), {"language": "en", "next": CODE_STEP})
    assert switched["Location"] == CODE_STEP
    assert client.post(reverse("logout")).status_code == 302
    assert SESSION_KEY not in client.session


def test_the_menu_is_hidden_before_the_second_factor(
    client: Client, staff: dict[str, User]
) -> None:
    give_authenticator(staff["socsek"])
    password_step(client, "socsek")

    page = client.get(reverse("two-factor-verify")).content.decode()

    assert "Huvudmeny" in page
    assert 'href="/arenden/"' not in page


def test_a_session_api_call_without_the_second_factor_gets_403_json(
    client: Client, staff: dict[str, User]
) -> None:
    give_authenticator(staff["socsek"])
    password_step(client, "socsek")

    response = client.get("/api/v1/cases/")

    assert response.status_code == 403
    assert "Tvåstegsverifiering krävs" in response.json()["detail"]


def test_token_authenticated_integrations_are_unaffected(staff: dict[str, User]) -> None:
    token = Token.objects.create(user=staff["socsek"])

    response = Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200


def test_a_single_sign_on_the_provider_vouched_for_needs_no_code(
    client: Client, staff: dict[str, User]
) -> None:
    give_authenticator(staff["socsek"])
    password_step(client, "socsek")
    session = client.session
    mark_second_factor_done(session, "oidc")
    session.save()

    assert is_through(client)


def test_when_not_required_the_password_is_enough(
    client: Client, staff: dict[str, User], settings: Settings
) -> None:
    settings.SIA_REQUIRE_MFA = False
    give_authenticator(staff["socsek"])

    password_step(client, "socsek")

    assert is_through(client)


# The audit trail


def test_no_code_or_secret_reaches_the_audit_trail(
    clock: time_machine.Traveller, client: Client, staff: dict[str, User]
) -> None:
    user = staff["socsek"]
    password_step(client, "socsek")
    client.get(ENROL)
    client.post(ENROL, {"code": "000000"})
    clock.shift(dt.timedelta(seconds=5))
    codes = enrol(client, user)
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("two-factor-renew-codes"))
    client.post(reverse("logout"))
    password_step(client, "socsek")
    enter(client, "aaaaa-bbbbb")
    clock.shift(dt.timedelta(seconds=5))
    enter(client, codes[0])
    call_command("reset_2fa", "socsek", stdout=StringIO())

    trail = json.dumps([e.changes for e in AuditEvent.objects.all()])
    secrets = [device.key, "000000", "aaaaa", *codes, *(c.replace("-", "") for c in codes)]
    assert {e.action for e in AuditEvent.objects.all()} >= {
        AuditAction.MFA_ENROLLED,
        AuditAction.MFA_RECOVERY_CODES,
        AuditAction.MFA_FAILED,
        AuditAction.MFA_RESET,
    }
    assert not [secret for secret in secrets if secret in trail]
