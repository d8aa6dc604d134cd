"""Every page sends the security headers; production settings pass `check --deploy`."""

import os
import re
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy_of(header: str) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return dict(directives)


def test_login_page_sends_the_strict_policy_and_the_other_headers(client: Client) -> None:
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert policy_of(response.headers["Content-Security-Policy"]) == STRICT_POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_send_the_strict_policy(login: Callable[[str], Client]) -> None:
    client = login("socsek")

    for name in ("start", "case-list", "my-work"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert policy_of(response.headers["Content-Security-Policy"]) == STRICT_POLICY, name
        assert response.headers["X-Frame-Options"] == "DENY", name


def test_hsts_is_sent_over_https_for_a_year_with_subdomains(client: Client) -> None:
    response = client.get(reverse("login"), secure=True)

    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


def test_hsts_is_not_sent_over_plain_http(client: Client) -> None:
    assert "Strict-Transport-Security" not in client.get(reverse("login")).headers


def test_plain_http_is_redirected_to_https_when_ssl_redirect_is_on(
    client: Client, settings: Settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(reverse("login"))

    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/logga-in/"


def test_session_cookie_is_http_only_and_secure(client: Client, staff: object) -> None:
    from conftest import PASSWORD

    response = client.post(reverse("login"), {"username": "socsek", "password": PASSWORD})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert response.status_code == 302
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


def test_api_docs_allow_only_their_own_inline_style(login: Callable[[str], Client]) -> None:
    client = login("admin")

    page = client.get(reverse("api-docs"))
    script = client.get(reverse("api-docs"), {"script": ""})

    policy = policy_of(page.headers["Content-Security-Policy"])
    assert page.status_code == 200
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"] == "'self'"
    assert not re.search(rb"<script>", page.content), "Swagger UI must load its script as a file"
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_templates_hold_no_inline_script_style_or_event_handler() -> None:
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    inline_style = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    found = []
    for template in sorted((BASE_DIR / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        # <template> fragments and JSON data islands are not executed as script.
        text = re.sub(r'<script type="application/json"[^>]*>', "", text)
        for pattern in (inline_script, inline_style, handler):
            if pattern.search(text):
                found.append(f"{template.relative_to(BASE_DIR)}: {pattern.pattern}")
    assert found == []


def test_check_deploy_passes_with_production_settings(tmp_path: Path) -> None:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "SIA_", "DATABASE_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
