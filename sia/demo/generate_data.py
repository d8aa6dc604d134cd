"""Synthetic bulk data for scale tests: a large municipality with N newcomer cases.

`generate(cases=N, seed=S, password=...)` fills the municipality "Storkommun" with
district reception units, community-guidance and assessment units, a deputy manager
per district and as many social workers and guides as the caseload needs, then writes
people, identity numbers, some household links, cases, case teams and every case's
process steps (from the active template version) with bulk_create. First contacts
lie in the last three years, more of them recent than old.

For the follow-up dashboards it also writes what they count, with seeded
distributions: most cases have outcome measures (`CaseOutcome`: baseline values at
first contact, then the days self-sufficiency and an own lease were reached, drawn
from log-normal times with a median of about 19 and 24 months and a share that never
gets there; a date is recorded only once it has passed and while the case was open),
a few have reports of concern, working-age adults have their establishment-programme
dates, and cases past the guidance meeting have progress steps and outcomes, barriers
(some resolved) and programme enrolments (some discharged, some past their six-month
limit). Every district runs three group series a year with sessions, invitations and
attendance. A case closed as self-sufficient was closed shortly after the day its
outcome says self-sufficiency was reached.

A case's steps agree with its stage: the steps before the stage are done (on a day
near their due date, by the team member in the step's role), the rest are open, and
the transfer is opened only for cases handed to the assessment team. Due dates come
from `sia.process.due.compute_due_dates`, as the services would have set them: a done
step keeps the date it had when it was done, the others count from the final state.

It deliberately bypasses the services and therefore writes no audit events: the rows
describe nobody, no user reads or changes them, and the point is to measure the
system at realistic volumes quickly. Only for databases where settings.SIA_DEMO is on.

It can run on top of the demo and more than once: units, users and memberships are
reused by name, and identity numbers already stored are skipped (group series are
added anew on each run). Staff users all share one password hash, computed once.

`generate_demo_slice` writes the same kind of cases into the demo municipality's own
units, with a few extra caseworkers there, so the demo's dashboards have curves.
"""

import datetime as dt
import itertools
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import TypeVar
from uuid import UUID

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from sia.accounts.models import Membership, Organisation, Role, Unit, User
from sia.assessments.models import Barrier, Enrolment, ProgressStep
from sia.cases.models import Case, CaseTeamMember
from sia.demo.municipality import SyntheticNumbers, require_demo_environment
from sia.demo.staff import MUNICIPALITY
from sia.establishment.models import CaseOutcome, ConcernReport, ProgrammeStatus
from sia.groups.models import Attendance, GroupEnrolment, GroupSeries, GroupSession
from sia.groups.presets import AFTERNOON, MORNING, PRESETS, session_dates
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
HISTORY_DAYS = 3 * 365

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
    (730, ((Stage.FOLLOW_UP, 1), (Stage.ASSESSMENT, 3), (Stage.CLOSED, 6))),
    (HISTORY_DAYS, ((Stage.FOLLOW_UP, 1), (Stage.ASSESSMENT, 2), (Stage.CLOSED, 9))),
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

# Follow-up data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Latency:
    """Days from first contact until a goal is reached: some have reached it at the start,
    some never do, the others after a log-normal time with this median (in days)."""

    at_start: float
    never: float
    median_days: int
    sigma: float


# Medians over everybody (Kaplan-Meier) come to about 19 and 24 months.
SELF_SUFFICIENCY = Latency(at_start=0.10, never=0.25, median_days=600, sigma=0.6)
OWN_LEASE = Latency(at_start=0.05, never=0.30, median_days=520, sigma=0.7)
NO_OUTCOME_EARLY = 0.5  # cases before the guidance meeting without baseline values yet
NO_OUTCOME_LATER = 0.06
# A closed case whose person had become self-sufficient was mostly closed for that reason,
# within this many days of the day it was reached.
CLOSED_AS_SELF_SUFFICIENT = 0.85
CLOSING_DELAY_DAYS = 45
OTHER_CLOSING_REASONS = tuple((r, w) for r, w in CLOSING_REASONS if r != Reason.SELF_SUFFICIENT)
# Reports of concern about children in the year before the start, and after it.
BASELINE_CONCERN = {True: ((0, 85), (1, 10), (2, 5)), False: ((0, 97), (1, 2), (2, 1))}
CONCERN_SHARE = {True: 0.07, False: 0.015}
CONCERN_REPORTS = ((1, 75), (2, 20), (3, 5))
# The establishment programme, for main persons of working age.
WORKING_AGE = (20, 65)
PROGRAMME_SHARE = 0.75
EARLY_STAGES = (Stage.INTAKE, Stage.ALIGNMENT, Stage.GUIDANCE)
PK = ProgressStep.Kind
PROGRESS_KINDS = (
    (PK.HEALTH_CONTACT, 14), (PK.HEALTH_IMPROVED, 8), (PK.SFI_STARTED, 16),
    (PK.LANGUAGE_PROGRESS, 14), (PK.SOCIAL_NETWORK, 10), (PK.ACTIVITY_STARTED, 12),
    (PK.HOUSING_SOLVED, 8), (PK.DEBT_PLAN, 5), (PK.SELF_RELIANCE, 9), (PK.OTHER_PROGRESS, 4),
)  # fmt: skip
PROGRESS_SHARE = 0.6
PROGRESS_PER_CASE = ((1, 30), (2, 35), (3, 25), (4, 10))
BK = Barrier.Kind
BARRIER_KINDS = (
    (BK.LANGUAGE, 20), (BK.MENTAL_HEALTH, 15), (BK.HOUSING, 18), (BK.PHYSICAL_HEALTH, 10),
    (BK.FAMILY, 8), (BK.DEBT, 7), (BK.DENTAL, 8), (BK.COMMUNICATION, 6), (BK.CHILDCARE, 6),
    (BK.OTHER, 2),
)  # fmt: skip
BARRIER_SHARE = 0.4
BARRIERS_PER_CASE = ((1, 70), (2, 25), (3, 5))
BARRIER_RESOLVED = 0.55
EP = Enrolment.Programme
ENROLMENT_PROGRAMMES = (
    (EP.CROSS_AGENCY_TEAM, 40), (EP.FIXED_TEAM, 25), (EP.MULTI_PROFESSIONAL, 20),
    (EP.COLLABORATION, 15),
)  # fmt: skip
ENROLMENT_SHARE = 0.18
SECOND_ENROLMENT = 0.15
ENROLMENT_STAGES = (Stage.PLAN, Stage.FOLLOW_UP, Stage.ASSESSMENT, Stage.CLOSED)
DISCHARGED = 0.85  # the others stay enrolled, some of them past the six-month limit
DR = Enrolment.DischargeReason
# Discharge reasons with weights and the days enrolled before it (from, to).
DISCHARGES = (
    ((DR.GOAL_MET, (45, 180)), 35), ((DR.NO_BARRIERS, (60, 180)), 20),
    ((DR.TIME_LIMIT, (182, 200)), 20), ((DR.MOVED, (10, 150)), 10),
    ((DR.DECLINED, (5, 60)), 15),
)  # fmt: skip
# Group series: each preset once a year in every district, invitations to recent cases.
SERIES_PRESETS = ("halsoskola", "kartlaggning", "socialforsakring")
SERIES_GAP_DAYS = 120
INVITED_PER_SERIES = 16
GE = GroupEnrolment.Status
ENROLMENT_STATUSES = ((GE.ACCEPTED, 72), (GE.DECLINED, 10), (GE.LEFT, 10), (GE.INFORMED, 4),
                      (GE.INVITED, 4))  # fmt: skip
ATTENDANCE_RATES = (0.95, 0.9, 0.8, 0.7, 0.5)
SESSION_PLACE = "Medborgarhuset, sal B"


def _pick(rng: random.Random, weighted: tuple[tuple[T, int], ...]) -> T:
    return rng.choices([item for item, _ in weighted], [w for _, w in weighted])[0]


@dataclass
class _Series:
    """A group series already written: its sessions and how many places are taken."""

    pk: UUID
    starts: dt.date
    ends: dt.date
    sessions: list[tuple[UUID, dt.date]]  # (session pk, held on)
    capacity: int
    invited: int = 0
    accepted: int = 0


@dataclass
class District:
    """One district's units and staff, and the group series it runs."""

    reception: Unit
    guidance: Unit
    assessment: Unit
    manager: User
    social_workers: list[User]
    guides: list[User]
    assessors: list[User]
    series: list[_Series] = field(default_factory=list)


@dataclass
class _Batch:
    people: list[Person] = field(default_factory=list)
    identifiers: list[PersonIdentifier] = field(default_factory=list)
    links: list[HouseholdLink] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    team: list[CaseTeamMember] = field(default_factory=list)
    steps: list[CaseStep] = field(default_factory=list)
    outcomes: list[CaseOutcome] = field(default_factory=list)
    concern_reports: list[ConcernReport] = field(default_factory=list)
    programmes: list[ProgrammeStatus] = field(default_factory=list)
    progress_steps: list[ProgressStep] = field(default_factory=list)
    barriers: list[Barrier] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    group_enrolments: list[GroupEnrolment] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)

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
        counts["case_outcomes"] += len(CaseOutcome.objects.bulk_create(self.outcomes, BATCH_SIZE))
        counts["concern_reports"] += len(
            ConcernReport.objects.bulk_create(self.concern_reports, BATCH_SIZE)
        )
        counts["programme_statuses"] += len(
            ProgrammeStatus.objects.bulk_create(self.programmes, BATCH_SIZE)
        )
        counts["progress_steps"] += len(
            ProgressStep.objects.bulk_create(self.progress_steps, BATCH_SIZE)
        )
        counts["barriers"] += len(Barrier.objects.bulk_create(self.barriers, BATCH_SIZE))
        counts["enrolments"] += len(Enrolment.objects.bulk_create(self.enrolments, BATCH_SIZE))
        counts["group_enrolments"] += len(
            GroupEnrolment.objects.bulk_create(self.group_enrolments, BATCH_SIZE)
        )
        counts["attendance"] += len(Attendance.objects.bulk_create(self.attendance, BATCH_SIZE))


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
    city: str = CITY
    invite_chance: float = 0.0  # chance that an eligible case is invited to a group series
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
    rng: random.Random,
    usernames: list[str],
    password: str | None,
    counts: Counter[str],
    prefix: str = USERNAME_PREFIX,
) -> dict[str, User]:
    existing = set(
        User.objects.filter(username__startswith=prefix).values_list("username", flat=True)
    )
    hashed = make_password(password)  # once: hashing is slow by design
    missing = [username for username in usernames if username not in existing]
    names = list(itertools.product(STAFF_FIRST, STAFF_LAST))
    if len(missing) <= len(names):  # a small staff: no two share a name
        names = rng.sample(names, k=len(missing))
    else:
        names = [(rng.choice(STAFF_FIRST), rng.choice(STAFF_LAST)) for _ in missing]
    new = [
        User(username=username, first_name=first, last_name=last, password=hashed)
        for username, (first, last) in zip(missing, names, strict=True)
    ]
    counts["users"] += len(User.objects.bulk_create(new, BATCH_SIZE))
    return {u.username: u for u in User.objects.filter(username__startswith=prefix)}


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
        city=ctx.city,
        phone=f"070-174 06 {rng.randint(5, 99):02d}" if adult else "",
        registered_unit=home.district.reception,
        registered_by=home.worker,
    )
    _identify(ctx, person, ADULT_IDENTIFIERS if adult else CHILD_IDENTIFIERS)
    ctx.batch.people.append(person)
    return person


def _family(ctx: _Context, home: _Home, main: Person) -> bool:
    """Give some newcomers a registered partner and children (no cases of their own).

    Return whether the household has children.
    """
    rng = ctx.rng
    children = False
    if rng.random() < 0.25:
        other = Gender.FEMALE if main.gender == Gender.MALE else Gender.MALE
        partner = _person(ctx, home, other, adult=True)
        ctx.batch.links.append(HouseholdLink(person=main, relative=partner, relation=PARTNER))
    if rng.random() < 0.3:
        for _ in range(rng.randint(1, 3)):
            child = _person(ctx, home, rng.choice((Gender.MALE, Gender.FEMALE)), adult=False)
            ctx.batch.links.append(HouseholdLink(person=main, relative=child, relation=CHILD))
            children = True
    return children


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


# Follow-up ------------------------------------------------------------------------------


@dataclass
class _Outcome:
    """A case's outcome: whether it is recorded, the baseline, and the days goals are met.

    The days are drawn before the case is closed and may lie in the future; only those
    that have passed while the case was open are recorded.
    """

    recorded: bool
    self_sufficient_at_start: bool
    own_lease_at_start: bool
    self_sufficient_on: dt.date | None
    own_lease_on: dt.date | None


def _reached(rng: random.Random, latency: Latency, start: dt.date) -> tuple[bool, dt.date | None]:
    """Draw whether a goal was met at the start, else the day it is (or will be) met."""
    if rng.random() < latency.at_start:
        return True, start
    if rng.random() < latency.never:
        return False, None
    days = rng.lognormvariate(math.log(latency.median_days), latency.sigma)
    return False, start + dt.timedelta(days=max(1, round(days)))


def _outcome(ctx: _Context, case: Case) -> _Outcome:
    rng = ctx.rng
    missing = NO_OUTCOME_EARLY if case.stage in EARLY_STAGES else NO_OUTCOME_LATER
    recorded = rng.random() >= missing
    self_sufficient_at_start, self_sufficient_on = _reached(
        rng, SELF_SUFFICIENCY, case.first_contact_date
    )
    own_lease_at_start, own_lease_on = _reached(rng, OWN_LEASE, case.first_contact_date)
    return _Outcome(
        recorded, self_sufficient_at_start, own_lease_at_start, self_sufficient_on, own_lease_on
    )


def _close(ctx: _Context, case: Case, age: int, outcome: _Outcome) -> None:
    """Close the case soon after self-sufficiency, if it came, else on some day for another
    reason. Closed as self-sufficient always means a recorded self-sufficiency by then."""
    rng = ctx.rng
    reached = outcome.self_sufficient_on if outcome.recorded else None
    if (
        reached is not None
        and not outcome.self_sufficient_at_start
        and reached < ctx.today
        and rng.random() < CLOSED_AS_SELF_SUFFICIENT
    ):
        delay = dt.timedelta(days=rng.randint(0, CLOSING_DELAY_DAYS))
        case.closed_on = min(reached + delay, ctx.today)
        case.closing_reason = Reason.SELF_SUFFICIENT
        return
    case.closed_on = case.first_contact_date + dt.timedelta(days=rng.randint(min(30, age), age))
    self_sufficient = reached is not None and reached <= case.closed_on
    case.closing_reason = _pick(rng, CLOSING_REASONS if self_sufficient else OTHER_CLOSING_REASONS)


def _follow_up(
    ctx: _Context,
    case: Case,
    home: _Home,
    acting: dict[str, User],
    outcome: _Outcome,
    *,
    children: bool,
) -> None:
    """Add what the follow-up dashboards count; nothing dated after the case was closed."""
    last = case.closed_on or ctx.today
    worker = home.worker
    if outcome.recorded:
        _outcome_row(ctx, case, worker, outcome, last, children=children)
    _concern_reports(ctx, case, worker, last, children=children)
    if case.stage == Stage.INTAKE:
        return
    _programme(ctx, case, worker, last)
    if case.stage in EARLY_STAGES:
        return
    recorder = acting.get(Role.COMMUNITY_GUIDE, worker)
    _progress_steps(ctx, case, recorder, outcome, last)
    _barriers(ctx, case, recorder, last)
    if case.stage in ENROLMENT_STAGES:
        _enrolments(ctx, case, worker, last)
    _invite(ctx, case, home)


def _outcome_row(
    ctx: _Context, case: Case, worker: User, outcome: _Outcome, last: dt.date, *, children: bool
) -> None:
    def known(day: dt.date | None) -> dt.date | None:
        return day if day is not None and day <= last else None

    ctx.batch.outcomes.append(
        CaseOutcome(
            case_id=case.pk,
            baseline_on=case.first_contact_date,
            baseline_self_sufficient=outcome.self_sufficient_at_start,
            baseline_own_lease=outcome.own_lease_at_start,
            baseline_concern_reports=_pick(ctx.rng, BASELINE_CONCERN[children]),
            self_sufficient_on=known(outcome.self_sufficient_on),
            own_lease_on=known(outcome.own_lease_on),
            updated_by_id=worker.pk,
        )
    )


def _concern_reports(
    ctx: _Context, case: Case, worker: User, last: dt.date, *, children: bool
) -> None:
    rng = ctx.rng
    span = (last - case.first_contact_date).days
    if span < 1 or rng.random() >= CONCERN_SHARE[children]:
        return
    for _ in range(_pick(rng, CONCERN_REPORTS)):
        received = case.first_contact_date + dt.timedelta(days=rng.randint(1, span))
        ctx.batch.concern_reports.append(
            ConcernReport(case_id=case.pk, received_on=received, recorded_by_id=worker.pk)
        )


def _programme(ctx: _Context, case: Case, worker: User, last: dt.date) -> None:
    """The establishment programme of a main person of working age, as far as it has come."""
    rng = ctx.rng
    age = (case.first_contact_date - case.person.date_of_birth).days / 365.25
    if not WORKING_AGE[0] <= age < WORKING_AGE[1] or rng.random() >= PROGRAMME_SHARE:
        return

    def after(day: dt.date | None, low: int, high: int, share: float = 1.0) -> dt.date | None:
        if day is None or rng.random() >= share:
            return None
        later = day + dt.timedelta(days=rng.randint(low, high))
        return later if later <= last else None

    registered = after(case.first_contact_date, 2, 30)
    if registered is None:
        return
    started = after(registered, 7, 45, 0.85)
    action_plan = after(started, 5, 30)
    ctx.batch.programmes.append(
        ProgrammeStatus(
            case_id=case.pk,
            af_registered_on=registered,
            programme_started_on=started,
            programme_ends_on=started + dt.timedelta(days=730) if started else None,
            action_plan_on=action_plan,
            sfi_started_on=after(action_plan or registered, 3, 50, 0.88),
            civic_orientation_started_on=after(action_plan or registered, 7, 80, 0.82),
            reduced_work_capacity=rng.random() < 0.04,
            updated_by_id=worker.pk,
        )
    )


def _progress_step(case: Case, category: str, kind: str, day: dt.date, by: User) -> ProgressStep:
    return ProgressStep(
        case_id=case.pk, category=category, kind=kind, occurred_on=day, recorded_by_id=by.pk
    )


def _progress_steps(
    ctx: _Context, case: Case, recorder: User, outcome: _Outcome, last: dt.date
) -> None:
    """Steps forward on random days, and the outcomes on the days they were reached."""
    rng, first = ctx.rng, case.first_contact_date
    span = (last - first).days
    if span < 14:
        return
    rows = ctx.batch.progress_steps
    progress, result = ProgressStep.Category.PROGRESS, ProgressStep.Category.OUTCOME
    if rng.random() < PROGRESS_SHARE:
        count = _pick(rng, PROGRESS_PER_CASE)
        for kind in dict.fromkeys(_pick(rng, PROGRESS_KINDS) for _ in range(count)):
            day = first + dt.timedelta(days=rng.randint(7, span))
            rows.append(_progress_step(case, progress, kind, day, recorder))
    if not outcome.recorded:
        return
    for at_start, reached, kinds, share in (
        (
            outcome.self_sufficient_at_start,
            outcome.self_sufficient_on,
            ((PK.WORK, 45), (PK.SELF_SUFFICIENT, 40), (PK.SUBSIDISED_WORK, 15)),
            0.7,
        ),
        (outcome.own_lease_at_start, outcome.own_lease_on, ((PK.OWN_LEASE, 1),), 0.6),
    ):
        if not at_start and reached is not None and reached <= last and rng.random() < share:
            rows.append(_progress_step(case, result, _pick(rng, kinds), reached, recorder))
    for kind, share in ((PK.STUDIES, 0.06), (PK.OTHER_OUTCOME, 0.02)):
        if rng.random() < share:
            day = first + dt.timedelta(days=rng.randint(7, span))
            rows.append(_progress_step(case, result, kind, day, recorder))


def _barriers(ctx: _Context, case: Case, recorder: User, last: dt.date) -> None:
    rng, first = ctx.rng, case.first_contact_date
    span = (last - first).days
    if span < 7 or rng.random() >= BARRIER_SHARE:
        return
    count = _pick(rng, BARRIERS_PER_CASE)
    for kind in dict.fromkeys(_pick(rng, BARRIER_KINDS) for _ in range(count)):
        noted = first + dt.timedelta(days=rng.randint(0, min(span, 200)))
        resolved: dt.date | None = None
        if rng.random() < BARRIER_RESOLVED:
            resolved = noted + dt.timedelta(days=rng.randint(14, 400))
            resolved = resolved if resolved <= last else None
        ctx.batch.barriers.append(
            Barrier(
                case_id=case.pk,
                kind=kind,
                noted_on=noted,
                resolved_on=resolved,
                resolved_by_id=recorder.pk if resolved else None,
                recorded_by_id=recorder.pk,
            )
        )


def _enrolments(ctx: _Context, case: Case, worker: User, last: dt.date) -> None:
    """Periods in programmes: most discharged with a reason, the rest still enrolled
    (past the six-month limit when they started long ago); none open on a closed case."""
    rng, first = ctx.rng, case.first_contact_date
    span = (last - first).days
    if span < 30 or rng.random() >= ENROLMENT_SHARE:
        return
    programmes = [_pick(rng, ENROLMENT_PROGRAMMES)]
    if rng.random() < SECOND_ENROLMENT:
        programmes.append(_pick(rng, ENROLMENT_PROGRAMMES))
    at_closing = DR.GOAL_MET if case.closing_reason == Reason.SELF_SUFFICIENT else DR.MOVED
    for programme in dict.fromkeys(programmes):
        started = first + dt.timedelta(days=rng.randint(21, min(span, 400)))
        discharged: dt.date | None = None
        reason = ""
        if rng.random() < DISCHARGED:
            reason, (low, high) = _pick(rng, DISCHARGES)
            discharged = started + dt.timedelta(days=rng.randint(low, high))
        if case.closed_on and (discharged is None or discharged > case.closed_on):
            discharged, reason = case.closed_on, at_closing
        elif discharged is not None and discharged > last:
            discharged, reason = None, ""
        ctx.batch.enrolments.append(
            Enrolment(
                case_id=case.pk,
                programme=programme,
                started_on=started,
                max_months=6,
                discharged_on=discharged,
                discharge_reason=reason,
                enrolled_by_id=worker.pk,
            )
        )


def _add_series(
    rng: random.Random, districts: list[District], today: dt.date, zone: dt.tzinfo
) -> tuple[list[GroupSeries], list[GroupSession]]:
    """Plan every district's group series over the years (each preset once a year)."""
    series_rows: list[GroupSeries] = []
    session_rows: list[GroupSession] = []
    years = HISTORY_DAYS // 365
    for district in districts:
        for year in range(years):
            for index, key in enumerate(SERIES_PRESETS):
                preset = PRESETS[key]
                back = HISTORY_DAYS - 90 - year * 365 - index * SERIES_GAP_DAYS
                starts = next_working_day(today - dt.timedelta(days=back - rng.randint(0, 20)))
                row = GroupSeries(
                    title=f"{preset.title}, start {starts:%Y-%m-%d}",
                    description=str(preset.description),
                    unit=district.reception,  # the unit whose manager follows it up
                    info_meeting_at=dt.datetime.combine(
                        starts - dt.timedelta(days=7), dt.time(10), tzinfo=zone
                    ),
                    info_meeting_place=SESSION_PLACE,
                    created_by=district.manager,
                )
                sessions = [
                    GroupSession(
                        series=row,
                        number=number,
                        topic=preset.topic(number),
                        held_on=day,
                        place=SESSION_PLACE,
                        morning_starts=MORNING[0],
                        morning_ends=MORNING[1],
                        afternoon_starts=AFTERNOON[0],
                        afternoon_ends=AFTERNOON[1],
                    )
                    for number, day in enumerate(session_dates(starts, preset.sessions), start=1)
                ]
                series_rows.append(row)
                session_rows += sessions
                district.series.append(
                    _Series(
                        pk=row.pk,
                        starts=starts,
                        ends=sessions[-1].held_on,
                        sessions=[(session.pk, session.held_on) for session in sessions],
                        capacity=row.capacity,
                    )
                )
    return series_rows, session_rows


def _invite(ctx: _Context, case: Case, home: _Home) -> None:
    """Invite some cases to a series starting within a year of their first contact; the
    accepted (and those who left) have attendance for the sessions held so far."""
    rng, first, closed = ctx.rng, case.first_contact_date, case.closed_on
    week, year = dt.timedelta(days=7), dt.timedelta(days=365)
    eligible = [
        series
        for series in home.district.series
        if series.invited < INVITED_PER_SERIES
        and series.starts - year <= first <= series.starts - week
        and (closed is None or closed >= series.ends)
    ]
    if not eligible or rng.random() >= ctx.invite_chance:
        return
    series = rng.choice(eligible)
    series.invited += 1
    status = _pick(rng, ENROLMENT_STATUSES)
    taking_part = status in (GE.ACCEPTED, GE.LEFT)
    if taking_part and series.accepted >= series.capacity:
        status, taking_part = GE.INFORMED, False
    series.accepted += taking_part
    run = rng.choice(GroupEnrolment.Run.values) if taking_part else ""
    decided = None if status == GE.INVITED else series.starts - dt.timedelta(rng.randint(2, 10))
    enrolment = GroupEnrolment(
        series_id=series.pk,
        case_id=case.pk,
        status=status,
        preferred_run=run,
        interpreter_language=case.person.interpreter_language,
        decided_on=decided,
        changed_by_id=home.worker.pk,
    )
    ctx.batch.group_enrolments.append(enrolment)
    if not taking_part:
        return
    held = [pk for pk, day in series.sessions if day <= ctx.today]
    if status == GE.LEFT:
        held = held[: rng.randint(1, max(1, len(held) - 1))]
    rate = rng.choice(ATTENDANCE_RATES)
    for session in held:
        present = rng.random() < rate
        ctx.batch.attendance.append(
            Attendance(
                session_id=session,
                enrolment_id=enrolment.pk,
                run=run if present else "",
                present=present,
                recorded_by_id=home.worker.pk,
            )
        )


def _case(ctx: _Context, district: District) -> None:
    rng = ctx.rng
    age = int(rng.triangular(0, HISTORY_DAYS, 0))
    first_contact = ctx.today - dt.timedelta(days=age)
    home = _home(ctx, district, first_contact)
    main = _person(ctx, home, rng.choice((Gender.MALE, Gender.FEMALE)), adult=True)
    children = _family(ctx, home, main)
    case = Case(
        person=main,
        owning_unit=district.reception,
        stage=_stage(rng, age),
        first_contact_date=first_contact,
        opened_by=home.worker,
    )
    outcome = _outcome(ctx, case)
    if case.stage == Stage.CLOSED:
        _close(ctx, case, age, outcome)
    ctx.batch.cases.append(case)
    handed_over = case.stage == Stage.ASSESSMENT or (
        case.stage == Stage.CLOSED and rng.random() < SHARE_OF_CLOSED_TRANSFERRED
    )
    acting = _team(ctx, case, home, handed_over=handed_over)
    _steps(ctx, case, acting, handed_over=handed_over)
    _follow_up(ctx, case, home, acting, outcome, children=children)


def _taken_numbers() -> set[str]:
    return set(PersonIdentifier.objects.values_list("value", flat=True))


def _fill(
    rng: random.Random, districts: list[District], cases: int, counts: Counter[str], city: str
) -> None:
    """Write the cases, spread over the districts, with everything that hangs on them."""
    numbers = SyntheticNumbers(rng, _taken_numbers())
    due_dates = _DueDates(tuple(active_template().steps.order_by("order")))
    today, now, zone = timezone.localdate(), timezone.now(), timezone.get_current_timezone()
    series, sessions = _add_series(rng, districts, today, zone)
    counts["group_series"] += len(GroupSeries.objects.bulk_create(series, BATCH_SIZE))
    counts["group_sessions"] += len(GroupSession.objects.bulk_create(sessions, BATCH_SIZE))
    # About twice the invitations the series have room for, over the cases that may come.
    places = INVITED_PER_SERIES * len(SERIES_PRESETS) * (HISTORY_DAYS // 365)
    invite_chance = min(1.0, 2.5 * places * len(districts) / cases)
    for start in range(0, cases, CHUNK):
        ctx = _Context(
            rng=rng,
            today=today,
            now=now,
            zone=zone,
            numbers=numbers,
            due_dates=due_dates,
            city=city,
            invite_chance=invite_chance,
        )
        for index in range(start, min(cases, start + CHUNK)):
            _case(ctx, districts[index % len(districts)])
        ctx.batch.write(counts)


def generate(*, cases: int, seed: int, password: str | None) -> dict[str, int]:
    """Write a synthetic municipality with the given number of cases (no audit events)."""
    require_demo_environment()
    rng = random.Random(seed)  # noqa: S311 - repeatable synthetic data, not a secret
    counts: Counter[str] = Counter()
    with transaction.atomic():
        districts = _staff(rng, cases, password, counts)
        _fill(rng, districts, cases, counts, CITY)
    return dict(counts)


DEMO_PREFIX = "demo."
DEMO_CITY = "Demostad"
DEMO_ROLES = (
    ("socsek", "Mottagningsgruppen", Role.RECEPTION_SOCIAL_WORKER, CASES_PER_SOCIAL_WORKER),
    ("vagledare", "Samhällsvägledning", Role.COMMUNITY_GUIDE, CASES_PER_GUIDE),
    ("ug", "Utredningsgruppen", Role.ASSESSMENT_SOCIAL_WORKER, CASES_PER_ASSESSOR),
)


def _demo_district(
    rng: random.Random, cases: int, password: str | None, counts: Counter[str]
) -> District:
    """The demo municipality's SIA units, its manager `chef`, and extra caseworkers
    (`demo.socsek01`, ...) so the demo personas' own worklists stay as they are."""
    units = {u.name: u for u in Unit.objects.filter(organisation__name=MUNICIPALITY)}
    roster = [
        (f"{DEMO_PREFIX}{label}{n:02d}", unit, role)
        for label, unit, role, per_head in DEMO_ROLES
        for n in range(1, max(1, math.ceil(cases / per_head)) + 1)
    ]
    users = _ensure_users(rng, [name for name, _, _ in roster], password, counts, DEMO_PREFIX)
    wanted = [(users[name], units[unit], role) for name, unit, role in roster]
    _ensure_memberships(wanted, list(units.values()), counts)

    def holding(role: Role) -> list[User]:
        return [users[name] for name, _, r in roster if r == role]

    return District(
        reception=units["Mottagningsgruppen"],
        guidance=units["Samhällsvägledning"],
        assessment=units["Utredningsgruppen"],
        manager=User.objects.get(username="chef"),
        social_workers=holding(Role.RECEPTION_SOCIAL_WORKER),
        guides=holding(Role.COMMUNITY_GUIDE),
        assessors=holding(Role.ASSESSMENT_SOCIAL_WORKER),
    )


def generate_demo_slice(*, cases: int, seed: int, password: str | None) -> dict[str, int]:
    """Write bulk cases into the demo municipality's own SIA units (after `load_demo`), so
    its follow-up dashboards have three years of figures. No audit events."""
    require_demo_environment()
    rng = random.Random(seed)  # noqa: S311 - repeatable synthetic data, not a secret
    counts: Counter[str] = Counter()
    with transaction.atomic():
        district = _demo_district(rng, cases, password, counts)
        _fill(rng, [district], cases, counts, DEMO_CITY)
    return dict(counts)
