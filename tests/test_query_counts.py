"""List pages and list endpoints cost the same number of queries for 2 rows as for 12."""

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import CaseFactory
from sia.accounts.models import User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.meetings import alignment as alignment_services
from sia.meetings import first_visit as first_visit_services
from sia.meetings import guidance as guidance_services
from sia.meetings.alignment import AlignmentInput, ReferralInput
from sia.meetings.guidance import GuidanceBooking
from sia.meetings.models import GuideCall
from sia.plans import services as plan_services
from sia.plans.services import ActivityInput
from sia.process.models import Catalogue, CatalogueItem

WEB = Channel.WEB

LISTS = [
    ("socsek", "/"),
    ("chef", "/"),
    ("socsek", "/arenden/"),
    ("vagledare1", "/arenden/"),
    ("chef", "/arenden/?visa=alla"),
    ("socsek", "/api/v1/cases/"),
    ("vagledare1", "/api/v1/cases/"),
    ("chef", "/api/v1/cases/"),
    ("socsek", "/api/v1/persons/"),
    ("chef", "/logg/"),
    ("chef", "/api/v1/audit-events/"),
    ("vagledare1", "/anrop/"),
    ("socsek", "/anrop/"),
    ("vagledare1", "/api/v1/guide-calls/"),
    ("vagledare1", "/mitt-arbete/"),
    ("socsek", "/mitt-arbete/"),
    ("chef", "/mitt-arbete/"),
    ("vagledare1", "/api/v1/my-work/"),
    ("chef", "/api/v1/my-work/"),
    ("chef", "/enhetsoversikt/"),
    ("vagledare1", "/kalender/"),
]


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def today_at(hour: int, days: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def add_case(make_case: CaseFactory, staff: dict[str, User]) -> Callable[[], Case]:
    """Open a case with its alignment (vagledare1 on standby tomorrow), today's guidance
    meeting with vagledare1 and an open call-in of vagledare1 from socsek."""

    def add() -> Case:
        case = make_case(team=("vagledare1", "vagledare2"))
        socsek, guide = staff["socsek"], staff["vagledare1"]
        alignment_services.record_alignment(
            case_id=case.pk,
            data=AlignmentInput(
                held_on=timezone.localdate(),
                first_visit_at=today_at(10, days=1),
                standby_guide_id=guide.pk,
            ),
            recorded_by=socsek,
            channel=WEB,
        )
        guidance_services.book_guidance_meeting(
            case_id=case.pk,
            booking=GuidanceBooking(guide_id=guide.pk, starts_at=today_at(23)),
            booked_by=socsek,
            channel=WEB,
        )
        first_visit_services.call_guide(
            case_id=case.pk, called_by=socsek, channel=WEB, guide_id=guide.pk
        )
        return case

    return add


@pytest.mark.parametrize(("username", "url"), LISTS)
def test_list_queries_do_not_grow_with_rows(
    add_case: Callable[[], Case], login: Callable[[str], Client], username: str, url: str
) -> None:
    client = login(username)
    for _ in range(2):
        add_case()
    client.get(url)  # warm per-session lookups such as permissions and the session row
    few = count_queries(client, url)
    for _ in range(10):
        add_case()
    many = count_queries(client, url)
    assert many == few


# One row more of a case's records, the n-th: (case, staff, n) -> None
RowAdder = Callable[[Case, dict[str, User], int], None]


def add_alignment(case: Case, staff: dict[str, User], n: int) -> None:
    """A correction of the alignment, each with one more referral."""
    alignment_services.record_alignment(
        case_id=case.pk,
        data=AlignmentInput(
            held_on=timezone.localdate(),
            info_for_guide=f"Version {n}",
            first_visit_at=today_at(10, days=1),
            standby_guide_id=staff["vagledare1"].pk,
            referrals=[ReferralInput(need=f"Behov {n}", to_unit_name="Bostadsbolaget")],
        ),
        recorded_by=staff["socsek"],
        channel=WEB,
    )


def add_document(case: Case, staff: dict[str, User], n: int) -> None:
    """One more requested document, from a new catalogue item, so that the catalogue
    always has items left to add and the page shows the same forms for 2 rows as for 12."""
    item = CatalogueItem.objects.create(
        catalogue=Catalogue.objects.get(key="sia-documents"),
        key=f"extra-{case.pk.hex[:8]}-{n}",
        label=f"Extra handling {n}",
        order=100 + n,
    )
    alignment_services.add_document_request(
        case_id=case.pk,
        item_id=item.pk,
        on=timezone.localdate(),
        added_by=staff["socsek"],
        channel=WEB,
    )


def add_document_to_explain(case: Case, staff: dict[str, User], n: int) -> None:
    """One more requested document, shown with the booked guidance meeting's record form."""
    if n == 1:
        guidance_services.book_guidance_meeting(
            case_id=case.pk,
            booking=GuidanceBooking(guide_id=staff["vagledare1"].pk, starts_at=today_at(9)),
            booked_by=staff["vagledare1"],
            channel=WEB,
        )
    add_document(case, staff, n)


def add_referral(case: Case, staff: dict[str, User], n: int) -> None:
    alignment_services.create_referral(
        case_id=case.pk,
        referral=ReferralInput(need=f"Behov {n}", to_unit_name=f"Enhet {n}"),
        on=timezone.localdate(),
        created_by=staff["socsek"],
        channel=WEB,
    )


def add_guidance_meeting(case: Case, staff: dict[str, User], n: int) -> None:
    """A booked meeting that is then cancelled, so the next one can be booked."""
    meeting = guidance_services.book_guidance_meeting(
        case_id=case.pk,
        booking=GuidanceBooking(guide_id=staff["vagledare1"].pk, starts_at=today_at(9, days=n)),
        booked_by=staff["vagledare1"],
        channel=WEB,
    )
    guidance_services.cancel_guidance_meeting(
        case_id=case.pk, meeting_id=meeting.pk, cancelled_by=staff["vagledare1"], channel=WEB
    )


def add_first_visit(case: Case, staff: dict[str, User], n: int) -> None:
    """A first-visit record (a correction after the first) and an answered call-in."""
    first_visit_services.record_first_visit(
        case_id=case.pk,
        held_at=timezone.now(),
        answers={"boende": f"Svar {n}", "halsa": "God"},
        continuing_support_need=True,
        notes=f"Anteckning {n}",
        received_document_ids=[],
        recorded_by=staff["socsek"],
        channel=WEB,
    )
    call = first_visit_services.call_guide(
        case_id=case.pk, called_by=staff["socsek"], channel=WEB, guide_id=staff["vagledare1"].pk
    )
    first_visit_services.answer_guide_call(
        call_id=call.pk,
        answer=GuideCall.Answer.ON_MY_WAY,
        answered_by=staff["vagledare1"],
        channel=WEB,
    )


def add_plan_version(case: Case, staff: dict[str, User], n: int) -> None:
    """A proposed version with an activity, agreed, so the next version can be proposed."""
    plan = plan_services.propose_plan(
        case_id=case.pk,
        proposed_by=staff["socsek"],
        channel=WEB,
        assessment=f"Bedömning {n}",
        activities=[
            ActivityInput(title=f"Aktivitet {n}", responsible_user_id=staff["vagledare1"].pk)
        ],
    )
    plan_services.agree_plan(
        case_id=case.pk, plan_id=plan.pk, agreed_by=staff["socsek"], channel=WEB
    )


def add_history(case: Case, staff: dict[str, User], n: int) -> None:
    """Something more on the timeline: a referral and a changed document status."""
    add_referral(case, staff, n)
    add_document(case, staff, n)


CASE_LISTS: list[tuple[str, str, RowAdder]] = [
    ("socsek", "/arenden/{case}/avstamning/", add_alignment),
    ("vagledare1", "/api/v1/cases/{case}/alignments/", add_alignment),
    ("socsek", "/arenden/{case}/handlingar/", add_document),
    ("socsek", "/api/v1/cases/{case}/documents/", add_document),
    ("vagledare1", "/arenden/{case}/samhallsvagledning/", add_document_to_explain),
    ("socsek", "/arenden/{case}/remisser/", add_referral),
    ("socsek", "/api/v1/cases/{case}/referrals/", add_referral),
    ("vagledare1", "/arenden/{case}/samhallsvagledning/", add_guidance_meeting),
    ("vagledare1", "/api/v1/cases/{case}/guidance-meetings/", add_guidance_meeting),
    ("socsek", "/arenden/{case}/nybesok/", add_first_visit),
    ("socsek", "/api/v1/cases/{case}/first-visits/", add_first_visit),
    ("socsek", "/arenden/{case}/sia-plan/", add_plan_version),
    ("socsek", "/api/v1/cases/{case}/plans/", add_plan_version),
    ("socsek", "/arenden/{case}/", add_history),
    ("chef", "/arenden/{case}/", add_plan_version),
    ("socsek", "/api/v1/cases/{case}/timeline/", add_history),
]


@pytest.mark.parametrize(("username", "template", "add_row"), CASE_LISTS)
def test_case_record_queries_do_not_grow_with_rows(
    make_case: CaseFactory,
    staff: dict[str, User],
    login: Callable[[str], Client],
    username: str,
    template: str,
    add_row: RowAdder,
) -> None:
    case = make_case(team=("vagledare1", "vagledare2"))
    url = template.format(case=case.pk)
    numbers = itertools.count(1)
    client = login(username)
    for _ in range(2):
        add_row(case, staff, next(numbers))
    client.get(url)  # warm per-session lookups such as permissions and the session row
    few = count_queries(client, url)
    for _ in range(10):
        add_row(case, staff, next(numbers))
    many = count_queries(client, url)
    assert many == few
