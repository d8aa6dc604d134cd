"""The retention rule (gallring, SoL 12 kap. 2 §) and who is due under it.

A person's records are disposed of together once five years (`SIA_RETENTION_YEARS`) have
passed since the last entry in any of them, and never while a case of theirs is open or
any record is younger. People born on the 5th, 15th or 25th of a month are kept whole
(the research exception); for a samordningsnummer the real day is the number's day less
60. Record types listed in `SIA_RETENTION_KEEP` stay, with the records they point at (the
case and the person row they need). Nothing here writes.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from sia.cases.models import Case
from sia.people.identifiers import PersonalNumber
from sia.people.models import Person, PersonIdentifier
from sia.retention.registry import RecordType, record_types

RESEARCH_DAYS = (5, 15, 25)

Rows = dict[RecordType, set[Any]]


def years_before(day: dt.date, years: int) -> dt.date:
    """The same date `years` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class RetentionRule:
    """The rule as configured, applied per `today`."""

    today: dt.date
    years: int
    audit_years: int
    keep: frozenset[str]

    @classmethod
    def configured(cls, today: dt.date | None = None) -> "RetentionRule":
        return cls(
            today=today or timezone.localdate(),
            years=settings.SIA_RETENTION_YEARS,
            audit_years=settings.SIA_AUDIT_RETENTION_YEARS,
            keep=frozenset(settings.SIA_RETENTION_KEEP),
        )

    @property
    def last_entry_on_or_before(self) -> dt.date:
        """A person is due when their last entry is on or before this date."""
        return years_before(self.today, self.years)

    @property
    def entries_before(self) -> dt.datetime:
        """The start of the day after the last date that makes a person due."""
        day = self.last_entry_on_or_before + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    @property
    def audit_events_before(self) -> dt.datetime:
        day = years_before(self.today, self.audit_years)
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class PersonPlan:
    """What goes and what stays of one due person; row ids by record type."""

    person_id: UUID
    last_entry: dt.date
    dispose: Mapping[RecordType, frozenset[Any]]
    keep: Mapping[RecordType, frozenset[Any]]

    @property
    def disposed_count(self) -> int:
        return sum(len(ids) for ids in self.dispose.values())


@dataclass
class Plan:
    """Who is due under the rule, and who is kept whole for research."""

    rule: RetentionRule
    due: list[PersonPlan] = field(default_factory=list)
    research: int = 0


def collect_rows(person_id: UUID) -> Rows:
    """Every record of the person, by type: rows whose keys reach the person, to a fixed point."""
    types = record_types()
    rows: Rows = {types[0]: {person_id}}
    by_model = {kind.model: kind for kind in types}
    # Only rows found since a type was last asked can lead to new rows of it: ask each type
    # with those alone (parents come first, so one round finds nearly everything).
    fresh: Rows = {types[0]: {person_id}}
    while fresh:
        found_now: Rows = {}
        for kind in types[1:]:
            condition = Q()
            for link in kind.links:
                target = by_model[link.target]
                ids = fresh.get(target, set()) | found_now.get(target, set())
                if ids:
                    condition |= Q(**{f"{link.attname}__in": list(ids)})
            if not condition:
                continue
            found = set(kind.model._base_manager.filter(condition).values_list("pk", flat=True))
            new = found - rows.get(kind, set())
            if new:
                rows.setdefault(kind, set()).update(new)
                found_now.setdefault(kind, set()).update(new)
        fresh = found_now
    return rows


def last_entry(rows: Rows) -> dt.date:
    """The latest day any of the rows was written or changed (cases also by closing day)."""
    days: list[dt.date] = []
    for kind, ids in rows.items():
        if not ids or not kind.entry_fields:
            continue
        latest = kind.model._base_manager.filter(pk__in=list(ids)).aggregate(
            **{name: Max(name) for name in kind.entry_fields}
        )
        days.extend(_as_day(value) for value in latest.values() if value is not None)
    return max(days)


def _as_day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def day_of_birth(person: Person, identifiers: Iterable[PersonIdentifier]) -> int:
    """The real day of birth: from the identity number if there is one, else the birth date."""
    for identifier in identifiers:
        if identifier.kind == PersonIdentifier.Kind.DOSSIER:
            continue
        coordination = identifier.kind == PersonIdentifier.Kind.SAMORDNINGSNUMMER
        number = PersonalNumber(digits=identifier.value, is_coordination_number=coordination)
        try:
            return number.birth_date.day
        except ValueError:
            continue
    return person.date_of_birth.day


def is_kept_for_research(person: Person) -> bool:
    return day_of_birth(person, person.identifiers.all()) in RESEARCH_DAYS


def split(rows: Rows, keep: frozenset[str]) -> tuple[Rows, Rows]:
    """Split the rows into those that go and those kept by the record-type exceptions.

    A kept row keeps every record it points at (its case, the person), and a join table's
    rows stay with the record they belong to (a kept consent keeps its recipients).
    """
    by_model = {kind.model: kind for kind in rows}
    kept: Rows = {kind: set(ids) for kind, ids in rows.items() if kind.label in keep}
    changed = True
    while changed:
        changed = False
        for kind, ids in list(kept.items()):
            for link in kind.links:
                target = by_model.get(link.target)
                if target is None or not ids:
                    continue
                pointed = kind.model._base_manager.filter(pk__in=list(ids)).values_list(
                    link.attname, flat=True
                )
                new = (set(pointed) & rows[target]) - kept.get(target, set())
                if new:
                    kept.setdefault(target, set()).update(new)
                    changed = True
        for kind in rows:
            if kind.model._meta.auto_created:
                changed |= _keep_joined(kind, rows, kept, by_model)
    dispose = {kind: ids - kept.get(kind, set()) for kind, ids in rows.items()}
    return dispose, kept


def _keep_joined(
    kind: RecordType, rows: Rows, kept: Rows, by_model: Mapping[type[models.Model], RecordType]
) -> bool:
    condition = Q()
    for link in kind.links:
        target = by_model.get(link.target)
        if target is not None and kept.get(target):
            condition |= Q(**{f"{link.attname}__in": list(kept[target])})
    if not condition:
        return False
    found = set(kind.model._base_manager.filter(condition).values_list("pk", flat=True))
    new = (found & rows[kind]) - kept.get(kind, set())
    if new:
        kept.setdefault(kind, set()).update(new)
    return bool(new)


def plan_person(person: Person, rule: RetentionRule) -> PersonPlan | None:
    """The person's plan if they are due under the rule, else None (research is the caller's)."""
    if Case.objects.filter(person_id=person.pk, closed_on__isnull=True).exists():
        return None
    rows = collect_rows(person.pk)
    latest = last_entry(rows)
    if latest > rule.last_entry_on_or_before:
        return None
    dispose, kept = split(rows, rule.keep)
    return PersonPlan(
        person_id=person.pk,
        last_entry=latest,
        dispose={kind: frozenset(ids) for kind, ids in dispose.items() if ids},
        keep={kind: frozenset(ids) for kind, ids in kept.items() if ids},
    )


def candidates(rule: RetentionRule) -> "models.QuerySet[Person]":
    """People who may be due: a cheap first sieve on the person and their cases only."""
    before = rule.entries_before
    recent_case = Q(updated_at__gte=before) | Q(closed_on__isnull=True)
    recent_case |= Q(closed_on__gt=rule.last_entry_on_or_before)
    busy = Case.objects.filter(recent_case).values("person_id")
    return (
        Person.objects.filter(updated_at__lt=before)
        .exclude(pk__in=busy)
        .prefetch_related("identifiers")
        .order_by("created_at", "pk")
    )


def make_plan(rule: RetentionRule, among: "models.QuerySet[Person] | None" = None) -> Plan:
    """Who is due now (of `among`, else of everyone), and how many due people the research
    exception keeps."""
    plan = Plan(rule=rule)
    people = candidates(rule)
    if among is not None:
        people = people.filter(pk__in=among.values("pk"))
    for person in people:
        person_plan = plan_person(person, rule)
        if person_plan is None:
            continue
        if is_kept_for_research(person):
            plan.research += 1
        elif person_plan.dispose:
            plan.due.append(person_plan)
    return plan
