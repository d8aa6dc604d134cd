"""Support from the decision to its end, the housing checklist and the programme, in a
real browser.

The deputy manager `chef` (who may decide for the cases of her unit) makes a support
decision ordering Bosättningsenheten, opens its letter and adds a plan with two checklist
items. The provider `bosattning` finds it in /utforare/, logs work on it, starts the
household's housing checklist and marks one task done. `chef` marks both items met and
ends the support with "Checklistan är uppfylld", saves the programme dates, records the
baseline and opens the programme report. Every page visited passes an axe-core check.
"""

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from sia.accounts.models import Unit, User
from sia.cases.models import Case
from sia.decisions.models import SupportDecision, SupportEnding
from sia.establishment.models import CaseOutcome, ProgrammeStatus
from sia.settlement.models import HousingTask
from tests.browser.test_collaboration import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CheckPage = Callable[[Page], None]


def visit(page: Page, url: str, check: CheckPage) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check(page)


def test_support_from_decision_to_end(
    live_server: object,
    staff: dict[str, User],
    make_case: Callable[..., Case],
    page: Page,
    browser: Browser,
    assert_accessible: CheckPage,
) -> None:
    base, today = str(live_server), timezone.localdate().isoformat()
    case = make_case(team=("vagledare1",))
    decisions = f"{base}/arenden/{case.pk}/beslut/"

    log_in(page, base, "chef")
    visit(page, decisions, assert_accessible)
    page.get_by_label("Ansökan avser").fill("Stöd i vardagen efter bosättningen.")
    page.get_by_label("Ansökan inkom").fill(today)
    page.get_by_label("Beviljat", exact=True).check()
    page.get_by_label("Beviljad insats").fill("Praktiskt stöd i vardagen.")
    page.get_by_label("Lagrum").select_option(value="sol_4_1")
    page.get_by_label("Skäl för beslutet").fill("Behöver stöd med myndighetskontakter.")
    provider_unit = Unit.objects.get(name="Bosättningsenheten")
    page.get_by_label("Utförare").select_option(value=str(provider_unit.pk))
    page.get_by_label("Gäller från").fill(today)
    page.get_by_role("button", name="Fatta och signera beslutet").click()
    expect(page.get_by_text("Beslutet är fattat och signerat.")).to_be_visible()
    assert_accessible(page)
    decision = SupportDecision.objects.get(case=case)
    detail = f"{decisions}{decision.pk}/"

    visit(page, f"{detail}utskrift/", assert_accessible)
    expect(page.get_by_role("main")).to_contain_text("Praktiskt stöd i vardagen.")
    visit(page, detail, assert_accessible)
    page.get_by_label("Ungefärlig tidsplan").fill("Tre månader.")
    page.get_by_label("Checklista: vad ska fungera tillräckligt bra").fill(
        "Betala hyran själv\nBoka tid på vårdcentralen"
    )
    page.get_by_role("button", name="Spara planen").click()
    expect(page.get_by_text("Planen för insatsen är sparad.")).to_be_visible()
    assert_accessible(page)

    provider_context = browser.new_context(locale="sv-SE")  # the provider's own session
    provider = provider_context.new_page()
    provider.set_default_timeout(10_000)
    log_in(provider, base, "bosattning")
    visit(provider, f"{base}/utforare/", assert_accessible)
    expect(provider.get_by_role("main")).to_contain_text(case.person.family_name)
    visit(provider, detail, assert_accessible)
    provider.get_by_label("Tid (minuter)").fill("45")
    provider.get_by_label("Vad", exact=True).select_option(value="budget_advice")
    provider.get_by_role("button", name="Logga", exact=True).click()
    expect(provider.get_by_text("Insatsen är loggad.")).to_be_visible()
    assert_accessible(provider)
    visit(provider, f"{base}/arenden/{case.pk}/bostad/", assert_accessible)
    provider.get_by_role("button", name="Starta checklistan").click()
    expect(provider.get_by_text("Checklistan för bostaden är startad.")).to_be_visible()
    assert_accessible(provider)
    task = HousingTask.objects.filter(household_id=case.person_id).order_by("pk").first()
    assert task is not None
    provider.locator(f"select[form='task-{task.pk}']").select_option(value="done")
    provider.locator(f"form#task-{task.pk} button").click()
    expect(provider.get_by_text("Uppgiften är sparad.")).to_be_visible()
    assert_accessible(provider)
    visit(provider, f"{base}/bosattning/", assert_accessible)
    expect(provider.get_by_role("main")).to_contain_text(case.reference)
    provider_context.close()
    task.refresh_from_db()
    assert task.status == HousingTask.Status.DONE

    visit(page, detail, assert_accessible)
    for _ in range(2):
        page.get_by_role("button", name="Markera som uppfyllt").first.click()
        expect(page.get_by_text("Checklistan är uppdaterad.")).to_be_visible()
    page.get_by_role("button", name="Avsluta insatsen – checklistan är uppfylld").click()
    expect(page.get_by_text("Insatsen är avslutad.")).to_be_visible()
    assert_accessible(page)
    assert SupportEnding.objects.get(decision=decision).reason == "checklist_met"

    visit(page, f"{base}/arenden/{case.pk}/etablering/", assert_accessible)
    page.locator("#id_af_registered_on").fill(today)
    page.locator("#id_sfi_started_on").fill(today)
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_text("Uppgifterna om etableringsprogrammet är sparade.")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_baseline_on").fill(today)
    page.get_by_role("button", name="Spara ingångsvärdena").click()
    expect(page.get_by_text("Ingångsvärdena är sparade.")).to_be_visible()
    assert_accessible(page)
    assert ProgrammeStatus.objects.get(case=case).sfi_started_on is not None
    assert CaseOutcome.objects.filter(case=case).exists()

    visit(page, f"{base}/etablering/rapport/", assert_accessible)
