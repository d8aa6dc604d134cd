"""The synthetic demo municipality: about forty newcomers, their families and cases.

Everything here is made up. The names are plausible for the largest newcomer groups,
every personnummer and samordningsnummer lies in Skatteverket's test range (serials
980-999), and phone numbers lie in the series PTS keeps for fiction (070-174 06 05-99).
The random choices use a fixed seed, so every demo holds the same people; only the
dates move, relative to today.

People are registered, cases opened and taken through the SIA steps by the services,
so the audit trail shows them (see `progress.py`); only closing is set directly.
"""

import datetime as dt
import itertools
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from sia.accounts.models import Unit, User
from sia.audit.models import Channel
from sia.cases.models import Case, CaseTeamMember
from sia.cases.services import open_case
from sia.demo.collaboration import seed_collaboration
from sia.demo.progress import advance_case
from sia.demo.staff import MUNICIPALITY, create_staff
from sia.demo.support import seed_support
from sia.demo.synthetic import TEST_SERIALS, personal_number
from sia.people.models import (
    ArrivalCategory,
    Gender,
    HouseholdLink,
    Language,
    Person,
    PersonIdentifier,
)
from sia.people.services import IdentifierInput, PersonInput, link_household, register_person

SEED = 2026
RECEPTION_UNIT = "Mottagningsgruppen"
GUIDANCE_UNIT = "Samhällsvägledning"
ASSESSMENT_UNIT = "Utredningsgruppen"
CITY = "Demostad"
DEFAULT_PASSWORD = "sia-demo-2026"  # noqa: S105 - the documented demo password
DEMO_REFUSED = (
    "Refused: settings.SIA_DEMO is off. Demo logins and synthetic people are loaded only "
    "where SIA_DEMO=1, never in production."
)

Stage = Case.Stage
Reason = Case.ClosingReason
M, F = Gender.MALE, Gender.FEMALE
A = ArrivalCategory
L = Language
PNR = PersonIdentifier.Kind.PERSONNUMMER
SNR = PersonIdentifier.Kind.SAMORDNINGSNUMMER
DOSSIER = PersonIdentifier.Kind.DOSSIER
NO_ID = ""

# How many days before today a case at each stage had its first contact.
DAYS_AGO: dict[str, tuple[int, int]] = {
    Stage.INTAKE: (0, 1),
    Stage.ALIGNMENT: (1, 3),
    Stage.GUIDANCE: (6, 13),
    Stage.FIRST_VISIT: (14, 21),
    Stage.PLAN: (22, 75),
    Stage.FOLLOW_UP: (76, 200),
    Stage.ASSESSMENT: (120, 280),
    Stage.CLOSED: (180, 300),
}
# Initially two guides; some cases keep only one of them.
GUIDE_TURNS = (("vagledare1", "vagledare2"), ("vagledare1",), ("vagledare2",))
STREETS = ("Lönnvägen", "Björkgatan", "Stationsgatan", "Skolvägen", "Ekbacken", "Torggatan")
# Days a person can be moved back when all twenty test serials of a birth date are taken.
MAX_BIRTH_SHIFT_DAYS = 366


def require_demo_environment() -> None:
    """Refuse to write demo or synthetic data unless settings.SIA_DEMO is on."""
    if not settings.SIA_DEMO:
        raise ImproperlyConfigured(DEMO_REFUSED)


def demo_password() -> str:
    """Return the demo logins' password: SIA_DEMO_PASSWORD, or the documented default."""
    return os.environ.get("SIA_DEMO_PASSWORD", DEFAULT_PASSWORD)


class SyntheticNumbers:
    """Hand out unused test personnummer, samordningsnummer and dossier numbers."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self._rng = rng
        self._taken = taken

    def personal(self, birth: dt.date, *, coordination: bool = False) -> tuple[dt.date, str]:
        """Return a free number and the birth date it encodes (earlier if the day is full)."""
        for _shift in range(MAX_BIRTH_SHIFT_DAYS):
            start = self._rng.randrange(len(TEST_SERIALS))
            for step in range(len(TEST_SERIALS)):
                serial = TEST_SERIALS[(start + step) % len(TEST_SERIALS)]
                value = personal_number(birth, serial=serial, coordination=coordination)
                if value not in self._taken:
                    self._taken.add(value)
                    return birth, value
            birth -= dt.timedelta(days=1)
        raise RuntimeError("No free test number is left near the requested birth date.")

    def dossier(self) -> str:
        """Return a free Migrationsverket dossier number (NN-NNNNNN)."""
        while True:
            value = f"{self._rng.randrange(10, 100)}-{self._rng.randrange(1_000_000):06d}"
            if value not in self._taken:
                self._taken.add(value)
                return value


@dataclass(frozen=True)
class Member:
    """A person in a demo household: an adult with a case at a stage, or a child (no stage)."""

    given_name: str
    gender: Gender
    stage: str = ""
    identifier: str = PNR
    closing: str = ""


@dataclass(frozen=True)
class Household:
    """A family (or a single person) who arrived together."""

    family_name: str
    category: ArrivalCategory
    language: Language
    interpreter: bool
    adults: tuple[Member, ...]
    children: tuple[Member, ...] = ()
    protected: bool = False


HOUSEHOLDS: tuple[Household, ...] = (
    Household("Al-Hassan", A.QUOTA_REFUGEE, L.ARABIC, True,
              (Member("Omar", M, Stage.PLAN), Member("Rania", F, Stage.GUIDANCE)),
              (Member("Yusuf", M), Member("Lina", F), Member("Sami", M))),
    Household("Ahmadi", A.ABO, L.DARI, True,
              (Member("Mohammad", M, Stage.FIRST_VISIT), Member("Zahra", F, Stage.FIRST_VISIT)),
              (Member("Ali", M), Member("Maryam", F))),
    Household("Tesfay", A.FAMILY_REUNIFICATION, L.TIGRINYA, True,
              (Member("Selam", F, Stage.ALIGNMENT, DOSSIER),),
              (Member("Mussie", M, identifier=DOSSIER), Member("Helen", F, identifier=DOSSIER))),
    Household("Abdi", A.QUOTA_REFUGEE, L.SOMALI, True,
              (Member("Ahmed", M, Stage.ALIGNMENT), Member("Fadumo", F, Stage.ALIGNMENT)),
              (Member("Ayaan", F),)),
    Household("Kovalenko", A.TEMPORARY_PROTECTION, L.UKRAINIAN, False,
              (Member("Olena", F, Stage.GUIDANCE, SNR),), (Member("Sofiia", F, identifier=SNR),)),
    Household("Shevchenko", A.TEMPORARY_PROTECTION, L.UKRAINIAN, True,
              (Member("Andrii", M, Stage.INTAKE, NO_ID), Member("Iryna", F, Stage.INTAKE, NO_ID))),
    Household("Haidari", A.QUOTA_REFUGEE, L.PASHTO, True,
              (Member("Gulalai", F, Stage.PLAN),), protected=True),
    Household("Rahimi", A.EBO, L.DARI, True, (Member("Farid", M, Stage.FOLLOW_UP),)),
    Household("Ghebremedhin", A.ABO, L.TIGRINYA, True, (Member("Yonas", M, Stage.ASSESSMENT),)),
    Household("Warsame", A.EBO, L.SOMALI, False,
              (Member("Hodan", F, Stage.CLOSED, closing=Reason.SELF_SUFFICIENT),)),
    Household("Mahmoud", A.EBO, L.KURDISH, True, (Member("Dilan", F, Stage.FOLLOW_UP),)),
    Household("Bekele", A.FAMILY_REUNIFICATION, L.AMHARIC, True,
              (Member("Meron", F, Stage.CLOSED, closing=Reason.MOVED),)),
    Household("Yusuf", A.ABO, L.SOMALI, True, (Member("Abdirahman", M, Stage.ASSESSMENT),)),
    Household("Khalil", A.FAMILY_REUNIFICATION, L.ARABIC, True,
              (Member("Karim", M, Stage.INTAKE, DOSSIER),)),
    Household("Nazari", A.EBO, L.PERSIAN, False,
              (Member("Hamid", M, Stage.CLOSED, closing=Reason.DECLINED),)),
    Household("Bondarenko", A.EBO, L.RUSSIAN, True, (Member("Taras", M, Stage.FIRST_VISIT, SNR),)),
    Household("Berhe", A.QUOTA_REFUGEE, L.TIGRINYA, True,
              (Member("Filmon", M, Stage.PLAN), Member("Rahwa", F, Stage.GUIDANCE)),
              (Member("Henok", M), Member("Saba", F))),
    Household("Darwish", A.ABO, L.ARABIC, True, (Member("Amal", F, Stage.ALIGNMENT),)),
    Household("Farah", A.FAMILY_REUNIFICATION, L.SOMALI, True,
              (Member("Ifrah", F, Stage.FOLLOW_UP, DOSSIER),),
              (Member("Mahad", M, identifier=NO_ID),)),
    Household("Hosseini", A.QUOTA_REFUGEE, L.DARI, True, (Member("Reza", M, Stage.GUIDANCE),)),
    Household("Melnyk", A.TEMPORARY_PROTECTION, L.UKRAINIAN, True,
              (Member("Oksana", F, Stage.ALIGNMENT, SNR),)),
    Household("Saleh", A.ABO, L.ARABIC, False,
              (Member("Khaled", M, Stage.FOLLOW_UP), Member("Reem", F, Stage.PLAN)),
              (Member("Tarek", M),)),
)  # fmt: skip


@dataclass
class _Context:
    rng: random.Random
    today: dt.date
    staff: dict[str, User]
    units: dict[str, Unit]
    numbers: SyntheticNumbers
    phones: Iterator[int] = field(default_factory=lambda: iter(range(5, 100)))
    guide_turns: Iterator[tuple[str, ...]] = field(
        default_factory=lambda: itertools.cycle(GUIDE_TURNS)
    )


def _days_back(ctx: _Context, low: int, high: int) -> dt.date:
    return ctx.today - dt.timedelta(days=ctx.rng.randint(low, high))


def _first_contact(ctx: _Context, stage: str) -> dt.date:
    return _days_back(ctx, *DAYS_AGO[stage])


def _identifiers(ctx: _Context, kind: str, birth: dt.date) -> tuple[dt.date, list[IdentifierInput]]:
    if kind == NO_ID:
        return birth, []
    if kind == DOSSIER:
        return birth, [IdentifierInput(kind=kind, value=ctx.numbers.dossier())]
    birth, value = ctx.numbers.personal(birth, coordination=kind == SNR)
    return birth, [IdentifierInput(kind=kind, value=value)]


def _phone(ctx: _Context) -> str:
    return f"070-174 06 {next(ctx.phones):02d}"


def _languages(household: Household, adult: bool) -> tuple[list[str], bool]:
    """Return the languages spoken and whether an interpreter is needed."""
    spoken = [household.language.value]
    if adult and not household.interpreter:
        spoken.append(Language.ENGLISH.value)
    return spoken, adult and household.interpreter


def _register(
    ctx: _Context,
    household: Household,
    member: Member,
    *,
    birth: dt.date,
    street: str,
    reception: dt.date,
) -> Person:
    adult = bool(member.stage)
    birth, identifiers = _identifiers(ctx, member.identifier, birth)
    spoken, needs_interpreter = _languages(household, adult)
    data = PersonInput(
        given_name=member.given_name,
        family_name=household.family_name,
        date_of_birth=birth,
        gender=member.gender,
        arrival_category=household.category,
        residence_permit_date=reception - dt.timedelta(days=ctx.rng.randint(20, 150)),
        reception_date=reception,
        preferred_languages=spoken,
        interpreter_needed=needs_interpreter,
        interpreter_language=household.language.value if needs_interpreter else "",
        protected_identity=household.protected,
        street_address=street,
        postal_code="123 45",
        city=CITY,
        phone=_phone(ctx) if adult else "",
    )
    return register_person(
        registered_by=ctx.staff["socsek"],
        unit_id=ctx.units[RECEPTION_UNIT].pk,
        data=data,
        identifiers=identifiers,
        confirmed_not_duplicate=True,
        channel=Channel.SYSTEM,
    )


def _advance(ctx: _Context, case: Case, member: Member) -> None:
    """Take the case through the SIA steps with the services, then close it if it is closed."""
    guides = [ctx.staff[username] for username in next(ctx.guide_turns)]
    advance_case(case=case, stage=member.stage, guides=guides, staff=ctx.staff, today=ctx.today)
    if member.stage != Stage.CLOSED:
        return
    # Closing has no service yet (it comes with follow-up and records retention).
    case.refresh_from_db()
    open_days = (ctx.today - case.first_contact_date).days
    case.stage = Stage.CLOSED
    case.closed_on = case.first_contact_date + dt.timedelta(days=ctx.rng.randint(60, open_days - 1))
    case.closing_reason = member.closing
    case.save(update_fields=["stage", "closed_on", "closing_reason", "updated_at"])


def _open(ctx: _Context, person: Person, member: Member, first_contact: dt.date) -> None:
    case = open_case(
        opened_by=ctx.staff["socsek"],
        person_id=person.pk,
        unit_id=ctx.units[RECEPTION_UNIT].pk,
        first_contact_date=first_contact,
        channel=Channel.SYSTEM,
        # SIA's target group leaves out temporary protection; the unit takes them in knowingly.
        outside_target_group_confirmed=person.arrival_category == A.TEMPORARY_PROTECTION,
    )
    _advance(ctx, case, member)


def _link(ctx: _Context, person: Person, relative: Person, relation: str) -> None:
    link_household(
        linked_by=ctx.staff["socsek"],
        person_id=person.pk,
        relative_id=relative.pk,
        relation=relation,
        channel=Channel.SYSTEM,
    )


def _adult_birth(ctx: _Context) -> dt.date:
    # About 19 to 63 years back, so everyone is 18-64 on the day the demo is loaded.
    return _days_back(ctx, 19 * 365 + 5, 63 * 365)


def _child_birth(ctx: _Context) -> dt.date:
    return _days_back(ctx, 200, 17 * 365)


def _add_household(ctx: _Context, household: Household) -> None:
    first_contacts = [_first_contact(ctx, m.stage) for m in household.adults]
    reception = min(first_contacts) - dt.timedelta(days=ctx.rng.randint(0, 14))
    street = f"{ctx.rng.choice(STREETS)} {ctx.rng.randint(1, 60)}"
    adults = [
        _register(ctx, household, m, birth=_adult_birth(ctx), street=street, reception=reception)
        for m in household.adults
    ]
    children = [
        _register(ctx, household, m, birth=_child_birth(ctx), street=street, reception=reception)
        for m in household.children
    ]
    if len(adults) == 2:
        _link(ctx, adults[0], adults[1], HouseholdLink.Relation.PARTNER)
    for parent, child in itertools.product(adults, children):
        _link(ctx, parent, child, HouseholdLink.Relation.CHILD)
    for person, member, first_contact in zip(adults, household.adults, first_contacts, strict=True):
        _open(ctx, person, member, first_contact)


def _demo_units() -> dict[str, Unit]:
    return {unit.name: unit for unit in Unit.objects.filter(organisation__name=MUNICIPALITY)}


def _counts() -> dict[str, int]:
    return {
        "people": Person.objects.count(),
        "identifiers": PersonIdentifier.objects.count(),
        "household_links": HouseholdLink.objects.count(),
        "cases": Case.objects.count(),
        "case_team_members": CaseTeamMember.objects.count(),
    }


@transaction.atomic
def load_demo(*, password: str) -> dict[str, int]:
    """Create the demo staff, and the newcomers and their cases if nobody is registered yet."""
    require_demo_environment()
    staff = create_staff(password=password)
    if Person.objects.exists():
        return {"staff": len(staff)} | dict.fromkeys(_counts(), 0)
    rng = random.Random(SEED)  # noqa: S311 - repeatable synthetic data, not a secret
    ctx = _Context(
        rng=rng,
        today=timezone.localdate(),
        staff=staff,
        units=_demo_units(),
        numbers=SyntheticNumbers(rng, set()),
    )
    for household in HOUSEHOLDS:
        _add_household(ctx, household)
    seed_collaboration(staff, ctx.today)
    seed_support(staff, ctx.today)
    # Nobody was registered before, so every row counted now was written here.
    return {"staff": len(staff)} | _counts()
