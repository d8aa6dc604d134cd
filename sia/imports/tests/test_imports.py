"""Importing existing cases: every row checked first, errors by row and column, all or nothing.

The deputy manager `chef` of Mottagningsgruppen uploads files built in the test. A check
writes nothing but its own audit event; a confirmed import opens every case through the
same services as a case opened by hand, or none.
"""

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from conftest import PersonFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent
from sia.cases.models import Case, CaseTeamMember
from sia.demo.synthetic import personal_number
from sia.imports.models import PendingImport
from sia.imports.tests.files import HEADERS, as_csv, as_xlsx, birth_date, good_row
from sia.people.models import Person, PersonIdentifier
from sia.process.models import CaseStep

pytestmark = pytest.mark.django_db

URL = "/import/"


def send(client: Client, content: bytes, name: str = "arenden.csv") -> tuple[int, str]:
    response = client.post(URL, {"file": SimpleUploadedFile(name, content)}, follow=True)
    return response.status_code, response.content.decode()


def error_rows(html: str) -> list[tuple[str, str, str]]:
    """The error table as (row, column, message) tuples."""
    table = html.split("Fel per rad och kolumn", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", table, re.S)
    return [(r.strip(), c.strip(), m.strip()) for r, c, m in rows]


def confirm(client: Client) -> tuple[int, str]:
    pending = PendingImport.objects.get()
    response = client.post(f"{URL}{pending.pk}/", follow=True)
    return response.status_code, response.content.decode()


@pytest.fixture
def chef(login: Callable[[str], Client]) -> Client:
    return login("chef")


def test_a_good_csv_file_imports_exactly_its_cases_after_confirmation(
    chef: Client, staff: dict[str, User]
) -> None:
    rows = [good_row(1), good_row(2), good_row(3)]

    status, html = send(chef, as_csv(rows))

    assert status == 200
    assert "Bekräfta import" in html
    assert "Åsa2 Öberg2" in html
    assert Case.objects.count() == 0
    assert Person.objects.count() == 0

    status, html = confirm(chef)

    assert "3 ärenden importerades." in html
    cases = Case.objects.select_related("person").order_by("person__given_name")
    assert [c.person.given_name for c in cases] == ["Åsa1", "Åsa2", "Åsa3"]
    first = cases[0]
    assert first.owning_unit.name == "Mottagningsgruppen"
    assert first.first_contact_date == dt.date.fromisoformat(rows[0]["första kontakt"])
    assert first.opened_by == staff["chef"]
    person = first.person
    assert person.interpreter_needed
    assert person.interpreter_language == "ar"
    assert person.preferred_languages == ["ar", "en"]
    assert person.arrival_category == "abo"
    identifier = PersonIdentifier.objects.get(person=person)
    assert identifier.value == rows[0]["personnummer"]
    assert CaseTeamMember.objects.filter(case=first, user=staff["socsek"]).exists()
    # The SIA process started as for a case opened by hand.
    assert CaseStep.objects.filter(case=first).exists()
    assert PendingImport.objects.count() == 0


def test_a_good_xlsx_file_with_date_cells_imports_its_cases(chef: Client) -> None:
    send(chef, as_xlsx([good_row(1), good_row(2)]), "arenden.xlsx")

    confirm(chef)

    assert Case.objects.count() == 2


def test_a_workbook_with_dates_as_text_is_read_too(chef: Client) -> None:
    send(chef, as_xlsx([good_row(1)], dates_as_cells=False), "arenden.xlsx")

    confirm(chef)

    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ";"), ("utf-8-sig", ","), ("cp1252", ";"), ("latin-1", "\t")],
)
def test_csv_files_in_each_encoding_keep_the_swedish_letters(
    chef: Client, encoding: str, delimiter: str
) -> None:
    send(chef, as_csv([good_row(1)], encoding=encoding, delimiter=delimiter))

    confirm(chef)

    assert Person.objects.get().family_name == "Öberg1"


def test_one_bad_row_among_good_ones_imports_nothing_and_names_row_and_column(
    chef: Client,
) -> None:
    number = good_row(2)["personnummer"]
    bad = good_row(2, personnummer=number[:-1] + str((int(number[-1]) + 1) % 10))

    status, html = send(chef, as_csv([good_row(1), bad, good_row(3)]))

    assert status == 200
    assert "Ingenting har importerats" in html
    assert error_rows(html) == [
        ("3", "personnummer", "Kontrollsiffran stämmer inte. Kontrollera numret.")
    ]
    assert Case.objects.count() == 0
    assert Person.objects.count() == 0
    assert PendingImport.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"personnummer": "19900101"}, "personnummer", "Ange numret som"),
        ({"förnamn": ""}, "förnamn", "Värde saknas."),
        ({"efternamn": ""}, "efternamn", "Värde saknas."),
        ({"kön": "vet ej"}, "kön", "Okänt värde."),
        ({"ankomstkategori": "turist"}, "ankomstkategori", "Okänt värde."),
        ({"första kontakt": "1/2 2025"}, "första kontakt", "Skriv datumet som ÅÅÅÅ-MM-DD."),
        ({"första kontakt": "2999-01-01"}, "första kontakt", "kan inte ligga i framtiden"),
        ({"första kontakt": "2000-01-01"}, "första kontakt", "högst ett år bakåt"),
        ({"ankomstdatum": "2999-01-01"}, "ankomstdatum", "kan inte ligga i framtiden"),
        ({"uppehållstillstånd": "2999-01-01"}, "uppehållstillstånd", "i framtiden"),
        ({"enhet": "Utredningsgruppen"}, "enhet", "som du är chef för"),
        ({"enhet": ""}, "enhet", "Värde saknas."),
        ({"handläggare": "ingen-sadan"}, "handläggare", "Ingen aktiv handläggare"),
        ({"handläggare": "af"}, "handläggare", "Ingen aktiv handläggare"),
        ({"handläggare": "bosattning"}, "handläggare", "Ingen aktiv handläggare"),
        ({"tolkbehov": "kanske"}, "tolkbehov", "Skriv ja eller nej."),
        ({"tolkspråk": ""}, "tolkspråk", "Ange tolkspråk"),
        ({"språk": "arabiska, klingonska"}, "språk", "Okänt värde."),
        ({"ankomstkategori": ""}, "utanför målgruppen", "utanför målgruppen"),
    ],
)
def test_each_rule_refuses_the_row_in_its_column(
    chef: Client, changes: dict[str, str], column: str, message: str
) -> None:
    _status, html = send(chef, as_csv([good_row(1), good_row(2, **changes)]))

    errors = error_rows(html)
    assert [(row, col) for row, col, _m in errors] == [("3", column)]
    assert message in errors[0][2]
    assert Case.objects.count() == 0


def test_confirmed_outside_target_group_opens_the_case(chef: Client) -> None:
    headers = [*HEADERS, "utanför målgruppen"]
    row = good_row(1, ankomstkategori="", **{"utanför målgruppen": "ja"})

    send(chef, as_csv([row], headers=headers))
    confirm(chef)

    assert Case.objects.count() == 1


def test_a_samordningsnummer_is_registered_as_one(chef: Client) -> None:
    number = personal_number(dt.date(1990, 3, 4), serial=990, coordination=True)

    send(chef, as_csv([good_row(1, personnummer=number)]))
    confirm(chef)

    identifier = PersonIdentifier.objects.get()
    assert identifier.kind == "samordningsnummer"
    assert identifier.person.date_of_birth == dt.date(1990, 3, 4)


def test_rows_repeating_each_other_are_errors(chef: Client) -> None:
    first = good_row(1)
    same_number = good_row(2, personnummer=first["personnummer"])
    same_name = good_row(3, förnamn="Åsa1", efternamn="Öberg1")
    birth = dt.date.fromisoformat(
        f"{first['personnummer'][:4]}-{first['personnummer'][4:6]}-{first['personnummer'][6:8]}"
    )
    same_name["personnummer"] = personal_number(birth, serial=999)

    _status, html = send(chef, as_csv([first, same_number, same_name]))

    assert error_rows(html) == [
        ("3", "personnummer", "Samma nummer som på rad 2."),
        ("4", "förnamn", "Samma namn och födelsedatum som på rad 2."),
    ]


def test_a_person_already_registered_is_an_error(chef: Client, make_person: PersonFactory) -> None:
    existing = make_person()
    number = PersonIdentifier.objects.get(person=existing).value

    _status, html = send(chef, as_csv([good_row(1, personnummer=number)]))

    errors = error_rows(html)
    assert [(r, c) for r, c, _m in errors] == [("2", "personnummer")]
    assert "finns redan en person med detta identitetsnummer" in errors[0][2]
    assert Person.objects.count() == 1


def test_same_name_and_birth_date_as_a_registered_person_is_an_error(
    chef: Client, make_person: PersonFactory
) -> None:
    existing = make_person(given_name="Åsa1", family_name="Öberg1")
    number = personal_number(existing.date_of_birth, serial=999)

    _status, html = send(chef, as_csv([good_row(1, personnummer=number)]))

    assert error_rows(html) == [
        ("2", "förnamn", "Det finns redan en person med samma namn och födelsedatum.")
    ]


def test_unknown_and_missing_headers_are_reported_on_the_header_row(chef: Client) -> None:
    headers = [h for h in HEADERS if h != "efternamn"] + ["skostorlek"]

    _status, html = send(chef, as_csv([good_row(1)], headers=headers))

    assert error_rows(html) == [
        ("1", "efternamn", "Kolumnen saknas."),
        ("1", "skostorlek", "Okänd kolumn."),
    ]


@override_settings(SIA_IMPORT_MAX_ROWS=3)
def test_a_file_with_too_many_rows_is_refused(chef: Client) -> None:
    _status, html = send(chef, as_csv([good_row(n) for n in range(1, 5)]))

    assert "Filen har fler än 3 rader." in html
    assert Person.objects.count() == 0


@override_settings(SIA_IMPORT_MAX_ROWS=3)
def test_a_file_at_the_row_limit_is_accepted(chef: Client) -> None:
    send(chef, as_csv([good_row(n) for n in range(1, 4)]))

    confirm(chef)

    assert Case.objects.count() == 3


def test_a_pdf_renamed_csv_is_refused_on_the_page(chef: Client) -> None:
    _status, html = send(chef, b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "arenden.csv")

    assert "Filen är av typen PDF" in html


def test_an_expired_check_must_be_uploaded_again(chef: Client) -> None:
    send(chef, as_csv([good_row(1)]))
    pending = PendingImport.objects.get()
    # An hour later (the session itself stays alive: moving the clock would end it).
    PendingImport.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = chef.post(f"{URL}{pending.pk}/", follow=True)

    assert "Kontrollen har gått ut. Ladda upp filen igen." in response.content.decode()
    assert Case.objects.count() == 0
    assert PendingImport.objects.count() == 0


def test_another_users_pending_import_is_not_found(
    chef: Client, staff: dict[str, User], login: Callable[[str], Client]
) -> None:
    send(chef, as_csv([good_row(1)]))
    pending = PendingImport.objects.get()
    other = User.objects.create_user(username="chef2", password="x")
    membership = staff["chef"].memberships.get()
    other.memberships.create(unit=membership.unit, role=membership.role)
    client = Client()
    client.force_login(other)

    assert client.get(f"{URL}{pending.pk}/").status_code == 404
    assert client.post(f"{URL}{pending.pk}/").status_code == 404
    assert Case.objects.count() == 0
    assert PendingImport.objects.count() == 1


def test_a_change_between_check_and_confirm_imports_nothing(
    chef: Client, make_person: PersonFactory
) -> None:
    send(chef, as_csv([good_row(1), good_row(2)]))
    make_person(
        given_name="Åsa2",
        family_name="Öberg2",
        date_of_birth=birth_date(2),
    )

    _status, html = confirm(chef)

    assert "Inget importerades" in html
    assert [(r, c) for r, c, _m in error_rows(html)] == [("3", "förnamn")]
    assert Case.objects.count() == 0
    assert Person.objects.count() == 1


def test_a_check_and_an_import_are_audited_without_personal_data(
    chef: Client, staff: dict[str, User]
) -> None:
    rows = [good_row(1), good_row(2)]

    send(chef, as_csv([good_row(1), good_row(2, kön="vet ej")]))
    send(chef, as_csv(rows))
    confirm(chef)

    checks = AuditEvent.objects.filter(action=AuditAction.IMPORT_CHECKED).order_by("occurred_at")
    assert [c.changes for c in checks] == [
        {"kind": "csv", "rows": 2, "errors": 1, "rows_with_errors": 1},
        {"kind": "csv", "rows": 2, "errors": 0, "rows_with_errors": 0},
    ]
    made = AuditEvent.objects.get(action=AuditAction.IMPORT_MADE)
    assert made.changes == {"kind": "csv", "rows": 2, "cases": 2}
    assert made.actor == staff["chef"]
    # The ordinary events of registering a person and opening a case, once per row.
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_CREATED).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.CASE_CREATED).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.TEAM_MEMBER_ADDED).count() == 2
    logged = str([e.changes for e in AuditEvent.objects.all()])
    for row in rows:
        assert row["personnummer"] not in logged
        assert row["efternamn"] not in logged


@pytest.mark.parametrize("username", ["socsek", "vagledare1", "ug", "af", "analytiker", "admin"])
def test_only_a_deputy_manager_reaches_the_import(
    login: Callable[[str], Client], username: str
) -> None:
    client = login(username)

    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}mall.csv").status_code == 404
    assert (
        client.post(URL, {"file": SimpleUploadedFile("a.csv", as_csv([good_row(1)]))}).status_code
        == 404
    )
    assert Person.objects.count() == 0


def test_the_templates_have_the_documented_headers(chef: Client) -> None:
    csv_file = chef.get(f"{URL}mall.csv")
    xlsx_file = chef.get(f"{URL}mall.xlsx")

    assert csv_file.content.decode("utf-8-sig").startswith("personnummer;förnamn;efternamn;")
    _status, html = send(chef, xlsx_file.content, "mall.xlsx")
    assert "Filen innehåller inga rader att importera." in html


def test_the_menu_offers_the_import_to_the_deputy_manager_only(
    chef: Client, login: Callable[[str], Client]
) -> None:
    assert 'href="/import/"' in chef.get("/").content.decode()
    assert 'href="/import/"' not in login("socsek").get("/").content.decode()


def test_no_personnummer_in_a_redirect(chef: Client) -> None:
    row = good_row(1)
    response = chef.post(URL, {"file": SimpleUploadedFile("a.csv", as_csv([row]))})

    assert response.status_code == 302
    assert row["personnummer"] not in response["Location"]


def test_a_damaged_workbook_is_refused_without_an_error_page(chef: Client) -> None:
    types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("xl/workbook.xml", b"<not-closed")

    status, html = send(chef, out.getvalue(), "arenden.xlsx")

    assert status == 200
    assert "Arbetsboken kan inte läsas." in html


def test_protected_identity_is_registered_from_its_column(chef: Client) -> None:
    headers = [*HEADERS, "skyddade personuppgifter"]
    row = good_row(1, **{"skyddade personuppgifter": "ja"})

    send(chef, as_csv([row], headers=headers))
    confirm(chef)

    assert Person.objects.get().protected_identity


def test_a_community_guide_named_as_caseworker_joins_the_team_as_guide(
    chef: Client, staff: dict[str, User]
) -> None:
    send(chef, as_csv([good_row(1, handläggare="vagledare1")]))
    confirm(chef)

    member = CaseTeamMember.objects.get(case=Case.objects.get())
    assert member.user == staff["vagledare1"]
    assert member.function == "community_guide"
