"""Importing existing cases in a real browser.

The deputy manager `chef` uploads a CSV file with a bad row and sees the error table
(row, column, message) and that nothing was imported; then uploads a good workbook,
confirms, and finds the imported cases in the case list. Every page passes axe-core.
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sia.cases.models import Case
from sia.imports.tests.files import as_csv, as_xlsx, good_row
from tests.browser.test_collaboration import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CheckPage = Callable[[Page], None]


def test_import_shows_errors_then_imports_a_good_file(
    live_server: object,
    staff: object,
    page: Page,
    assert_accessible: CheckPage,
    tmp_path: Path,
) -> None:
    base = str(live_server)
    bad_file = tmp_path / "arenden.csv"
    bad_file.write_bytes(as_csv([good_row(1), good_row(2, kön="vet ej")], encoding="cp1252"))
    good_file = tmp_path / "arenden.xlsx"
    good_file.write_bytes(as_xlsx([good_row(1), good_row(2)]))

    log_in(page, base, "chef")
    page.get_by_role("link", name="Importera ärenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importera ärenden")
    assert_accessible(page)

    page.get_by_label("Fil med ärenden (CSV eller Excel .xlsx)").set_input_files(bad_file)
    page.get_by_role("button", name="Kontrollera filen").click()
    errors = page.get_by_role("table", name="Fel per rad och kolumn")
    expect(errors.get_by_role("row")).to_have_count(2)
    expect(errors.get_by_role("row").nth(1)).to_contain_text("3")
    expect(errors.get_by_role("row").nth(1)).to_contain_text("kön")
    expect(errors.get_by_role("row").nth(1)).to_contain_text("Okänt värde.")
    expect(page.get_by_text("Ingenting har importerats.")).to_be_visible()
    assert_accessible(page)
    assert Case.objects.count() == 0

    page.get_by_label("Fil med ärenden (CSV eller Excel .xlsx)").set_input_files(good_file)
    page.get_by_role("button", name="Kontrollera filen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekräfta import")
    expect(page.get_by_role("cell", name="Åsa2 Öberg2")).to_be_visible()
    assert_accessible(page)
    assert Case.objects.count() == 0

    page.get_by_role("button", name="Importera 2 ärenden").click()
    expect(page.get_by_text("2 ärenden importerades.")).to_be_visible()
    expect(page.get_by_text("Åsa1 Öberg1")).to_be_visible()
    expect(page.get_by_text("Åsa2 Öberg2")).to_be_visible()
    assert_accessible(page)
    assert Case.objects.count() == 2
