"""Replace the whole database with a backup made by `manage.py backup` (docs/operations.md)."""

import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from sia.core.backup import (
    BackupError,
    BackupFile,
    check_backup_dump,
    check_compatible,
    read_backup,
    restore_dump,
    verified_dump,
)

NEEDS_YES = (
    "Refused: restore replaces every table of the database with the backup. Run it again "
    "with --yes to confirm (or from a terminal to be asked). Nothing was changed."
)


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup file from `manage.py backup`. The file's "
        "vendor, schema and checksum are checked before the database is touched; --check "
        "stops after the checks."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path, help="Backup file to restore.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the database is to be replaced."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the file (header, vendor, schema, checksum); change nothing.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stdin: TextIO = options.get("stdin") or sys.stdin
        connection = connections[options["database"]]
        try:
            backup = read_backup(options["input"])
            compatibility = check_compatible(backup, connection)
            if options["check"]:
                check_backup_dump(backup)
                self.stdout.write(f"{self._describe(backup)}: the checks pass. Nothing changed.")
                return
            with verified_dump(backup) as dump:
                if not options["yes"]:
                    self._confirm(backup, connection.settings_dict.get("NAME"), stdin)
                counts = restore_dump(dump, backup.manifest, connection)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {self._describe(backup)}: {len(counts)} tables, {sum(counts.values())} "
            "rows; every table's row count matches the backup."
        )
        if options["verbosity"] >= 2:
            for table, rows in counts.items():
                self.stdout.write(f"  {table}: {rows}")
        if compatibility.older_schema:
            self.stdout.write(
                "The backup's schema is older than this version of SIA (apps: "
                f"{', '.join(compatibility.older_schema)}). Run `manage.py migrate` now."
            )

    @staticmethod
    def _describe(backup: BackupFile) -> str:
        manifest = backup.manifest
        return (
            f"backup {backup.path} of {manifest.vendor} database '{manifest.database}' made "
            f"{manifest.created_at}"
        )

    def _confirm(self, backup: BackupFile, database: object, stdin: TextIO) -> None:
        if not stdin.isatty():
            raise CommandError(NEEDS_YES)
        self.stdout.write(
            f"This replaces every table of database '{database}' with the "
            f"{self._describe(backup)} ({len(backup.manifest.tables)} tables, "
            f"{backup.manifest.rows} rows)."
        )
        self.stdout.write("Type 'yes' to continue: ", ending="")
        self.stdout.flush()
        if stdin.readline().strip().lower() != "yes":
            raise CommandError("Restore cancelled. Nothing was changed.")
