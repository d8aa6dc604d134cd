"""Synthetic identity numbers for demo and test people only.

Skatteverket's test personnummer use the birth-number range 980–999, which is
never given to real people; every number made here lies in that range and passes
the Luhn check, so it looks real to the software and belongs to nobody.
"""

import datetime as dt

from sia.people.identifiers import COORDINATION_DAY_OFFSET, luhn_check_digit

TEST_SERIALS = range(980, 1000)


def personal_number(birth: dt.date, *, serial: int = 980, coordination: bool = False) -> str:
    """Return a 12-digit test personnummer (or samordningsnummer) for the birth date."""
    if serial not in TEST_SERIALS:
        raise ValueError("Test numbers use the birth-number range 980-999 only.")
    day = birth.day + (COORDINATION_DAY_OFFSET if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    return f"{birth:%Y%m}{day:02d}{serial:03d}{luhn_check_digit(nine)}"
