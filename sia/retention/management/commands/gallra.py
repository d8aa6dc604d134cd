"""Run the retention job (gallring); see docs/operations.md and docs/adr/0015-retention.md."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sia.retention.rules import RetentionRule
from sia.retention.services import run_retention


def _day(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError("--today takes a date as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Dispose of the records of every person whose last entry is older than "
        "SIA_RETENTION_YEARS (default 5), except the research exception (born on the 5th, "
        "15th or 25th) and the record types in SIA_RETENTION_KEEP, and of audit events "
        "older than SIA_AUDIT_RETENTION_YEARS. Writes a disposal log with counts per "
        "record type only. Run it monthly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would go and log the dry run; dispose of nothing.",
        )
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="Apply the rule as on this date (YYYY-MM-DD; default: today).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rule = RetentionRule.configured(options["today"])
        if rule.today > RetentionRule.configured().today:
            raise CommandError("--today cannot be in the future.")
        run = run_retention(rule=rule, dry_run=options["dry_run"])
        verb = "would dispose of" if run.dry_run else "disposed of"
        self.stdout.write(
            f"Retention {'dry run' if run.dry_run else 'run'} as on {run.applied_on}: "
            f"{verb} the records of {run.persons_disposed} people; "
            f"{run.persons_research} kept whole by the research exception."
        )
        for count in run.counts.all():
            self.stdout.write(f"  {count.record_type}: {count.disposed} (kept {count.kept})")
        if run.persons_failed:
            raise CommandError(
                f"Disposal failed for {run.persons_failed} people; their records are unchanged."
            )
