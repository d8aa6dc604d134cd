"""Build import files in the tests: rows of synthetic people as CSV or XLSX."""

import csv
import datetime as dt
import io

from django.utils import timezone
from openpyxl import Workbook

from sia.demo.synthetic import personal_number

HEADERS = [
    "personnummer",
    "förnamn",
    "efternamn",
    "kön",
    "ankomstkategori",
    "uppehållstillstånd",
    "ankomstdatum",
    "första kontakt",
    "enhet",
    "handläggare",
    "språk",
    "tolkbehov",
    "tolkspråk",
]


def birth_date(n: int) -> dt.date:
    """The birth date of the n:th good row's person (distinct for up to 2,000 rows)."""
    return dt.date(1970, 1, 1) + dt.timedelta(days=5 * n)


def good_row(n: int, **changes: str) -> dict[str, str]:
    """A row that passes every check: a synthetic adult inside the SIA target group."""
    today = timezone.localdate()
    birth = birth_date(n)
    row = {
        "personnummer": personal_number(birth, serial=980 + n % 20),
        "förnamn": f"Åsa{n}",
        "efternamn": f"Öberg{n}",
        "kön": "kvinna",
        "ankomstkategori": "ABO",
        "uppehållstillstånd": (today - dt.timedelta(days=100)).isoformat(),
        "ankomstdatum": (today - dt.timedelta(days=60)).isoformat(),
        "första kontakt": (today - dt.timedelta(days=30)).isoformat(),
        "enhet": "Mottagningsgruppen",
        "handläggare": "socsek",
        "språk": "arabiska, engelska",
        "tolkbehov": "ja",
        "tolkspråk": "arabiska",
    }
    row.update(changes)
    return row


def as_csv(
    rows: list[dict[str, str]],
    *,
    encoding: str = "utf-8-sig",
    delimiter: str = ";",
    headers: list[str] | None = None,
) -> bytes:
    out = io.StringIO()
    names = headers or HEADERS
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.get(name, "") for name in names])
    return out.getvalue().encode(encoding)


def as_xlsx(rows: list[dict[str, str]], *, dates_as_cells: bool = True) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in rows:
        cells: list[object] = []
        for name in HEADERS:
            value: object = row.get(name, "")
            if dates_as_cells and name in ("uppehållstillstånd", "ankomstdatum", "första kontakt"):
                value = dt.date.fromisoformat(str(value)) if value else None
            cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
