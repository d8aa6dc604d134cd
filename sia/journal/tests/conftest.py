"""Shared builders of the journal tests: a case with af on its team, af's consent, and a
note written by the reception social worker."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from conftest import CaseFactory
from sia.accounts.models import Organisation, User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.consent.models import Consent
from sia.journal import services
from sia.journal.models import JournalEntry

GiveConsent = Callable[[Case, list[str]], Consent]
WriteEntry = Callable[..., JournalEntry]


@pytest.fixture
def case(make_case: CaseFactory) -> Case:
    """A case of socsek's with a guide and the AF caseworker on its team."""
    return make_case(team=("vagledare1", "af"))


@pytest.fixture
def give_consent(staff: dict[str, User]) -> GiveConsent:
    """Record the person's consent to share the given data kinds with Arbetsförmedlingen."""

    def give(case: Case, kinds: list[str]) -> Consent:
        consent = Consent.objects.create(
            person=case.person,
            kind="general",
            data_kinds=kinds,
            given_on=timezone.localdate(),
            form="written",
            purpose="Samverkan kring arbete.",
            recorded_by=staff["socsek"],
        )
        consent.recipient_organisations.set([Organisation.objects.get(name="Arbetsförmedlingen")])
        return consent

    return give


def hours_ago(hours: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=hours)


@pytest.fixture
def write(staff: dict[str, User]) -> WriteEntry:
    """Write a note on the case through the service (as socsek unless `by` names another)."""

    def make(case: Case, text: str = "Ringde om bostaden.", **overrides: Any) -> JournalEntry:
        return services.write_entry(
            case_id=case.pk,
            occurred_at=overrides.pop("occurred_at", hours_ago(2)),
            kind=overrides.pop("kind", JournalEntry.Kind.PHONE_CALL),
            text=text,
            written_by=staff[overrides.pop("by", "socsek")],
            channel=overrides.pop("channel", Channel.WEB),
        )

    return make
