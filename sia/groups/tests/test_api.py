"""Group API: the same services and rules as the pages."""

import datetime as dt
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import Unit
from sia.groups.models import Attendance, GroupSeries
from sia.groups.tests.conftest import EnrolFactory, SeriesFactory
from sia.teamwork.models import TeamTask

ApiAs = Callable[[str], APIClient]


def test_api_round_trip(api_as: ApiAs, reception: Unit, make_case: CaseFactory) -> None:
    socsek, guide = api_as("socsek"), api_as("vagledare1")
    first = timezone.localdate() - dt.timedelta(weeks=1)
    response = socsek.post(
        reverse("api-group-series-list"),
        {
            "preset": "kartlaggning",
            "unit": str(reception.pk),
            "first_date": first.isoformat(),
            "place": "Arbetsförmedlingen",
            "capacity": 2,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    series_id = response.json()["id"]
    sessions = response.json()["sessions"]
    assert [s["number"] for s in sessions] == [1, 2, 3, 4]
    assert sessions[0]["topic"] == "Soft skills"
    assert response.json()["places_left"] == 2
    listed = socsek.get(reverse("api-group-series-list")).json()
    assert [s["id"] for s in listed] == [series_id]

    session_url = reverse("api-group-session-detail", args=[series_id, sessions[0]["id"]])
    response = socsek.patch(
        session_url, {"afternoon_starts": "10:00", "afternoon_ends": "12:00"}, format="json"
    )
    assert response.status_code == 400
    response = socsek.patch(session_url, {"place": "SFI Centrum"}, format="json")
    assert response.json()["place"] == "SFI Centrum"

    case = make_case(team=("vagledare1",))
    enrolments_url = reverse("api-group-enrolment-list", args=[series_id])
    response = guide.post(enrolments_url, {"case": str(case.pk)}, format="json")
    assert response.status_code == 201
    enrolment_url = reverse("api-group-enrolment-detail", args=[series_id, response.json()["id"]])
    assert guide.patch(enrolment_url, {"status": "accepted"}, format="json").status_code == 409
    assert guide.patch(enrolment_url, {"status": "informed"}, format="json").status_code == 200
    assert guide.patch(enrolment_url, {"status": "accepted"}, format="json").status_code == 200
    participants = socsek.get(enrolments_url).json()
    assert participants["hidden_count"] == 0
    assert participants["participants"][0]["family_name"] == case.person.family_name

    attendance_url = reverse("api-group-attendance", args=[series_id, sessions[0]["id"]])
    row = {
        "enrolment": participants["participants"][0]["id"],
        "present": True,
        "run": "morning",
        "wants_follow_up": True,
    }
    response = socsek.post(attendance_url, {"rows": [row]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()[0]["follow_up_task"] == str(TeamTask.objects.get().pk)
    assert socsek.get(attendance_url).json()[0]["run"] == "morning"
    evaluation_url = reverse("api-group-evaluation", args=[series_id, sessions[0]["id"]])
    response = socsek.post(evaluation_url, {"note": "Bra start."}, format="json")
    assert response.json()["evaluation_note"] == "Bra start."
    detail = socsek.get(reverse("api-group-series-detail", args=[series_id])).json()
    assert detail["places_left"] == 1


def test_api_refuses_attendance_for_a_future_session_and_hides_from_outsiders(
    api_as: ApiAs, make_series: SeriesFactory, enrol: EnrolFactory
) -> None:
    series = make_series(first_date=timezone.localdate() + dt.timedelta(days=7))
    enrolment = enrol(series)
    session = series.sessions.get(number=1)
    url = reverse("api-group-attendance", args=[series.pk, session.pk])
    row = {"enrolment": str(enrolment.pk), "present": True, "run": "morning"}
    assert api_as("socsek").post(url, {"rows": [row]}, format="json").status_code == 409
    assert not Attendance.objects.exists()
    assert api_as("annan").get(url).status_code == 404
    enrolments = reverse("api-group-enrolment-list", args=[series.pk])
    assert api_as("analytiker").get(enrolments).status_code == 404
    assert api_as("annan").get(enrolments).status_code == 404
    assert GroupSeries.objects.count() == 1
