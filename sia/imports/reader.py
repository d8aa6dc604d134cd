"""Read the rows of a checked CSV or XLSX file, numbered as the user sees them.

Row 1 is the header row. Blank rows are skipped but keep their number, so "row 7" is the
seventh row in Excel or the seventh record of the CSV file.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sia.core.uploads import CheckedUpload, UploadKind, UploadRefused

DEFAULT_MAX_ROWS = 500


def max_rows() -> int:
    """The most data rows one import may hold, from SIA_IMPORT_MAX_ROWS."""
    return int(getattr(settings, "SIA_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


@dataclass(frozen=True)
class Sheet:
    """A file's header row and its non-blank data rows as (row number, cells)."""

    header: list[Any]
    header_number: int
    rows: list[tuple[int, list[Any]]]


def _blank(cells: list[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def _csv_rows(upload: CheckedUpload) -> Iterator[list[Any]]:
    yield from csv.reader(io.StringIO(upload.text), delimiter=upload.delimiter)


def _xlsx_rows(upload: CheckedUpload) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    # openpyxl parses untrusted XML and fails in many ways on a damaged workbook (the upload
    # check has already bounded its size); every failure is the same refusal, never a 500.
    try:
        workbook = load_workbook(io.BytesIO(upload.content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except Exception:
        raise UploadRefused(_("Arbetsboken kan inte läsas."), field="file") from None
    yield from rows


def read_sheet(upload: CheckedUpload) -> Sheet:
    """Read the first sheet (or the CSV file), refusing more than the allowed rows."""
    source = _csv_rows(upload) if upload.kind == UploadKind.CSV else _xlsx_rows(upload)
    header: list[Any] | None = None
    header_number = 1
    rows: list[tuple[int, list[Any]]] = []
    limit = max_rows()
    for number, cells in enumerate(source, start=1):
        if header is None:
            if _blank(cells):
                continue
            header, header_number = cells, number
            continue
        if _blank(cells):
            continue
        if len(rows) >= limit:
            raise UploadRefused(
                _("Filen har fler än %(max)d rader. Dela upp den i flera filer.") % {"max": limit},
                field="file",
            )
        rows.append((number, cells))
    if header is None or not rows:
        raise UploadRefused(_("Filen innehåller inga rader att importera."), field="file")
    return Sheet(header=header, header_number=header_number, rows=rows)
