"""Agreeing a SIA plan someone changed after it was shown: the agreement is refused.

`socsek` shows the proposal to the newcomer; meanwhile the guide changes it. When
`socsek` presses "agree", the page answers 409 with the guide's change and nothing is
agreed; back on the plan page she reads the change and agrees the version now shown.
Every page visited passes an axe-core check.
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from sia.accounts.models import User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.plans import services
from sia.plans.models import SiaPlan
from tests.browser.test_collaboration import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CheckPage = Callable[[Page], None]


def test_agreeing_a_plan_changed_after_it_was_shown_is_refused_with_the_change_shown(
    live_server: object,
    make_case: Callable[..., Case],
    staff: dict[str, User],
    page: Page,
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
    log_in(page, base, "socsek")
    page.goto(f"{base}/arenden/{case.pk}/sia-plan/")
    expect(page.get_by_role("region", name="Version 1 (Förslag)")).to_contain_text("Bor hos släkt.")

    services.update_proposal(
        case_id=case.pk,
        plan_id=plan.pk,
        changed_by=staff["vagledare1"],
        channel=Channel.SYSTEM,
        assessment="Har fått eget kontrakt i Umeå.",
        expected_version=plan.lock_version,
    )
    page.get_by_role("button", name="Markera som överenskommen").click()

    conflict = page.get_by_role("alert").filter(has_text="Din ändring har inte sparats")
    expect(conflict).to_contain_text(
        "Någon annan har ändrat SIA-planen medan du arbetade. Din ändring har inte sparats."
    )
    expect(conflict).to_contain_text("Har fått eget kontrakt i Umeå.")
    assert_accessible(page)
    plan.refresh_from_db()
    assert plan.status == SiaPlan.Status.PROPOSED

    page.get_by_role("link", name="Tillbaka").click()
    latest = page.get_by_role("region", name="Version 1 (Förslag)")
    expect(latest).to_contain_text("Har fått eget kontrakt i Umeå.")
    page.get_by_role("button", name="Markera som överenskommen").click()
    expect(page.get_by_text("SIA-planen är överenskommen.")).to_be_visible()
    assert_accessible(page)
    plan.refresh_from_db()
    assert plan.status == SiaPlan.Status.AGREED
    assert plan.assessment == "Har fått eget kontrakt i Umeå."
