"""Shared builders of the assessment tests: a case with af on its team, and af's consent."""

from collections.abc import Callable

import pytest
from django.utils import timezone

from conftest import CaseFactory
from sia.accounts.models import Organisation, User
from sia.cases.models import Case
from sia.consent.models import Consent

GiveConsent = Callable[..., Consent]


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
            purpose="x",
            recorded_by=staff["socsek"],
        )
        consent.recipient_organisations.set([Organisation.objects.get(name="Arbetsförmedlingen")])
        return consent

    return give
