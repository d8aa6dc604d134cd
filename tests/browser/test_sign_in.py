"""Sign-in limits end to end in a real browser: lockout, idle timeout, logout everywhere.

Every log-in here passes the real second factor: the code from the persona's app.

Five wrong passwords lock socsek out with a clear message and when to try again; the
right password is refused until the lockout has passed, then works. A session left
alone past the idle time lands on the login page with the reason. Logging out
everywhere in one browser ends the session in another. Every page visited passes an
axe-core check, and the browser reports no Content-Security-Policy violation.
"""

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from axes.models import AccessAttempt  # type: ignore[import-untyped]
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import F
from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD
from sia.accounts.models import User
from sia.accounts.sessions import LAST_ACTIVITY_KEY
from sia.audit.models import AuditAction, AuditEvent
from tests.browser.conftest import pass_second_factor, submit_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CheckPage = Callable[[Page], None]
LOCKED = "Inloggningen är tillfälligt spärrad efter för många misslyckade försök."


@pytest.fixture
def second_page(browser: Browser) -> Iterator[Page]:
    """Another device: a browser context with its own cookies."""
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page: Page, base: str, username: str) -> None:
    submit_password(page, base, username)
    pass_second_factor(page, username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")


def test_lockout_after_five_wrong_passwords_until_fifteen_minutes_have_passed(
    page: Page,
    live_server: object,
    staff: dict[str, User],
    assert_accessible: CheckPage,
    csp_violations: list[str],
) -> None:
    base = str(live_server)
    for _ in range(4):
        submit_password(page, base, "socsek", password="fel-lösenord-1234")
        expect(page.get_by_role("alert")).to_contain_text(
            "Ange ett korrekt användarnamn och lösenord."
        )
    assert_accessible(page)

    submit_password(page, base, "socsek", password="fel-lösenord-1234")
    expect(page.get_by_role("alert")).to_contain_text(LOCKED)
    expect(page.get_by_role("alert")).to_contain_text("Försök igen tidigast klockan")
    assert_accessible(page)

    submit_password(page, base, "socsek")
    expect(page.get_by_role("alert")).to_contain_text(LOCKED)
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")

    # Fifteen minutes pass (the browser's clock cannot be moved; the stored failures can).
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=16))
    log_in(page, base, "socsek")
    assert_accessible(page)

    [event] = AuditEvent.objects.filter(action=AuditAction.LOGIN_LOCKED_OUT)
    assert event.actor == staff["socsek"]
    assert csp_violations == []


def test_idle_session_lands_on_the_login_page_with_the_reason(
    page: Page,
    live_server: object,
    staff: dict[str, User],
    assert_accessible: CheckPage,
    csp_violations: list[str],
) -> None:
    base = str(live_server)
    log_in(page, base, "socsek")
    page.get_by_role("link", name="Mitt arbete", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mitt arbete")

    # The user leaves the computer for sixteen minutes.
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = SessionStore(session_key=cookie["value"])
    session[LAST_ACTIVITY_KEY] -= 16 * 60
    session.save()

    page.get_by_role("link", name="Ärenden", exact=True).click()
    expect(page).to_have_url(f"{base}/logga-in/?next=/arenden/")
    expect(page.get_by_role("status")).to_have_text(
        "Du loggades ut efter 15 minuter utan aktivitet. Logga in igen."
    )
    assert_accessible(page)

    page.get_by_label("Användarnamn").fill("socsek")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    pass_second_factor(page, "socsek")
    expect(page).to_have_url(f"{base}/arenden/")
    assert csp_violations == []


def test_logout_everywhere_ends_the_session_in_the_other_browser(
    page: Page,
    second_page: Page,
    live_server: object,
    staff: dict[str, User],
    assert_accessible: CheckPage,
    csp_violations: list[str],
) -> None:
    base = str(live_server)
    log_in(page, base, "socsek")
    log_in(second_page, base, "socsek")
    assert_accessible(page)

    page.get_by_role("link", name="Logga ut överallt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga ut överallt")
    assert_accessible(page)
    page.get_by_role("button", name="Logga ut överallt").click()
    expect(page.get_by_role("status")).to_have_text("Du är utloggad överallt, även här.")
    assert_accessible(page)

    second_page.reload()
    expect(second_page.get_by_role("heading", level=1)).to_have_text("Logga in")
    expect(second_page.get_by_role("status")).to_contain_text("Din inloggning har avslutats")
    assert AuditEvent.objects.filter(action=AuditAction.LOGGED_OUT_EVERYWHERE).count() == 1
    assert csp_violations == []


def test_api_documentation_renders_under_its_policy(
    page: Page, live_server: object, staff: dict[str, User], csp_violations: list[str]
) -> None:
    base = str(live_server)
    log_in(page, base, "admin")

    page.goto(f"{base}/api/docs/")

    expect(page.get_by_role("heading", name="SIA API")).to_be_visible()
    expect(page.get_by_text("/api/v1/cases/").first).to_be_visible()
    assert csp_violations == []
