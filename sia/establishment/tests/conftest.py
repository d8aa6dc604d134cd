"""Builders for the establishment tests: a case with Arbetsförmedlingen on its team and a
consent sharing the given data kinds."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from conftest import CaseFactory
from sia.accounts.models import User
from sia.cases.models import Case
from sia.consent.models import DataKind
from sia.consent.tests.test_consent import give_consent
from sia.establishment.models import ProgrammeStatus


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def af_case(make_case: CaseFactory, staff: dict[str, User]) -> Callable[..., Case]:
    """A case with vagledare1 and af on the team; af covered for `kinds`."""

    def make(kinds: tuple[str, ...] = (DataKind.PLANS,)) -> Case:
        case = make_case(team=("vagledare1", "af"))
        if kinds:
            give_consent(staff, case, kinds=kinds)
        return case

    return make


@pytest.fixture
def add_programme(staff: dict[str, User]) -> Callable[..., ProgrammeStatus]:
    """Write a programme status directly (test setup, not the behaviour under test)."""

    def add(case: Case, **fields: Any) -> ProgrammeStatus:
        return ProgrammeStatus.objects.create(case=case, updated_by=staff["vagledare1"], **fields)

    return add
