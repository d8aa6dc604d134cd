"""Every dashboard answers with the same number of queries whatever the number of cases:
the figures are grouped counts in the database, never a query per case or per row."""

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import Unit, User
from sia.assessments.models import Barrier, Enrolment, ProgressStep
from sia.cases.models import Case
from sia.establishment.models import CaseOutcome, ConcernReport, ProgrammeStatus
from sia.followup.dashboards import DASHBOARDS
from sia.groups.models import Attendance, GroupEnrolment, GroupSeries, GroupSession
from sia.process.models import CaseStep


def add_rich_case(
    number: int,
    make_case: CaseFactory,
    make_person: PersonFactory,
    staff: dict[str, User],
    session: GroupSession,
) -> None:
    """A case with something for every dashboard: done and open steps, outcome dates,
    a report of concern, progress, a barrier, an enrolment and group attendance."""
    today = timezone.localdate()
    by = staff["socsek"]
    first = today - dt.timedelta(days=30 * number + 20)
    case = make_case(
        make_person(gender=("female", "male")[number % 2], arrival_category="quota_refugee")
    )
    Case.objects.filter(pk=case.pk).update(first_contact_date=first)
    steps = list(CaseStep.objects.filter(case=case).order_by("order"))
    CaseStep.objects.filter(pk=steps[0].pk).update(
        status=CaseStep.Status.DONE,
        due_date=first + dt.timedelta(days=5),
        completed_on=first + dt.timedelta(days=number),
        completed_at=timezone.now(),
        completed_by=by,
    )
    CaseStep.objects.filter(pk=steps[1].pk).update(
        status=CaseStep.Status.OPEN, opened_on=first, due_date=today - dt.timedelta(days=1)
    )
    CaseOutcome.objects.create(
        case=case,
        baseline_on=first,
        baseline_self_sufficient=False,
        baseline_own_lease=False,
        baseline_concern_reports=number % 2,
        self_sufficient_on=first + dt.timedelta(days=10 * number),
        own_lease_on=None,
        updated_by=by,
    )
    ConcernReport.objects.create(
        case=case, received_on=first + dt.timedelta(days=3), recorded_by=by
    )
    ProgrammeStatus.objects.create(
        case=case,
        programme_started_on=first,
        civic_orientation_started_on=first,
        updated_by=by,
    )
    ProgressStep.objects.create(
        case=case, category="progress", kind="sfi_started", occurred_on=first, recorded_by=by
    )
    Barrier.objects.create(
        case=case,
        kind="housing",
        noted_on=first,
        resolved_on=first + dt.timedelta(days=9),
        recorded_by=by,
    )
    Enrolment.objects.create(
        case=case, programme="cross_agency_team", started_on=first, enrolled_by=by
    )
    place = GroupEnrolment.objects.create(
        series=session.series, case=case, status=GroupEnrolment.Status.ACCEPTED, changed_by=by
    )
    Attendance.objects.create(
        session=session, enrolment=place, run="morning", present=True, recorded_by=by
    )


@pytest.mark.parametrize("split", ["", "1"])
@pytest.mark.parametrize("username", ["chef", "analytiker"])
@pytest.mark.parametrize("slug", [kind.slug for kind in DASHBOARDS])
def test_dashboard_queries_do_not_grow_with_cases(
    slug: str,
    username: str,
    split: str,
    make_case: CaseFactory,
    make_person: PersonFactory,
    staff: dict[str, User],
    units: dict[str, Unit],
    login: Callable[[str], Client],
) -> None:
    today = timezone.localdate()
    series = GroupSeries.objects.create(
        title="Hälsoskola", unit=units["Mottagningsgruppen"], created_by=staff["socsek"]
    )
    session = GroupSession.objects.create(
        series=series, number=1, topic="Hälsa", held_on=today - dt.timedelta(days=7), place="Här"
    )
    numbers = itertools.count(1)
    url = f"/uppfoljning/{slug}/"
    query = {"fran": (today - dt.timedelta(days=800)).isoformat(), "per_kon": split}
    client = login(username)
    for _ in range(2):
        add_rich_case(next(numbers), make_case, make_person, staff, session)
    client.get(url, query)  # warm per-session lookups
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, query).status_code == 200
    for _ in range(6):
        add_rich_case(next(numbers), make_case, make_person, staff, session)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, query)
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
