"""Recovery codes are kept as keyed hashes: whoever reads the database or a backup
gets nothing that signs anyone in, while the codes shown to the user still work once.
"""

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from pytest_django.fixtures import Settings

from sia.accounts import two_factor
from sia.accounts.models import User
from sia.accounts.tests.two_factor_helpers import give_authenticator

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def stored_tokens(user: User) -> list[str]:
    return list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def test_the_database_holds_neither_the_shown_codes_nor_any_part_that_is_a_code(
    staff: dict[str, User],
) -> None:
    user = staff["socsek"]
    give_authenticator(user)

    shown = two_factor.renew_recovery_codes(user=user)

    stored = stored_tokens(user)
    assert len(shown) == len(stored) == 10
    plain = [code.replace("-", "") for code in shown]
    for token in stored:
        assert len(token) == 16
        assert all(code not in token.lower() for code in plain)
        assert all(code not in token.lower() for code in shown)


def test_a_shown_code_works_once_and_a_stored_value_or_wrong_code_does_not(
    clock: time_machine.Traveller, staff: dict[str, User]
) -> None:
    user = staff["socsek"]
    give_authenticator(user)
    shown = two_factor.renew_recovery_codes(user=user)
    stored = stored_tokens(user)

    # As typed by hand: capitals and a space instead of the dash.
    typed = shown[0].upper().replace("-", " ")
    first = two_factor.verify_second_factor(user=user, code=typed)
    assert first.method == two_factor.METHOD_RECOVERY
    assert two_factor.count_recovery_codes(user) == 9

    clock.shift(dt.timedelta(seconds=20))
    assert not two_factor.verify_second_factor(user=user, code=shown[0]).passed

    clock.shift(dt.timedelta(seconds=20))
    assert not two_factor.verify_second_factor(user=user, code="abcde-fghjk").passed

    # What a reader of the database or a backup sees is not a code that signs in.
    # (Four wrong codes in all, one fewer than locks the code step.)
    clock.shift(dt.timedelta(seconds=20))
    assert not two_factor.verify_second_factor(user=user, code=stored[1]).passed
    clock.shift(dt.timedelta(seconds=20))
    assert not two_factor.verify_second_factor(user=user, code=stored[2][:10]).passed
    assert two_factor.count_recovery_codes(user) == 9

    clock.shift(dt.timedelta(seconds=20))
    assert two_factor.verify_second_factor(user=user, code=shown[1]).passed


def test_a_new_secret_key_makes_the_recovery_codes_stop_working(
    settings: Settings, staff: dict[str, User]
) -> None:
    user = staff["socsek"]
    give_authenticator(user)
    shown = two_factor.renew_recovery_codes(user=user)

    settings.SECRET_KEY = "a-rotated-secret-key-for-this-test-only-0123456789"

    assert not two_factor.verify_second_factor(user=user, code=shown[0]).passed
    assert two_factor.count_recovery_codes(user) == 10
