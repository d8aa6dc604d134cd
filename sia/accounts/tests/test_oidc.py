"""Single sign-on through OpenID Connect, end to end against a real (tiny) provider.

The provider runs on 127.0.0.1 in a thread of the test process and speaks HTTP:
discovery, authorization (redirects back with code and state), token (an ID token
signed RS256 with a key made here), JWKS and userinfo. Nothing in between is mocked.
"""

import base64
import datetime as dt
import hashlib
import importlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, reverse
from pytest_django.fixtures import Settings

from sia.accounts.models import User
from sia.accounts.sessions import SECOND_FACTOR_KEY, second_factor_done
from sia.audit.models import AuditAction, AuditEvent
from sia.demo.synthetic import personal_number

CLIENT_ID = "sia-test"
CLIENT_SECRET = "test-client-secret"
BUTTON = "Logga in med kommunens inloggning"
# What a Swedish provider may send about the person: never to be kept by SIA.
PERSONNUMMER = personal_number(dt.date(1980, 5, 14), serial=990)


@dataclass
class Provider:
    """A minimal OpenID provider; a test sets the next sign-in's claims and faults."""

    issuer: str = ""
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = "test-key-1"
    claims: dict[str, Any] = field(default_factory=dict)
    userinfo: dict[str, Any] = field(default_factory=dict)
    expired: bool = False
    tampered: bool = False
    audience: str = CLIENT_ID
    token_issuer: str = ""
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def sign_in_as(self, **claims: Any) -> None:
        """The next user who reaches the authorization endpoint is this one."""
        subject = f"sub-{secrets.token_hex(4)}"
        self.claims = {"sub": subject, **claims}
        self.userinfo = {
            "sub": subject,
            "personal_identity_number": PERSONNUMMER,
            **{k: v for k, v in claims.items() if k not in {"amr", "acr"}},
        }

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        lifetime = (now - 3600, now - 1800) if self.expired else (now, now + 300)
        payload = {
            "iss": self.token_issuer or self.issuer,
            "aud": self.audience,
            "iat": lifetime[0],
            "exp": lifetime[1],
            "nonce": nonce,
            "personal_identity_number": PERSONNUMMER,
            **self.claims,
        }
        token = jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})
        if self.tampered:
            header, body, signature = token.split(".")
            claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            claims["preferred_username"] = "chef"
            forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
            token = f"{header}.{forged.decode()}.{signature}"
        return token

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _json(self, body: dict[str, Any], status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(
                    {
                        "issuer": provider.issuer,
                        "authorization_endpoint": f"{provider.issuer}/authorize",
                        "token_endpoint": f"{provider.issuer}/token",
                        "userinfo_endpoint": f"{provider.issuer}/userinfo",
                        "jwks_uri": f"{provider.issuer}/jwks",
                        "id_token_signing_alg_values_supported": ["RS256"],
                    }
                )
            elif url.path == "/authorize":
                assert query["client_id"] == CLIENT_ID
                assert query["code_challenge_method"] == "S256"
                code = secrets.token_urlsafe(16)
                provider.codes[code] = query
                location = f"{query['redirect_uri']}?" + urlencode(
                    {"code": code, "state": query["state"]}
                )
                self.send_response(302)
                self.send_header("Location", location)
                self.end_headers()
            elif url.path == "/jwks":
                self._json(provider.jwks())
            elif url.path == "/userinfo":
                if self.headers.get("Authorization") != "Bearer access-for-sia":
                    self._json({"error": "invalid_token"}, 401)
                else:
                    self._json(provider.userinfo)
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            request = provider.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if (
                self.path != "/token"
                or request is None
                or form.get("client_secret") != CLIENT_SECRET
                or form.get("redirect_uri") != request["redirect_uri"]
                or challenge != request["code_challenge"]
            ):
                self._json({"error": "invalid_grant"}, 400)
                return
            self._json(
                {
                    "access_token": "access-for-sia",
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": provider.id_token(request["nonce"]),
                }
            )

    return Handler


def _reload_urls() -> None:
    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def provider() -> Iterator[Provider]:
    state = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def sso(settings: Settings, provider: Provider, staff: dict[str, User]) -> Iterator[None]:
    """Single sign-on configured against the test provider, URLs and backend included."""
    settings.SIA_OIDC_ENABLED = True
    settings.SIA_OIDC_ISSUER = provider.issuer
    settings.SIA_OIDC_CLIENT_ID = CLIENT_ID
    settings.SIA_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.SIA_OIDC_BUTTON_LABEL = BUTTON
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "sia.accounts.oidc.OIDCBackend",
    ]
    _reload_urls()
    yield
    settings.SIA_OIDC_ENABLED = False
    _reload_urls()


def sign_in(client: Client) -> Any:
    """Click the SSO button, let the provider answer, and return SIA's last answer."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == reverse("oidc_authentication_callback")
    return client.get(f"{back.path}?{back.query}")


def signed_in_user(client: Client) -> User | None:
    response = client.get(reverse("start"))
    user = response.wsgi_request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def sso_events() -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action__in=[AuditAction.SSO_LOGIN, AuditAction.SSO_REFUSED]
        ).order_by("occurred_at", "id")
    )


def assert_no_claims_kept(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    """Neither the audit trail, the session nor the log holds what the provider sent."""
    for event in AuditEvent.objects.all():
        assert PERSONNUMMER not in json.dumps(event.changes)
    session = client.session
    stored = json.dumps(dict(session.items()), default=str)
    assert PERSONNUMMER not in stored
    assert "sub-" not in stored
    assert PERSONNUMMER not in caplog.text


def test_multi_factor_sign_in_counts_as_second_factor(
    sso: None,
    provider: Provider,
    staff: dict[str, User],
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.SIA_REQUIRE_MFA = True
    caplog.set_level(logging.DEBUG)
    provider.sign_in_as(preferred_username="socsek", amr=["pwd", "mfa"])
    client = Client()

    response = sign_in(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    assert signed_in_user(client) == staff["socsek"]
    assert second_factor_done(client.session)
    assert client.session[SECOND_FACTOR_KEY] == "oidc"
    # No code step of SIA's own follows: the start page opens.
    assert client.get(reverse("start")).status_code == 200
    # The session's clocks started as at a password login.
    assert "sia_login_at" in client.session
    [event] = sso_events()
    assert event.action == AuditAction.SSO_LOGIN
    assert event.actor == staff["socsek"]
    assert event.changes == {"multi_factor": True}
    assert_no_claims_kept(client, caplog)


def test_acr_value_can_vouch_for_multi_factor(
    sso: None, provider: Provider, settings: Settings, staff: dict[str, User]
) -> None:
    settings.SIA_OIDC_MFA_ACR = ["http://id.elegnamnden.se/loa/1.0/loa3"]
    provider.sign_in_as(preferred_username="socsek", acr="http://id.elegnamnden.se/loa/1.0/loa3")
    client = Client()

    sign_in(client)

    assert signed_in_user(client) == staff["socsek"]
    assert second_factor_done(client.session)


def test_single_factor_sign_in_leaves_sia_own_second_factor(
    sso: None, provider: Provider, staff: dict[str, User], settings: Settings
) -> None:
    settings.SIA_REQUIRE_MFA = True
    provider.sign_in_as(preferred_username="vagledare1", amr=["pwd"])
    client = Client()

    response = sign_in(client)

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(staff["vagledare1"].pk)
    assert not second_factor_done(client.session)
    # SIA's own second factor follows (enrolment, as this user has no authenticator yet).
    start = client.get(reverse("start"))
    assert start.status_code == 302
    assert start["Location"].startswith(reverse("two-factor-enrol"))
    [event] = sso_events()
    assert event.changes == {"multi_factor": False}


def test_match_by_email_claim(
    sso: None, provider: Provider, settings: Settings, staff: dict[str, User]
) -> None:
    settings.SIA_OIDC_CLAIM = "email"
    settings.SIA_OIDC_MATCH_FIELD = "email"
    staff["chef"].email = "chef@kommun.example"
    staff["chef"].save(update_fields=["email"])
    provider.sign_in_as(email="CHEF@kommun.example", email_verified=True, amr=["mfa"])
    client = Client()

    sign_in(client)

    assert signed_in_user(client) == staff["chef"]


@pytest.mark.parametrize(
    ("id_token", "userinfo"),
    [
        ({}, {}),
        ({"email_verified": False}, {"email_verified": False}),
        ({"email_verified": True}, {"email_verified": False}),
        ({"email_verified": "false"}, {}),
    ],
    ids=["not-sent", "false", "userinfo-says-false", "text-false"],
)
def test_match_by_email_needs_an_address_the_provider_has_verified(
    sso: None,
    provider: Provider,
    settings: Settings,
    staff: dict[str, User],
    id_token: dict[str, Any],
    userinfo: dict[str, Any],
) -> None:
    settings.SIA_OIDC_CLAIM = "email"
    settings.SIA_OIDC_MATCH_FIELD = "email"
    staff["chef"].email = "chef@kommun.example"
    staff["chef"].save(update_fields=["email"])
    # Anyone can type the head of unit's address into an account at the provider.
    provider.sign_in_as(email="chef@kommun.example", amr=["mfa"])
    provider.claims.update(id_token)
    provider.userinfo = {
        k: v for k, v in provider.userinfo.items() if k != "email_verified"
    } | userinfo
    client = Client()

    response = sign_in(client)

    assert response.status_code == 403
    assert "Du har inget aktivt konto i SIA" in response.content.decode()
    assert signed_in_user(client) is None
    [event] = sso_events()
    assert event.action == AuditAction.SSO_REFUSED
    assert event.actor is None
    assert event.changes == {"reason": "unverified_email"}


def test_match_by_email_takes_the_verification_from_the_id_token_too(
    sso: None, provider: Provider, settings: Settings, staff: dict[str, User]
) -> None:
    settings.SIA_OIDC_CLAIM = "email"
    settings.SIA_OIDC_MATCH_FIELD = "email"
    staff["chef"].email = "chef@kommun.example"
    staff["chef"].save(update_fields=["email"])
    provider.sign_in_as(email="chef@kommun.example", email_verified=True, amr=["mfa"])
    del provider.userinfo["email_verified"]
    client = Client()

    sign_in(client)

    assert signed_in_user(client) == staff["chef"]


def test_unknown_user_is_refused_and_no_user_is_created(
    sso: None, provider: Provider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    users_before = User.objects.count()
    # A misconfigured provider sending the personal identity number as the username.
    provider.sign_in_as(preferred_username=PERSONNUMMER, amr=["mfa"])
    client = Client()

    response = sign_in(client)

    assert response.status_code == 403
    assert "Du har inget aktivt konto i SIA" in response.content.decode()
    assert signed_in_user(client) is None
    assert User.objects.count() == users_before
    [event] = sso_events()
    assert event.action == AuditAction.SSO_REFUSED
    assert event.actor is None
    assert event.actor_username == ""
    assert event.changes == {"reason": "unknown_user"}
    assert_no_claims_kept(client, caplog)


def test_inactive_user_is_refused(sso: None, provider: Provider, staff: dict[str, User]) -> None:
    staff["vagledare1"].is_active = False
    staff["vagledare1"].save(update_fields=["is_active"])
    provider.sign_in_as(preferred_username="vagledare1", amr=["mfa"])
    client = Client()

    response = sign_in(client)

    assert response.status_code == 403
    assert "Du har inget aktivt konto i SIA" in response.content.decode()
    assert signed_in_user(client) is None
    [event] = sso_events()
    assert event.action == AuditAction.SSO_REFUSED
    assert event.actor == staff["vagledare1"]
    assert event.changes == {"reason": "inactive_user"}


def test_answer_with_a_state_this_browser_did_not_start_is_refused(
    sso: None, provider: Provider
) -> None:
    provider.sign_in_as(preferred_username="socsek", amr=["mfa"])
    victim, attacker = Client(), Client()
    # The attacker starts a sign-in of their own and hands its answer to another browser.
    attacker.get(reverse("oidc_authentication_init"))
    start = victim.get(reverse("oidc_authentication_init"))
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlsplit(at_provider.headers["Location"])
    code = parse_qs(back.query)["code"][0]

    forged = victim.get(
        reverse("oidc_authentication_callback") + "?" + urlencode({"code": code, "state": "x"})
    )
    fresh = Client().get(reverse("oidc_authentication_callback") + f"?{back.query}")

    for response in (forged, fresh):
        assert response.status_code == 403
        assert "Svaret från inloggningstjänsten kunde inte godtas" in response.content.decode()
    assert signed_in_user(victim) is None
    assert [event.changes for event in sso_events()] == [{"reason": "invalid_response"}] * 2


@pytest.mark.parametrize(
    "fault", ["tampered", "expired", "other_audience", "other_key", "other_issuer"]
)
def test_id_token_that_fails_its_checks_is_refused(
    sso: None, provider: Provider, fault: str
) -> None:
    provider.sign_in_as(preferred_username="vagledare1", amr=["mfa"])
    if fault == "tampered":
        provider.tampered = True
    elif fault == "expired":
        provider.expired = True
    elif fault == "other_audience":
        provider.audience = "another-service"
    elif fault == "other_key":
        signing = provider.jwks()
        provider.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        # The JWKS still publishes the old key under the same kid.
        provider.jwks = lambda: signing  # type: ignore[method-assign]
    else:
        provider.token_issuer = "http://127.0.0.1:1/another-provider"
    client = Client()

    response = sign_in(client)

    assert response.status_code == 403
    assert "Svaret från inloggningstjänsten kunde inte godtas" in response.content.decode()
    assert signed_in_user(client) is None
    assert [event.changes for event in sso_events()] == [{"reason": "invalid_response"}]


def test_provider_error_answer_is_refused(sso: None) -> None:
    client = Client()
    client.get(reverse("oidc_authentication_init"))

    response = client.get(reverse("oidc_authentication_callback") + "?error=access_denied&state=x")

    assert response.status_code == 403
    assert "Inloggningstjänsten avbröt inloggningen" in response.content.decode()
    assert [event.changes for event in sso_events()] == [{"reason": "provider_error"}]


def test_login_page_offers_single_sign_on_when_enabled(sso: None) -> None:
    response = Client().get(reverse("login") + "?next=/arenden/")

    page = response.content.decode()
    assert BUTTON in page
    assert reverse("oidc_authentication_init") + "?next=/arenden/" in page


def test_disabled_single_sign_on_has_no_urls_and_no_button(db: None) -> None:
    _reload_urls()
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    client = Client()
    assert client.get("/oidc/logga-in/").status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert "oidc" not in page
    assert "organisationens inloggning" not in page
