"""Fill the database with a large synthetic municipality for scale tests, and print the
rows written of each kind."""

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sia.demo.generate_data import generate
from sia.demo.municipality import DEMO_REFUSED, demo_password

DEFAULT_SEED = 1


class Command(BaseCommand):
    help = (
        "Write N synthetic cases with people, families, case teams, process steps and the "
        "follow-up data (outcomes, reports of concern, programme, progress steps, barriers, "
        "enrolments, group series with attendance) in bulk (no audit events). Only where "
        "SIA_DEMO=1. Can run on top of the demo and more than once."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="number of cases to write")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SIA_DEMO:
            raise CommandError(DEMO_REFUSED)
        cases: int = options["cases"]
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        started = time.perf_counter()
        counts = generate(cases=cases, seed=options["seed"], password=demo_password())
        elapsed = time.perf_counter() - started
        self._report(counts, elapsed)

    def _report(self, counts: dict[str, int], elapsed: float) -> None:
        width = max(len(kind) for kind in counts)
        self.stdout.write("Rows written:")
        for kind, rows in counts.items():
            self.stdout.write(f"  {kind.ljust(width)}  {rows:>9,}")
        self.stdout.write(f"Wrote {counts.get('cases', 0):,} cases in {elapsed:.1f} s.")
