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
    user = User.objects.filter(username=username).first() if username else None
    return record_sign_in(
        user=user, action=AuditAction.LOGIN_LOCKED_OUT, changes={"ip_address": ip_address or ""}
    )


def record_sign_in(
    *, user: User | None, action: AuditAction, changes: dict[str, str]
) -> AuditEvent:
    """Write a sign-in event to the audit trail, by the user if known, else by nobody.

    Call it inside the work's transaction. An event without a user keeps no username:
    what someone typed or an identity provider sent may be a personal identity number.
    """
    if user is not None:
        return audit.record(actor=user, action=action, channel=Channel.WEB, changes=changes)
    event = AuditEvent(
        actor=None, actor_username="", action=action, channel=Channel.WEB, changes=changes
    )
    event.save()
    return event
