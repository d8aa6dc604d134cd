"""A reception social worker registers a newcomer and opens a case in a real browser.

Every page visited passes an axe-core accessibility check; the manager then sees
the case waiting for allocation and finds the reads in the log, and a worker of
another unit gets the same 404 as for a case that does not exist.
"""

import datetime as dt
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from sia.accounts.models import User
from sia.demo.synthetic import personal_number
from tests.browser.test_collaboration import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIRTH = dt.date(1990, 5, 17)
NUMBER = personal_number(BIRTH, serial=996)
# Recent enough to be inside SIA's target group (within three years of the permit).
PERMIT = dt.date.today() - dt.timedelta(days=60)  # noqa: DTZ011


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()


def test_register_a_newcomer_and_open_a_case(
    live_server: object,
    staff: dict[str, User],
    page: Page,
    assert_accessible: Callable[[Page], None],
) -> None:
    base = str(live_server)
    page.goto(f"{base}/logga-in/")
    assert_accessible(page)
    log_in(page, base, "socsek")
    assert_accessible(page)

    page.get_by_role("link", name="Sök eller registrera person").click()
    page.get_by_label("Personnummer, samordningsnummer eller dossiernummer").fill(NUMBER)
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_text("Ingen träff.")).to_be_visible()
    assert NUMBER not in page.url
    assert_accessible(page)

    page.get_by_role("link", name="Registrera ny person").click()
    page.get_by_label("Typ av identitetsnummer").select_option("personnummer")
    page.get_by_label("Identitetsnummer", exact=True).fill(NUMBER[:7] + "0" + NUMBER[8:])
    page.get_by_label("Förnamn").fill("Rahel")
    page.get_by_label("Efternamn").fill("Gebremariam")
    page.get_by_label("Födelsedatum").fill(BIRTH.isoformat())
    page.get_by_label("Kön").select_option("female")
    page.get_by_label("Mottagningskategori").select_option("quota_refugee")
    page.get_by_label("Uppehållstillstånd beviljat").fill(PERMIT.isoformat())
    page.get_by_label("tigrinja").check()
    page.get_by_label("Behöver tolk").check()
    page.get_by_label("Tolkspråk").select_option("ti")
    page.get_by_role("button", name="Registrera").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Identitetsnummer", exact=True).fill(NUMBER)
    page.get_by_role("button", name="Registrera").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rahel Gebremariam")
    expect(page.get_by_text("Personen är registrerad.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ändra uppgifter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ändra")
    assert_accessible(page)
    page.get_by_label("Telefon").fill("070-174 06 50")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Ändringarna är sparade.")).to_be_visible()

    page.get_by_role("link", name="Aktualisera ärende").click()
    assert_accessible(page)
    page.get_by_role("button", name="Aktualisera").click()
    expect(page.get_by_text("Ärendet är aktualiserat.")).to_be_visible()
    expect(page.get_by_role("region", name="Ärendeteam")).to_contain_text("Sara Sekreterare")
    assert_accessible(page)
    case_url = page.url

    page.get_by_role("link", name="Ärenden", exact=True).click()
    expect(page.get_by_role("cell", name="Rahel Gebremariam")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    log_in(page, base, "chef")
    expect(page.get_by_role("region", name="Väntar på fördelning")).to_contain_text("Gebremariam")
    page.get_by_role("link", name="Loggkontroll").click()
    page.get_by_label("Användarnamn").fill("socsek")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_role("cell", name="Aktualiserade ärende")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log review")
    assert_accessible(page)
    page.get_by_role("button", name="Svenska").click()
    log_out(page)

    log_in(page, base, "analytiker")
    expect(page.get_by_role("region", name="Öppna ärenden per enhet och steg")).to_contain_text(
        "färre än 5"
    )
    expect(page.get_by_text("Gebremariam")).to_have_count(0)
    assert_accessible(page)
    log_out(page)

    log_in(page, base, "annan")
    response = page.goto(case_url)
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    expect(page.get_by_text("Gebremariam")).to_have_count(0)
    assert_accessible(page)
