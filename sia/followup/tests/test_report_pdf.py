"""The committee's report as PDF: title page, method note, every section's chart and
tables with the figures as the pages show them, page numbers."""

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from django.test import Client
from pypdf import PdfReader

from sia.followup.figures import (
    SUPPRESSED,
    Chart,
    Column,
    Dashboard,
    Section,
    Series,
    Table,
)
from sia.followup.filters import Filters
from sia.followup.report import committee_pdf

PERIOD = Filters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
TODAY = dt.date(2025, 1, 15)
# The first series' colour, Okabe–Ito blue #0072B2, as a PDF fill: 0/255, 114/255, 178/255.
BLUE_FILL = re.compile(rb"(^|\s)0 0\.4471 0\.698 rg")


def lead_times(*, with_chart: bool = True) -> Dashboard:
    table = Table(
        key="i-tid",
        title="Steg klara i tid",
        columns=[
            Column("step", "Steg", "text"),
            Column("done", "Klara", "count"),
            Column("in_time", "Andel i tid", "share"),
            Column("median", "Median dagar", "days"),
        ],
        rows=[
            # 47 klara, 0.47 → "47 %", median 12.5 days → "12,5".
            ["Kartläggning", 47, 0.47, 12.5],
            # 3 klara: hidden below 5, and so are the share and median from them.
            ["Bosättning", SUPPRESSED, SUPPRESSED, SUPPRESSED],
            # Nothing to compute from: a dash.
            ["Praktik", 0, None, None],
        ],
        note="Räknat på steg som blev klara under perioden.",
    )
    chart = Chart(
        kind="bar",
        title="Andel klara i tid per steg",
        x_labels=["Kartläggning", "Bosättning", "Praktik"],
        series=[
            Series("Kvinnor i diagrammet", [0.47, None, None]),
            Series("Män", [0.5, None, None]),
        ],
        y_percent=True,
    )
    waiting = Table(
        key="vantar",
        title="Steg som väntar",
        columns=[Column("step", "Steg", "text"), Column("open", "Öppna", "count")],
        rows=[["Kartläggning", 12]],
    )
    return Dashboard(
        key="ledtider",
        title="Ledtider",
        sections=[
            Section(
                key="i-tid",
                title="Klara i tid",
                description="Hur många steg som blev klara senast sitt måldatum.",
                table=table,
                chart=chart if with_chart else None,
                extra=[waiting],
            )
        ],
        suppress_below=5,
    )


def flow() -> Dashboard:
    table = Table(
        key="per-manad",
        title="Nya ärenden per månad",
        columns=[
            Column("month", "Månad", "text"),
            Column("new", "Nya", "count"),
            Column("balance", "Balans (nya minus avslutade)", "count"),
        ],
        rows=[["2024-01", 1234, 1200], ["2024-02", 8, -3]],
    )
    chart = Chart(
        "line", "Nya ärenden per månad", ["2024-01", "2024-02"], [Series("Nya", [1234.0, 8.0])]
    )
    return Dashboard(
        key="flode",
        title="Inflöde och utflöde",
        sections=[Section("nya", "Nya ärenden", "", table, chart)],
        suppress_below=5,
    )


def pages_text(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [(page.extract_text() or "").replace("\xa0", " ") for page in reader.pages]


def content_streams(pdf: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    return b"\n".join(page.get_contents().get_data() for page in reader.pages)  # type: ignore[union-attr]


def test_report_is_a_pdf_with_a_title_page_and_the_selection() -> None:
    pdf = committee_pdf([lead_times(), flow()], PERIOD, TODAY)

    assert pdf.startswith(b"%PDF")
    first = pages_text(pdf)[0]
    assert "Uppföljning av mottagandet av nyanlända – rapport till nämnden" in " ".join(
        first.split()
    )
    assert "Perioden 2024-01-01 – 2024-12-31" in first
    assert "Datum: 2025-01-15" in first
    assert "Enhet: Alla" in first
    assert "Kön: Alla" in first
    # The contents list every dashboard.
    assert "Ledtider" in first
    assert "Inflöde och utflöde" in first


def test_selection_names_the_filters_used() -> None:
    filters = Filters(
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 6, 30),
        gender="female",
        category="abo",
        split_gender=True,
    )
    first = pages_text(committee_pdf([lead_times()], filters, TODAY))[0]

    assert "Perioden 2024-01-01 – 2024-06-30" in first
    assert "Kön: Kvinna" in first
    assert "Ankomstkategori: ABO (anläggningsboende)" in first
    assert "Uppdelat efter kön: ja" in first


def test_method_note_explains_the_measures_and_the_suppression_limit() -> None:
    text = " ".join(" ".join(pages_text(committee_pdf([lead_times()], PERIOD, TODAY))).split())

    assert "Om siffrorna" in text
    assert "aktualiseringen (ärendets första kontakt)" in text
    assert "Kaplan–Meiers metod" in text
    assert "censurerade" in text
    # The limit is the dashboards' own: 5.
    assert "Antal under 5 visas som ”färre än 5”" in text
    assert "inga personuppgifter" in text


def test_sections_tables_and_figures_are_shown_as_on_the_page() -> None:
    text = "\n".join(pages_text(committee_pdf([lead_times(), flow()], PERIOD, TODAY)))

    assert "Klara i tid" in text
    assert "Hur många steg som blev klara senast sitt måldatum." in text
    assert "Steg klara i tid" in text  # the table's title
    assert "Steg Klara Andel i tid Median dagar" in text  # its headings
    assert "Kartläggning 47 47 % 12,5" in text
    assert "Bosättning färre än 5 färre än 5 färre än 5" in text
    assert "Praktik 0 – –" in text
    assert "Räknat på steg som blev klara under perioden." in text
    # The extra table of the section, and the next dashboard's.
    assert "Steg som väntar" in text
    assert "Kartläggning 12" in text
    assert "Inflöde och utflöde" in text
    assert "2024-01 1 234 1 200" in text
    # The minus sign, which the PDF's fonts lack, is written as a hyphen.
    assert "Balans (nya minus avslutade)" in text
    assert "2024-02 8 -3" in text


def test_every_page_is_numbered() -> None:
    pages = pages_text(committee_pdf([lead_times(), flow()], PERIOD, TODAY))

    # Title page, method note, one page per dashboard.
    assert len(pages) == 4
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av 4" in text


def test_charts_are_drawn_into_the_pdf() -> None:
    with_chart = committee_pdf([lead_times()], PERIOD, TODAY)
    without_chart = committee_pdf([lead_times(with_chart=False)], PERIOD, TODAY)

    text = "\n".join(pages_text(with_chart))
    # The chart's title, its percent axis and its legend are text of the page.
    assert "Andel klara i tid per steg" in text
    assert "100 %" in text
    assert "Kvinnor i diagrammet" in text
    # Its bars are vector drawing in the first series' colour.
    assert BLUE_FILL.search(content_streams(with_chart))
    assert not BLUE_FILL.search(content_streams(without_chart))
    assert "Kvinnor i diagrammet" not in "\n".join(pages_text(without_chart))


def test_empty_table_and_chart_say_there_is_nothing() -> None:
    empty = Dashboard(
        key="utfall",
        title="Utfall över tid",
        sections=[
            Section(
                "tom",
                "Egen försörjning",
                "",
                Table(
                    "tom", "Per kohort", [Column("c", "Kohort", "text"), Column("n", "Antal")], []
                ),
                Chart("step", "Andel självförsörjande", [], []),
            )
        ],
        suppress_below=5,
    )
    text = "\n".join(pages_text(committee_pdf([empty], PERIOD, TODAY)))

    assert "Inga uppgifter för urvalet." in text
    assert "Inga uppgifter att visa" in text


@pytest.mark.django_db
def test_manager_downloads_the_report(login: Callable[[str], Client]) -> None:
    response = login("chef").get("/uppfoljning/rapport.pdf?fran=2024-01-01&till=2024-12-31")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(pages_text(response.content))
    assert "Perioden 2024-01-01 – 2024-12-31" in text
    assert "Om siffrorna" in text
    assert "Ledtider" in text
    assert "Utvärdering" in text
