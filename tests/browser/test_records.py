"""Journal notes, log review and the register extract in a real browser.

The reception social worker `socsek` writes a journal note, corrects it and records the
person's objection. The deputy manager `chef` draws a random sample of the log, reads the
unusual-access report, documents the log review, and downloads the person's register
extract as JSON and PDF. Every page visited passes an axe-core check.
"""

import json
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from sia.cases.models import Case
from sia.journal.models import JournalEntry
from tests.browser.test_collaboration import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CheckPage = Callable[[Page], None]


def test_journal_log_review_and_extract(
    live_server: object,
    make_case: Callable[..., Case],
    page: Page,
    browser: Browser,
    assert_accessible: CheckPage,
) -> None:
    base = str(live_server)
    case = make_case(team=("vagledare1",))
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    log_in(page, base, "socsek")
    page.goto(f"{base}/arenden/{case.pk}/")
    page.get_by_role("link", name="Journal").click()
    assert_accessible(page)
    page.get_by_label("Händelsetid").fill(now)
    page.get_by_label("Anteckning", exact=True).fill("Ringde om bostaden.")
    page.get_by_role("button", name="Signera", exact=True).click()
    expect(page.get_by_text("Anteckningen är signerad.")).to_be_visible()
    assert_accessible(page)

    entry = JournalEntry.objects.get(case=case)
    page.goto(f"{base}/arenden/{case.pk}/journal/{entry.pk}/")
    assert_accessible(page)
    page.get_by_label("Anteckning", exact=True).fill("Ringde om bostaden och om skolan.")
    page.get_by_label("Skäl till rättelsen").fill("Skolan fattades.")
    page.get_by_role("button", name="Signera rättelsen").click()
    expect(page.get_by_text("Rättelsen är signerad.")).to_be_visible()
    assert_accessible(page)
    # The first note stays readable; the correction points to it.
    assert JournalEntry.objects.filter(case=case).count() == 2
    newest = JournalEntry.objects.get(case=case, corrects=entry)
    page.goto(f"{base}/arenden/{case.pk}/journal/{newest.pk}/")
    page.get_by_label("Personens egna ord").fill("Jag sa inte så om skolan.")
    page.get_by_label("Muntligt").check()
    page.get_by_label("Mottogs").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Registrera", exact=True).click()
    expect(page.get_by_text("Den avvikande meningen är registrerad.")).to_be_visible()
    expect(page.get_by_text("Jag sa inte så om skolan.")).to_be_visible()
    assert_accessible(page)

    manager_context = browser.new_context(locale="sv-SE")
    manager = manager_context.new_page()
    manager.set_default_timeout(10_000)
    log_in(manager, base, "chef")
    manager.goto(f"{base}/logg/kontroll/")
    manager.get_by_role("button", name="Visa stickprov").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Stickprov i loggen")
    assert_accessible(manager)
    manager.get_by_label("Inga anmärkningar").check()
    manager.get_by_role("button", name="Dokumentera loggkontrollen").click()
    assert_accessible(manager)
    manager.goto(f"{base}/logg/avvikelser/")
    manager.get_by_role("button", name="Visa rapport").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Avvikande åtkomst")
    assert_accessible(manager)

    manager.goto(f"{base}/personer/{case.person_id}/registerutdrag/")
    assert_accessible(manager)
    with manager.expect_download() as as_json:
        manager.get_by_role("button", name="Hämta som JSON").click()
    extract = json.loads(as_json.value.path().read_text(encoding="utf-8"))
    assert "Ringde om bostaden och om skolan." in json.dumps(extract, ensure_ascii=False)
    with manager.expect_download() as as_pdf:
        manager.get_by_role("button", name="Hämta som PDF").click()
    text = "\n".join(p.extract_text() for p in PdfReader(str(as_pdf.value.path())).pages)
    assert case.person.family_name in text
    manager_context.close()
