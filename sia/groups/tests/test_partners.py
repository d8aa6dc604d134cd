"""Partner organisations in group activities: names only with a consent sharing identity or
case data (disclosure logged), no enrolling on the municipality's behalf, and audited
changes to series, sessions and evaluations."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import Organisation, User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case, TeamFunction
from sia.consent.models import Consent, Disclosure
from sia.core.exceptions import NotFoundOrForbidden
from sia.groups import access, services
from sia.groups.models import Attendance, GroupEnrolment, GroupSeries, GroupSession
from sia.groups.tests.conftest import EnrolFactory, SeriesFactory
from sia.teamwork.services import add_team_member

WEB = Channel.WEB


def consent(staff: dict[str, User], case: Case, *kinds: str) -> Consent:
    row = Consent.objects.create(
        person=case.person,
        case=case,
        data_kinds=list(kinds),
        purpose="Samverkan i gruppaktivitet",
        form=Consent.Form.WRITTEN,
        recorded_by=staff["socsek"],
        given_on=timezone.localdate() - dt.timedelta(days=1),
    )
    row.recipient_organisations.add(Organisation.objects.get(name="Arbetsförmedlingen"))
    return row


def af_leads(series: GroupSeries, staff: dict[str, User]) -> GroupSession:
    session = series.sessions.get(number=1)
    services.update_session(
        actor=staff["socsek"],
        series_id=series.pk,
        session_id=session.pk,
        data=services.SessionInput(
            held_on=session.held_on,
            place=session.place,
            topic=session.topic,
            facilitator_ids=[staff["af"].pk],
        ),
        channel=WEB,
    )
    return session


@pytest.fixture
def series(make_series: SeriesFactory) -> GroupSeries:
    return make_series(organisation_ids=[Organisation.objects.get(name="Arbetsförmedlingen").pk])


def test_partner_facilitator_sees_names_only_when_identity_or_case_is_shared_and_it_is_logged(
    series: GroupSeries,
    enrol: EnrolFactory,
    staff: dict[str, User],
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
) -> None:
    af_leads(series, staff)
    plans_only, identity = enrol(series), enrol(series)
    consent(staff, plans_only.case, "plans")
    consent(staff, identity.case, "identity")

    page = login("af").get(reverse("group-series", args=[series.pk])).content.decode()
    api = api_as("af").get(reverse("api-group-enrolment-list", args=[series.pk])).json()

    assert list(access.visible_enrolments(staff["af"], series)) == [identity]
    assert identity.case.person.family_name in page
    assert plans_only.case.person.family_name not in page
    assert "1 deltagare utan samtycke till er organisation" in page
    assert [row["id"] for row in api["participants"]] == [str(identity.pk)]
    assert api["hidden_count"] == 1
    disclosures = Disclosure.objects.filter(
        recipient=staff["af"], what=Disclosure.What.GROUP_PARTICIPANTS
    )
    assert {d.case_id for d in disclosures} == {identity.case_id}
    assert disclosures.count() == 2  # the page and the API
    # Municipal staff disclose nothing to another organisation.
    login("socsek").get(reverse("group-series", args=[series.pk]))
    assert not Disclosure.objects.filter(recipient=staff["socsek"]).exists()


def test_partners_do_not_invite_or_decide_places_but_record_attendance(
    series: GroupSeries,
    enrol: EnrolFactory,
    make_case: CaseFactory,
    staff: dict[str, User],
    login: Callable[[str], Client],
) -> None:
    af_leads(series, staff)
    informed = enrol(series, status="informed")
    accepted = enrol(series)
    case = make_case(team=("vagledare1",))
    add_team_member(
        actor=staff["socsek"],
        case_id=case.pk,
        user_id=staff["af"].pk,
        function=TeamFunction.EMPLOYMENT_OFFICER,
        channel=Channel.SYSTEM,
    )
    for row in (informed, accepted):
        consent(staff, row.case, "identity", "case")
    consent(staff, case, "identity", "case")
    af = login("af")
    events = AuditEvent.objects.filter(action=AuditAction.GROUP_ENROLMENT_CHANGED).count()

    with pytest.raises(NotFoundOrForbidden):
        services.invite(actor=staff["af"], series_id=series.pk, case_id=case.pk, channel=WEB)
    case_page = af.get(reverse("case-groups", args=[case.pk]))
    posted = af.post(reverse("case-groups", args=[case.pk]), {"series": str(series.pk)})
    with pytest.raises(NotFoundOrForbidden):
        services.accept(
            actor=staff["af"], series_id=series.pk, enrolment_id=informed.pk, channel=WEB
        )
    status_post = af.post(
        reverse("group-enrolment-status", args=[series.pk, accepted.pk]), {"status": "left"}
    )
    series_page = af.get(reverse("group-series", args=[series.pk])).content.decode()
    attended = services.record_attendance(
        actor=staff["af"],
        series_id=series.pk,
        session_id=series.sessions.get(number=1).pk,
        rows=[services.AttendanceRow(enrolment_id=accepted.pk, present=True, run="morning")],
        channel=WEB,
    )

    assert case_page.status_code == 200
    assert "Bjud in" not in case_page.content.decode()
    assert posted.status_code == 404
    assert status_post.status_code == 404
    assert not GroupEnrolment.objects.filter(case=case).exists()
    assert {e.status for e in GroupEnrolment.objects.filter(series=series)} == {
        "informed",
        "accepted",
    }
    assert AuditEvent.objects.filter(action=AuditAction.GROUP_ENROLMENT_CHANGED).count() == events
    assert accepted.case.person.family_name in series_page
    assert "Tackar ja" not in series_page
    assert [a.enrolment_id for a in attended] == [accepted.pk]
    assert Attendance.objects.get().present


def test_series_session_and_evaluation_changes_are_audited_without_personal_data(
    series: GroupSeries, enrol: EnrolFactory, staff: dict[str, User]
) -> None:
    enrolment = enrol(series)
    session = af_leads(series, staff)
    services.update_session(
        actor=staff["socsek"],
        series_id=series.pk,
        session_id=session.pk,
        data=services.SessionInput(
            held_on=session.held_on,
            place=session.place,
            topic=session.topic,
            facilitator_ids=[staff["af"].pk],
        ),
        channel=WEB,
    )  # nothing changed: nothing written
    services.record_evaluation(
        actor=staff["af"],
        series_id=series.pk,
        session_id=session.pk,
        note=f"Bra samtal, {enrolment.case.person.given_name} var aktiv.",
        channel=WEB,
    )

    changed = list(
        AuditEvent.objects.filter(action=AuditAction.GROUP_SERIES_CHANGED).order_by(
            "occurred_at", "id"
        )
    )
    evaluated = AuditEvent.objects.get(action=AuditAction.GROUP_SESSION_EVALUATED)
    assert [e.changes["change"] for e in changed] == ["created", "session"]
    assert changed[1].changes["facilitators_added"] == [str(staff["af"].pk)]
    assert {e.unit_id for e in changed} == {series.unit_id}  # acted in the series' unit
    assert all(e.case_id is None and e.person_id is None for e in [*changed, evaluated])
    assert evaluated.actor == staff["af"]
    assert evaluated.changes == {"series": str(series.pk), "session": 1}
    assert enrolment.case.person.given_name not in str(evaluated.changes)
