"""Single sign-on and the database-unavailable page in a real browser.

Chromium clicks the SSO button on the login page, is sent to the test identity provider
(a real HTTP server on 127.0.0.1, see sia/accounts/tests/test_oidc.py) and back, and
lands on the start page; a user without an SIA account gets the refusal page. Every
page passes an axe-core check.
"""

from collections.abc import Callable

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import Page, Route, expect

from sia.accounts.models import User
from sia.accounts.tests.test_oidc import BUTTON, Provider, provider, sso
from sia.core.middleware import database_unavailable_message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["provider", "sso"]

CheckPage = Callable[[Page], None]


def test_sign_in_through_the_identity_provider(
    page: Page,
    live_server: object,
    sso: None,
    provider: Provider,
    staff: dict[str, User],
    assert_accessible: CheckPage,
) -> None:
    base = str(live_server)
    provider.sign_in_as(preferred_username="socsek", amr=["pwd", "mfa"])
    page.goto(f"{base}/logga-in/")
    assert_accessible(page)

    page.get_by_role("link", name=BUTTON).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    assert_accessible(page)


def test_unknown_user_gets_the_refusal_page(
    page: Page, live_server: object, sso: None, provider: Provider, assert_accessible: CheckPage
) -> None:
    provider.sign_in_as(preferred_username="finns-inte", amr=["mfa"])
    page.goto(f"{live_server}/logga-in/")

    page.get_by_role("link", name=BUTTON).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggningen gick inte igenom")
    expect(page.get_by_role("alert")).to_contain_text("Du har inget aktivt konto i SIA")
    assert_accessible(page)
    page.get_by_role("link", name="Till inloggningssidan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


def test_database_unavailable_page_is_accessible(
    page: Page, live_server: object, db: None, assert_accessible: CheckPage
) -> None:
    """The 503 page as the middleware renders it, served from the app's own address.

    (The fault itself is injected in sia/core/tests/test_database_away.py; a browser
    cannot reach into the live server thread's database connection.)
    """
    html = render_to_string("503.html", {"message": database_unavailable_message()})

    def serve(route: Route) -> None:
        route.fulfill(status=503, body=html, content_type="text/html; charset=utf-8")

    page.route(f"{live_server}/databasen-borta/", serve)
    page.goto(f"{live_server}/databasen-borta/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Databasen går inte att nå")
    expect(page.get_by_role("alert")).to_contain_text("Ingenting av det du skickade sparades")
    assert_accessible(page)
