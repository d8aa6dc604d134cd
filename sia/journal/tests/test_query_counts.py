"""The journal costs the same number of queries for 2 notes as for 6 (each with a correction
and an objection), for a caseworker and for a partner reading under consent."""

import itertools
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sia.accounts.models import User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.consent.models import DataKind
from sia.journal import services
from sia.journal.models import JournalEntry
from sia.journal.tests.conftest import GiveConsent, WriteEntry, hours_ago


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_notes(case: Case, staff: dict[str, User], write: WriteEntry, n: int) -> JournalEntry:
    """A note, a correction of it and an objection to the correction; returns the first."""
    first = write(case, f"Anteckning {n}.", occurred_at=hours_ago(n))
    fixed = services.correct_entry(
        case_id=case.pk,
        entry_id=first.pk,
        text=f"Anteckning {n}, rättad.",
        reason="Fel.",
        written_by=staff["vagledare1"],
        channel=Channel.WEB,
    )
    services.record_objection(
        case_id=case.pk,
        entry_id=fixed.pk,
        text="Stämmer inte.",
        received_as="oral",
        received_on=timezone.localdate(),
        recorded_by=staff["socsek"],
        channel=Channel.WEB,
    )
    return first


@pytest.mark.parametrize("username", ["socsek", "af"])
@pytest.mark.parametrize(
    "template",
    [
        "/arenden/{case}/journal/",
        "/api/v1/cases/{case}/journal/",
        "/arenden/{case}/journal/{entry}/",
    ],
)
def test_journal_queries_do_not_grow_with_notes(
    case: Case,
    staff: dict[str, User],
    login: Callable[[str], Client],
    write: WriteEntry,
    give_consent: GiveConsent,
    username: str,
    template: str,
) -> None:
    give_consent(case, [DataKind.IDENTITY, DataKind.CASE])
    numbers = itertools.count(1)
    first = add_notes(case, staff, write, next(numbers))
    add_notes(case, staff, write, next(numbers))
    url = template.format(case=case.pk, entry=first.pk)
    client = login(username)
    client.get(url)  # warm per-session lookups such as permissions and the session row
    few = count_queries(client, url)
    for _ in range(4):
        add_notes(case, staff, write, next(numbers))
    many = count_queries(client, url)
    assert JournalEntry.objects.filter(case=case).count() == 12
    assert many == few
