"""Single sign-on through OpenID Connect, for municipalities with an identity provider.

Off unless ``SIA_OIDC_ENABLED`` (an issuer and a client id are configured; see
config/settings.py). Built on mozilla-django-oidc's authorization-code flow, with PKCE,
a nonce, and an ID token signed RS256 and checked against the provider's JWKS, its
issuer and our client id.

SSO never creates users: staff are provisioned in SIA with role and unit, and the
provider's user is matched to an existing active user by one configured claim
(``preferred_username`` → username by default, or an e-mail claim → e-mail). A sign-in
the provider vouches for as multi-factor (``amr``/``acr``) counts as SIA's second factor;
any other still takes SIA's own TOTP step.

Claims are personal data and may hold a personal identity number: none of them is
logged, stored in the session or written to the audit trail. The audit events say only
who signed in (an existing user) and why a sign-in was refused.
"""

import enum
import logging
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.functional import Promise
from mozilla_django_oidc.auth import (  # type: ignore[import-untyped]
    OIDCAuthenticationBackend,
)
from mozilla_django_oidc.utils import import_from_settings  # type: ignore[import-untyped]
from mozilla_django_oidc.views import (  # type: ignore[import-untyped]
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from sia.accounts.models import User
from sia.accounts.services import record_sign_in
from sia.accounts.sessions import mark_second_factor_done
from sia.audit import services as audit
from sia.audit.models import AuditAction, AuditEvent, Channel

logger = logging.getLogger(__name__)

SIGNING_ALGORITHM = "RS256"
DISCOVERY_PATH = "/.well-known/openid-configuration"
DISCOVERY_CACHE_SECONDS = 3600
# Clock difference tolerated between SIA and the provider when checking exp and iat.
CLOCK_LEEWAY_SECONDS = 30
REFUSED_STATUS = 403


# --- Configuration ---------------------------------------------------------------------


def enabled() -> bool:
    """Tell whether single sign-on is configured."""
    return bool(getattr(settings, "SIA_OIDC_ENABLED", False))


_discovered: dict[str, tuple[float, dict[str, Any]]] = {}
_discovery_lock = threading.Lock()


def provider_configuration() -> dict[str, Any]:
    """The provider's discovery document, fetched once an hour at most."""
    issuer: str = settings.SIA_OIDC_ISSUER
    with _discovery_lock:
        cached = _discovered.get(issuer)
        if cached is not None and time.monotonic() - cached[0] < DISCOVERY_CACHE_SECONDS:
            return cached[1]
    response = requests.get(
        issuer.rstrip("/") + DISCOVERY_PATH, timeout=settings.SIA_OIDC_TIMEOUT_SECONDS
    )
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    if document.get("issuer") != issuer:
        raise SuspiciousOperation("The discovery document names another issuer.")
    with _discovery_lock:
        _discovered[issuer] = (time.monotonic(), document)
    return document


# Explicit endpoint settings, and the discovery document's name for each.
_ENDPOINTS = {
    "SIA_OIDC_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "SIA_OIDC_TOKEN_ENDPOINT": "token_endpoint",
    "SIA_OIDC_USERINFO_ENDPOINT": "userinfo_endpoint",
    "SIA_OIDC_JWKS_ENDPOINT": "jwks_uri",
}


def endpoint(setting: str) -> str:
    """An endpoint of the provider: the explicit setting, else from discovery."""
    explicit: str = getattr(settings, setting, "")
    if explicit:
        return explicit
    url = provider_configuration().get(_ENDPOINTS[setting], "")
    if not isinstance(url, str) or not url:
        raise ImproperlyConfigured(f"The identity provider names no {_ENDPOINTS[setting]}.")
    return url


# mozilla-django-oidc's own settings, fixed or taken from SIA's.
_FIXED = {
    "OIDC_RP_SIGN_ALGO": SIGNING_ALGORITHM,
    "OIDC_USE_PKCE": True,
    "OIDC_USE_NONCE": True,
    "OIDC_CREATE_USER": False,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_VERIFY_SSL": True,
}
_FROM_SIA = {
    "OIDC_RP_CLIENT_ID": "SIA_OIDC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "SIA_OIDC_CLIENT_SECRET",
    "OIDC_RP_SCOPES": "SIA_OIDC_SCOPES",
    "OIDC_TIMEOUT": "SIA_OIDC_TIMEOUT_SECONDS",
}


def oidc_setting(name: str, *default: Any) -> Any:
    """Answer mozilla-django-oidc's setting look-ups from SIA's settings."""
    if name in _FIXED:
        return _FIXED[name]
    if name in _FROM_SIA:
        return getattr(settings, _FROM_SIA[name])
    return import_from_settings(name, *default)


def is_multi_factor(id_token_claims: dict[str, Any]) -> bool:
    """Tell whether the ID token says the user signed in with more than one factor."""
    amr = id_token_claims.get("amr")
    methods = {str(method) for method in amr} if isinstance(amr, list) else set()
    if methods & set(settings.SIA_OIDC_MFA_AMR):
        return True
    acr = id_token_claims.get("acr")
    return isinstance(acr, str) and acr in settings.SIA_OIDC_MFA_ACR


# --- What happened in one sign-in --------------------------------------------------------


class Refusal(enum.Enum):
    """Why a single sign-on was refused; the value goes to the audit trail."""

    UNKNOWN_USER = "unknown_user"
    INACTIVE_USER = "inactive_user"
    AMBIGUOUS_USER = "ambiguous_user"
    INVALID_RESPONSE = "invalid_response"
    PROVIDER_ERROR = "provider_error"
    UNVERIFIED_EMAIL = "unverified_email"


@dataclass
class _Outcome:
    refusal: Refusal | None = None
    user: User | None = None
    multi_factor: bool = False


# The backend and the callback view share what they learnt about one request here.
_outcomes: "weakref.WeakKeyDictionary[HttpRequest, _Outcome]" = weakref.WeakKeyDictionary()


def _outcome(request: HttpRequest) -> _Outcome:
    return _outcomes.setdefault(request, _Outcome())


def _email_verified(userinfo: dict[str, Any], id_token_claims: dict[str, Any]) -> bool:
    """Tell whether the provider vouches for the e-mail address: ``email_verified`` is
    true (a JSON true, not text), from userinfo or else from the ID token."""
    return userinfo.get("email_verified", id_token_claims.get("email_verified")) is True


# --- Audit -------------------------------------------------------------------------------


@transaction.atomic
def record_sso_login(*, user: User, multi_factor: bool) -> AuditEvent:
    """Write a single sign-on to the audit trail (no claims, only whether it was multi-factor)."""
    return audit.record(
        actor=user,
        action=AuditAction.SSO_LOGIN,
        channel=Channel.WEB,
        changes={"multi_factor": multi_factor},
    )


@transaction.atomic
def record_sso_refused(*, refusal: Refusal, user: User | None) -> AuditEvent:
    """Write a refused single sign-on to the audit trail: the reason, and the user if known.

    What the provider called an unknown user is not kept: it may be a personal
    identity number.
    """
    return record_sign_in(
        user=user, action=AuditAction.SSO_REFUSED, changes={"reason": refusal.value}
    )


# --- Authentication backend --------------------------------------------------------------


class OIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Sign in an existing, active SIA user whom the identity provider vouches for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds a backend for every request of a signed-in user; nothing here may
        # reach the provider, so the endpoints are looked up only when a sign-in needs them.
        self.UserModel = get_user_model()
        self.OIDC_RP_SIGN_ALGO = SIGNING_ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None

    get_settings = staticmethod(oidc_setting)

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:  # noqa: N802 (the library's attribute name)
        return str(settings.SIA_OIDC_CLIENT_ID)

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:  # noqa: N802
        return str(settings.SIA_OIDC_CLIENT_SECRET)

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802
        return endpoint("SIA_OIDC_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return endpoint("SIA_OIDC_USERINFO_ENDPOINT")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return endpoint("SIA_OIDC_JWKS_ENDPOINT")

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback's call (with a nonce) is ours; a password login is not.
        if request is None or "nonce" not in kwargs or not enabled():
            return None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def _verify_jws(self, payload: bytes | str, key: Any) -> dict[str, Any]:
        """Check the ID token's signature, algorithm, issuer, audience and lifetime."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != SIGNING_ALGORITHM:
            raise SuspiciousOperation("The ID token is not signed RS256.")
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[SIGNING_ALGORITHM],
                audience=settings.SIA_OIDC_CLIENT_ID,
                issuer=settings.SIA_OIDC_ISSUER,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            # The error's class says what failed; its message could quote the token.
            raise SuspiciousOperation(f"ID token refused: {type(error).__name__}") from None
        return claims

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        """Find the one active user the provider's claim names; never create one."""
        outcome = _outcome(self.request)
        outcome.multi_factor = is_multi_factor(payload)
        userinfo: dict[str, Any] = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo answer is about another subject.")
        claim = settings.SIA_OIDC_CLAIM
        value = userinfo.get(claim, payload.get(claim))
        if settings.SIA_OIDC_MATCH_FIELD == "email" and not _email_verified(userinfo, payload):
            # Many providers let people type any address into their account.
            outcome.refusal = Refusal.UNVERIFIED_EMAIL
            return None
        users: list[User] = list(self.filter_users_by_claims({claim: value})) if value else []
        if not users:
            outcome.refusal = Refusal.UNKNOWN_USER
            return None
        if len(users) > 1:
            outcome.refusal = Refusal.AMBIGUOUS_USER
            return None
        user = users[0]
        if not user.is_active:
            outcome.refusal = Refusal.INACTIVE_USER
            outcome.user = user
            return None
        outcome.user = user
        return user

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        value = str(claims.get(settings.SIA_OIDC_CLAIM, ""))
        if settings.SIA_OIDC_MATCH_FIELD == "email":
            return User.objects.filter(email__iexact=value)[:2]
        return User.objects.filter(username=value)[:2]

    def get_user(self, user_id: Any) -> User | None:
        # As ModelBackend: a user made inactive is signed out on their next request.
        user: User | None = ModelBackend.get_user(self, user_id)
        return user


# --- Views -------------------------------------------------------------------------------


class SSOStartView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Send the browser to the identity provider, with state, nonce and PKCE challenge."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:  # noqa: N802 (the library's attribute name)
        return str(settings.SIA_OIDC_CLIENT_ID)

    @property
    def OIDC_OP_AUTH_ENDPOINT(self) -> str:  # noqa: N802
        return endpoint("SIA_OIDC_AUTHORIZATION_ENDPOINT")

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            response: HttpResponse = super().get(request)
        except (requests.RequestException, SuspiciousOperation, ValueError) as error:
            logger.warning("Single sign-on: provider not reachable (%s)", type(error).__name__)
            return refused(request, Refusal.PROVIDER_ERROR)
        return response


class SSOCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Take the provider's answer: sign the user in, or say why not."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            response: HttpResponse = super().get(request)
        except (SuspiciousOperation, jwt.PyJWTError, ValueError) as error:
            # Wrong state, a token that fails its checks, an answer about someone else.
            logger.warning("Single sign-on refused: %s", type(error).__name__)
            return self._refuse(Refusal.INVALID_RESPONSE)
        except requests.RequestException as error:
            logger.warning("Single sign-on: provider not reachable (%s)", type(error).__name__)
            return self._refuse(Refusal.PROVIDER_ERROR)
        return response

    def login_failure(self) -> HttpResponse:
        outcome = _outcome(self.request)
        if outcome.refusal is not None:
            return self._refuse(outcome.refusal, user=outcome.user)
        if "code" in self.request.GET and "state" in self.request.GET:
            # The answer came back to a browser that never started this sign-in.
            return self._refuse(Refusal.INVALID_RESPONSE)
        return self._refuse(Refusal.PROVIDER_ERROR)

    def login_success(self) -> HttpResponse:
        # auth.login sends user_logged_in, which starts the session's clocks.
        response: HttpResponse = super().login_success()
        outcome = _outcome(self.request)
        for key in ("oidc_id_token_expiration", "oidc_states", "oidc_login_next"):
            self.request.session.pop(key, None)
        if outcome.multi_factor:
            mark_second_factor_done(self.request.session, "oidc")
        record_sso_login(user=self.user, multi_factor=outcome.multi_factor)
        logger.info("Single sign-on: user signed in (multi-factor: %s)", outcome.multi_factor)
        return response

    def _refuse(self, refusal: Refusal, *, user: User | None = None) -> HttpResponse:
        record_sso_refused(refusal=refusal, user=user)
        logger.info("Single sign-on refused: %s", refusal.value)
        return refused(self.request, refusal)


def refused(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """The page that says a single sign-on did not sign the user in, and what to do."""
    context = {
        "no_account": refusal
        in {
            Refusal.UNKNOWN_USER,
            Refusal.INACTIVE_USER,
            Refusal.AMBIGUOUS_USER,
            Refusal.UNVERIFIED_EMAIL,
        },
        "invalid": refusal is Refusal.INVALID_RESPONSE,
    }
    return render(request, "accounts/oidc_refused.html", context, status=REFUSED_STATUS)


def sso_login(request: HttpRequest) -> dict[str, str | Promise]:
    """Template context: the SSO button's text on the login page, when SSO is on."""
    if not enabled():
        return {}
    return {"sso_login_label": settings.SIA_OIDC_BUTTON_LABEL}


# Included under oidc/ by config/urls.py only when single sign-on is enabled. The names
# are mozilla-django-oidc's, which it reverses itself.
urlpatterns = [
    path(
        "logga-in/",
        login_not_required(SSOStartView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "svar/",
        login_not_required(SSOCallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
]
