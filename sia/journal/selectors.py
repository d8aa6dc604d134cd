"""Reads of a case's journal.

The case is read through `get_case_for_journal` (access, the consent's data kind for a
partner, the audited read and the logged disclosure); the other functions take that
already accessed case.
"""

from uuid import UUID

from django.db.models import Prefetch, QuerySet

from sia.accounts.models import User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.cases.selectors import get_case
from sia.core.exceptions import NotFoundOrForbidden
from sia.journal.access import JOURNAL_KIND
from sia.journal.models import JournalEntry, Objection


def get_case_for_journal(user: User, case_id: UUID, *, channel: Channel) -> Case:
    """Return a case whose journal the user may read, recording the read (and, for a
    partner, the disclosure); 404 when a partner's consent does not share the case."""
    return get_case(user, case_id, channel=channel, kind=JOURNAL_KIND)


def list_entries(case: Case) -> QuerySet[JournalEntry]:
    """List the case's journal notes, newest event first, with author, unit, the notes they
    correct or are corrected by, and their objections."""
    objections = Objection.objects.select_related("recorded_by").order_by("recorded_at")
    return (
        JournalEntry.objects.filter(case=case)
        .select_related("author", "author_unit", "corrects", "corrected_by")
        .prefetch_related(Prefetch("objections", queryset=objections))
        .order_by("-occurred_at", "-number")
    )


def get_entry(case: Case, entry_id: UUID) -> JournalEntry:
    """Return one note of the case, or raise NotFoundOrForbidden."""
    entry = list_entries(case).filter(pk=entry_id).first()
    if entry is None:
        raise NotFoundOrForbidden
    return entry


def entry_history(case: Case, entry: JournalEntry) -> list[JournalEntry]:
    """Return every version of the note, from the first written to the newest correction."""
    links = dict(
        JournalEntry.objects.filter(case=case, corrects__isnull=False).values_list(
            "corrects_id", "pk"
        )
    )
    earlier = {newer: older for older, newer in links.items()}
    first = entry.pk
    while first in earlier:
        first = earlier[first]
    chain = [first]
    while chain[-1] in links:
        chain.append(links[chain[-1]])
    versions = {row.pk: row for row in list_entries(case).filter(pk__in=chain)}
    return [versions[pk] for pk in chain]
