"""The empty import files users download and fill in: the headers, and an example row."""

import csv
import io

from django.utils.translation import gettext as _

from sia.imports.columns import COLUMNS


def template_csv() -> bytes:
    """A semicolon-separated CSV with a BOM, as Excel in Sweden opens and saves it."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(c.header for c in COLUMNS)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """A workbook with the headers on the first sheet and what each column means on another."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 (a new workbook has one sheet)
    sheet.title = _("Ärenden")
    sheet.append([column.header for column in COLUMNS])
    help_sheet = workbook.create_sheet(_("Instruktioner"))
    help_sheet.append([_("Kolumn"), _("Krävs"), _("Beskrivning")])
    for column in COLUMNS:
        help_sheet.append(
            [column.header, _("ja") if column.required else _("nej"), str(column.help)]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
