"""The committee's report (rapport till nämnden) as PDF: a title page with the
selection, a note on method, then every dashboard with its charts and tables.

The report is meant to leave the unit, so its dashboards are built suppressed (see
`views.committee_report`); it shows figures exactly as the pages do
(`figures.format_value`) and holds no personal data. Texts are drawn with fpdf2's
built-in fonts, as the plan PDF is (`sia.plans.pdf`); the charts are the pages' SVG
drawings (`charts.svg_for_print`), embedded as vectors.
"""

import datetime as dt
import io

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FontFace

from sia.accounts.models import Unit
from sia.core.pdf import FONT, INK, MUTED, ReportPdf, report_text
from sia.followup.charts import svg_for_print
from sia.followup.figures import Chart, Dashboard, Section, Table, format_value, label_of
from sia.followup.filters import Filters, programme_choices
from sia.people.models import ArrivalCategory, Gender

BAND = (243, 245, 247)
# Charts are 600 units wide: at 160 mm their 13-unit texts come out at about 10 pt.
CHART_WIDTH = 160.0
# Text drawn inside an SVG is measured with the built-in fonts' Latin-1 widths, so the
# few Windows-1252 letters outside Latin-1 are written as their plain equivalents there.
_SVG_PLAIN = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2022": "-",
        "\u20ac": "EUR",
    }
)


def svg_text(text: str) -> str:
    """Text for a chart drawn into the PDF: what the built-in fonts can measure."""
    plain = report_text(text).translate(_SVG_PLAIN)
    return "".join(char if ord(char) < 256 else "?" for char in plain)


def selection_lines(filters: Filters) -> list[str]:
    """What the figures are limited to, in words."""
    everything = _("Alla")
    unit = everything
    if filters.unit_id is not None:
        found = Unit.objects.filter(pk=filters.unit_id).values_list("name", flat=True).first()
        unit = found or everything
    programme = label_of(programme_choices(), filters.programme) if filters.programme else ""
    category = label_of(ArrivalCategory.choices, filters.category) if filters.category else ""
    gender = label_of(Gender.choices, filters.gender) if filters.gender else ""
    return [
        _("Enhet: %(unit)s") % {"unit": unit},
        _("Insats: %(programme)s") % {"programme": programme or _("Alla ärenden")},
        _("Ankomstkategori: %(category)s") % {"category": category or everything},
        _("Kön: %(gender)s") % {"gender": gender or everything},
        _("Uppdelat efter kön: %(split)s")
        % {"split": _("ja") if filters.split_gender else _("nej")},
    ]


def method_paragraphs(suppress_below: int | None) -> list[tuple[str, str]]:
    """The note on method: (heading, text) per measure, then suppression."""
    if suppress_below is None:
        hidden = _("Inga siffror är dolda i den här rapporten.")
    else:
        hidden = _(
            "Antal under %(n)s visas som ”färre än %(n)s”, och det gör också andelar, "
            "medianer och andra mått som räknats på färre än %(n)s personer, och andelar "
            "som skulle avslöja ett antal under %(n)s. Övriga antal är avrundade till "
            "närmaste %(base)s-tal, så att skillnaden mellan två tabeller eller urval inte "
            "kan avslöja ett dolt antal; därför stämmer summor inte alltid exakt. Andelar "
            "är räknade på de avrundade antalen, andelar enligt Kaplan–Meier är avrundade "
            "till närmaste 5 procentenheter och räkneperioden är hela månader."
        ) % {"n": suppress_below, "base": settings.SIA_ROUND_COUNTS_TO}
    return [
        (
            _("Ledtider"),
            _(
                "Ledtiden är antalet dagar från aktualiseringen (ärendets första kontakt) "
                "till den dag steget blev klart. Målet är stegets sista datum: ett steg är "
                "klart i tid om det blev klart senast den dagen. Median och kvartiler räknas "
                "på de steg som blev klara under perioden."
            ),
        ),
        (
            _("Inflöde och utflöde"),
            _(
                "Inflödet är ärenden med första kontakt under månaden, utflödet ärenden som "
                "avslutades under månaden. Öppna ärenden är ärenden som inte var avslutade."
            ),
        ),
        (
            _("Tid till egen försörjning och eget kontrakt"),
            _(
                "Andelen som nått egen försörjning eller eget kontrakt räknas med "
                "Kaplan–Meiers metod, som tid från första kontakt. Ärenden som fortfarande "
                "är öppna räknas fram till i dag, och ärenden som avslutats utan att målet "
                "nåtts räknas fram till avslutsdagen (de är censurerade). Ärenden där "
                "personen redan var självförsörjande, eller redan hade eget kontrakt, vid "
                "ingången är inte med i det måttet."
            ),
        ),
        (
            _("Utvärdering"),
            _(
                "Utvärderingen följer en kohort: ingångsvärdena (baslinjen) jämförs med "
                "samma mått efter år ett och år två räknat från baslinjen."
            ),
        ),
        (_("Små antal"), hidden),
        (
            _("Personuppgifter"),
            _(
                "Rapporten innehåller inga personuppgifter, bara antal, andelar och andra "
                "mått på gruppnivå. Ett streck (–) betyder att det inte finns något att räkna "
                "på."
            ),
        ),
    ]


def _title_page(
    pdf: ReportPdf, dashboards: list[Dashboard], filters: Filters, today: dt.date
) -> None:
    pdf.add_page()
    pdf.ln(30)
    pdf.heading(_("Uppföljning av mottagandet av nyanlända – rapport till nämnden"), 22)
    pdf.ln(4)
    pdf.set_text_color(*MUTED)
    pdf.paragraph(
        _("Perioden %(start)s – %(end)s")
        % {"start": filters.date_from.isoformat(), "end": filters.date_to.isoformat()},
        13,
    )
    pdf.paragraph(_("Datum: %(day)s") % {"day": today.isoformat()}, 13)
    pdf.set_text_color(*INK)
    pdf.ln(8)
    pdf.heading(_("Urval"), 13)
    for line in selection_lines(filters):
        pdf.paragraph(line, 10)
    pdf.ln(6)
    pdf.heading(_("Innehåll"), 13)
    for dashboard in dashboards:
        pdf.paragraph(dashboard.title, 10)


def _method_note(pdf: ReportPdf, suppress_below: int | None) -> None:
    pdf.add_page()
    pdf.heading(_("Om siffrorna"), 16)
    for heading, text in method_paragraphs(suppress_below):
        pdf.keep_room(18)
        pdf.paragraph(heading, 10, "B")
        pdf.paragraph(text, 10)


def _chart(pdf: ReportPdf, chart: Chart, markup: str, height: float) -> None:
    pdf.keep_room(height + 8)
    pdf.paragraph(chart.title, 9, "B")
    pdf.image(io.BytesIO(markup.encode("utf-8")), x=pdf.l_margin, w=CHART_WIDTH, h=height)
    pdf.ln(3)


def _col_widths(table: Table) -> tuple[float, ...]:
    """Row headings twice as wide as figures."""
    return tuple(2.0 if i < table.heading_columns else 1.0 for i in range(len(table.columns)))


def _table(pdf: ReportPdf, table: Table, limit: int | None) -> None:
    pdf.keep_room(24)
    pdf.paragraph(table.title, 10, "B")
    size = 9 if len(table.columns) <= 7 else 7
    pdf.set_font(FONT, "", size)
    headings = FontFace(emphasis="BOLD", fill_color=BAND)
    with pdf.table(
        col_widths=_col_widths(table),
        width=pdf.epw,
        text_align="LEFT",
        headings_style=headings,
        line_height=size * 0.5,
        padding=1,
    ) as grid:
        heading_row = grid.row()
        for column in table.columns:
            heading_row.cell(
                report_text(column.label), align="LEFT" if column.kind == "text" else "RIGHT"
            )
        for values in table.rows:
            row = grid.row()
            for value, column in zip(values, table.columns, strict=True):
                row.cell(
                    report_text(format_value(value, column.kind, limit)),
                    align="LEFT" if column.kind == "text" else "RIGHT",
                )
        if not table.rows:
            grid.row().cell(
                report_text(_("Inga uppgifter för urvalet.")), colspan=len(table.columns)
            )
    if table.note:
        pdf.paragraph(table.note, 8)
    pdf.ln(3)


def _section(pdf: ReportPdf, section: Section, limit: int | None) -> None:
    drawing = None
    if section.chart is not None:
        drawing = svg_for_print(section.chart, text=svg_text, width_mm=CHART_WIDTH)
    # Keep the heading with the chart (or the start of the table) that follows it.
    pdf.keep_room(30 + (drawing[1] if drawing else 0))
    pdf.heading(section.title, 13)
    if section.description:
        pdf.paragraph(section.description, 10)
    if section.chart is not None and drawing is not None:
        _chart(pdf, section.chart, *drawing)
    for table in section.tables:
        _table(pdf, table, limit)
    pdf.ln(4)


def committee_pdf(dashboards: list[Dashboard], filters: Filters, today: dt.date) -> bytes:
    """Draw the committee's report: title page, note on method, then each dashboard
    (its sections' charts and tables), with page numbers in the footer."""
    limit = dashboards[0].suppress_below if dashboards else None
    footer = _("Rapport till nämnden, %(start)s – %(end)s") % {
        "start": filters.date_from.isoformat(),
        "end": filters.date_to.isoformat(),
    }
    pdf = ReportPdf(footer)
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    title = _("Uppföljning av mottagandet av nyanlända – rapport till nämnden")
    pdf.set_title(report_text(title))
    pdf.set_lang("sv")
    pdf.set_text_color(*INK)
    _title_page(pdf, dashboards, filters, today)
    _method_note(pdf, limit)
    for dashboard in dashboards:
        pdf.add_page()
        pdf.heading(dashboard.title, 18)
        for section in dashboard.sections:
            _section(pdf, section, dashboard.suppress_below)
    return bytes(pdf.output())
