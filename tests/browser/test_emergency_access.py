"""Emergency access (nödåtkomst) end to end, in a real browser.

`annan`, a social worker of another unit, searches for a person whose case in the
reception unit she cannot see, asks for emergency access from the search result with a
reason, and lands on the case page with the banner. The reception unit's deputy manager
`chef` finds the access on her start page and reviews it. Every page visited passes an
axe-core check.
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent
from sia.cases.models import Case, EmergencyAccess
from tests.browser.test_collaboration import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CheckPage = Callable[[Page], None]
REASON = "Personen ringer i kris och teamet kan inte nås, behöver se planen."


def test_emergency_access_from_search_to_review(
    live_server: object,
    staff: dict[str, User],
    make_case: Callable[..., Case],
    page: Page,
    browser: Browser,
    assert_accessible: CheckPage,
) -> None:
    base = str(live_server)
    case = make_case(team=("vagledare1",))
    identifier = case.person.identifiers.get().value

    log_in(page, base, "annan")
    page.goto(f"{base}/personer/sok/")
    page.get_by_label("Personnummer, samordningsnummer eller dossiernummer").fill(identifier)
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_text("du har inte åtkomst till personen")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text(case.person.family_name)
    assert_accessible(page)

    page.get_by_role("link", name="Begär nödåtkomst").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    assert_accessible(page)
    page.get_by_role("button", name="Ta nödåtkomst").click()  # no reason yet
    expect(page.get_by_label("Skäl till nödåtkomsten")).to_be_visible()
    assert not EmergencyAccess.objects.exists()
    page.get_by_label("Skäl till nödåtkomsten").fill(REASON)
    page.get_by_role("button", name="Ta nödåtkomst").click()

    expect(page).to_have_url(f"{base}/arenden/{case.pk}/")
    expect(page.get_by_text("Du har nödåtkomst till ärendet till")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(case.person.family_name)
    assert_accessible(page)
    access = EmergencyAccess.objects.get()
    assert access.reason == REASON

    manager_context = browser.new_context(locale="sv-SE")
    manager = manager_context.new_page()
    manager.set_default_timeout(10_000)
    log_in(manager, base, "chef")
    flags = manager.get_by_role("region", name="Nödåtkomster att granska")
    expect(flags).to_contain_text(REASON)
    expect(flags).to_contain_text(case.reference)
    expect(flags).to_contain_text("Ali Annansson")
    assert_accessible(manager)
    flags.get_by_label("Kommentar").fill("Kontrollerat med Ali, behovet fanns.")
    flags.get_by_role("button", name="Markera som granskad").click()
    expect(manager.get_by_text("Nödåtkomsten är granskad.")).to_be_visible()
    expect(manager.get_by_text("Inga nödåtkomster att granska.")).to_be_visible()
    assert_accessible(manager)
    manager_context.close()

    access.refresh_from_db()
    assert access.reviewed_by == staff["chef"]
    assert AuditEvent.objects.filter(action=AuditAction.EMERGENCY_ACCESS_REVIEWED).count() == 1
