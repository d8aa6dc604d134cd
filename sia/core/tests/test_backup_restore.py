"""`manage.py backup` and `manage.py restore`: an exact round trip, and clear refusals.

The round trips need committed data: pg_dump reads the database through its own
connection and cannot see a test's uncommitted transaction, so they run on
`transactional_db`. Its flush afterwards would also empty the process templates and
catalogues the migrations ship, under every later test of the same worker; so
`committed_database` backs the test database up before the test and restores it after
the flush, with the commands under test, and checks that this, too, is exact.
"""

import hashlib
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from pytest_django import DjangoDbBlocker

from sia.accounts.models import Organisation, Unit
from sia.cases.models import Case, CaseTeamMember
from sia.core import backup as backup_module
from sia.core.backup import MAGIC, pg_environment, redact_tool_output
from sia.demo.municipality import load_demo
from sia.people.models import Person

Contents = dict[str, tuple[int, str]]
ON_POSTGRESQL = "postgresql"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def database_contents() -> Contents:
    """Every table's rows (ordered by primary key) as a count and a hash, and the sequences."""
    contents: Contents = {}
    introspection = connection.introspection
    with connection.cursor() as cursor:
        for table in introspection.table_names(cursor):
            if table.startswith("sqlite_"):
                continue
            order = introspection.get_primary_key_columns(cursor, table) or [
                column.name for column in introspection.get_table_description(cursor, table)
            ]
            columns = ", ".join(_quote(column) for column in order)
            cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY {columns}")  # noqa: S608
            rows = cursor.fetchall()
            digest = hashlib.sha256()
            for row in rows:
                digest.update(repr(tuple(_plain(value) for value in row)).encode())
            contents[table] = (len(rows), digest.hexdigest())
        if connection.vendor == ON_POSTGRESQL:
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema() ORDER BY sequencename"
            )
        else:
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
        sequences = cursor.fetchall()
        contents["(sequences)"] = (len(sequences), repr(sequences))
    return contents


def backup_to(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", output=path, stdout=out)
    return out.getvalue()


def restore_from(path: Path, **options: Any) -> str:
    out = io.StringIO()
    call_command("restore", input=path, stdout=out, **options)
    return out.getvalue()


def assert_on_the_test_database() -> None:
    """Never back up or restore a real database, whatever a test run selects."""
    name = str(connection.settings_dict["NAME"])
    assert name.startswith("test_") or "memorydb" in name, f"not a test database: {name}"


@pytest.fixture
def snapshot_of_the_test_database(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path: Path
) -> Iterator[None]:
    """Back up the test database before the test and restore it, exactly, afterwards."""
    with django_db_blocker.unblock():
        assert_on_the_test_database()
        before = tmp_path / "before-the-test.siabak"
        backup_to(before)
        contents_before = database_contents()
        yield
        restore_from(before, yes=True)
        assert database_contents() == contents_before
        # The flush made new content types; the process must not go on using their ids.
        cached = ContentType.objects.get_for_model(Case)
        assert cached == ContentType.objects.get(app_label="cases", model="case")


@pytest.fixture
def committed_database(snapshot_of_the_test_database: None, transactional_db: None) -> None:
    """The test database in autocommit, as a deployed SIA sees it; as it was afterwards.

    `transactional_db` flushes every table after the test, the process templates and
    catalogues the migrations ship included. It is set up after the snapshot and so torn
    down before it: the snapshot's restore then brings all of it back.
    """


def round_trip(tmp_path: Path) -> None:
    """Demo data → backup → change it → restore → exactly the backed-up contents again."""
    with transaction.atomic():
        load_demo(password="demo-password-for-tests")
    case = Case.objects.filter(team__isnull=False).distinct().first()
    assert case is not None
    team_size = CaseTeamMember.objects.filter(case=case).count()
    backed_up = database_contents()
    assert backed_up["people_person"][0] > 0, "the demo should have filled the database"

    path = tmp_path / "sia.siabak"
    written = backup_to(path)
    assert f"Backup written to {path}" in written
    assert path.stat().st_mode & 0o077 == 0, "only the owner may read a backup"

    # Change the data after the backup: remove a case's team, edit a person, add rows.
    CaseTeamMember.objects.filter(case=case).delete()
    Person.objects.filter(pk=case.person_id).update(given_name="Ändrad")
    Group.objects.create(name="Skapad efter säkerhetskopian")
    organisation = Organisation.objects.first()
    assert organisation is not None
    Unit.objects.create(organisation=organisation, name="Ny enhet", kind=Unit.Kind.OTHER)
    changed = database_contents()
    for table in ("cases_caseteammember", "people_person", "auth_group", "accounts_unit"):
        assert changed[table] != backed_up[table]

    restored = restore_from(path, yes=True)

    assert database_contents() == backed_up
    assert CaseTeamMember.objects.filter(case=case).count() == team_size
    assert not Group.objects.filter(name="Skapad efter säkerhetskopian").exists()
    assert f"Restored backup {path}" in restored
    assert "every table's row count matches the backup" in restored
    # The restored database takes new rows: the sequences came back too.
    Group.objects.create(name="Efter återläsningen")


@pytest.mark.skipif(
    connection.vendor != ON_POSTGRESQL,
    reason="pg_dump/pg_restore round trip: this run uses SQLite, not PostgreSQL",
)
@pytest.mark.usefixtures("committed_database")
def test_postgresql_round_trip_is_exact(tmp_path: Path) -> None:
    round_trip(tmp_path)


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite online-backup round trip: this run uses PostgreSQL, not SQLite",
)
@pytest.mark.usefixtures("committed_database")
def test_sqlite_round_trip_is_exact(tmp_path: Path) -> None:
    round_trip(tmp_path)


# --- refusals: clear messages, the database untouched ------------------------------------


@pytest.fixture(scope="module")
def good_backup(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """A valid backup of the test database as the migrations left it."""
    path = tmp_path_factory.mktemp("backups") / "good.siabak"
    with django_db_blocker.unblock():
        assert_on_the_test_database()
        backup_to(path)
    return path


def rewrite(source: Path, target: Path, *, manifest: dict[str, Any] | None = None) -> Path:
    """Copy a backup, changing manifest fields but keeping the dump as it is."""
    magic, line, dump = source.read_bytes().split(b"\n", 2)
    data = json.loads(line) | (manifest or {})
    target.write_bytes(magic + b"\n" + json.dumps(data).encode() + b"\n" + dump)
    return target


@pytest.fixture
def marked(db: None) -> Contents:
    """A row only this test wrote, and the database's contents with it."""
    organisation = Organisation.objects.create(name="Kontrollorganisation")
    Unit.objects.create(organisation=organisation, name="Kontrollenhet", kind=Unit.Kind.OTHER)
    return database_contents()


def refused(path: Path, marked: Contents, **options: Any) -> str:
    with pytest.raises(CommandError) as refusal:
        restore_from(path, **options)
    assert database_contents() == marked, "a refused restore must not touch the database"
    assert Unit.objects.filter(name="Kontrollenhet").exists()
    return str(refusal.value)


def test_restore_refuses_a_missing_file(tmp_path: Path, marked: Contents) -> None:
    message = refused(tmp_path / "nowhere.siabak", marked, yes=True)
    assert message == f"Backup file not found: {tmp_path / 'nowhere.siabak'}"


def test_restore_refuses_a_file_that_is_no_sia_backup(tmp_path: Path, marked: Contents) -> None:
    path = tmp_path / "dump.sql"
    path.write_text("CREATE TABLE x (id integer);\n")
    message = refused(path, marked, yes=True)
    assert "Not a SIA backup file" in message
    assert "SIA-BACKUP header" in message


def test_restore_refuses_another_vendor(
    good_backup: Path, tmp_path: Path, marked: Contents
) -> None:
    other = "sqlite" if connection.vendor == ON_POSTGRESQL else ON_POSTGRESQL
    path = rewrite(good_backup, tmp_path / "other.siabak", manifest={"vendor": other})
    message = refused(path, marked, yes=True)
    assert message == (
        f"Refused: the backup is of a {other} database and this SIA uses {connection.vendor}. "
        "A backup restores only into the same kind of database."
    )


def test_restore_refuses_a_newer_schema(
    good_backup: Path, tmp_path: Path, marked: Contents
) -> None:
    migrations = json.loads(good_backup.read_bytes().split(b"\n", 2)[1])["migrations"]
    migrations["cases"] = "9999_from_a_later_version"
    path = rewrite(good_backup, tmp_path / "newer.siabak", manifest={"migrations": migrations})
    message = refused(path, marked, yes=True)
    assert "Refused: the backup is from a newer version of SIA" in message
    assert "cases.9999_from_a_later_version" in message


def test_restore_refuses_a_newer_backup_format(
    good_backup: Path, tmp_path: Path, marked: Contents
) -> None:
    path = rewrite(good_backup, tmp_path / "v2.siabak", manifest={"format_version": 2})
    assert "format version 2, made by a newer SIA" in refused(path, marked, yes=True)


def test_restore_refuses_a_damaged_dump(
    good_backup: Path, tmp_path: Path, marked: Contents
) -> None:
    data = bytearray(good_backup.read_bytes())
    data[-100] ^= 0xFF  # one flipped byte inside the dump
    path = tmp_path / "damaged.siabak"
    path.write_bytes(bytes(data))
    message = refused(path, marked, yes=True)
    assert message == (
        "Refused: the backup's checksum does not match its manifest; the file is damaged "
        "or was altered. Nothing was restored; use another backup."
    )
    assert "checksum does not match" in refused(path, marked, check=True)


def test_restore_refuses_a_manifest_with_another_checksum(
    good_backup: Path, tmp_path: Path, marked: Contents
) -> None:
    path = rewrite(good_backup, tmp_path / "sum.siabak", manifest={"dump_sha256": "0" * 64})
    assert "checksum does not match its manifest" in refused(path, marked, yes=True)


def test_restore_without_yes_refuses_when_nobody_can_be_asked(
    good_backup: Path, marked: Contents
) -> None:
    message = refused(good_backup, marked)
    assert message.startswith("Refused: restore replaces every table of the database")
    assert "--yes" in message


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_restore_asks_at_a_terminal_and_stops_unless_told_yes(
    good_backup: Path, marked: Contents
) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^Restore cancelled\. Nothing was changed\.$"):
        call_command("restore", input=good_backup, stdin=Terminal("no\n"), stdout=out)
    assert "Type 'yes' to continue" in out.getvalue()
    assert database_contents() == marked


def test_restore_check_only_checks(good_backup: Path, marked: Contents) -> None:
    output = restore_from(good_backup, check=True)
    assert output.endswith("the checks pass. Nothing changed.\n")
    assert database_contents() == marked


def test_restore_refuses_tables_the_backup_does_not_have(
    good_backup: Path, marked: Contents
) -> None:
    if connection.vendor != ON_POSTGRESQL:
        pytest.skip("SQLite restores replace the whole file; only pg_restore leaves tables")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE later_migration_table (id integer)")
    with pytest.raises(CommandError) as refusal:
        restore_from(good_backup, yes=True)
    assert "the database has 1 table(s) the backup does not (later_migration_table)" in str(
        refusal.value
    )
    assert Unit.objects.filter(name="Kontrollenhet").exists()


def test_backup_refuses_to_overwrite_a_file(tmp_path: Path, db: None) -> None:
    path = tmp_path / "exists.siabak"
    path.write_text("an earlier backup")
    with pytest.raises(CommandError, match=r"exists\. Name a new file"):
        backup_to(path)
    assert path.read_text() == "an earlier backup"


def test_backup_refuses_a_missing_directory(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        backup_to(tmp_path / "no-such-dir" / "x.siabak")


def test_backup_refuses_inside_a_transaction(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError, match="runs in its own transaction"):
        backup_to(tmp_path / "x.siabak")
    assert not (tmp_path / "x.siabak").exists()


def test_a_backup_file_starts_with_its_manifest_and_holds_no_names(
    good_backup: Path, db: None
) -> None:
    magic, line, _dump = good_backup.read_bytes().split(b"\n", 2)
    assert magic + b"\n" == MAGIC
    manifest = json.loads(line)
    assert manifest["vendor"] == connection.vendor
    assert manifest["format_version"] == 1
    assert set(manifest) == {
        "format_version",
        "created_at",
        "vendor",
        "database",
        "migrations",
        "tables",
        "dump_sha256",
        "dump_bytes",
        "dump_tool",
    }
    assert manifest["migrations"]["cases"].startswith("00")
    assert manifest["tables"]["process_processtemplate"] >= 1


# --- PostgreSQL tools: the password stays off the command line, errors hold no data -------


def test_the_postgresql_password_goes_to_the_environment_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings_dict = {
        "NAME": "sia",
        "USER": "sia_app",
        "PASSWORD": "hemligt-lösenord",
        "HOST": "db.example.se",
        "PORT": 5432,
        "OPTIONS": {"sslmode": "verify-full"},
    }
    calls: list[tuple[list[str], dict[str, str]]] = []

    def fake_run(argv: list[str], **kwargs: Any) -> Any:
        calls.append((argv, kwargs["env"]))
        return type("Result", (), {"returncode": 0, "stderr": "", "stdout": ""})()

    monkeypatch.setattr(subprocess, "run", fake_run)
    monkeypatch.setattr(backup_module, "pg_tool", lambda name: f"/usr/bin/{name}")
    fake = type("Connection", (), {"settings_dict": settings_dict, "close": lambda self: None})
    backup_module._restore_postgresql(tmp_path / "dump", cast(BaseDatabaseWrapper, fake()))

    (argv, env) = calls[0]
    assert argv[:5] == [
        "/usr/bin/pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
    ]
    assert not any("hemligt" in arg for arg in argv)
    assert env["PGPASSWORD"] == "hemligt-lösenord"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.example.se",
        "5432",
        "sia_app",
        "sia",
    )
    assert env["PGSSLMODE"] == "verify-full"
    assert pg_environment({"NAME": "sia"}).get("PGAPPNAME") == "sia-backup"


def test_tool_errors_are_reported_without_the_data_they_quote() -> None:
    stderr = (
        "pg_restore: while PROCESSING TOC:\n"
        'pg_restore: error: COPY failed for table "people_person": ERROR:  invalid input '
        'syntax for type date: "Amina Hassan 19850101-9801"\n'
        'CONTEXT:  COPY people_person, line 1: "42\tAmina\tHassan"\n'
        "DETAIL:  Key (value)=(19850101-9801) already exists.\n"
        "pg_restore: error: could not execute query\n"
    )
    said = redact_tool_output("pg_restore", stderr)
    assert "Amina" not in said
    assert "19850101" not in said
    assert 'COPY failed for table "people_person": ERROR:  invalid input syntax' in said
    assert "pg_restore: error: could not execute query" in said
