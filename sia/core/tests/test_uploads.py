"""The shared upload check: the content decides the type; bad files get a clear refusal.

Every file is built in the test: CSV text in the encodings Excel writes, real workbooks
from openpyxl, and other real formats renamed to look like what the system accepts.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook

from sia.core.uploads import UploadKind, UploadRefused, check_upload

CSV_TEXT = "personnummer;förnamn;efternamn\n199001012380;Åsa;Öberg\n"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def upload(name: str, content: bytes, content_type: str = "text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def workbook_bytes(rows: list[list[object]] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows or [["personnummer", "förnamn"], ["199001012380", "Åsa"]]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_bytes() -> bytes:
    types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    return zip_bytes({"[Content_Types].xml": types, "word/document.xml": b"<w:document/>"})


def refusal(content: bytes, name: str = "fil.csv") -> str:
    with pytest.raises(UploadRefused) as caught:
        check_upload(upload(name, content))
    return str(caught.value.message)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_csv_in_the_encodings_excel_writes_is_read_with_its_swedish_letters(
    encoding: str,
) -> None:
    checked = check_upload(upload("arenden.csv", CSV_TEXT.encode(encoding)))

    assert checked.kind == UploadKind.CSV
    assert "Åsa;Öberg" in checked.text
    assert checked.delimiter == ";"


def test_comma_and_tab_separated_files_are_csv_too() -> None:
    assert check_upload(upload("a.csv", b"a,b,c\n1,2,3\n")).delimiter == ","
    assert check_upload(upload("a.txt", b"a\tb\n1\t2\n")).delimiter == "\t"


def test_a_real_workbook_is_xlsx_whatever_the_browser_says() -> None:
    checked = check_upload(
        upload("arenden.xlsx", workbook_bytes(), content_type="application/octet-stream")
    )

    assert checked.kind == UploadKind.XLSX


def test_a_workbook_without_extension_is_recognised_by_its_content() -> None:
    assert check_upload(upload("export", workbook_bytes())).kind == UploadKind.XLSX


def test_a_pdf_renamed_csv_is_refused_as_a_pdf() -> None:
    assert "PDF" in refusal(PDF, "arenden.csv")


def test_a_png_renamed_xlsx_is_refused_as_a_png() -> None:
    assert "PNG" in refusal(PNG, "arenden.xlsx")


def test_a_word_document_is_a_zip_but_not_a_workbook() -> None:
    assert "ingen Excel-arbetsbok" in refusal(docx_bytes(), "arenden.xlsx")


def test_a_plain_zip_is_not_a_workbook() -> None:
    assert "ingen Excel-arbetsbok" in refusal(zip_bytes({"a.txt": b"hej"}), "a.xlsx")


def test_a_macro_enabled_workbook_is_refused() -> None:
    types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
        b'vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'
    )
    content = zip_bytes({"[Content_Types].xml": types, "xl/vbaProject.bin": b"\x00"})

    assert "makron" in refusal(content, "arenden.xlsm")


def test_an_old_xls_file_is_refused_with_advice_to_save_as_xlsx() -> None:
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

    assert ".xlsx" in refusal(content, "arenden.xls")


def test_a_utf16_text_file_is_refused_with_advice_to_save_as_utf8() -> None:
    assert "UTF-8" in refusal(CSV_TEXT.encode("utf-16"), "arenden.csv")


def test_a_workbook_named_csv_is_refused_because_name_and_content_disagree() -> None:
    message = refusal(workbook_bytes(), "arenden.csv")

    assert "Filnamnet anger CSV" in message


def test_text_that_is_not_delimited_is_not_csv() -> None:
    assert "ser inte ut som en CSV-fil" in refusal(
        "Hej där.\nMed vänlig hälsning\n".encode("cp1252")
    )


def test_a_file_with_nul_bytes_is_not_text() -> None:
    assert "textfil" in refusal(b"a;b\n1;\x002\n")


def test_an_unterminated_quote_is_refused() -> None:
    assert "citattecken" in refusal(b'a;b\n"1;2\n')


def test_an_empty_file_is_refused() -> None:
    assert refusal(b"") == "Filen är tom."
    assert refusal(b"\r\n  \n") == "Filen är tom."


@override_settings(SIA_UPLOAD_MAX_BYTES=100)
def test_a_file_over_the_size_limit_is_refused_before_it_is_read() -> None:
    big = upload("arenden.csv", b"a;b\n" + b"1;2\n" * 30)

    with pytest.raises(UploadRefused) as caught:
        check_upload(big)

    assert "för stor" in str(caught.value.message)
    assert big.tell() == 0


@override_settings(SIA_UPLOAD_MAX_BYTES=100)
def test_bytes_at_the_size_limit_are_accepted() -> None:
    content = b"a;b\n" + b"1;2\n" * 24

    assert len(content) == 100
    assert check_upload(content).kind == UploadKind.CSV


@override_settings(SIA_UPLOAD_MAX_UNCOMPRESSED_BYTES=1_000_000)
def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/big.xml": b"0" * 2_000_000})

    assert len(bomb) < 100_000
    assert "packas upp till för mycket" in refusal(bomb, "arenden.xlsx")


def test_only_the_allowed_kinds_pass() -> None:
    with pytest.raises(UploadRefused) as caught:
        check_upload(workbook_bytes(), allowed=frozenset({UploadKind.CSV}))

    assert "CSV" in str(caught.value.message)


def test_a_refusal_never_repeats_the_file_name() -> None:
    name = "199001012380 Åsa Öberg.csv"

    assert "199001012380" not in refusal(PDF, name)
