"""The register extract (see `sia.people.extract`) as a PDF for the person: a title page
with the person's name, the date, the controller, what the extract covers and the
person's rights, then each section with its records, and page numbers in the footer.

Texts are drawn with fpdf2's built-in fonts (`sia.core.pdf`), as the plan PDF is
(`sia.plans.pdf`): letters outside Windows-1252 are written without accents or as "?",
so a name in another script never breaks the download. The JSON file holds every
character.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from sia.core.pdf import FONT, INK, ReportPdf, report_text
from sia.people.extract import RegisterExtract
from sia.people.extract_records import ExtractRecord, Value

LINE = 4.6
# Lists of short items (languages, life areas) on one line; longer items (answers) one a line.
SHORT_ITEM = 40


def format_value(value: Value) -> str:
    """Return a field's value as the PDF shows it."""
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        short = all(len(item) <= SHORT_ITEM for item in value)
        return ", ".join(value) if short else "\n".join(f"- {item}" for item in value)
    return "" if value is None else str(value)


class _ExtractPdf(ReportPdf):
    """A4 pages with the person's name and the page number in the footer."""

    def labelled(self, label: str, value: str) -> None:
        self.set_x(self.l_margin + 4)
        self.set_font(FONT, "B", 9)
        self.write(LINE, report_text(f"{label}: "))
        self.set_font(FONT, "", 9)
        self.write(LINE, report_text(value))
        self.ln(LINE)


def _title_page(pdf: _ExtractPdf, extract: RegisterExtract) -> None:
    pdf.add_page()
    pdf.ln(20)
    pdf.heading(_("Registerutdrag"), 24)
    pdf.paragraph(_("enligt artikel 15 i dataskyddsförordningen (GDPR)"), 12)
    pdf.ln(4)
    pdf.paragraph(extract.person_name, 16, "B")
    pdf.paragraph(_("Datum: %(day)s") % {"day": extract.produced_at.date().isoformat()}, 11)
    pdf.paragraph(_("Personuppgiftsansvarig: %(controller)s") % {"controller": extract.controller})
    pdf.ln(4)
    pdf.heading(_("Vad utdraget omfattar"), 13)
    pdf.paragraph(
        _(
            "Utdraget visar alla uppgifter om dig som finns i verksamhetssystemet SIA för "
            "mottagande av nyanlända: dina personuppgifter, dina ärenden och allt som har "
            "dokumenterats i dem, dina samtycken, vilka andra organisationer som har fått "
            "uppgifter om dig och en sammanställning av vem som har läst eller ändrat "
            "uppgifterna (dag, organisation, enhet, roll och åtgärd). Medarbetare anges med "
            "roll och enhet. Uppgifter om andra personer ingår inte."
        )
    )
    held = [f"{s.title} ({len(s.records)})" for s in extract.sections if s.records]
    empty = [s.title for s in extract.sections if not s.records]
    pdf.paragraph(_("Utdraget innehåller: %(kinds)s.") % {"kinds": ", ".join(held)}, 9)
    if empty:
        none = ", ".join(empty)
        pdf.paragraph(_("Det finns inga uppgifter av slagen: %(kinds)s.") % {"kinds": none}, 9)
    pdf.ln(2)
    pdf.heading(_("Dina rättigheter"), 13)
    pdf.paragraph(
        _(
            "Uppgifterna behandlas för att handlägga ditt ärende inom socialtjänsten. De "
            "gallras enligt socialtjänstens regler om bevarande och gallring. Du har rätt "
            "att begära att felaktiga uppgifter rättas och att behandlingen begränsas. Om "
            "du är missnöjd med hur uppgifterna behandlas kan du kontakta nämndens "
            "dataskyddsombud eller klaga hos Integritetsskyddsmyndigheten (IMY)."
        )
    )


def _record(pdf: _ExtractPdf, record: ExtractRecord) -> None:
    pdf.keep_room(3 * LINE + 4)
    pdf.paragraph(record.title, 10, "B")
    for field in record.fields:
        pdf.labelled(field.label, format_value(field.value))
    pdf.ln(2)


def extract_pdf(extract: RegisterExtract) -> bytes:
    """Draw the extract: title page, then every section that holds records."""
    footer = _("Registerutdrag för %(name)s, %(day)s") % {
        "name": extract.person_name,
        "day": extract.produced_at.date().isoformat(),
    }
    pdf = _ExtractPdf(footer)
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(report_text(_("Registerutdrag")))
    pdf.set_lang("sv")
    pdf.set_text_color(*INK)
    _title_page(pdf, extract)
    pdf.add_page()
    for section in extract.sections:
        if not section.records:
            continue
        pdf.keep_room(30)
        pdf.heading(section.title, 14)
        for record in section.records:
            _record(pdf, record)
        pdf.ln(3)
    return bytes(pdf.output())
