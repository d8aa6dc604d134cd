"""Builders for meetings across organisations: a case whose person needs an interpreter,
consents naming organisations, and a SIP planned by the guide on the case team."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from sia.accounts.models import Organisation, Unit, User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.collaboration import services
from sia.collaboration.models import Meeting, MeetingParty
from sia.consent.models import Consent, DataKind

ALL_KINDS = [kind.value for kind in DataKind]


@pytest.fixture
def af_org(units: dict[str, Unit]) -> Organisation:
    return units["Etablering Demostad"].organisation


@pytest.fixture
def sip_case(make_person: Callable[..., Any], make_case: Callable[..., Case]) -> Case:
    person = make_person(
        given_name="Amina",
        family_name="Hassansdotter",
        interpreter_needed=True,
        interpreter_language="ar",
        preferred_languages=["ar"],
    )
    return make_case(person, team=("vagledare1",))


@pytest.fixture
def give_consent(staff: dict[str, User]) -> Callable[..., Consent]:
    """Record a consent of the case's person naming the organisations, valid from today."""

    def give(
        case: Case,
        organisations: list[Organisation],
        *,
        kind: str = Consent.Kind.SIP,
        data_kinds: list[str] | None = None,
    ) -> Consent:
        consent = Consent.objects.create(
            person=case.person,
            case=case,
            kind=kind,
            data_kinds=ALL_KINDS if data_kinds is None else data_kinds,
            purpose="SIP",
            form=Consent.Form.WRITTEN,
            recorded_by=staff["vagledare1"],
            given_on=timezone.localdate(),
        )
        consent.recipient_organisations.set(organisations)
        return consent

    return give


def soon(days: int = 7) -> dt.datetime:
    return timezone.now().replace(microsecond=0) + dt.timedelta(days=days)


@pytest.fixture
def plan_sip(staff: dict[str, User]) -> Callable[..., Meeting]:
    """Plan a SIP as vagledare1 (on the case team), the person already wanting one."""

    def plan(case: Case, **overrides: Any) -> Meeting:
        data = {
            "title": "SIP om arbete och hälsa",
            "starts_at": soon(),
            "purpose": "Samordna insatser",
            "life_areas": ["work", "mental_health"],
            "person_wants_sip": True,
            "place": "Stadshuset",
            **overrides,
        }
        return services.create_meeting(
            actor=staff["vagledare1"],
            kind=overrides.pop("kind", Meeting.Kind.SIP),
            case_id=case.pk,
            data=services.MeetingInput(**{k: v for k, v in data.items() if k != "kind"}),
            channel=Channel.SYSTEM,
        )

    return plan


def invited_sip_of(
    staff: dict[str, User],
    case: Case,
    plan_sip: Callable[..., Meeting],
    consent: Consent,
) -> Meeting:
    meeting = plan_sip(case)
    actor = staff["vagledare1"]
    services.add_party(
        actor=actor,
        meeting_id=meeting.pk,
        kind=MeetingParty.Kind.STAFF,
        user_id=staff["af"].pk,
        channel=Channel.SYSTEM,
    )
    services.link_consent(
        actor=actor, meeting_id=meeting.pk, consent_id=consent.pk, channel=Channel.SYSTEM
    )
    services.send_invitations(actor=actor, meeting_id=meeting.pk, channel=Channel.SYSTEM)
    return meeting


@pytest.fixture
def invited_sip(
    staff: dict[str, User],
    sip_case: Case,
    af_org: Organisation,
    plan_sip: Callable[..., Meeting],
    give_consent: Callable[..., Consent],
) -> Meeting:
    return invited_sip_of(staff, sip_case, plan_sip, give_consent(sip_case, [af_org]))
