"""Two-factor sign-in end to end in a real browser.

A reception social worker without an app signs in with the password, is sent to
enrolment, reads the secret shown as text (as if typing it into an app), confirms with
the app's code and is shown ten recovery codes once. Then: a sign-in with the app's code,
a sign-in with a recovery code, and the same recovery code refused the second time.
Every page passes an axe-core check, with no Content-Security-Policy violation.
"""

import re
from base64 import b32decode
from collections.abc import Callable

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent
from tests.browser.conftest import (
    authenticator_code,
    enter_code,
    pass_second_factor,
    submit_password,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CheckPage = Callable[[Page], None]
CODE_PATTERN = re.compile(r"^[a-z0-9]{5}-[a-z0-9]{5}$")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


def code_from_secret(secret: str) -> str:
    """What an app shows now, given the secret typed into it by hand."""
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def test_enrol_then_sign_in_with_the_app_and_with_a_recovery_code_once(
    page: Page,
    live_server: object,
    staff: dict[str, User],
    assert_accessible: CheckPage,
    csp_violations: list[str],
) -> None:
    base = str(live_server)
    TOTPDevice.objects.filter(user=staff["socsek"]).delete()  # a user who has no app yet

    submit_password(page, base, "socsek", next_url="/arenden/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivera tvåstegsverifiering")
    expect(page.get_by_role("img", name="QR-kod")).to_be_visible()
    expect(page.get_by_role("navigation", name="Huvudmeny").get_by_role("link")).to_have_count(0)
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Kod från appen").fill(code_from_secret(secret))
    page.get_by_role("button", name="Bekräfta").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dina reservkoder")
    codes = page.get_by_role("list", name="Reservkoder").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    assert all(CODE_PATTERN.match(code) for code in codes)
    assert_accessible(page)
    page.get_by_role("link", name="Jag har sparat koderna – fortsätt").click()
    expect(page).to_have_url(f"{base}/arenden/")
    log_out(page)

    submit_password(page, base, "socsek")
    assert_accessible(page)
    pass_second_factor(page, "socsek")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    log_out(page)

    submit_password(page, base, "socsek")
    enter_code(page, codes[0])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    expect(page.get_by_role("status")).to_have_text(
        "Du loggade in med en reservkod. Du har 9 reservkoder kvar."
    )
    log_out(page)

    submit_password(page, base, "socsek")
    enter_code(page, codes[0])
    expect(page.get_by_role("alert")).to_contain_text("Koden stämmer inte.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    assert_accessible(page)

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditAction.MFA_ENROLLED, AuditAction.MFA_RECOVERY_USED} <= actions
    assert csp_violations == []


def test_the_account_page_renews_recovery_codes_and_changes_the_app(
    page: Page,
    live_server: object,
    staff: dict[str, User],
    assert_accessible: CheckPage,
    csp_violations: list[str],
) -> None:
    base = str(live_server)
    submit_password(page, base, "socsek")
    pass_second_factor(page, "socsek")
    page.get_by_role("link", name="Tvåstegsverifiering: reservkoder och byte av app").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    expect(page.get_by_text("Med kod från appen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Skapa nya reservkoder").click()
    expect(
        page.get_by_text("Du har fått nya reservkoder. De gamla fungerar inte längre.")
    ).to_be_visible()
    expect(page.get_by_role("list", name="Reservkoder").get_by_role("listitem")).to_have_count(10)
    assert_accessible(page)

    page.goto(f"{base}/konto/tvastegsverifiering/")
    page.get_by_label("Kod", exact=True).fill(authenticator_code("socsek"))
    page.get_by_role("button", name="Fortsätt till ny app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivera tvåstegsverifiering")
    expect(page.get_by_text("Den gamla appen")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Kod från appen").fill(code_from_secret(secret))
    page.get_by_role("button", name="Bekräfta").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dina reservkoder")
    [device] = TOTPDevice.objects.filter(user=staff["socsek"])
    assert device.confirmed
    assert AuditEvent.objects.filter(action=AuditAction.MFA_ENROLLED).count() == 1
    assert csp_violations == []
