"""Builders for group tests: a series in the reception unit, accepted participants, consent."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from conftest import CaseFactory
from sia.accounts.models import Organisation, Unit, User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.consent.models import Consent
from sia.groups import services
from sia.groups.models import GroupEnrolment, GroupSeries

SeriesFactory = Callable[..., GroupSeries]
EnrolFactory = Callable[..., GroupEnrolment]


@pytest.fixture
def make_series(staff: dict[str, User], reception: Unit) -> SeriesFactory:
    """Create a series as socsek in the reception unit; by default it started four weeks ago."""

    def make(**overrides: Any) -> GroupSeries:
        fields: dict[str, Any] = {
            "title": "Hälsoskola höst",
            "unit_id": reception.pk,
            "first_date": timezone.localdate() - dt.timedelta(weeks=4),
            "place": "Medborgarhuset",
            "sessions": 6,
        }
        fields.update(overrides)
        actor = fields.pop("actor", staff["socsek"])
        return services.create_series(
            actor=actor, data=services.SeriesInput(**fields), channel=Channel.SYSTEM
        )

    return make


@pytest.fixture
def enrol(staff: dict[str, User], make_case: CaseFactory) -> EnrolFactory:
    """Invite a new case (as its guide) and move it to the given status."""

    def make(
        series: GroupSeries, status: str = "accepted", case: Case | None = None
    ) -> GroupEnrolment:
        case = case or make_case(team=("vagledare1",))
        actor = staff["vagledare1"]
        enrolment = services.invite(
            actor=actor, series_id=series.pk, case_id=case.pk, channel=Channel.SYSTEM
        )
        steps = {"invited": [], "informed": ["informed"], "accepted": ["informed", "accepted"]}
        for step in steps[status]:
            enrolment = services.change_enrolment(
                actor=actor,
                series_id=series.pk,
                enrolment_id=enrolment.pk,
                status=step,
                channel=Channel.SYSTEM,
            )
        return enrolment

    return make


@pytest.fixture
def consent_for_af(staff: dict[str, User]) -> Callable[[Case], Consent]:
    """Record a valid consent naming Arbetsförmedlingen for the case's person."""

    def make(case: Case) -> Consent:
        consent = Consent.objects.create(
            person=case.person,
            case=case,
            data_kinds=["identity", "case"],
            purpose="Samverkan i gruppaktivitet",
            form=Consent.Form.WRITTEN,
            recorded_by=staff["socsek"],
            given_on=timezone.localdate() - dt.timedelta(days=1),
        )
        consent.recipient_organisations.add(Organisation.objects.get(name="Arbetsförmedlingen"))
        return consent

    return make
