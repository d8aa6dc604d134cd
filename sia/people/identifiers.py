"""Swedish identity numbers and Migrationsverket dossier numbers: parsing and validation.

A personnummer is stored as 12 digits (YYYYMMDDNNNN). A samordningsnummer has the
same shape with 60 added to the day. The last digit is a Luhn check digit over the
ten digits YYMMDDNNN. Error messages never repeat the number itself.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.core.exceptions import ValidationFailed

_PERSONAL_NUMBER = re.compile(r"^([0-9]{2})?([0-9]{6})([-+]?)([0-9]{4})$")
_DOSSIER_NUMBER = re.compile(r"^[0-9]{2}-[0-9]{6}$")
COORDINATION_DAY_OFFSET = 60


@dataclass(frozen=True)
class PersonalNumber:
    """A validated personnummer or samordningsnummer in 12-digit form."""

    digits: str
    is_coordination_number: bool

    @property
    def birth_date(self) -> dt.date:
        """The date of birth the number encodes (the real day for a samordningsnummer)."""
        return _birth_date(self.digits)

    @property
    def formatted(self) -> str:
        """Show as YYYYMMDD-NNNN, the form Swedish authorities use."""
        return f"{self.digits[:8]}-{self.digits[8:]}"


def luhn_check_digit(nine_digits: str) -> int:
    """Compute the Luhn check digit for the nine digits YYMMDDNNN."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def _birth_date(digits: str) -> dt.date:
    day = int(digits[6:8])
    if day > COORDINATION_DAY_OFFSET:
        day -= COORDINATION_DAY_OFFSET
    return dt.date(int(digits[:4]), int(digits[4:6]), day)


def _with_century(short: str, separator: str, today: dt.date) -> str:
    """Give a 10-digit number its century: the latest that is not in the future.

    A '+' separator marks a person who has turned 100.
    """
    year = int(short[:2])
    century = today.year // 100 * 100
    full_year = century + year
    if full_year > today.year:
        full_year -= 100
    if separator == "+":
        full_year -= 100
    return f"{full_year:04d}{short[2:]}"


def parse_personal_number(raw: str, *, today: dt.date | None = None) -> PersonalNumber:
    """Validate a personnummer or samordningsnummer and return its 12-digit form."""
    text = raw.strip().replace(" ", "")
    match = _PERSONAL_NUMBER.match(text)
    if not match:
        raise ValidationFailed(
            _(
                "Ange numret som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN "
                "(tolv eller tio siffror, med eller utan bindestreck)."
            )
        )
    century, date_part, separator, tail = match.groups()
    if century:
        digits = century + date_part + tail
    else:
        digits = _with_century(date_part + tail, separator, today or timezone.localdate())
    is_coordination = int(digits[6:8]) > COORDINATION_DAY_OFFSET
    try:
        birth = _birth_date(digits)
    except ValueError:
        raise ValidationFailed(_("Numret innehåller inget giltigt datum.")) from None
    if birth > (today or timezone.localdate()):
        raise ValidationFailed(_("Numret anger ett födelsedatum i framtiden."))
    if luhn_check_digit(digits[2:11]) != int(digits[11]):
        raise ValidationFailed(_("Kontrollsiffran stämmer inte. Kontrollera numret."))
    return PersonalNumber(digits=digits, is_coordination_number=is_coordination)


def parse_dossier_number(raw: str) -> str:
    """Validate a Migrationsverket dossier number (xx-xxxxxx)."""
    text = raw.strip()
    if not _DOSSIER_NUMBER.match(text):
        raise ValidationFailed(
            _("Migrationsverkets dossiernummer skrivs som två siffror, bindestreck, sex siffror.")
        )
    return text
