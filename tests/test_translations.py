"""Every user-facing string has an English translation, so the second UI language is whole."""

import os
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

ROOT = Path(settings.BASE_DIR)


def gettext_available() -> bool:
    return shutil.which("xgettext") is not None and shutil.which("msgmerge") is not None


@pytest.fixture
def fresh_catalogue(tmp_path: Path) -> Path:
    """Extract the strings of a copy of the source tree into a copy of the catalogue."""
    if not gettext_available():
        if os.environ.get("SIA_REQUIRE_GETTEXT"):
            pytest.fail("GNU gettext is required here (SIA_REQUIRE_GETTEXT is set).")
        pytest.skip("GNU gettext (xgettext) is not installed; CI installs it.")
    for name in ("sia", "templates", "config", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
            call_command(
                "makemessages", locale=["en"], no_obsolete=True, no_location=True, verbosity=0
            )
    finally:
        os.chdir(cwd)
    return tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_user_facing_string_is_translated_to_english(fresh_catalogue: Path) -> None:
    with fresh_catalogue.open("rb") as po_file:
        catalogue = read_po(po_file)
    missing = [
        message.id
        for message in catalogue
        if message.id
        and (message.fuzzy or not all(message.string) if isinstance(message.string, tuple)
             else message.fuzzy or not message.string)
    ]  # fmt: skip
    assert missing == [], "Run `make messages` and translate these in locale/en: " + repr(missing)


def test_the_committed_catalogue_matches_the_source(fresh_catalogue: Path) -> None:
    with fresh_catalogue.open("rb") as po_file:
        fresh = {message.id for message in read_po(po_file) if message.id}
    with (ROOT / "locale/en/LC_MESSAGES/django.po").open("rb") as po_file:
        committed = {message.id for message in read_po(po_file) if message.id}
    assert fresh == committed, "Run `make messages`: the catalogue is out of date."


@pytest.mark.django_db
def test_the_login_page_speaks_swedish_first_and_english_on_request() -> None:
    client = Client()
    assert "Logga in" in client.get("/logga-in/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/logga-in/").content.decode()
    assert "Log in" in body
    assert "Logga in" not in body


@pytest.mark.django_db
def test_an_english_browser_still_gets_swedish_until_english_is_chosen() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Logga in" in client.get("/logga-in/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/logga-in/"})
    assert response.status_code == 302
    assert "Log in" in client.get("/logga-in/").content.decode()
