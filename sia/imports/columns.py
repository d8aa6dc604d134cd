"""The columns of an import file and how each cell is read.

The headers are Swedish, as a caseworker writes them; letter case, surrounding spaces and
the order of the columns do not matter. Each reader returns the value or raises
``CellError`` with a message that never repeats the cell's content.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sia.core.exceptions import ValidationFailed
from sia.people.identifiers import PersonalNumber, parse_personal_number
from sia.people.models import ArrivalCategory, Gender, Language


class CellError(Exception):
    """A cell that cannot be read; the message is for the user."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Column:
    """One documented column: its header, whether it must hold a value, and its reader."""

    header: str
    key: str
    required: bool
    help: str | Promise
    read: Callable[[Any], Any]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", " ", str(value)).strip()


def read_personal_number(value: Any) -> PersonalNumber:
    try:
        return parse_personal_number(_text(value))
    except ValidationFailed as error:
        raise CellError(error.message) from None


def read_name(value: Any) -> str:
    text = _text(value)
    if len(text) > 100:
        raise CellError(_("Högst 100 tecken."))
    return text


def read_date(value: Any) -> dt.date | None:
    """Read an ISO date (ÅÅÅÅ-MM-DD), or a date cell of a workbook."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CellError(_("Skriv datumet som ÅÅÅÅ-MM-DD.")) from None


def _choice(choices: list[tuple[str, Any]], value: Any, aliases: dict[str, str]) -> str:
    text = _text(value).lower()
    if not text:
        return ""
    for code, label in choices:
        if text in (code.lower(), str(label).lower()):
            return code
    if text in aliases:
        return aliases[text]
    raise CellError(
        _("Okänt värde. Tillåtna värden: %(values)s.")
        % {"values": ", ".join(str(label) for _code, label in choices)}
    )


def read_gender(value: Any) -> str:
    return _choice(list(Gender.choices), value, {"k": "female", "m": "male"}) or Gender.UNKNOWN


def read_arrival_category(value: Any) -> str:
    aliases = {
        "abo": "abo",
        "ebo": "ebo",
        "kvot": "quota_refugee",
        "kvotflykting": "quota_refugee",
        "anknytning": "family_reunification",
        "tillfälligt skydd": "temporary_protection",
        "massflyktsdirektivet": "temporary_protection",
    }
    return _choice(list(ArrivalCategory.choices), value, aliases)


def read_language(value: Any) -> str:
    return _choice(list(Language.choices), value, {})


def read_languages(value: Any) -> list[str]:
    parts = [part.strip() for part in re.split(r"[,/]", _text(value)) if part.strip()]
    return list(dict.fromkeys(read_language(part) for part in parts))


def read_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in ("", "nej", "n", "0", "false"):
        return False
    if text in ("ja", "j", "1", "x", "true"):
        return True
    raise CellError(_("Skriv ja eller nej."))


COLUMNS: tuple[Column, ...] = (
    Column(
        "personnummer",
        "personal_number",
        True,
        _("Personnummer eller samordningsnummer, ÅÅÅÅMMDD-NNNN."),
        read_personal_number,
    ),
    Column("förnamn", "given_name", True, _("Förnamn."), read_name),
    Column("efternamn", "family_name", True, _("Efternamn."), read_name),
    Column(
        "kön", "gender", False, _("kvinna, man, annat eller okänt (tomt = okänt)."), read_gender
    ),
    Column(
        "ankomstkategori",
        "arrival_category",
        False,
        _("ABO, EBO, kvotflykting, anknytning eller tillfälligt skydd."),
        read_arrival_category,
    ),
    Column(
        "uppehållstillstånd",
        "residence_permit_date",
        False,
        _("Dagen uppehållstillståndet beviljades, ÅÅÅÅ-MM-DD."),
        read_date,
    ),
    Column(
        "ankomstdatum",
        "reception_date",
        False,
        _("Dagen personen togs emot i kommunen, ÅÅÅÅ-MM-DD."),
        read_date,
    ),
    Column(
        "första kontakt",
        "first_contact_date",
        True,
        _("Aktualiseringsdatum, ÅÅÅÅ-MM-DD (högst ett år bakåt)."),
        read_date,
    ),
    Column("enhet", "unit", True, _("Enhetens namn, en enhet du är chef för."), _text),
    Column(
        "handläggare",
        "caseworker",
        False,
        _("Användarnamn på en handläggare i kommunen som sätts i ärendets team."),
        _text,
    ),
    Column("språk", "preferred_languages", False, _("Språk, åtskilda med komma."), read_languages),
    Column("tolkbehov", "interpreter_needed", False, _("ja eller nej."), read_yes_no),
    Column("tolkspråk", "interpreter_language", False, _("Språk för tolk."), read_language),
    Column(
        "skyddade personuppgifter",
        "protected_identity",
        False,
        _("ja eller nej."),
        read_yes_no,
    ),
    Column(
        "utanför målgruppen",
        "outside_target_group_confirmed",
        False,
        _("ja för att öppna ärendet fast personen ligger utanför målgruppen."),
        read_yes_no,
    ),
)
BY_HEADER = {column.header: column for column in COLUMNS}
BY_KEY = {column.key: column for column in COLUMNS}


def normalise_header(value: Any) -> str:
    """Compare headers without letter case, extra spaces or a trailing colon."""
    return _text(value).lower().rstrip(":").strip()
