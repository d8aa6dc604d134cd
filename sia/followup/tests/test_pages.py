"""The dashboards as pages, API and files: what a manager and an analyst get, that the
files hold the page's figures with the same suppression, that a wrong filter is refused
with a clear message and leaves nothing behind, and that every view is audited."""

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from sia.accounts.models import Unit, User
from sia.audit.models import AuditAction, AuditEvent
from sia.cases.models import Case
from sia.followup.dashboards import DASHBOARDS

PERIOD = {"fran": "2026-01-01", "till": "2026-03-31"}


def _set(case: Case, **fields: Any) -> None:
    Case.objects.filter(pk=case.pk).update(**fields)


@pytest.fixture
def cases(make_case: Any, make_person: Any) -> None:
    """Six cases new in January 2026 (five women, one man), one of them closed in March."""
    for _n in range(5):
        _set(make_case(), first_contact_date=dt.date(2026, 1, 12))
    man = make_case(make_person(gender="male"))
    _set(
        man,
        first_contact_date=dt.date(2026, 1, 14),
        closed_on=dt.date(2026, 3, 2),
        stage=Case.Stage.CLOSED,
        closing_reason=Case.ClosingReason.MOVED,
    )


def _reports(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


@pytest.mark.parametrize("slug", [kind.slug for kind in DASHBOARDS])
def test_each_dashboard_shows_its_charts_and_tables_to_the_manager(
    slug: str, login: Callable[[str], Client], staff: dict[str, User], cases: None
) -> None:
    response = login("chef").get(f"/uppfoljning/{slug}/", PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    assert 'role="img"' in page
    assert "<caption id=" in page
    assert "Ladda ner alla tabeller som Excel" in page
    assert 'aria-current="page"' in page
    (event,) = _reports(AuditAction.REPORT_VIEWED)
    assert event.actor == staff["chef"]
    assert event.changes["dashboard"] == slug
    assert event.changes["fran"] == "2026-01-01"
    assert event.person_id is None


def test_the_flow_page_shows_the_months_figures(
    login: Callable[[str], Client], cases: None
) -> None:
    page = login("chef").get("/uppfoljning/flode/", PERIOD).content.decode()
    # January: six new, none closed, balance six, six open at the month's end.
    assert '<th scope="row">2026-01</th>' in page
    assert '<td class="num">6</td>' in page


def test_the_analyst_sees_small_counts_hidden_on_the_page(
    login: Callable[[str], Client], cases: None
) -> None:
    page = login("analytiker").get("/uppfoljning/flode/", PERIOD).content.decode()
    # The one man closed in March is one person: hidden. No worker is named.
    assert "färre än 5" in page
    assert "Öppna ärenden per handläggare" not in page
    assert "Ärendemängd per roll" in page


def test_the_csv_holds_the_table_as_shown(login: Callable[[str], Client], cases: None) -> None:
    response = login("analytiker").get(
        "/uppfoljning/flode/export.csv", {**PERIOD, "tabell": "inflode-utflode"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Månad",
        "Nya ärenden",
        "Avslutade ärenden",
        "Balans (nya minus avslutade)",
    ]
    # January: six new, shown to the analyst rounded to five; March: one closed (hidden),
    # so its balance is hidden too.
    assert rows[1] == ["2026-01", "5", "0", "5"]
    assert rows[3] == ["2026-03", "0", "färre än 5", "färre än 5"]
    (event,) = _reports(AuditAction.REPORT_EXPORTED)
    assert event.changes["format"] == "csv"


def test_an_unknown_table_is_not_found(login: Callable[[str], Client], cases: None) -> None:
    response = login("chef").get("/uppfoljning/flode/export.csv", {"tabell": "finns-inte"})
    assert response.status_code == 404
    assert not _reports(AuditAction.REPORT_EXPORTED)


def test_the_excel_workbook_has_a_sheet_per_table_with_numbers(
    login: Callable[[str], Client], cases: None
) -> None:
    response = login("analytiker").get("/uppfoljning/flode/export.xlsx", PERIOD)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0].startswith("Nya och avslutade ärenden")
    sheet = workbook[workbook.sheetnames[0]]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = values.index(
        [
            "Månad",
            "Nya ärenden",
            "Avslutade ärenden",
            "Balans (nya minus avslutade)",
        ]
    )
    # The sheet says what the figures are limited to.
    assert ["Period: 2026-01-01 – 2026-03-31"] in [row[:1] for row in values]
    assert ["Enhet: Alla"] in [row[:1] for row in values]
    # Counts are numbers a spreadsheet can sum; hidden ones are the page's text.
    assert values[header + 1] == ["2026-01", 5, 0, 5]
    assert values[header + 3] == ["2026-03", 0, "färre än 5", "färre än 5"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"fran": "2026-03-01", "till": "2026-01-01"},
            "Slutdatumet kan inte vara före startdatumet.",
        ),
        ({"fran": "inte-ett-datum"}, "Fyll i ett giltigt datum."),
        ({"till": "2099-01-01"}, "Slutdatumet ligger för långt fram i tiden."),
        ({"fran": "2000-01-01", "till": "2026-01-01"}, "Perioden kan vara högst 15 år."),
        ({"fran": "1900-01-01", "till": "1900-02-01"}, "Perioden kan inte börja före 1990-01-01."),
        ({"fran": "0001-01-01", "till": "0001-01-02"}, "Perioden kan inte börja före 1990-01-01."),
        ({"insats": "finns-inte"}, "Välj ett giltigt alternativ."),
        ({"kategori": "<script>"}, "Välj ett giltigt alternativ."),
        ({"kon": "x"}, "Välj ett giltigt alternativ."),
        ({"enhet": "not-a-uuid"}, "är inget giltigt UUID."),
    ],
)
def test_a_wrong_filter_is_refused_with_a_message_and_nothing_recorded(
    query: dict[str, str], message: str, login: Callable[[str], Client], cases: None
) -> None:
    client = login("chef")
    for url in (
        "/uppfoljning/flode/",
        "/uppfoljning/flode/export.xlsx",
        "/uppfoljning/rapport.pdf",
    ):
        response = client.get(url, query)
        assert response.status_code == 400, url
        assert message in response.content.decode()
    assert not AuditEvent.objects.filter(
        action__in=[AuditAction.REPORT_VIEWED, AuditAction.REPORT_EXPORTED]
    ).exists()


@pytest.mark.parametrize(
    "query",
    [
        {"fran": "2024-01-01", "till": "2024-02-29"},
        {"fran": "2024-02-29", "till": "2026-02-28"},
        {"fran": "2011-03-01", "till": "2026-02-28"},
    ],
)
def test_leap_days_and_a_full_fifteen_years_are_accepted(
    query: dict[str, str], login: Callable[[str], Client], cases: None
) -> None:
    response = login("chef").get("/uppfoljning/flode/", query)
    assert response.status_code == 200


def test_a_unit_outside_the_managers_scope_is_refused(
    login: Callable[[str], Client], units: dict[str, Unit], cases: None
) -> None:
    # chef manages the reception unit only; the integration group is not theirs to count.
    response = login("chef").get(
        "/uppfoljning/flode/", {"enhet": str(units["Integrationsgruppen"].pk)}
    )
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ." in response.content.decode()


def test_the_api_gives_the_tables_with_suppressed_cells_marked(
    api_as: Callable[[str], APIClient], cases: None
) -> None:
    response = api_as("analytiker").get("/api/v1/followup/flode/", PERIOD)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["suppress_below"] == 5
    table = next(t for t in data["tables"] if t["key"] == "inflode-utflode")
    assert [c["key"] for c in table["columns"]] == ["month", "new", "closed", "balance"]
    march = table["rows"][2]
    assert march[0] == {"value": "2026-03", "suppressed": False}
    assert march[2] == {"value": None, "suppressed": True}


def test_the_api_refuses_a_wrong_filter_with_400(
    api_as: Callable[[str], APIClient], cases: None
) -> None:
    response = api_as("chef").get(
        "/api/v1/followup/flode/", {"fran": "2026-03-01", "till": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "till" in response.json()
    assert not _reports(AuditAction.REPORT_VIEWED)


def test_the_split_by_gender_adds_a_gender_column(
    login: Callable[[str], Client], cases: None
) -> None:
    page = login("chef").get("/uppfoljning/flode/", {**PERIOD, "per_kon": "1"}).content.decode()
    assert '<th scope="col">Kön</th>' in page
    assert '<th scope="row">Man</th>' in page


def test_the_pages_speak_english_on_request(login: Callable[[str], Client], cases: None) -> None:
    client = login("chef")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/uppfoljning/flode/", PERIOD).content.decode()
    assert "Inflow and outflow" in page


def test_the_committee_report_is_suppressed_even_for_the_manager(
    login: Callable[[str], Client], staff: dict[str, User], cases: None
) -> None:
    from pypdf import PdfReader

    response = login("chef").get("/uppfoljning/rapport.pdf", PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    # Every dashboard is in it, with its tables; the one man closed in March is hidden,
    # and no worker is named although the manager sees names on the page.
    for kind in DASHBOARDS:
        assert str(kind.title) in text
    assert "Nya och avslutade ärenden per månad" in text
    assert "färre än 5" in text
    assert staff["vagledare1"].last_name not in text
    assert "Ärendemängd per roll" in text
    (event,) = _reports(AuditAction.REPORT_EXPORTED)
    assert event.changes["dashboard"] == "committee"
    assert event.changes["format"] == "pdf"


def test_the_analyst_counts_whole_months_only(login: Callable[[str], Client], cases: None) -> None:
    # A period of one day would tell, against the day before, what happened that day.
    page = login("analytiker").get(
        "/uppfoljning/flode/", {"fran": "2026-01-12", "till": "2026-01-12"}
    )
    assert page.status_code == 200
    assert "Perioden 2026-01-01 – 2026-01-31." in page.content.decode()
    # The manager counts the day asked for.
    page = login("chef").get("/uppfoljning/flode/", {"fran": "2026-01-12", "till": "2026-01-12"})
    assert "Perioden 2026-01-12 – 2026-01-12." in page.content.decode()
