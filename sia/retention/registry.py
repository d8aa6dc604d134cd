"""Every kind of record held about a person, found from the models themselves.

A record belongs to a person when one of its foreign keys points at the person or at
another record of theirs: a case points at its person, a journal note at its case, an
objection at its note, the rows of a consent's recipient lists at the consent. The
registry follows those keys from `people.Person` across every installed model, so a
model added later is disposed of (gallras) with the rest without being listed here; a
test checks that the register extract (`sia.people.extract_records`) gathers the same
kinds.

The audit trail is not part of the person's records: it has no database constraint to
them and is kept for its own period (`SIA_AUDIT_RETENTION_YEARS`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models

from sia.people.models import Person

# Kept for a period of their own, or no record of a person at all.
OWN_PERIOD = frozenset({"audit.AuditEvent"})
# Dates that tell when a record was written or changed besides the automatic time stamps.
EXTRA_ENTRY_FIELDS: dict[str, tuple[str, ...]] = {"cases.Case": ("closed_on",)}


@dataclass(frozen=True)
class Link:
    """A foreign key (its column attribute) to another record type's model."""

    attname: str
    target: type[models.Model]


@dataclass(frozen=True)
class RecordType:
    """One model whose rows can be a person's records, and the keys that make them so."""

    model: type[models.Model]
    links: tuple[Link, ...]
    entry_fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def name(self) -> str:
        """The record type's plural name as users know it (the label for join tables)."""
        if self.model._meta.auto_created:
            return self.label
        return str(self.model._meta.verbose_name_plural)


def _entry_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The dates set when the row is written or changed (auto time stamps and the like)."""
    automatic = [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField)
        and (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    ]
    return (*automatic, *EXTRA_ENTRY_FIELDS.get(model._meta.label, ()))


def _links(model: type[models.Model], owned: Iterable[type[models.Model]]) -> list[Link]:
    targets = set(owned)
    links = []
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):
            target: Any = field.related_model
            if target in targets:
                links.append(Link(attname=field.attname, target=target))
    return links


@cache
def record_types() -> tuple[RecordType, ...]:
    """Every record type of a person, each after the types its keys point at (parents first)."""
    order: list[type[models.Model]] = [Person]
    candidates = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model is not Person and model._meta.label not in OWN_PERIOD
    ]
    # Each round adds the models whose keys reach the ones found so far: parents first.
    while True:
        found = [m for m in candidates if m not in order and _links(m, order)]
        if not found:
            break
        order.extend(sorted(found, key=lambda m: m._meta.label))
    # The links are every key to any record type, found or not yet found when added.
    return tuple(
        RecordType(
            model=model, links=tuple(_links(model, order)), entry_fields=_entry_fields(model)
        )
        for model in order
    )


def record_type(label: str) -> RecordType:
    """Return the record type with the model label `app.Model`, or raise LookupError."""
    for kind in record_types():
        if kind.label == label:
            return kind
    raise LookupError(label)
