"""The base of the PDFs that leave SIA as reports (the committee's report, the register
extract): A4 pages drawn with fpdf2's built-in fonts, a footer with a text and the page
number, headings and paragraphs.

The built-in fonts cover Windows-1252 only (Swedish letters included). `pdf_text`
writes other letters without their accents where possible and as "?" otherwise, so a
name in another script never breaks a download (the SIA plan uses it too); `report_text`
first writes a few signs as their plain equivalents.
"""

import unicodedata

from django.utils.translation import gettext as _
from fpdf import FPDF

ENCODING = "windows-1252"


def pdf_text(text: str) -> str:
    """Return the text with every character the built-in fonts cannot draw replaced."""
    return "".join(_drawable(char) for char in text)


def _drawable(char: str) -> str:
    if char in "\n\t" or _encodes(char):
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if _encodes(c))
    base = "".join(c for c in base if not unicodedata.combining(c))
    return base or "?"


def _encodes(char: str) -> bool:
    try:
        char.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return unicodedata.category(char) != "Cc"


FONT = "Helvetica"
INK = (27, 31, 36)
MUTED = (75, 85, 99)

# Signs with a plain equivalent the built-in fonts have (Windows-1252 has no minus sign).
_PLAIN = str.maketrans({"\u2212": "-", "\u2011": "-", "\u2009": " ", "\u202f": "\xa0"})


def report_text(text: str) -> str:
    """Text for a report PDF: what the built-in fonts can draw."""
    return pdf_text(text.translate(_PLAIN))


class ReportPdf(FPDF):
    """A4 pages with `footer_text` and the page number in the footer."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = ENCODING
        self.footer_text = footer_text

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, report_text(self.footer_text), align="L")
        self.set_x(self.l_margin)
        page = _("Sida %(page)s av %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 6, report_text(page), align="R")
        self.set_text_color(*INK)

    def heading(self, text: str, size: float) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, report_text(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(size * 0.2)

    def paragraph(self, text: str, size: float = 10, style: str = "") -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, size * 0.5, report_text(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(size * 0.2)

    def keep_room(self, height: float) -> None:
        """Start a new page unless `height` mm fit on this one."""
        if self.will_page_break(height):
            self.add_page()
