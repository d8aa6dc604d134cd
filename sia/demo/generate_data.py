"""Synthetic bulk data for scale tests: a large municipality with N newcomer cases.

`generate(cases=N, seed=S, password=...)` fills the municipality "Storkommun" with
district reception units, community-guidance and assessment units, a deputy manager
per district and as many social workers and guides as the caseload needs, then writes
people, identity numbers, some household links, cases, case teams and every case's
process steps (from the active template version) with bulk_create.

A case's steps agree with its stage: the steps before the stage are done (on a day
near their due date, by the team member in the step's role), the rest are open, and
the transfer is opened only for cases handed to the assessment team. Due dates come
from `sia.process.due.compute_due_dates`, as the services would have set them: a done
step keeps the date it had when it was done, the others count from the final state.

It deliberately bypasses the services and therefore writes no audit events: the rows
describe nobody, no user reads or changes them, and the point is to measure the
system at realistic volumes quickly. Only for databases where settings.SIA_DEMO is on.

It can run on top of the demo and more than once: units, users and memberships are
reused by name, and identity numbers already stored are skipped. Staff users all
share one password hash, computed once.
"""

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from sia.accounts.models import Membership, Organisation, Role, Unit, User
from sia.cases.models import Case, CaseTeamMember
from sia.demo.municipality import SyntheticNumbers, require_demo_environment
from sia.people.models import (
    ArrivalCategory,
    Gender,
    HouseholdLink,
    Language,
    Person,
    PersonIdentifier,
)
from sia.process.due import OPENED, StepRule, compute_due_dates
from sia.process.models import CaseStep, StepDefinition
from sia.process.services import active_template
from sia.process.workdays import next_working_day

ORGANISATION = "Storkommun"
CITY = "Storstad"
USERNAME_PREFIX = "stor."
DISTRICTS = (
    "Centrum", "Norr", "Söder", "Öster", "Väster", "Hamnen",
    "Dalen", "Backen", "Skogen", "Ängen", "Åsen", "Viken",
)  # fmt: skip
UNIT_KINDS = (
    ("Mottagningsgruppen", Unit.Kind.RECEPTION),
    ("Samhällsvägledning", Unit.Kind.COMMUNITY_GUIDANCE),
    ("Utredningsgruppen", Unit.Kind.ASSESSMENT),
)
CASES_PER_DISTRICT = 5_000
CASES_PER_SOCIAL_WORKER = 60
CASES_PER_GUIDE = 40
CASES_PER_ASSESSOR = 150
# Cases built in memory and written at a time; keeps memory flat for any N.
CHUNK = 10_000
BATCH_SIZE = 2_500
HISTORY_DAYS = 730

T = TypeVar("T")
Stage = Case.Stage
Reason = Case.ClosingReason
RECEPTION = Role.RECEPTION_SOCIAL_WORKER
ASSESSMENT = Role.ASSESSMENT_SOCIAL_WORKER
PNR = PersonIdentifier.Kind.PERSONNUMMER
SNR = PersonIdentifier.Kind.SAMORDNINGSNUMMER
DOSSIER = PersonIdentifier.Kind.DOSSIER
PARTNER = HouseholdLink.Relation.PARTNER
CHILD = HouseholdLink.Relation.CHILD
DONE, OPEN, PENDING = CaseStep.Status.DONE, CaseStep.Status.OPEN, CaseStep.Status.PENDING


@dataclass(frozen=True)
class Group:
    """A newcomer group: its languages (with weights) and common names."""

    languages: tuple[tuple[Language, int], ...]
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]


GROUPS: tuple[tuple[Group, int], ...] = (
    (Group(((Language.ARABIC, 85), (Language.KURDISH, 15)),
           ("Omar", "Ahmad", "Mohammad", "Khaled", "Samer", "Yousef", "Bashar", "Hassan", "Karim"),
           ("Rania", "Nour", "Lina", "Hiba", "Amal", "Rasha", "Dima", "Salma", "Yasmin", "Reem"),
           ("Al-Hassan", "Haddad", "Khalil", "Mahmoud", "Darwish", "Al-Ali", "Saleh", "Hamdan")),
     30),
    (Group(((Language.DARI, 70), (Language.PASHTO, 20), (Language.PERSIAN, 10)),
           ("Mohammad", "Ali", "Farid", "Hamid", "Jawad", "Mustafa", "Sayed", "Reza", "Naser"),
           ("Zahra", "Maryam", "Fatima", "Shabnam", "Parwana", "Mursal", "Nargis", "Laila"),
           ("Ahmadi", "Rahimi", "Nazari", "Hashimi", "Haidari", "Karimi", "Sultani", "Hosseini")),
     25),
    (Group(((Language.TIGRINYA, 90), (Language.AMHARIC, 10)),
           ("Yonas", "Filmon", "Mussie", "Dawit", "Samuel", "Berhane", "Henok", "Merhawi"),
           ("Selam", "Helen", "Senait", "Rahwa", "Luwam", "Feven", "Winta", "Saba", "Yordanos"),
           ("Tesfay", "Ghebremedhin", "Haile", "Tekle", "Berhe", "Kahsay", "Gebru", "Woldu")),
     20),
    (Group(((Language.SOMALI, 100),),
           ("Ahmed", "Abdirahman", "Mohamed", "Abdullahi", "Hassan", "Yusuf", "Abdi", "Mahad"),
           ("Hodan", "Fadumo", "Amina", "Ifrah", "Sahra", "Hawa", "Asha", "Ubah", "Khadra"),
           ("Warsame", "Osman", "Farah", "Hussein", "Jama", "Mohamud", "Aden", "Hirsi")),
     15),
    (Group(((Language.UKRAINIAN, 80), (Language.RUSSIAN, 20)),
           ("Andrii", "Taras", "Oleksandr", "Dmytro", "Mykola", "Serhii", "Bohdan", "Maksym"),
           ("Olena", "Iryna", "Sofiia", "Oksana", "Nataliia", "Kateryna", "Yuliia", "Tetiana"),
           ("Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boyko")),
     10),
)  # fmt: skip
CATEGORIES = (
    (ArrivalCategory.ABO, 35),
    (ArrivalCategory.EBO, 30),
    (ArrivalCategory.QUOTA_REFUGEE, 15),
    (ArrivalCategory.FAMILY_REUNIFICATION, 20),
)
ADULT_IDENTIFIERS = ((PNR, 80), (SNR, 8), (DOSSIER, 7), ("", 5))
CHILD_IDENTIFIERS = ((PNR, 90), (DOSSIER, 5), ("", 5))
# (oldest first contact in days, stages with weights) – older cases are further along.
STAGES_BY_AGE: tuple[tuple[int, tuple[tuple[str, int], ...]], ...] = (
    (1, ((Stage.INTAKE, 2), (Stage.ALIGNMENT, 1))),
    (3, ((Stage.ALIGNMENT, 2),)),
    (13, ((Stage.ALIGNMENT, 1), (Stage.GUIDANCE, 2))),
    (21, ((Stage.GUIDANCE, 1), (Stage.FIRST_VISIT, 2))),
    (90, ((Stage.FIRST_VISIT, 1), (Stage.PLAN, 3))),
    (365, ((Stage.PLAN, 1), (Stage.FOLLOW_UP, 4), (Stage.ASSESSMENT, 3), (Stage.CLOSED, 2))),
    (HISTORY_DAYS, ((Stage.FOLLOW_UP, 1), (Stage.ASSESSMENT, 3), (Stage.CLOSED, 6))),
)
# How many of the steps that open with the case are done at each stage, in template order
# (allocation, alignment, guidance meeting, first visit, plan).
STEPS_DONE_AT: dict[str, int] = {
    Stage.INTAKE: 0,
    Stage.ALIGNMENT: 1,
    Stage.GUIDANCE: 2,
    Stage.FIRST_VISIT: 3,
    Stage.PLAN: 4,
    Stage.FOLLOW_UP: 5,
    Stage.ASSESSMENT: 5,
    Stage.CLOSED: 5,
}
# Calendar days a step is done before (negative) or after its due date, with weights.
SLIP = ((-3, 1), (-2, 2), (-1, 3), (0, 6), (1, 3), (2, 2), (4, 1), (8, 1))
SLIP_DAYS = tuple(days for days, weight in SLIP for _ in range(weight))  # rng.choice is faster
SHARE_OF_CLOSED_TRANSFERRED = 0.4
CLOSING_REASONS = (
    (Reason.SELF_SUFFICIENT, 40),
    (Reason.MOVED, 20),
    (Reason.TRANSFERRED, 20),
    (Reason.DECLINED, 8),
    (Reason.NOT_ELIGIBLE, 5),
    (Reason.OTHER, 7),
)
STAFF_FIRST = (
    "Anna",
    "Erik",
    "Maria",
    "Johan",
    "Karin",
    "Lars",
    "Sofia",
    "Mikael",
    "Leila",
    "Amir",
)
STAFF_LAST = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Berg", "Lind", "Haddad")
STREETS = ("Storgatan", "Kyrkvägen", "Parkgatan", "Ringvägen", "Ängsvägen", "Hamngatan")


def _pick(rng: random.Random, weighted: tuple[tuple[T, int], ...]) -> T:
    return rng.choices([item for item, _ in weighted], [w for _, w in weighted])[0]


@dataclass
class District:
    """One district's units and staff."""

    reception: Unit
    guidance: Unit
    assessment: Unit
    manager: User
    social_workers: list[User]
    guides: list[User]
    assessors: list[User]


@dataclass
class _Batch:
    people: list[Person] = field(default_factory=list)
    identifiers: list[PersonIdentifier] = field(default_factory=list)
    links: list[HouseholdLink] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    team: list[CaseTeamMember] = field(default_factory=list)
    steps: list[CaseStep] = field(default_factory=list)

    def write(self, counts: Counter[str]) -> None:
        """Insert every row, parents before children."""
        counts["people"] += len(Person.objects.bulk_create(self.people, BATCH_SIZE))
        counts["identifiers"] += len(
            PersonIdentifier.objects.bulk_create(self.identifiers, BATCH_SIZE)
        )
        counts["household_links"] += len(HouseholdLink.objects.bulk_create(self.links, BATCH_SIZE))
        counts["cases"] += len(Case.objects.bulk_create(self.cases, BATCH_SIZE))
        counts["case_team_members"] += len(
            CaseTeamMember.objects.bulk_create(self.team, BATCH_SIZE)
        )
        counts["case_steps"] += len(CaseStep.objects.bulk_create(self.steps, BATCH_SIZE))


@dataclass
class _Home:
    """What the members of one household share."""

    group: Group
    district: District
    worker: User
    category: str
    family_name: str
    language: Language
    reception: dt.date
    permit: dt.date
    street: str


class _DueDates:
    """`compute_due_dates` for the template's steps, remembered across cases.

    Only the dates a rule reads go into the key (another step's completion only when
    a step counts from it, an opening day only for steps counted from their opening),
    so cases that share a first contact and those dates share one computation.
    """

    def __init__(self, definitions: tuple[StepDefinition, ...]) -> None:
        self.definitions = definitions
        counted_from = {d.anchor_step for d in definitions} | {
            d.not_later_than_step for d in definitions
        }
        self.keys = [d.key for d in definitions]
        self.counted = [d.key for d in definitions if d.key in counted_from]
        self.from_opening = [d.key for d in definitions if d.anchor == OPENED]
        self.memo: dict[tuple[object, ...], dict[str, dt.date | None]] = {}

    def __call__(
        self, first_contact: dt.date, opened: dict[str, dt.date], completed: dict[str, dt.date]
    ) -> dict[str, dt.date | None]:
        key = (
            first_contact,
            *[k in opened for k in self.keys],
            *[opened.get(k) for k in self.from_opening],
            *[completed.get(k) for k in self.counted],
        )
        if key not in self.memo:
            self.memo[key] = compute_due_dates(first_contact, self._rules(opened, completed))
        return self.memo[key]

    def _rules(
        self, opened: dict[str, dt.date], completed: dict[str, dt.date]
    ) -> dict[str, StepRule]:
        return {
            d.key: StepRule(
                key=d.key,
                anchor=d.anchor,
                anchor_step=d.anchor_step,
                counting=d.counting,
                days=d.days,
                not_later_than_step=d.not_later_than_step,
                is_open=d.key in opened,
                opened_on=opened.get(d.key),
                completed_on=completed.get(d.key),
            )
            for d in self.definitions
        }


@dataclass
class _Context:
    rng: random.Random
    today: dt.date
    now: dt.datetime
    zone: dt.tzinfo
    numbers: SyntheticNumbers
    due_dates: _DueDates
    batch: _Batch = field(default_factory=_Batch)


# Staff ---------------------------------------------------------------------------------


def _district_names(count: int) -> list[str]:
    return [DISTRICTS[i] if i < len(DISTRICTS) else f"Distrikt {i + 1}" for i in range(count)]


def _ensure_units(names: list[str], counts: Counter[str]) -> dict[str, Unit]:
    organisation, created = Organisation.objects.get_or_create(
        name=ORGANISATION, defaults={"kind": Organisation.Kind.MUNICIPALITY}
    )
    counts["organisations"] += created
    wanted = {f"{prefix} {name}": kind for name in names for prefix, kind in UNIT_KINDS}
    existing = {u.name: u for u in Unit.objects.filter(organisation=organisation)}
    new = [Unit(organisation=organisation, name=n, kind=k) for n, k in wanted.items()]
    counts["units"] += len(Unit.objects.bulk_create([u for u in new if u.name not in existing]))
    return {u.name: u for u in Unit.objects.filter(organisation=organisation)}


def _roster(name: str, cases: int) -> list[tuple[str, str, Role]]:
    """List (username, unit prefix, role) for a district with the given caseload."""
    slug = f"{USERNAME_PREFIX}{slugify(name)}"
    roster = [(f"{slug}.chef", "Mottagningsgruppen", Role.DEPUTY_UNIT_MANAGER)]
    for label, prefix, role, per_head in (
        ("socsek", "Mottagningsgruppen", Role.RECEPTION_SOCIAL_WORKER, CASES_PER_SOCIAL_WORKER),
        ("vagledare", "Samhällsvägledning", Role.COMMUNITY_GUIDE, CASES_PER_GUIDE),
        ("ug", "Utredningsgruppen", Role.ASSESSMENT_SOCIAL_WORKER, CASES_PER_ASSESSOR),
    ):
        heads = max(1, math.ceil(cases / per_head))
        roster += [(f"{slug}.{label}{n:03d}", prefix, role) for n in range(1, heads + 1)]
    return roster


def _ensure_users(
    rng: random.Random, usernames: list[str], password: str | None, counts: Counter[str]
) -> dict[str, User]:
    existing = set(
        User.objects.filter(username__startswith=USERNAME_PREFIX).values_list("username", flat=True)
    )
    hashed = make_password(password)  # once: hashing is slow by design
    new = [
        User(
            username=username,
            first_name=rng.choice(STAFF_FIRST),
            last_name=rng.choice(STAFF_LAST),
            password=hashed,
        )
        for username in usernames
        if username not in existing
    ]
    counts["users"] += len(User.objects.bulk_create(new, BATCH_SIZE))
    return {u.username: u for u in User.objects.filter(username__startswith=USERNAME_PREFIX)}


def _ensure_memberships(
    wanted: list[tuple[User, Unit, Role]], organisation_units: list[Unit], counts: Counter[str]
) -> None:
    existing = set(
        Membership.objects.filter(unit__in=organisation_units).values_list(
            "user_id", "unit_id", "role"
        )
    )
    new = [
        Membership(user=user, unit=unit, role=role)
        for user, unit, role in wanted
        if (user.pk, unit.pk, role) not in existing
    ]
    counts["memberships"] += len(Membership.objects.bulk_create(new, BATCH_SIZE))


def _staff(
    rng: random.Random, cases: int, password: str | None, counts: Counter[str]
) -> list[District]:
    """Create (or reuse) the districts' units, users and memberships."""
    names = _district_names(max(2, math.ceil(cases / CASES_PER_DISTRICT)))
    per_district = math.ceil(cases / len(names))
    units = _ensure_units(names, counts)
    rosters = {name: _roster(name, per_district) for name in names}
    every = [entry for roster in rosters.values() for entry in roster]
    users = _ensure_users(rng, [username for username, _, _ in every], password, counts)
    wanted = [
        (users[username], units[f"{prefix} {name}"], role)
        for name in names
        for username, prefix, role in rosters[name]
    ]
    _ensure_memberships(wanted, list(units.values()), counts)
    return [_district(name, rosters[name], users, units) for name in names]


def _district(
    name: str, roster: list[tuple[str, str, Role]], users: dict[str, User], units: dict[str, Unit]
) -> District:
    def holding(role: Role) -> list[User]:
        return [users[username] for username, _, r in roster if r == role]

    return District(
        reception=units[f"Mottagningsgruppen {name}"],
        guidance=units[f"Samhällsvägledning {name}"],
        assessment=units[f"Utredningsgruppen {name}"],
        manager=holding(Role.DEPUTY_UNIT_MANAGER)[0],
        social_workers=holding(Role.RECEPTION_SOCIAL_WORKER),
        guides=holding(Role.COMMUNITY_GUIDE),
        assessors=holding(Role.ASSESSMENT_SOCIAL_WORKER),
    )


# People --------------------------------------------------------------------------------


def _home(ctx: _Context, district: District, first_contact: dt.date) -> _Home:
    rng = ctx.rng
    group = _pick(rng, GROUPS)
    reception = first_contact - dt.timedelta(days=rng.randint(0, 30))
    return _Home(
        group=group,
        district=district,
        worker=rng.choice(district.social_workers),
        category=_pick(rng, CATEGORIES),
        family_name=rng.choice(group.family),
        language=_pick(rng, group.languages),
        reception=reception,
        permit=reception - dt.timedelta(days=rng.randint(14, 180)),
        street=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
    )


def _identify(ctx: _Context, person: Person, weighted: tuple[tuple[str, int], ...]) -> None:
    kind = _pick(ctx.rng, weighted)
    if not kind:
        return
    if kind == DOSSIER:
        value = ctx.numbers.dossier()
    else:
        person.date_of_birth, value = ctx.numbers.personal(
            person.date_of_birth, coordination=kind == SNR
        )
    ctx.batch.identifiers.append(PersonIdentifier(person=person, kind=kind, value=value))


def _person(ctx: _Context, home: _Home, gender: str, *, adult: bool) -> Person:
    rng = ctx.rng
    needs_interpreter = adult and rng.random() < 0.75
    low, high = (19 * 365 + 5, 63 * 365) if adult else (100, 17 * 365)
    names = home.group.male if gender == Gender.MALE else home.group.female
    person = Person(
        given_name=rng.choice(names),
        family_name=home.family_name,
        date_of_birth=ctx.today - dt.timedelta(days=rng.randint(low, high)),
        gender=gender,
        arrival_category=home.category,
        residence_permit_date=home.permit,
        reception_date=home.reception,
        preferred_languages=[home.language.value],
        interpreter_needed=needs_interpreter,
        interpreter_language=home.language.value if needs_interpreter else "",
        protected_identity=adult and rng.random() < 0.005,
        street_address=home.street,
        postal_code=f"1{rng.randint(10, 99)} {rng.randint(10, 99)}",
        city=CITY,
        phone=f"070-174 06 {rng.randint(5, 99):02d}" if adult else "",
        registered_unit=home.district.reception,
        registered_by=home.worker,
    )
    _identify(ctx, person, ADULT_IDENTIFIERS if adult else CHILD_IDENTIFIERS)
    ctx.batch.people.append(person)
    return person


def _family(ctx: _Context, home: _Home, main: Person) -> None:
    """Give some newcomers a registered partner and children (no cases of their own)."""
    rng = ctx.rng
    if rng.random() < 0.25:
        other = Gender.FEMALE if main.gender == Gender.MALE else Gender.MALE
        partner = _person(ctx, home, other, adult=True)
        ctx.batch.links.append(HouseholdLink(person=main, relative=partner, relation=PARTNER))
    if rng.random() < 0.3:
        for _ in range(rng.randint(1, 3)):
            child = _person(ctx, home, rng.choice((Gender.MALE, Gender.FEMALE)), adult=False)
            ctx.batch.links.append(HouseholdLink(person=main, relative=child, relation=CHILD))


# Cases ---------------------------------------------------------------------------------


def _stage(rng: random.Random, age: int) -> str:
    for oldest, stages in STAGES_BY_AGE:
        if age <= oldest:
            return _pick(rng, stages)
    return Stage.CLOSED


def _member(case: Case, user: User, role: Role, unit: Unit, by: User) -> CaseTeamMember:
    return CaseTeamMember(case=case, user=user, role=role, unit=unit, added_by=by)


def _team(ctx: _Context, case: Case, home: _Home, *, handed_over: bool) -> dict[str, User]:
    """Put the opener on the team and, once allocated, one or two guides (and UG).

    Return who acts in each role, the deputy manager included, for signing the steps.
    """
    rng, district, chef = ctx.rng, home.district, home.district.manager
    team = ctx.batch.team
    team.append(_member(case, home.worker, RECEPTION, district.reception, home.worker))
    acting: dict[str, User] = {Role.DEPUTY_UNIT_MANAGER: chef, RECEPTION: home.worker}
    if case.stage != Stage.INTAKE:
        count = min(len(district.guides), rng.randint(1, 2))
        for guide in rng.sample(district.guides, k=count):
            team.append(_member(case, guide, Role.COMMUNITY_GUIDE, district.guidance, chef))
            acting.setdefault(Role.COMMUNITY_GUIDE, guide)
    if handed_over:
        assessor = rng.choice(district.assessors)
        team.append(_member(case, assessor, ASSESSMENT, district.assessment, chef))
        acting[ASSESSMENT] = assessor
    return acting


def _done_at(ctx: _Context, due: dt.date | None, after: dt.date, last: dt.date) -> dt.date:
    """Return the working day a step was done: near its due date, in order, not after `last`."""
    day = next_working_day((due or after) + dt.timedelta(days=ctx.rng.choice(SLIP_DAYS)))
    return min(max(day, after), last)


def _signed_at(ctx: _Context, day: dt.date) -> dt.datetime:
    hour, minute = ctx.rng.randint(8, 16), ctx.rng.randint(0, 59)
    moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ctx.zone)
    return min(moment, ctx.now)


def _handed_over_on(ctx: _Context, after: dt.date, last: dt.date) -> dt.date:
    span = max(1, (last - after).days)
    return min(next_working_day(after + dt.timedelta(days=ctx.rng.randint(1, span))), last)


@dataclass
class _Progress:
    """Where a case's steps stand: opened and done on which days, due when done and now."""

    opened: dict[str, dt.date]
    completed: dict[str, dt.date] = field(default_factory=dict)
    due_when_done: dict[str, dt.date | None] = field(default_factory=dict)
    due_now: dict[str, dt.date | None] = field(default_factory=dict)


def _progress(ctx: _Context, case: Case, *, handed_over: bool) -> _Progress:
    """Do the case's steps in order up to its stage, each near the due date it had then."""
    first_contact, last = case.first_contact_date, case.closed_on or ctx.today
    definitions = ctx.due_dates.definitions
    at_start = [d for d in definitions if d.opens_at_start]
    to_do = at_start[: STEPS_DONE_AT[case.stage]]
    if handed_over:
        to_do += [d for d in definitions if not d.opens_at_start]
    progress = _Progress(opened={d.key: first_contact for d in at_start})
    due = ctx.due_dates(first_contact, progress.opened, progress.completed)
    day = first_contact
    for definition in to_do:
        key = definition.key
        if key not in progress.opened:
            progress.opened[key] = day = _handed_over_on(ctx, day, last)
            due = ctx.due_dates(first_contact, progress.opened, progress.completed)
        day = _done_at(ctx, due[key], day, last)
        if case.stage == Stage.ASSESSMENT and not definition.opens_at_start and day >= last:
            break  # handed over lately: the new alignment is still to come
        progress.completed[key], progress.due_when_done[key] = day, due[key]
        if key in ctx.due_dates.counted:  # only then can another step's date move
            due = ctx.due_dates(first_contact, progress.opened, progress.completed)
    progress.due_now = due
    return progress


def _steps(ctx: _Context, case: Case, acting: dict[str, User], *, handed_over: bool) -> None:
    """Add the case's steps; those not done are due as the services would compute now."""
    progress = _progress(ctx, case, handed_over=handed_over)
    for definition in ctx.due_dates.definitions:
        key = definition.key
        done_on = progress.completed.get(key)
        # Plain ids rather than instances: cheaper to build by the hundred thousand.
        row = CaseStep(
            case_id=case.pk,
            definition_id=definition.pk,
            key=key,
            order=definition.order,
            status=DONE if done_on else OPEN if key in progress.opened else PENDING,
            due_date=progress.due_when_done[key] if done_on else progress.due_now[key],
            opened_on=progress.opened.get(key),
        )
        if done_on:
            row.completed_at = _signed_at(ctx, done_on)
            row.completed_on = done_on
            row.completed_by_id = acting.get(definition.responsible_role, acting[RECEPTION]).pk
        ctx.batch.steps.append(row)


def _case(ctx: _Context, district: District) -> None:
    rng = ctx.rng
    age = int(rng.triangular(0, HISTORY_DAYS, 0))
    first_contact = ctx.today - dt.timedelta(days=age)
    home = _home(ctx, district, first_contact)
    main = _person(ctx, home, rng.choice((Gender.MALE, Gender.FEMALE)), adult=True)
    _family(ctx, home, main)
    case = Case(
        person=main,
        owning_unit=district.reception,
        stage=_stage(rng, age),
        first_contact_date=first_contact,
        opened_by=home.worker,
    )
    if case.stage == Stage.CLOSED:
        case.closed_on = first_contact + dt.timedelta(days=rng.randint(min(30, age), age))
        case.closing_reason = _pick(rng, CLOSING_REASONS)
    ctx.batch.cases.append(case)
    handed_over = case.stage == Stage.ASSESSMENT or (
        case.stage == Stage.CLOSED and rng.random() < SHARE_OF_CLOSED_TRANSFERRED
    )
    acting = _team(ctx, case, home, handed_over=handed_over)
    _steps(ctx, case, acting, handed_over=handed_over)


def _taken_numbers() -> set[str]:
    return set(PersonIdentifier.objects.values_list("value", flat=True))


def generate(*, cases: int, seed: int, password: str | None) -> dict[str, int]:
    """Write a synthetic municipality with the given number of cases (no audit events)."""
    require_demo_environment()
    rng = random.Random(seed)  # noqa: S311 - repeatable synthetic data, not a secret
    counts: Counter[str] = Counter()
    with transaction.atomic():
        districts = _staff(rng, cases, password, counts)
        numbers = SyntheticNumbers(rng, _taken_numbers())
        due_dates = _DueDates(tuple(active_template().steps.order_by("order")))
        today, now, zone = timezone.localdate(), timezone.now(), timezone.get_current_timezone()
        for start in range(0, cases, CHUNK):
            ctx = _Context(
                rng=rng, today=today, now=now, zone=zone, numbers=numbers, due_dates=due_dates
            )
            for index in range(start, min(cases, start + CHUNK)):
                _case(ctx, districts[index % len(districts)])
            ctx.batch.write(counts)
    return dict(counts)
