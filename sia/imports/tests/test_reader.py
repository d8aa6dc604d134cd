"""Reading a workbook costs what its rows cost, never what its declared size claims.

A sheet may declare any size (`<dimension ref="A1:XFD1048576">`) and place a row at any
number: the reader ignores the declaration, reads a bounded number of cells per row and
stops at a bounded number of rows, blank ones included, with a refusal the user can act on.
"""

import io
import tracemalloc
import zipfile
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sia.core.uploads import UploadRefused, check_upload
from sia.imports.models import PendingImport
from sia.imports.reader import MAX_COLUMNS, max_scanned_rows, read_sheet

# A file that made the old reader hold more than 100 MB stays far below this.
MEMORY_LIMIT = 50 * 1024 * 1024

_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def crafted_workbook(dimension: str, rows: dict[int, str]) -> bytes:
    """A tiny workbook declaring `dimension`, with one text cell in column A of each row."""
    cells = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        for n, text in sorted(rows.items())
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
        f'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/>'
        f"<sheetData>{cells}</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def test_a_declared_size_of_the_whole_sheet_is_not_read_into_memory() -> None:
    # Before the fix openpyxl made up rows 3 to 999 as 16,384 empty cells each (130 MB).
    content = crafted_workbook("A1:XFD1000", {1: "personnummer", 2: "a", 1000: "b"})
    assert len(content) < 2000

    tracemalloc.start()
    try:
        sheet = read_sheet(check_upload(content, file_name="arenden.xlsx"))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert [(number, cells[0]) for number, cells in sheet.rows] == [(2, "a"), (1000, "b")]
    assert len(sheet.header) <= MAX_COLUMNS
    assert all(len(cells) <= MAX_COLUMNS for _number, cells in sheet.rows)
    assert peak < MEMORY_LIMIT


def test_a_sheet_of_blank_rows_is_refused_without_reading_them_all() -> None:
    # One column wide, so that even reading every row would not exhaust the test machine.
    content = crafted_workbook("A1:A1048576", {1: "personnummer", 1_048_576: "y"})

    tracemalloc.start()
    try:
        with pytest.raises(UploadRefused) as refused:
            read_sheet(check_upload(content, file_name="arenden.xlsx"))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert f"Filen har fler än {max_scanned_rows()} rader, tomma rader medräknade." in str(
        refused.value.message
    )
    assert peak < MEMORY_LIMIT


def test_blank_rows_before_the_limit_are_skipped_and_keep_their_numbers() -> None:
    last = max_scanned_rows()
    content = crafted_workbook(f"A1:A{last}", {1: "personnummer", last: "sist"})

    sheet = read_sheet(check_upload(content, file_name="arenden.xlsx"))

    assert [(number, cells[0]) for number, cells in sheet.rows] == [(last, "sist")]


@pytest.mark.django_db
def test_the_refusal_is_shown_on_the_page_and_keeps_nothing(
    login: Callable[[str], Client],
) -> None:
    content = crafted_workbook("A1:A1", {1: "personnummer", max_scanned_rows() + 1: "y"})

    response = login("chef").post(
        "/import/", {"file": SimpleUploadedFile("arenden.xlsx", content)}, follow=True
    )

    assert response.status_code == 200
    assert "tomma rader medräknade" in response.content.decode()
    assert not PendingImport.objects.exists()
