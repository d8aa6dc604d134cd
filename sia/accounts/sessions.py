"""How long a signed-in session may last: the idle limit and the absolute limit.

The login time and the time of the user's last own request are kept in the session,
so the session can say why it ended when the user comes back to it.
"""

import enum

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LOGIN_AT_KEY = "sia_login_at"
LAST_ACTIVITY_KEY = "sia_last_activity"


class SessionEnd(enum.Enum):
    """Why a signed-in session is over."""

    IDLE = "idle"
    ABSOLUTE = "absolute"
    ENDED_ELSEWHERE = "ended_elsewhere"


def start_session_clock(session: SessionBase) -> None:
    """Note the login time; the absolute and idle limits count from it."""
    now = timezone.now().timestamp()
    session[LOGIN_AT_KEY] = now
    session[LAST_ACTIVITY_KEY] = now


def note_activity(session: SessionBase) -> None:
    """Note a request of the user's own, which restarts the idle time."""
    session[LAST_ACTIVITY_KEY] = timezone.now().timestamp()


def session_end(session: SessionBase) -> SessionEnd | None:
    """Tell whether a signed-in session has run past one of its limits, and which."""
    now = timezone.now().timestamp()
    login_at = session.get(LOGIN_AT_KEY)
    # A session without a login time predates these limits; it is not trusted to be young.
    if not isinstance(login_at, float | int) or now - login_at >= settings.SIA_SESSION_SECONDS:
        return SessionEnd.ABSOLUTE
    last_activity = session.get(LAST_ACTIVITY_KEY, login_at)
    if now - last_activity >= settings.SIA_IDLE_MINUTES * 60:
        return SessionEnd.IDLE
    return None


def end_message(end: SessionEnd) -> str:
    """Explain to the user, in the interface language, why they have to log in again."""
    if end is SessionEnd.IDLE:
        minutes = settings.SIA_IDLE_MINUTES
        return ngettext(
            "Du loggades ut efter %(minutes)d minut utan aktivitet. Logga in igen.",
            "Du loggades ut efter %(minutes)d minuter utan aktivitet. Logga in igen.",
            minutes,
        ) % {"minutes": minutes}
    if end is SessionEnd.ABSOLUTE:
        return _(
            "Du loggades ut eftersom inloggningen nådde sin längsta tillåtna tid. Logga in igen."
        )
    return _(
        "Din inloggning har avslutats, till exempel genom utloggning överallt eller byte av "
        "lösenord. Logga in igen."
    )


SECOND_FACTOR_KEY = "sia_second_factor"


def mark_second_factor_done(session: SessionBase, method: str) -> None:
    """Note that this sign-in has passed a second factor, and how.

    ``method`` is ``"totp"``, ``"recovery"`` or ``"oidc"`` (the identity provider vouched
    for a multi-factor sign-in). The key is cleared with the rest of the session at logout.
    """
    session[SECOND_FACTOR_KEY] = method


def second_factor_done(session: SessionBase) -> bool:
    """Tell whether this sign-in has passed a second factor."""
    return bool(session.get(SECOND_FACTOR_KEY))
