"""Mitt arbete, the calendar and the unit overview: each user's work, and nobody else's."""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from time_machine import TimeMachineFixture

from conftest import CaseFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent
from sia.cases.models import Case
from sia.meetings.models import Alignment, GuidanceMeeting, GuideCall, MeetingMode

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM)


def book_meeting(case: Case, guide: User, starts_at: dt.datetime) -> GuidanceMeeting:
    return GuidanceMeeting.objects.create(
        case=case,
        guide=guide,
        starts_at=starts_at,
        mode=MeetingMode.ON_SITE,
        place="Medborgarkontoret",
        booked_by=guide,
    )


def put_on_standby(case: Case, author: User, guide: User, visit: dt.datetime) -> Alignment:
    return Alignment.objects.create(
        case=case,
        author=author,
        signed_at=timezone.now(),
        held_on=timezone.localdate(),
        first_visit_at=visit,
        standby_guide=guide,
    )


def test_my_work_shows_a_guide_the_due_steps_only_of_cases_she_is_on(
    make_case: CaseFactory, login: Callable[[str], Client]
) -> None:
    hers = make_case(team=("vagledare1",))
    other = make_case(team=("vagledare2",))
    page = get(login("vagledare1"), "/mitt-arbete/")
    assert hers.reference in page
    assert "Samhällsvägledningsmöte (SVA)" in page
    assert other.reference not in page
    # The guide's role is not responsible for the alignment.
    assert "<td>SIA-avstämning</td>" not in page


def test_my_work_shows_the_social_worker_her_steps_and_records_the_reads(
    make_case: CaseFactory, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    case = make_case(team=())
    page = get(login("socsek"), "/mitt-arbete/")
    assert "<td>SIA-avstämning</td>" in page
    assert "Samhällsvägledningsmöte (SVA)" not in page
    assert AuditEvent.objects.filter(
        actor=staff["socsek"], action=AuditAction.CASE_LISTED, case=case
    ).exists()


def test_my_work_shows_todays_meetings_standby_slots_and_open_calls(
    make_case: CaseFactory, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    case = make_case(team=("vagledare1",))
    today = timezone.localdate()
    book_meeting(case, staff["vagledare1"], at(today, 23))
    put_on_standby(case, staff["socsek"], staff["vagledare1"], at(today + dt.timedelta(days=3), 10))
    GuideCall.objects.create(case=case, guide=staff["vagledare1"], called_by=staff["socsek"])
    page = get(login("vagledare1"), "/mitt-arbete/")
    assert "23:00 Samhällsvägledningsmöte" in page
    assert "Medborgarkontoret" in page
    assert (today + dt.timedelta(days=3)).isoformat() + " 10:00" in page
    assert "Du är inkallad" in page
    assert "Sara Sekreterare kallade in dig" in page
    other = get(login("vagledare2"), "/mitt-arbete/")
    assert "Medborgarkontoret" not in other
    assert "Du är inkallad" not in other


def test_a_superseded_alignment_leaves_no_standby_slot(
    make_case: CaseFactory, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    case = make_case(team=("vagledare1", "vagledare2"))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    old = put_on_standby(case, staff["socsek"], staff["vagledare1"], at(tomorrow, 9))
    new = put_on_standby(case, staff["socsek"], staff["vagledare2"], at(tomorrow, 14))
    new.supersedes = old
    new.save(update_fields=["supersedes"])
    assert f"{tomorrow.isoformat()} 09:00" not in get(login("vagledare1"), "/mitt-arbete/")
    assert f"{tomorrow.isoformat()} 14:00" in get(login("vagledare2"), "/mitt-arbete/")


def test_the_manager_sees_the_allocation_queue_and_late_steps(
    make_case: CaseFactory, login: Callable[[str], Client], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(dt.datetime(2027, 3, 24, 9, tzinfo=STOCKHOLM), tick=False)
    case = make_case(team=())
    time_machine.move_to(dt.datetime(2027, 3, 31, 9, tzinfo=STOCKHOLM), tick=False)
    page = get(login("chef"), "/mitt-arbete/")
    queue = page[page.index("Väntar på fördelning") :]
    assert f"/arenden/{case.pk}/fordelning/" in queue
    late = page[page.index("Försenade steg i din enhet") :]
    assert case.reference in late
    assert "Försenad" in late
    assert "Väntar på fördelning" not in get(login("socsek"), "/mitt-arbete/")


def test_the_calendar_groups_two_weeks_of_meetings_and_standby_by_day(
    make_case: CaseFactory, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    case = make_case(team=("vagledare1",))
    today = timezone.localdate()
    book_meeting(case, staff["vagledare1"], at(today + dt.timedelta(days=2), 13))
    put_on_standby(case, staff["socsek"], staff["vagledare1"], at(today + dt.timedelta(days=5), 10))
    book_meeting(case, staff["vagledare1"], at(today + dt.timedelta(days=20), 13))
    page = get(login("vagledare1"), "/kalender/")
    assert page.count('<section aria-labelledby="day-') == 2
    assert "13:00 Samhällsvägledningsmöte" in page
    assert "10:00 Beredskap vid nybesök" in page
    assert "Inget inbokat" in get(login("vagledare2"), "/kalender/")


def test_the_unit_overview_counts_steps_stages_late_steps_and_workload(
    make_case: CaseFactory, login: Callable[[str], Client], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(dt.datetime(2027, 3, 24, 9, tzinfo=STOCKHOLM), tick=False)
    first = make_case(team=("vagledare1",))
    make_case(team=("vagledare1", "vagledare2"))
    time_machine.move_to(dt.datetime(2027, 3, 31, 9, tzinfo=STOCKHOLM), tick=False)
    page = get(login("chef"), "/enhetsoversikt/")
    steps = page[page.index("Öppna steg i öppna ärenden") : page.index("Öppna ärenden per skede")]
    assert "<td>Fördelning</td>" in steps
    assert '<td class="num">2</td>' in steps
    stages = page[page.index("Öppna ärenden per skede") : page.index("Försenade steg")]
    assert "Aktualiserad" in stages
    late = page[page.index("Försenade steg") : page.index("Arbetsbelastning")]
    assert first.reference in late
    assert "Testsson" not in late  # counts and references, no newcomer's name
    load = page[page.index("Arbetsbelastning") :]
    vera = load[load.index("Vera Vägledare") :]
    assert '<td class="num">2</td>' in vera[: vera.index("</tr>")]


@pytest.mark.parametrize("username", ["socsek", "vagledare1", "ug", "annan", "af", "analytiker"])
def test_the_unit_overview_is_for_deputy_managers_only(
    login: Callable[[str], Client], username: str
) -> None:
    assert login(username).get("/enhetsoversikt/").status_code == 404


def test_the_navigation_offers_my_work_calendar_and_the_overview_to_managers(
    login: Callable[[str], Client],
) -> None:
    chef = get(login("chef"), "/")
    assert 'href="/mitt-arbete/"' in chef
    assert 'href="/kalender/"' in chef
    assert 'href="/enhetsoversikt/"' in chef
    guide = get(login("vagledare1"), "/")
    assert 'href="/mitt-arbete/"' in guide
    assert 'href="/enhetsoversikt/"' not in guide
    assert 'href="/mitt-arbete/"' not in get(login("analytiker"), "/")


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("vagledare1", "/mitt-arbete/"),
        ("socsek", "/mitt-arbete/"),
        ("chef", "/mitt-arbete/"),
        ("vagledare1", "/kalender/"),
        ("chef", "/enhetsoversikt/"),
        ("vagledare1", "/api/v1/my-work/"),
        ("chef", "/api/v1/my-work/"),
    ],
)
def test_work_lists_cost_the_same_queries_for_2_rows_as_for_12(
    make_case: CaseFactory,
    login: Callable[[str], Client],
    staff: dict[str, User],
    username: str,
    url: str,
) -> None:
    client = login(username)
    day = timezone.localdate() + dt.timedelta(days=1)

    def add_cases(n: int) -> None:
        for _ in range(n):
            case = make_case(team=("vagledare1", "vagledare2"))
            book_meeting(case, staff["vagledare1"], at(day, 10))
            put_on_standby(case, staff["socsek"], staff["vagledare1"], at(day, 14))
            GuideCall.objects.create(
                case=case, guide=staff["vagledare1"], called_by=staff["socsek"]
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_cases(2)
    client.get(url)
    few = count()
    add_cases(10)
    assert count() == few
