"""Backup and restore of the whole database, behind `manage.py backup` and `manage.py restore`.

A backup is one file: a header line, a manifest (JSON on one line) and the dump.

    SIA-BACKUP
    {"format_version": 1, "vendor": "postgresql", "migrations": {...}, "tables": {...}, ...}
    <pg_dump --format=custom output, or an SQLite database file>

The manifest says what the dump holds: the database vendor, the latest applied migration
of each app, the rows of each table (names and counts only, never personal data) and the
dump's SHA-256. Restore reads it first and refuses a file from another vendor, from a
newer schema or with a damaged dump before it touches the database. `tail -n +3 FILE`
gives the bare dump for `pg_restore` or `sqlite3` when SIA itself cannot run.

PostgreSQL is dumped with `pg_dump --format=custom` in the same snapshot as the row counts,
and restored with `pg_restore --clean --if-exists --no-owner --single-transaction`, so a
failed restore leaves the database as it was. SQLite is copied both ways with the sqlite3
online backup API. Connection parameters reach the PostgreSQL tools through the libpq
environment (PGHOST, PGPASSWORD, ...), never on the command line.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

MAGIC = b"SIA-BACKUP\n"
FORMAT_VERSION = 1
VENDORS = ("postgresql", "sqlite")
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
CHUNK = 1024 * 1024
# libpq reads these from the environment; Django passes the same names in OPTIONS.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """Backup or restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds: no personal data, only names, counts and a checksum."""

    created_at: str
    vendor: str
    database: str
    migrations: dict[str, str]
    tables: dict[str, int]
    dump_sha256: str
    dump_bytes: int
    dump_tool: str
    format_version: int = FORMAT_VERSION

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def to_line(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode() + b"\n"

    @classmethod
    def from_json(cls, data: Any) -> "Manifest":
        if not isinstance(data, dict):
            raise BackupError("Not a SIA backup file: the manifest is not a JSON object.")
        version = data.get("format_version")
        if not isinstance(version, int):
            raise BackupError("Not a SIA backup file: the manifest has no format version.")
        if version > FORMAT_VERSION:
            raise BackupError(
                f"Refused: the backup is in format version {version}, made by a newer SIA; "
                f"this SIA reads format version {FORMAT_VERSION}. Restore it with the SIA "
                "version that made it."
            )
        try:
            manifest = cls(
                created_at=str(data["created_at"]),
                vendor=str(data["vendor"]),
                database=str(data["database"]),
                migrations={str(k): str(v) for k, v in dict(data["migrations"]).items()},
                tables={str(k): int(v) for k, v in dict(data["tables"]).items()},
                dump_sha256=str(data["dump_sha256"]),
                dump_bytes=int(data["dump_bytes"]),
                dump_tool=str(data["dump_tool"]),
                format_version=version,
            )
        except (KeyError, TypeError, ValueError) as error:
            raise BackupError(
                f"Not a SIA backup file: the manifest is incomplete ({error})."
            ) from None
        return manifest


@dataclass(frozen=True)
class BackupFile:
    """A backup file whose header and manifest have been read (the dump not yet checked)."""

    path: Path
    manifest: Manifest
    dump_offset: int


@dataclass
class Compatibility:
    """Whether a backup fits this SIA and this database, and what to do after restoring."""

    older_schema: list[str] = field(default_factory=list)


# --- shared helpers ---------------------------------------------------------------------


def quote(name: str) -> str:
    """Quote an identifier the SQL-standard way (both PostgreSQL and SQLite accept it)."""
    return '"' + name.replace('"', '""') + '"'


def user_tables(connection: BaseDatabaseWrapper, cursor: Any) -> list[str]:
    """The database's tables as Django sees them, without SQLite's own bookkeeping."""
    names = connection.introspection.table_names(cursor)
    return sorted(name for name in names if not name.startswith("sqlite_"))


def count_rows(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - a quoted table name
        counts[table] = int(cursor.fetchone()[0])
    return counts


def latest_migrations(cursor: Any) -> dict[str, str]:
    """The migration applied last in each app, as Django recorded it."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return {str(app): str(name) for app, name in cursor.fetchall()}


def _sha256_copy(source: Path, offset: int, target: Path | None) -> tuple[str, int]:
    """Hash the bytes of `source` from `offset`, copying them to `target` when given."""
    digest = hashlib.sha256()
    size = 0
    with ExitStack() as stack:
        reader = stack.enter_context(source.open("rb"))
        writer = stack.enter_context(_private_writer(target)) if target else None
        reader.seek(offset)
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if writer is not None:
                writer.write(chunk)
    return digest.hexdigest(), size


def _check_digest(backup: BackupFile, sha256: str, size: int) -> None:
    if sha256 != backup.manifest.dump_sha256 or size != backup.manifest.dump_bytes:
        raise BackupError(
            "Refused: the backup's checksum does not match its manifest; the file is damaged "
            "or was altered. Nothing was restored; use another backup."
        )


@contextmanager
def _private_writer(path: Path) -> Iterator[Any]:
    """A new file only its owner can read: backups hold sensitive personal data."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as writer:
        yield writer


def _require_no_transaction(connection: BaseDatabaseWrapper, what: str) -> None:
    if connection.in_atomic_block:
        raise BackupError(
            f"{what} runs in its own transaction; call it outside a transaction "
            "(for example not inside transaction.atomic or a test's `db` fixture)."
        )


# --- PostgreSQL tools -------------------------------------------------------------------


def pg_environment(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    """The environment for pg_dump and pg_restore: the connection, password included.

    The password goes only here, never on the command line where `ps` would show it.
    """
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        value = settings_dict.get(key)
        if value:
            env[variable] = str(value)
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in LIBPQ_OPTIONS.items():
        if options.get(option):
            env[variable] = str(options[option])
    env["PGAPPNAME"] = "sia-backup"
    return env


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools (Debian and "
            "Ubuntu: postgresql-client) of the server's major version or newer."
        )
    return path


def redact_tool_output(tool: str, stderr: str) -> str:
    """Keep what a PostgreSQL tool said went wrong, without any data it may quote.

    Server errors can quote values (`invalid input syntax ...: "<value>"`) and their
    DETAIL and CONTEXT lines can hold whole rows, so only the tool's own lines are kept
    and a server message is cut before its first quoted value.
    """
    kept: list[str] = []
    for line in stderr.splitlines():
        if not line.startswith(f"{tool}:"):
            continue  # DETAIL:, CONTEXT:, HINT:, Command was: ... can hold data
        head, marker, message = line.partition("ERROR:")
        if marker:
            cut = min(
                (i for i in (message.find('"'), message.find("'")) if i >= 0),
                default=len(message),
            )
            line = f"{head}{marker}{message[:cut].rstrip(' :')}"
        kept.append(line)
    return "\n".join(kept[:20])


def _run_pg_tool(argv: list[str], env: dict[str, str]) -> None:
    tool = Path(argv[0]).name
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell; values from settings
        argv, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        said = redact_tool_output(tool, result.stderr) or "(no message)"
        raise BackupError(
            f"{tool} failed with exit code {result.returncode}:\n{said}\n"
            "(Lines that can quote data were left out; run the tool by hand as described in "
            "docs/operations.md to see them.)"
        )


def pg_database_name(connection: BaseDatabaseWrapper) -> str:
    name = connection.settings_dict.get("NAME")
    if not name:
        raise BackupError("The database settings name no database (DATABASE_URL has no name).")
    return str(name)


# --- backup -----------------------------------------------------------------------------


def create_backup(output: Path, connection: BaseDatabaseWrapper) -> Manifest:
    """Write a backup of the whole database to `output`, a new file readable by its owner."""
    vendor = connection.vendor
    if vendor not in VENDORS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    if output.exists():
        raise BackupError(
            f"Refused: {output} exists. Name a new file; backups are never overwritten."
        )
    if not output.parent.is_dir():
        raise BackupError(f"The directory {output.parent} does not exist.")
    _require_no_transaction(connection, "Backup")
    workdir = Path(tempfile.mkdtemp(prefix=".sia-backup-", dir=output.parent))
    try:
        dump = workdir / "dump"
        if vendor == "postgresql":
            facts = _dump_postgresql(connection, dump)
        else:
            facts = _dump_sqlite(connection, dump)
        sha256, size = _sha256_copy(dump, 0, None)
        manifest = Manifest(
            created_at=dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
            vendor=vendor,
            database=Path(str(connection.settings_dict.get("NAME") or "")).name,
            dump_sha256=sha256,
            dump_bytes=size,
            **facts,
        )
        assembled = workdir / "backup"
        with _private_writer(assembled) as writer, dump.open("rb") as reader:
            writer.write(MAGIC)
            writer.write(manifest.to_line())
            shutil.copyfileobj(reader, writer, CHUNK)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(assembled, output)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return manifest


def _dump_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> dict[str, Any]:
    """pg_dump in the same snapshot as the counts, so the manifest describes the dump exactly."""
    pg_dump = pg_tool("pg_dump")
    pg_database_name(connection)
    connection.ensure_connection()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        tables = user_tables(connection, cursor)
        facts: dict[str, Any] = {
            "tables": count_rows(cursor, tables),
            "migrations": latest_migrations(cursor),
        }
        argv = [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}"]
        _run_pg_tool([*argv, f"--file={dump}"], pg_environment(connection.settings_dict))
    version = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [pg_dump, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    facts["dump_tool"] = version or "pg_dump"
    return facts


def _dump_sqlite(connection: BaseDatabaseWrapper, dump: Path) -> dict[str, Any]:
    """Copy the live database with the online backup API; count in the copy itself."""
    connection.ensure_connection()
    copy = sqlite3.connect(dump)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\' ORDER BY name"
        )
        tables = [str(row[0]) for row in cursor.fetchall()]
        facts: dict[str, Any] = {
            "tables": count_rows(cursor, tables),
            "migrations": latest_migrations(cursor),
        }
    finally:
        copy.close()
    os.chmod(dump, 0o600)
    facts["dump_tool"] = f"sqlite3 {sqlite3.sqlite_version}"
    return facts


# --- restore ----------------------------------------------------------------------------


def read_backup(path: Path) -> BackupFile:
    """Read the header and manifest; the dump itself is checked by `verified_dump`."""
    if not path.is_file():
        raise BackupError(f"Backup file not found: {path}")
    with path.open("rb") as reader:
        magic = reader.read(len(MAGIC))
        if magic != MAGIC:
            raise BackupError(
                f"Not a SIA backup file: {path} does not start with the SIA-BACKUP header."
            )
        line = reader.readline(MAX_MANIFEST_BYTES)
        if not line.endswith(b"\n"):
            raise BackupError("Not a SIA backup file: the manifest line is missing or too long.")
        offset = reader.tell()
    try:
        data = json.loads(line)
    except ValueError:
        raise BackupError("Not a SIA backup file: the manifest is not valid JSON.") from None
    return BackupFile(path=path, manifest=Manifest.from_json(data), dump_offset=offset)


def check_compatible(backup: BackupFile, connection: BaseDatabaseWrapper) -> Compatibility:
    """Refuse a backup of another vendor or a newer schema; note an older schema."""
    manifest = backup.manifest
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"Refused: the backup is of a {manifest.vendor} database and this SIA uses "
            f"{connection.vendor}. A backup restores only into the same kind of database."
        )
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    known_apps = {app for app, _name in graph.nodes}
    unknown = sorted(
        f"{app}.{name}"
        for app, name in manifest.migrations.items()
        if app in known_apps and (app, name) not in graph.nodes
    )
    if unknown:
        raise BackupError(
            "Refused: the backup is from a newer version of SIA; this version does not know "
            f"its migrations {', '.join(unknown)}. Restore it with the SIA version that made it "
            "(or a later one)."
        )
    compatibility = Compatibility()
    for app in sorted(known_apps):
        latest = manifest.migrations.get(app)
        if latest is None or (app, latest) not in graph.leaf_nodes(app):
            compatibility.older_schema.append(app)
    if connection.vendor == "postgresql":
        _refuse_extra_tables(manifest, connection)
    return compatibility


def _refuse_extra_tables(manifest: Manifest, connection: BaseDatabaseWrapper) -> None:
    """pg_restore --clean drops only what the dump holds; other tables would linger."""
    with connection.cursor() as cursor:
        extra = sorted(set(user_tables(connection, cursor)) - set(manifest.tables))
    if extra:
        shown = ", ".join(extra[:10]) + (f" and {len(extra) - 10} more" if len(extra) > 10 else "")
        raise BackupError(
            f"Refused: the database has {len(extra)} table(s) the backup does not ({shown}), "
            "most likely from a later migration. They would survive the restore beside the "
            "restored data. Restore into an empty database instead: drop and create it "
            "(dropdb/createdb as its owner), then run restore again. Nothing was changed."
        )


@contextmanager
def verified_dump(backup: BackupFile) -> Iterator[Path]:
    """The dump copied to a private temporary file and checked against the manifest.

    What is restored is the very copy whose checksum was checked. The copy is removed
    afterwards (set TMPDIR to place it elsewhere).
    """
    with tempfile.TemporaryDirectory(prefix="sia-restore-") as workdir:
        dump = Path(workdir) / "dump"
        _check_digest(backup, *_sha256_copy(backup.path, backup.dump_offset, dump))
        yield dump


def check_backup_dump(backup: BackupFile) -> None:
    """Verify the dump's checksum without copying it anywhere."""
    _check_digest(backup, *_sha256_copy(backup.path, backup.dump_offset, None))


def restore_dump(dump: Path, manifest: Manifest, connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Replace the database's contents with the dump and return the rows per table.

    Raises BackupError when the restored rows differ from the manifest's counts.
    """
    _require_no_transaction(connection, "Restore")
    if connection.vendor == "postgresql":
        _restore_postgresql(dump, connection)
    else:
        _restore_sqlite(dump, connection)
    if apps.is_installed("django.contrib.contenttypes"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()  # the ids this process cached may be others now
    with connection.cursor() as cursor:
        counts = count_rows(cursor, user_tables(connection, cursor))
    differing = sorted(
        table
        for table in set(counts) | set(manifest.tables)
        if counts.get(table) != manifest.tables.get(table)
    )
    if differing:
        shown = ", ".join(
            f"{t} (backup {manifest.tables.get(t, '-')}, now {counts.get(t, '-')})"
            for t in differing[:10]
        )
        raise BackupError(
            f"The restore finished, but {len(differing)} table(s) differ from the backup's "
            f"row counts: {shown}. Do not use the database; restore again or use another backup."
        )
    return counts


def _restore_postgresql(dump: Path, connection: BaseDatabaseWrapper) -> None:
    pg_restore = pg_tool("pg_restore")
    name = pg_database_name(connection)
    connection.close()  # hold no session (and no lock) of our own while pg_restore works
    argv = [
        pg_restore,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--no-password",
        f"--dbname={name}",
        str(dump),
    ]
    _run_pg_tool(argv, pg_environment(connection.settings_dict))


def _restore_sqlite(dump: Path, connection: BaseDatabaseWrapper) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not restore the backup: {error}") from None
    finally:
        source.close()
