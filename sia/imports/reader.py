"""Read the rows of a checked CSV or XLSX file, numbered as the user sees them.

Row 1 is the header row. Blank rows are skipped but keep their number, so "row 7" is the
seventh row in Excel or the seventh record of the CSV file.

Rows are read one at a time and reading stops as soon as the file is refused: a workbook's
declared size (`<dimension ref="A1:XFD1048576">`) is ignored, at most MAX_COLUMNS cells of a
row are read, and at most `max_scanned_rows()` rows, blank ones included, are looked at.
"""

import csv
import io
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sia.core.uploads import CheckedUpload, UploadKind, UploadRefused

DEFAULT_MAX_ROWS = 500
# The import has 13 columns; cells further right are never read (nor reported).
MAX_COLUMNS = 64
# Blank rows are skipped but still cost time to read: look at no more rows than this many
# per allowed data row (and at least MIN_SCANNED_ROWS) before refusing the file.
SCANNED_ROWS_PER_ROW = 10
MIN_SCANNED_ROWS = 10_000


def max_rows() -> int:
    """The most data rows one import may hold, from SIA_IMPORT_MAX_ROWS."""
    return int(getattr(settings, "SIA_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_scanned_rows() -> int:
    """The most rows, blank ones included, read from one file before it is refused."""
    return max(MIN_SCANNED_ROWS, SCANNED_ROWS_PER_ROW * (max_rows() + 1))


@dataclass(frozen=True)
class Sheet:
    """A file's header row and its non-blank data rows as (row number, cells)."""

    header: list[Any]
    header_number: int
    rows: list[tuple[int, list[Any]]]


def _blank(cells: list[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def _csv_rows(upload: CheckedUpload) -> Generator[list[Any]]:
    yield from csv.reader(io.StringIO(upload.text), delimiter=upload.delimiter)


def _xlsx_rows(upload: CheckedUpload) -> Generator[list[Any]]:
    from openpyxl import load_workbook

    # openpyxl parses untrusted XML and fails in many ways on a damaged workbook (the upload
    # check has already bounded its size); every failure is the same refusal, never a 500.
    # The rows are yielded one by one: the caller stops reading when it refuses the file.
    refused = UploadRefused(_("Arbetsboken kan inte läsas."), field="file")
    try:
        workbook = load_workbook(io.BytesIO(upload.content), read_only=True, data_only=True)
    except Exception:
        raise refused from None
    try:
        try:
            sheet = workbook.worksheets[0]
            # Never trust the declared size: openpyxl would pad every row to its width and
            # make up every missing row up to its last one.
            sheet.reset_dimensions()
            rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        except Exception:
            raise refused from None
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception:
                raise refused from None
            yield list(row)
    finally:
        workbook.close()


def read_sheet(upload: CheckedUpload) -> Sheet:
    """Read the first sheet (or the CSV file), refusing more than the allowed rows."""
    source = _csv_rows(upload) if upload.kind == UploadKind.CSV else _xlsx_rows(upload)
    try:
        return _read(source)
    finally:
        source.close()  # a refused workbook is closed at once, not when collected


def _read(source: Generator[list[Any]]) -> Sheet:
    header: list[Any] | None = None
    header_number = 1
    rows: list[tuple[int, list[Any]]] = []
    limit = max_rows()
    scan_limit = max_scanned_rows()
    for number, cells in enumerate(source, start=1):
        if number > scan_limit:
            raise UploadRefused(
                _(
                    "Filen har fler än %(max)d rader, tomma rader medräknade. Ta bort de "
                    "tomma raderna och försök igen."
                )
                % {"max": scan_limit},
                field="file",
            )
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
