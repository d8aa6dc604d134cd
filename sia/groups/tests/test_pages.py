"""Group pages: create from a preset, see participants (audited), record attendance and
evaluation, and invite from a case."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import CaseFactory
from sia.accounts.models import Organisation, Unit, User
from sia.audit.models import AuditAction, AuditEvent
from sia.groups.models import Attendance, GroupEnrolment, GroupSeries
from sia.groups.tests.conftest import EnrolFactory, SeriesFactory
from sia.teamwork.models import TeamTask

Login = Callable[[str], Client]


def test_create_series_from_preset_and_list_it(login: Login, reception: Unit) -> None:
    client = login("socsek")
    response = client.post(
        reverse("groups"),
        {
            "preset": "socialforsakring",
            "unit": str(reception.pk),
            "first_date": "2027-01-11",
            "place": "Försäkringskassan",
            "capacity": "12",
            "interpreter_languages": ["ar", "ti"],
            "info_meeting_at": "2027-01-04T10:00",
            "info_meeting_place": "Arbetsförmedlingen",
        },
    )
    series = GroupSeries.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("group-series", kwargs={"series_id": series.pk})
    assert series.title == "Socialförsäkring och jämställdhet"
    assert series.sessions.count() == 8
    page = client.get(reverse("groups")).content.decode()
    assert "Socialförsäkring och jämställdhet" in page
    detail = client.get(response["Location"]).content.decode()
    assert "09:00–11:00" in detail
    assert "13:00–15:00" in detail
    assert "arabiska, tigrinja" in detail


def test_create_form_refuses_another_units_series(login: Login, units: dict[str, Unit]) -> None:
    response = login("socsek").post(
        reverse("groups"),
        {
            "title": "Egen",
            "sessions": "2",
            "unit": str(units["Integrationsgruppen"].pk),
            "first_date": "2027-01-11",
            "place": "SFI",
            "capacity": "12",
        },
    )
    assert response.status_code == 200
    assert not GroupSeries.objects.exists()


def test_people_without_casework_get_404(login: Login, make_series: SeriesFactory) -> None:
    series = make_series()
    client = login("analytiker")
    assert client.get(reverse("groups")).status_code == 404
    assert client.get(reverse("group-series", args=[series.pk])).status_code == 404


def test_series_page_names_participants_and_records_the_reads(
    login: Login, make_series: SeriesFactory, enrol: EnrolFactory, staff: dict[str, User]
) -> None:
    series = make_series()
    enrolment = enrol(series)
    page = login("socsek").get(reverse("group-series", args=[series.pk])).content.decode()
    assert enrolment.case.person.family_name in page
    assert AuditEvent.objects.filter(
        action=AuditAction.CASE_LISTED, actor=staff["socsek"], case_id=enrolment.case_id
    ).exists()
    # A guide who does not run the series sees the sessions but no names.
    other = login("integration").get(reverse("group-series", args=[series.pk]))
    assert other.status_code == 200
    assert enrolment.case.person.family_name not in other.content.decode()


def test_partner_facilitator_page_counts_participants_without_consent(
    login: Login,
    make_series: SeriesFactory,
    enrol: EnrolFactory,
    staff: dict[str, User],
    consent_for_af: Callable[..., object],
) -> None:
    series = make_series(organisation_ids=[Organisation.objects.get(name="Arbetsförmedlingen").pk])
    session = series.sessions.get(number=1)
    session.facilitators.add(staff["af"])
    consented, other = enrol(series), enrol(series)
    consent_for_af(consented.case)
    page = login("af").get(reverse("group-series", args=[series.pk])).content.decode()
    assert consented.case.person.family_name in page
    assert other.case.person.family_name not in page
    assert "1 deltagare utan samtycke till er organisation" in page
    assert not AuditEvent.objects.filter(
        action=AuditAction.CASE_LISTED, actor=staff["af"], case_id=other.case_id
    ).exists()


def test_session_page_records_attendance_follow_up_and_evaluation(
    login: Login, make_series: SeriesFactory, enrol: EnrolFactory
) -> None:
    series = make_series()
    enrolment = enrol(series)
    session = series.sessions.get(number=1)
    client = login("socsek")
    url = reverse("group-session", args=[series.pk, session.pk])
    assert enrolment.case.person.family_name in client.get(url).content.decode()
    response = client.post(
        reverse("group-attendance", args=[series.pk, session.pk]),
        {
            f"present-{enrolment.pk}": "on",
            f"run-{enrolment.pk}": "afternoon",
            f"follow_up-{enrolment.pk}": "on",
        },
    )
    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert (attendance.present, attendance.run) == (True, "afternoon")
    assert TeamTask.objects.get(case=enrolment.case).source == TeamTask.Source.GROUP
    client.post(
        reverse("group-evaluation", args=[series.pk, session.pk]),
        {"note": "Många frågor om vårdcentralen."},
    )
    assert "Många frågor om vårdcentralen." in client.get(url).content.decode()


def test_attendance_for_a_present_participant_without_run_is_refused(
    login: Login, make_series: SeriesFactory, enrol: EnrolFactory
) -> None:
    series = make_series()
    enrolment = enrol(series)
    session = series.sessions.get(number=1)
    client = login("socsek")
    response = client.post(
        reverse("group-attendance", args=[series.pk, session.pk]),
        {f"present-{enrolment.pk}": "on", f"run-{enrolment.pk}": ""},
        follow=True,
    )
    assert "Ange vilket pass" in response.content.decode()
    assert not Attendance.objects.exists()


def test_case_page_invites_and_moves_the_enrolment(
    login: Login, make_series: SeriesFactory, make_case: CaseFactory
) -> None:
    series = make_series(first_date=timezone.localdate())
    case = make_case(team=("vagledare1",))
    client = login("vagledare1")
    url = reverse("case-groups", args=[case.pk])
    response = client.post(url, {"series": str(series.pk), "preferred_run": "morning"})
    assert response.status_code == 302
    enrolment = GroupEnrolment.objects.get(case=case)
    assert enrolment.status == GroupEnrolment.Status.INVITED
    response = client.post(
        reverse("group-enrolment-status", args=[series.pk, enrolment.pk]),
        {"status": "accepted", "case_id": str(case.pk)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert "informationsmötet" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == GroupEnrolment.Status.INVITED
    page = client.get(url).content.decode()
    assert series.title in page


@pytest.mark.parametrize("username", ["annan", "af"])
def test_case_groups_page_is_404_for_those_who_cannot_see_the_case(
    login: Login, make_case: CaseFactory, username: str
) -> None:
    case = make_case(team=("vagledare1",))
    assert login(username).get(reverse("case-groups", args=[case.pk])).status_code == 404


def test_series_page_queries_do_not_grow_with_participants(
    login: Login, make_series: SeriesFactory, enrol: EnrolFactory
) -> None:
    series = make_series()
    enrol(series)
    client = login("socsek")
    url = reverse("group-series", args=[series.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    enrol(series)
    enrol(series, status="invited")
    assert count() == few
