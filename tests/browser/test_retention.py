"""Retention (gallring) in a real browser: the dry run and the disposal log.

A person whose case closed years ago is due. The deputy manager `chef` opens Gallring
from the menu, sees the person in the dry run, and reads the disposal log after the job
has run. Every page visited passes an axe-core check.
"""

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from sia.accounts.models import User
from sia.cases.models import Case
from sia.people.models import Person
from sia.retention.rules import RetentionRule
from sia.retention.services import run_retention

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CheckPage = Callable[[Page], None]


def sign_in(page: Page, base: str, user: User) -> None:
    """Sign in through a session made by the test client (the sign-in pages have tests of
    their own), and open the start page."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": base, "httpOnly": True}]
    )
    page.goto(f"{base}/")


def test_dry_run_and_disposal_log(
    request: pytest.FixtureRequest,
    staff: dict[str, User],
    make_person: Callable[..., Person],
    make_case: Callable[..., Case],
    page: Page,
    assert_accessible: CheckPage,
) -> None:
    with time_machine.travel(dt.datetime(2015, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        person = make_person(given_name="Gammal", date_of_birth=dt.date(1980, 1, 2))
        case = make_case(person)
        case.stage = Case.Stage.CLOSED
        case.closed_on = dt.date(2015, 3, 3)
        case.closing_reason = Case.ClosingReason.MOVED
        case.save()
    # The live server starts after the travel in time, so its clock is today's.
    base = str(request.getfixturevalue("live_server"))

    sign_in(page, base, staff["chef"])
    page.get_by_role("link", name="Gallring", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gallring: provkörning")
    expect(page.get_by_role("link", name=person.full_name)).to_be_visible()
    expect(page.get_by_role("cell", name="2015-03-03")).to_be_visible()
    assert_accessible(page)

    run_retention(rule=RetentionRule.configured(), dry_run=False)
    page.get_by_role("link", name="Gallringslogg", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gallringslogg")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Gallring per")
    expect(page.get_by_text("Gammal")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Provkörning", exact=True).click()
    expect(page.get_by_text("Ingen person som du har tillgång till gallras.")).to_be_visible()
    assert_accessible(page)
