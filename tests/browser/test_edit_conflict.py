"""Two people edit the same SIA plan in two browsers; the second sees the conflict.

The reception social worker `socsek` and the guide `vagledare1` open the same proposal.
The guide saves first; when `socsek` saves, nothing is overwritten: the page answers
with the guide's saved text beside her own, and her text stays in the form so she can
save it deliberately on top. Every page visited passes an axe-core check.
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from sia.accounts.models import User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.plans import services
from sia.plans.models import SiaPlan
from tests.browser.test_collaboration import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CheckPage = Callable[[Page], None]
FIELD = "Kartläggning, sammanfattning"


def test_the_second_save_of_a_plan_shows_the_first_persons_change(
    live_server: object,
    make_case: Callable[..., Case],
    staff: dict[str, User],
    page: Page,
    browser: Browser,
    assert_accessible: CheckPage,
) -> None:
    base = str(live_server)
    case = make_case(team=("vagledare1",))
    plan = services.propose_plan(
        case_id=case.pk,
        proposed_by=staff["socsek"],
        channel=Channel.SYSTEM,
        assessment="Bor hos släkt.",
        activities=[services.ActivityInput(title="Språkcafé")],
    )
    url = f"{base}/arenden/{case.pk}/sia-plan/"

    log_in(page, base, "socsek")
    page.goto(url)
    guide_context = browser.new_context(locale="sv-SE")
    guide = guide_context.new_page()
    guide.set_default_timeout(10_000)
    log_in(guide, base, "vagledare1")
    guide.goto(url)

    guide.get_by_label(FIELD).fill("Har fått eget kontrakt i Umeå.")
    guide.get_by_role("button", name="Spara förslaget").click()
    expect(guide.get_by_text("Förslaget till SIA-plan är sparat.")).to_be_visible()
    guide_context.close()

    page.get_by_label(FIELD).fill("Söker bostad via bostadskön.")
    page.get_by_role("button", name="Spara förslaget").click()
    conflict = page.get_by_role("alert").filter(has_text="Din ändring har inte sparats")
    expect(conflict).to_contain_text(
        "Någon annan har ändrat SIA-planen medan du arbetade. Din ändring har inte sparats."
    )
    expect(conflict).to_contain_text("Har fått eget kontrakt i Umeå.")
    expect(conflict).to_contain_text("Söker bostad via bostadskön.")
    expect(page.get_by_label(FIELD)).to_have_value("Söker bostad via bostadskön.")
    assert_accessible(page)
    plan.refresh_from_db()
    assert plan.assessment == "Har fått eget kontrakt i Umeå."

    page.get_by_role("button", name="Spara förslaget").click()
    expect(page.get_by_text("Förslaget till SIA-plan är sparat.")).to_be_visible()
    assert_accessible(page)
    plan.refresh_from_db()
    assert plan.assessment == "Söker bostad via bostadskön."
    assert SiaPlan.objects.filter(case=case).count() == 1
