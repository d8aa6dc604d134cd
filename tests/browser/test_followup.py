"""Follow-up dashboards in a real browser.

The deputy manager `chef` opens *Uppföljning*, every dashboard with its SVG charts and
tables, splits the figures by gender with the filter form, and downloads the Excel
workbook and the committee's PDF report, whose text holds the tables and the charts'
titles. The analyst sees the same page with small counts hidden. Every page visited
passes an axe-core check.
"""

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from sia.accounts.models import User
from sia.cases.models import Case
from sia.establishment.models import CaseOutcome
from sia.followup.dashboards import DASHBOARDS
from tests.browser.test_collaboration import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CheckPage = Callable[[Page], None]


def _cases(make_case: Callable[..., Case], make_person: Callable[..., object], by: User) -> None:
    """Seven cases over the last year, three of them self-sufficient at known days."""
    today = timezone.localdate()
    for n in range(7):
        case = make_case(make_person(gender="male" if n % 3 == 0 else "female"))
        first = today - dt.timedelta(days=40 * (n + 1))
        Case.objects.filter(pk=case.pk).update(first_contact_date=first)
        CaseOutcome.objects.create(
            case=case,
            baseline_on=first,
            baseline_self_sufficient=False,
            baseline_own_lease=False,
            baseline_concern_reports=0,
            self_sufficient_on=first + dt.timedelta(days=30 * n) if n % 2 else None,
            updated_by=by,
        )


def test_dashboards_filters_and_files(
    live_server: object,
    staff: dict[str, User],
    make_case: Callable[..., Case],
    make_person: Callable[..., object],
    page: Page,
    browser: Browser,
    assert_accessible: CheckPage,
) -> None:
    base = str(live_server)
    _cases(make_case, make_person, staff["socsek"])
    log_in(page, base, "chef")
    page.get_by_role("link", name="Uppföljning").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljning och utvärdering")
    assert_accessible(page)

    for kind in DASHBOARDS:
        page.goto(f"{base}/uppfoljning/{kind.slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(str(kind.title))
        expect(page.locator("svg[role=img]").first).to_be_visible()
        expect(page.locator("table caption").first).to_be_visible()
        assert_accessible(page)

    page.goto(f"{base}/uppfoljning/flode/")
    page.get_by_label("Dela upp efter kön").check()
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("columnheader", name="Kön").first).to_be_visible()
    expect(page.get_by_role("rowheader", name="Man").first).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as excel:
        page.get_by_role("link", name="Ladda ner alla tabeller som Excel").click()
    assert excel.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(excel.value.path().read_bytes()))
    assert len(workbook.sheetnames) >= 4

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Rapport till nämnden (PDF)").click()
    with open(pdf.value.path(), "rb") as file:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(file.read())).pages)
    for kind in DASHBOARDS:
        assert str(kind.title) in text
    assert "Nya och avslutade ärenden per månad" in text

    # A wrong filter: the message is shown next to the field, and the page still passes axe.
    page.get_by_label("Från och med").fill("2026-05-01")
    page.get_by_label("Till och med").fill("2026-01-01")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_text("Slutdatumet kan inte vara före startdatumet.")).to_be_visible()
    assert_accessible(page)

    analyst_context = browser.new_context(locale="sv-SE")
    analyst = analyst_context.new_page()
    analyst.set_default_timeout(10_000)
    log_in(analyst, base, "analytiker")
    analyst.goto(f"{base}/uppfoljning/utfall/")
    expect(analyst.get_by_text("färre än 5").first).to_be_visible()
    assert_accessible(analyst)
    analyst_context.close()
