"""Write a backup of the whole database to a new file (see docs/operations.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from sia.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to a new file: pg_dump --format=custom on PostgreSQL, "
        "the online backup API on SQLite, with a manifest (vendor, migrations, rows per "
        "table, SHA-256) that `restore` checks. The file holds personal data: keep it "
        "encrypted and access-controlled."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", required=True, type=Path, help="New file to write (never overwritten)."
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        connection = connections[options["database"]]
        try:
            manifest = create_backup(output, connection)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backup written to {output}: {connection.vendor} database "
            f"'{manifest.database}', {len(manifest.tables)} tables, {manifest.rows} rows, "
            f"{manifest.dump_bytes} bytes of dump, SHA-256 {manifest.dump_sha256}."
        )
        if options["verbosity"] >= 2:
            for table, rows in manifest.tables.items():
                self.stdout.write(f"  {table}: {rows}")
