"""Real Chromium against the live app, with an axe-core check for every page visited."""

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from conftest import PASSWORD, restore_shipped_data
from sia.accounts.models import User
from sia.accounts.tests.two_factor_helpers import give_authenticator

CHROMIUM = os.environ.get("SIA_CHROMIUM", "/usr/bin/chromium")
# Without these Chromium keeps calling home, which this sandbox's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        if os.environ.get("SIA_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (SIA_REQUIRE_BROWSER is set).")
        pytest.skip("Chromium is not installed; CI installs Debian's chromium package.")
    # Playwright's sync API runs an event loop in this thread; the test itself
    # still talks to the database synchronously, which is safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def csp_violations(page: Page) -> list[str]:
    """Collect what Chromium reports as blocked by the Content-Security-Policy."""
    seen: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen.append(message.text)

    page.on("console", listen)
    return seen


AXE = Axe()


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    """Fail with axe-core's report if the page has any accessibility violation."""

    def check(page: Page) -> None:
        results = AXE.run(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


@pytest.fixture(autouse=True)
def shipped_process_data(transactional_db: None) -> None:
    """Put back the SIA template and catalogues that the data migrations ship.

    A transactional test empties every table afterwards, data from migrations too, and
    serialized rollback cannot restore it here: Playwright's event loop gives the test
    another database connection object than the one the test database was serialized on.
    """
    restore_shipped_data()


@pytest.fixture
def staff(staff: dict[str, User]) -> dict[str, User]:
    """The personas, each with an authenticator app of a known key (as on their phone).

    Browser log-ins type the code computed from it, so every browser test passes the
    real second factor.
    """
    for user in staff.values():
        give_authenticator(user)
    return staff


def authenticator_code(username: str) -> str:
    """Return the code the persona's app shows: the next one the server has not yet seen.

    The server accepts one time step either side of its own (django-otp's tolerance) and
    never the same step twice; when a test has used all three, it waits for the next.
    """
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    while True:
        now_step = int((time.time() - device.t0) // device.step) + device.drift
        target = max(now_step, device.last_t + 1)
        if target <= now_step + device.tolerance:
            break
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.1)
    drift = device.drift + target - now_step
    code = totp(device.bin_key, device.step, device.t0, device.digits, drift)
    return f"{code:0{device.digits}d}"


def submit_password(
    page: Page, base: str, username: str, *, password: str = PASSWORD, next_url: str = ""
) -> None:
    """On the login page (asked for with ``next_url``), type the username and password."""
    page.goto(f"{base}/logga-in/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def enter_code(page: Page, code: str | Callable[[], str]) -> None:
    """On the code step, type a code: a recovery code, or one the app shows once it is there."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    page.get_by_label("Kod", exact=True).fill(code if isinstance(code, str) else code())
    page.get_by_role("button", name="Fortsätt").click()


def pass_second_factor(page: Page, username: str) -> None:
    """On the code step, type the code from the persona's app."""
    enter_code(page, lambda: authenticator_code(username))
