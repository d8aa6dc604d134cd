"""The one check every uploaded file passes before anything reads it.

The decision rests on the file's content only: its first bytes, its structure (an XLSX
is a ZIP whose ``[Content_Types].xml`` declares a workbook) and, for CSV, that it decodes
as text. The browser's content type is ignored entirely: browsers report what the
operating system guesses (Excel on Windows sends ``application/vnd.ms-excel`` for a CSV).
The file name is not trusted either, but a name whose extension says one accepted type
while the content is another (a workbook named ``.csv``, a PDF named ``.csv``) is
refused, so the user learns which file they really picked.

Limits: ``SIA_UPLOAD_MAX_BYTES`` for the file as sent, ``SIA_UPLOAD_MAX_UNCOMPRESSED_BYTES``
and ``MAX_ZIP_MEMBERS`` for what an XLSX unpacks to (a ZIP bomb is refused before
anything unpacks it). Every refusal is an ``UploadRefused`` with a translated message
that names neither the file's name nor its contents.
"""

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from xml.etree import ElementTree as ET

import puremagic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from sia.core.exceptions import ValidationFailed

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
CSV_DELIMITERS = ";,\t"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_WORKBOOKS = (
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
)
_EXTENSIONS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx"}
# Control characters other than tab, line feed and carriage return never occur in a CSV.
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r") | {"\x7f"}


class UploadKind(StrEnum):
    """The kinds of file the system accepts."""

    CSV = "csv"
    XLSX = "xlsx"


class UploadRefused(ValidationFailed):
    """The uploaded file cannot be accepted; the message says why, in the user's words."""


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed the check: its kind, its bytes, and for CSV its text."""

    kind: UploadKind
    content: bytes
    text: str = ""
    encoding: str = ""
    delimiter: str = ""


def max_upload_bytes() -> int:
    """The largest file accepted, from SIA_UPLOAD_MAX_BYTES."""
    return int(getattr(settings, "SIA_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_uncompressed_bytes() -> int:
    """The most an XLSX may unpack to, from SIA_UPLOAD_MAX_UNCOMPRESSED_BYTES."""
    return int(
        getattr(settings, "SIA_UPLOAD_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)
    )


def _too_large() -> UploadRefused:
    return UploadRefused(
        _("Filen är för stor. Största tillåtna storlek är %(size)s.")
        % {"size": filesizeformat(max_upload_bytes())},
        field="file",
    )


def read_upload(upload: UploadedFile) -> bytes:
    """Read an uploaded file, refusing it before reading when it is over the size limit."""
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise _too_large()
    upload.seek(0)
    content: bytes = upload.read(limit + 1)
    if len(content) > limit:
        raise _too_large()
    return content


def check_upload(
    upload: UploadedFile | bytes,
    *,
    allowed: frozenset[UploadKind] = frozenset(UploadKind),
    file_name: str = "",
) -> CheckedUpload:
    """Detect the file's type from its content and refuse anything not allowed, too
    large, empty, malformed or contradicting its own file name."""
    if isinstance(upload, bytes):
        content = upload
        if len(content) > max_upload_bytes():
            raise _too_large()
    else:
        content = read_upload(upload)
        file_name = file_name or (upload.name or "")
    if not content.strip():
        raise UploadRefused(_("Filen är tom."), field="file")
    checked = _detect(content)
    if checked.kind not in allowed:
        raise _wrong_kind(allowed)
    _check_name(file_name, checked.kind)
    return checked


def _accepted_names(allowed: frozenset[UploadKind]) -> str:
    return " / ".join(sorted(kind.value.upper() for kind in allowed))


def _wrong_kind(allowed: frozenset[UploadKind], found: str = "") -> UploadRefused:
    if found:
        message = _(
            "Filen är av typen %(found)s, som inte kan tas emot här. Välj en fil av typen "
            "%(accepted)s."
        ) % {"found": found, "accepted": _accepted_names(allowed)}
    else:
        message = _("Filtypen kan inte tas emot här. Välj en fil av typen %(accepted)s.") % {
            "accepted": _accepted_names(allowed)
        }
    return UploadRefused(message, field="file")


def _check_name(file_name: str, kind: UploadKind) -> None:
    """Refuse a file whose name claims another accepted type than its content has."""
    dot = file_name.rfind(".")
    claimed = _EXTENSIONS.get(file_name[dot:].lower()) if dot >= 0 else None
    if claimed is not None and claimed != kind:
        raise UploadRefused(
            _(
                "Filnamnet anger %(claimed)s men innehållet är %(actual)s. Kontrollera att du "
                "valt rätt fil, eller spara om den i rätt format."
            )
            % {"claimed": claimed.upper(), "actual": kind.value.upper()},
            field="file",
        )


def _detect(content: bytes) -> CheckedUpload:
    if content.startswith(_ZIP_MAGIC):
        _check_workbook(content)
        return CheckedUpload(kind=UploadKind.XLSX, content=content)
    if content.startswith(_OLE_MAGIC):
        raise UploadRefused(
            _(
                "Filen är i Excels gamla format (.xls) eller lösenordsskyddad. Spara den som "
                "Excel-arbetsbok (.xlsx) utan lösenord, eller som CSV."
            ),
            field="file",
        )
    if content.startswith(_UTF16_BOMS):
        raise UploadRefused(
            _(
                'Textfilen är sparad som UTF-16 ("Unicode-text"). Spara den som CSV (UTF-8) '
                "eller CSV (semikolonavgränsad) och försök igen."
            ),
            field="file",
        )
    binary = _binary_type(content)
    if binary:
        raise _wrong_kind(frozenset(UploadKind), binary)
    return _check_csv(content)


def _binary_type(content: bytes) -> str:
    """Name a non-text file's type (e.g. "PDF", "PNG"), or "" for what may be text."""
    if b"\x00" not in content[:8192]:
        try:
            matches = puremagic.magic_string(content[:8192])
        except (puremagic.PureError, ValueError):
            return ""
        # Signatures of two or three bytes also match ordinary text; trust only longer ones.
        strong = [m for m in matches if len(m.byte_match) >= 4 and m.offset == 0]
        return strong[0].extension.lstrip(".").upper() if strong else ""
    try:
        return puremagic.from_string(content[:8192]).lstrip(".").upper()
    except (puremagic.PureError, ValueError):
        return ""


def _decode(content: bytes) -> tuple[str, str]:
    """Decode as UTF-8 (with or without BOM), else as Windows-1252, else as Latin-1."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UploadRefused(_("Filen är inte en textfil."), field="file")  # pragma: no cover


def _check_csv(content: bytes) -> CheckedUpload:
    if b"\x00" in content:
        raise UploadRefused(
            _("Filen är inte en textfil (den innehåller binära data)."), field="file"
        )
    text, encoding = _decode(content)
    if any(char in _CONTROL for char in text):
        raise UploadRefused(
            _("Filen är inte en textfil (den innehåller styrtecken)."), field="file"
        )
    first_line = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise UploadRefused(
            _(
                "Filen ser inte ut som en CSV-fil: första raden ska vara kolumnrubriker "
                "åtskilda med semikolon, komma eller tabb."
            ),
            field="file",
        )
    try:
        list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error:
        raise UploadRefused(
            _("CSV-filen är felaktig (till exempel ett citattecken som inte avslutas)."),
            field="file",
        ) from None
    return CheckedUpload(
        kind=UploadKind.CSV, content=content, text=text, encoding=encoding, delimiter=delimiter
    )


def _not_workbook() -> UploadRefused:
    return UploadRefused(
        _("Filen är en ZIP-fil men ingen Excel-arbetsbok (.xlsx)."),
        field="file",
    )


def _check_workbook(content: bytes) -> None:
    """Accept only an OOXML workbook without macros whose parts unpack to a sane size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRefused(_("Filen är skadad och kan inte läsas."), field="file") from None
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > (
        max_uncompressed_bytes()
    ):
        raise UploadRefused(
            _("Arbetsboken packas upp till för mycket data för att kunna tas emot."),
            field="file",
        )
    if any(m.flag_bits & 0x1 for m in members):
        raise UploadRefused(_("Filen är lösenordsskyddad."), field="file")
    types = _content_types(archive)
    if any(t in types for t in _MACRO_WORKBOOKS) or "xl/vbaProject.bin" in archive.namelist():
        raise UploadRefused(
            _(
                "Arbetsboken innehåller makron (.xlsm) och tas inte emot. Spara den som "
                "Excel-arbetsbok (.xlsx)."
            ),
            field="file",
        )
    if _WORKBOOK not in types:
        raise _not_workbook()


def _content_types(archive: zipfile.ZipFile) -> set[str]:
    try:
        info = archive.getinfo("[Content_Types].xml")
        root = ET.fromstring(archive.read(info))  # noqa: S314 (size checked above, no DTDs)
    except (KeyError, ET.ParseError, zipfile.BadZipFile, OSError, ValueError):
        raise _not_workbook() from None
    return {
        element.get("ContentType", "")
        for element in root
        if element.tag in (f"{_CONTENT_TYPES_NS}Override", f"{_CONTENT_TYPES_NS}Default")
    }
