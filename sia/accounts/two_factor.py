"""Two-factor sign-in for staff: an authenticator app (TOTP) and one-time recovery codes.

The devices are django-otp's: one confirmed ``TOTPDevice`` per user (an unconfirmed one
while enrolling) and one ``StaticDevice`` holding the recovery codes. Every wrong code,
of either kind, counts on the TOTP device's throttle: django-otp makes each retry wait
longer (1, 2, 4, 8 seconds), and ``SIA_LOCKOUT_FAILURES`` failures in a row lock the
code step for ``SIA_LOCKOUT_MINUTES``, the same limits as wrong passwords (ADR 0013).
Audit events never hold a code, a secret or the typed text.
"""

import datetime as dt
import secrets
from base64 import b32encode
from dataclasses import dataclass, field

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, AuditEvent, Channel

RECOVERY_CODE_COUNT = 10
# Letters and digits that cannot be mistaken for one another (no 0/o, 1/l/i).
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10
# Recovery codes are stored as a keyed hash (HMAC-SHA256, key from SECRET_KEY), in base32
# cut to what django-otp's StaticToken.token holds: 16 characters, 80 bits.
RECOVERY_CODE_SALT = "sia.accounts.two_factor.recovery_code"
RECOVERY_DIGEST_LENGTH = 16
METHOD_TOTP = "totp"
METHOD_RECOVERY = "recovery"


@dataclass(frozen=True)
class Verification:
    """The outcome of a code: the method that passed, or why it did not."""

    method: str | None = None
    device: Device | None = None
    locked_until: dt.datetime | None = None
    wait_until: dt.datetime | None = None

    @property
    def passed(self) -> bool:
        return self.method is not None


@dataclass(frozen=True)
class Enrolment:
    """A confirmed authenticator and the recovery codes to show once."""

    device: TOTPDevice
    recovery_codes: list[str] = field(default_factory=list)


def confirmed_device(user: User) -> TOTPDevice | None:
    """Return the user's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-created_at").first()


def has_confirmed_device(user: User) -> bool:
    """Tell whether the user has finished enrolling an authenticator."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def count_recovery_codes(user: User) -> int:
    """Count the user's unused recovery codes."""
    return int(StaticToken.objects.filter(device__user=user).count())


def pending_device(user: User) -> TOTPDevice:
    """Return the authenticator being enrolled, creating one with a new secret if needed.

    A reload shows the same secret, so a code from an app that already scanned it works.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-created_at").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def otpauth_uri(device: TOTPDevice) -> str:
    """Return the otpauth:// URI: issuer SIA and the username, nothing personal."""
    return str(device.config_url)


def qr_code_data_uri(device: TOTPDevice) -> str:
    """Draw the otpauth URI as a QR code, an SVG image in a data: URI (allowed by the CSP)."""
    qr = segno.make(otpauth_uri(device), error="m")
    return str(qr.svg_data_uri(scale=5, dark="#000", light="#fff"))


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """Return the secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def format_recovery_code(token: str) -> str:
    """Show a stored recovery code in two halves, easier to copy by hand."""
    half = len(token) // 2
    return f"{token[:half]}-{token[half:]}"


def normalise_code(text: str) -> str:
    """Drop the spaces and dashes people type or copy with a code, and lower its case."""
    return "".join(char for char in text.lower() if char not in " -\t")


def recovery_code_digest(code: str) -> str:
    """Return what is stored for a recovery code: a keyed hash of it, never the code.

    Someone who reads the database or a backup cannot sign in with it. A new SECRET_KEY
    makes every stored code useless; the users then renew their codes (ADR 0013).
    """
    digest = salted_hmac(RECOVERY_CODE_SALT, normalise_code(code), algorithm="sha256")
    return b32encode(digest.digest()).decode("ascii")[:RECOVERY_DIGEST_LENGTH]


def _new_recovery_codes(user: User, channel: Channel) -> list[str]:
    """Replace the user's recovery codes with new ones, audited; return them to show."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    tokens = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_code_digest(t)) for t in tokens
    )
    audit.record(
        actor=user,
        action=AuditAction.MFA_RECOVERY_CODES,
        channel=channel,
        changes={"count": len(tokens)},
    )
    return [format_recovery_code(token) for token in tokens]


def _lockout_end(device: TOTPDevice, now: dt.datetime) -> dt.datetime | None:
    failed_at = device.throttling_failure_timestamp
    if failed_at is None or device.throttling_failure_count < settings.AXES_FAILURE_LIMIT:
        return None
    ends: dt.datetime = failed_at + settings.AXES_COOLOFF_TIME
    return ends if ends > now else None


def _forget_old_failures(device: TOTPDevice, now: dt.datetime) -> None:
    """Failures older than the cool-off no longer count, as with wrong passwords."""
    failed_at = device.throttling_failure_timestamp
    if failed_at is not None and failed_at + settings.AXES_COOLOFF_TIME <= now:
        device.throttle_reset(commit=True)


def _refused(
    *, user: User, device: TOTPDevice, step: str, channel: Channel, now: dt.datetime
) -> Verification:
    locked_until = _lockout_end(device, now)
    audit.record(
        actor=user,
        action=AuditAction.MFA_FAILED,
        channel=channel,
        changes={
            "step": step,
            "failures": device.throttling_failure_count,
            "locked": locked_until is not None,
        },
    )
    return Verification(locked_until=locked_until)


@transaction.atomic
def verify_second_factor(*, user: User, code: str, channel: Channel = Channel.WEB) -> Verification:
    """Check a code from the authenticator or a recovery code, counting wrong ones.

    A recovery code works once. Nothing is checked while the code step is locked or
    the throttle asks to wait, and such refusals do not count again.
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return Verification()
    now = timezone.now()
    locked_until = _lockout_end(device, now)
    if locked_until is not None:
        return Verification(locked_until=locked_until)
    _forget_old_failures(device, now)
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return Verification(wait_until=(details or {}).get("locked_until"))
    token = normalise_code(code)
    if token.isdigit() and len(token) == device.digits:
        if device.verify_token(token):
            return Verification(method=METHOD_TOTP, device=device)
        return _refused(user=user, device=device, step=METHOD_TOTP, channel=channel, now=now)
    static = _use_recovery_code(user, token)
    if static is not None:
        device.throttle_reset(commit=True)
        audit.record(
            actor=user,
            action=AuditAction.MFA_RECOVERY_USED,
            channel=channel,
            changes={"codes_left": count_recovery_codes(user)},
        )
        return Verification(method=METHOD_RECOVERY, device=static)
    device.throttle_increment(commit=True)
    return _refused(user=user, device=device, step=METHOD_RECOVERY, channel=channel, now=now)


def _use_recovery_code(user: User, token: str) -> StaticDevice | None:
    """Use up the recovery code if it is one of the user's; return its device."""
    if not token or len(token) > RECOVERY_CODE_LENGTH:
        return None
    static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if static is None or not static.verify_token(recovery_code_digest(token)):
        return None
    return static


@transaction.atomic
def confirm_enrolment(
    *, user: User, device_id: int, code: str, channel: Channel = Channel.WEB
) -> Enrolment | Verification:
    """Confirm a new authenticator with a code from it; it replaces any earlier one.

    Gives new recovery codes (the old ones stop working). A wrong code changes nothing
    but django-otp's wait before the next try, and is audited.
    """
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False, pk=device_id)
        .first()
    )
    if device is None:
        return Verification()
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return Verification(wait_until=(details or {}).get("locked_until"))
    token = normalise_code(code)
    if not (token.isdigit() and device.verify_token(token)):
        if not token.isdigit():
            device.throttle_increment(commit=True)
        return _refused(
            user=user, device=device, step="enrolment", channel=channel, now=timezone.now()
        )
    replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()[0] > 0
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(
        actor=user, action=AuditAction.MFA_ENROLLED, channel=channel, changes={"replaced": replaced}
    )
    codes = _new_recovery_codes(user, channel)
    return Enrolment(device=device, recovery_codes=codes)


@transaction.atomic
def renew_recovery_codes(*, user: User, channel: Channel = Channel.WEB) -> list[str]:
    """Replace the user's recovery codes with new ones; the old ones stop working."""
    return _new_recovery_codes(user, channel)


@transaction.atomic
def reset_second_factor(*, user: User, reset_by: User | None, channel: Channel) -> bool:
    """Remove the user's authenticator and recovery codes, and end their sessions.

    For a lost phone: the user enrols again at their next sign-in. ``reset_by`` is the
    administrator (None when run from the command line without ``--by``).
    Tells whether there was anything to remove.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    removed: int = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    user.session_generation += 1
    user.save(update_fields=["session_generation"])
    changes = {"user": user.get_username(), "had_devices": removed > 0}
    if reset_by is not None:
        audit.record(actor=reset_by, action=AuditAction.MFA_RESET, channel=channel, changes=changes)
    else:
        AuditEvent(
            actor=None,
            actor_username="",
            action=AuditAction.MFA_RESET,
            channel=channel,
            changes=changes,
        ).save()
    return removed > 0
