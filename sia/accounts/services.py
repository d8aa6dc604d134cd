"""Changes to staff sign-in: ending every session of a user, recording a lockout."""

from django.db import transaction

from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, AuditEvent, Channel


@transaction.atomic
def log_out_everywhere(*, user: User) -> User:
    """End every session of the user, on every device, from their next request on."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.session_generation += 1
    user.save(update_fields=["session_generation"])
    audit.record(actor=user, action=AuditAction.LOGGED_OUT_EVERYWHERE, channel=Channel.WEB)
    return user


@transaction.atomic
def record_lockout(*, username: str, ip_address: str | None) -> AuditEvent:
    """Write to the audit trail that repeated failures locked a username or an address.

    An attempted name that is no user's is not kept: people type all sorts of things
    into a username field, personal identity numbers among them.
    """
    changes = {"ip_address": ip_address or ""}
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        return audit.record(
            actor=user, action=AuditAction.LOGIN_LOCKED_OUT, channel=Channel.WEB, changes=changes
        )
    event = AuditEvent(
        actor=None,
        actor_username="",
        action=AuditAction.LOGIN_LOCKED_OUT,
        channel=Channel.WEB,
        changes=changes,
    )
    event.save()
    return event
