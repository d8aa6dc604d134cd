"""Reset a user's two-factor sign-in, for a lost phone: ``manage.py reset_2fa <username>``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sia.accounts.models import User
from sia.accounts.two_factor import reset_second_factor
from sia.audit.models import Channel


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app and recovery codes and end their sessions; "
        "they enrol a new app at their next sign-in. Audited as MFA_RESET."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user whose two-factor sign-in is reset.")
        parser.add_argument(
            "--by", default="", help="The administrator's username, for the audit trail."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["username"])
        reset_by = self._user(options["by"]) if options["by"] else None
        had_devices = reset_second_factor(user=user, reset_by=reset_by, channel=Channel.SYSTEM)
        if had_devices:
            self.stdout.write(
                f"Two-factor sign-in reset for {user.get_username()}; "
                "they enrol a new app at their next sign-in."
            )
        else:
            self.stdout.write(
                f"{user.get_username()} had no authenticator; their sessions were ended."
            )

    @staticmethod
    def _user(username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError("No user has that username.")
        return user
