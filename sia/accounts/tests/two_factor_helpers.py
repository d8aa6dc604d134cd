"""Signing in for real in tests: password, then a code from a known authenticator key."""

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sia.accounts.models import User

# A fixed key, so a test can compute what the user's app would show.
KNOWN_KEY = "3132333435363738393031323334353637383930"


def give_authenticator(user: User, key: str = KNOWN_KEY) -> TOTPDevice:
    """Give the user a confirmed authenticator app with a known key."""
    return TOTPDevice.objects.create(user=user, name="authenticator", key=key, confirmed=True)


def code_now(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """Return the code the app shows now (or that many time steps later)."""
    device.refresh_from_db()
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + steps_ahead,
    )
    return f"{value:0{device.digits}d}"


def sign_in(client: Client, user: User, password: str) -> None:
    """Sign in with the password and then a code from the user's app, as a person does."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or give_authenticator(
        user
    )
    client.post(reverse("login"), {"username": user.get_username(), "password": password})
    client.post(reverse("two-factor-verify"), {"code": code_now(device)})
