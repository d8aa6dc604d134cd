"""Real Chromium against the live app, with an axe-core check for every page visited."""

import os
import shutil
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, Page, sync_playwright

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
    """Put back the SIA template and catalogues that migration 0002 ships.

    A transactional test empties every table afterwards, data from migrations too, and
    serialized rollback cannot restore it here: Playwright's event loop gives the test
    another database connection object than the one the test database was serialized on.
    """
    from django.apps import apps

    from sia.process.models import Catalogue, ProcessTemplate

    if not ProcessTemplate.objects.exists():
        import_module("sia.process.migrations.0002_default_sia_template").create_default(apps, None)
    if not Catalogue.objects.filter(key="housing-tasks").exists():
        import_module("sia.settlement.migrations.0002_housing_catalogue").create_housing_catalogue(
            apps, None
        )
    if not Catalogue.objects.filter(key="talk_1").exists():
        import_module("sia.assessments.migrations.0002_talk_catalogues").create_catalogues(
            apps, None
        )
