"""Builders for teamwork tests: a consent covering Arbetsförmedlingen, and a task."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from sia.accounts.models import Organisation, User
from sia.audit.models import Channel
from sia.cases.models import Case, CaseTeamMember, TeamFunction
from sia.consent.models import Consent
from sia.teamwork import services
from sia.teamwork.models import TeamTask

ConsentFactory = Callable[..., Consent]


@pytest.fixture
def af_org(staff: dict[str, User]) -> Organisation:
    return Organisation.objects.get(name="Arbetsförmedlingen")


@pytest.fixture
def municipality(staff: dict[str, User]) -> Organisation:
    return Organisation.objects.get(name="Demokommun")


@pytest.fixture
def consent_for(staff: dict[str, User], af_org: Organisation) -> ConsentFactory:
    """Record a written consent naming Arbetsförmedlingen, directly as a row."""

    def make(case: Case, kinds: tuple[str, ...] = ("case", "plans")) -> Consent:
        consent = Consent.objects.create(
            person=case.person,
            kind=Consent.Kind.GENERAL,
            data_kinds=list(kinds),
            given_on=timezone.localdate(),
            recorded_by=staff["socsek"],
            form=Consent.Form.WRITTEN,
            purpose="Samverkan kring etablering och arbete.",
        )
        consent.recipient_organisations.set([af_org])
        return consent

    return make


def add_af(case: Case, staff: dict[str, User]) -> CaseTeamMember:
    return services.add_team_member(
        actor=staff["socsek"],
        case_id=case.pk,
        user_id=staff["af"].pk,
        function=TeamFunction.EMPLOYMENT_OFFICER,
        channel=Channel.SYSTEM,
    )


def make_task(
    case: Case,
    actor: User,
    organisation: Organisation,
    *,
    title: str = "Boka möte om praktik",
    due_on: dt.date | None = None,
) -> TeamTask:
    return services.create_task(
        actor=actor,
        case=case,
        title=title,
        owner_organisation=organisation,
        due_on=due_on,
        source=TeamTask.Source.TEAM,
        channel=Channel.SYSTEM,
    )
