"""Load the synthetic demo municipality and print the demo logins."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sia.demo.generate_data import generate_demo_slice
from sia.demo.municipality import DEMO_REFUSED, demo_password, load_demo
from sia.demo.staff import PERSONAS

DEMO_URL = "http://127.0.0.1:8000"
# Bulk cases over the last three years in the demo's own SIA units, so that `chef` and
# `analytiker` see follow-up dashboards with curves (written with the bulk generator).
SLICE_CASES = 400
SLICE_SEED = 2026


class Command(BaseCommand):
    help = (
        "Create the demo staff logins and, on an empty database, about forty synthetic "
        "newcomers with cases, plus 400 bulk cases over three years for the follow-up "
        "dashboards. Only where SIA_DEMO=1. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SIA_DEMO:
            raise CommandError(DEMO_REFUSED)
        password = demo_password()
        counts = load_demo(password=password)
        self._report(counts)
        if counts["people"]:  # a fresh demo: add the bulk slice once
            written = generate_demo_slice(cases=SLICE_CASES, seed=SLICE_SEED, password=password)
            self.stdout.write(
                f"Added {written.get('cases', 0)} bulk cases over the last three years for the "
                "follow-up dashboards (no audit events)."
            )
        self._print_logins(password)

    def _report(self, counts: dict[str, int]) -> None:
        if not counts["people"]:
            self.stdout.write("People are already registered: no demo people or cases added.")
            return
        self.stdout.write(
            f"Created {counts['people']} people, {counts['household_links']} household links "
            f"and {counts['cases']} cases."
        )

    def _print_logins(self, password: str) -> None:
        width = max(len(persona.username) for persona in PERSONAS)
        self.stdout.write("")
        self.stdout.write(f"Demo logins at {DEMO_URL}")
        self.stdout.write(f"  {'username'.ljust(width)}  role")
        self.stdout.write(f"  {'-' * width}  {'-' * 4}")
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.username.ljust(width)}  {persona.description}")
        self.stdout.write(f"Password for every login: {password}")
        self.stdout.write("(Logins created earlier keep the password they were created with.)")
