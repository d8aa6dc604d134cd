"""List pages and list endpoints cost the same number of queries for 2 rows as for 12."""

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import CaseFactory
from sia.accounts.models import Organisation, Unit, User
from sia.assessments import services as assessment_services
from sia.assessments.models import Barrier, Enrolment, ProgressStep
from sia.audit.models import Channel
from sia.cases.models import Case, TeamFunction
from sia.collaboration import services as meeting_services
from sia.collaboration.models import Meeting, MeetingParty
from sia.consent import services as consent_services
from sia.consent.models import Consent, DataKind
from sia.consent.tests.test_consent import give_consent
from sia.decisions import services as decision_services
from sia.decisions.models import FollowUpMeeting, ProviderLogEntry, SupportDecision
from sia.demo.staff import MUNICIPALITY
from sia.establishment.models import ProgrammeStatus
from sia.establishment.tests.conftest import days_ago
from sia.groups import services as group_services
from sia.meetings import alignment as alignment_services
from sia.meetings import first_visit as first_visit_services
from sia.meetings import guidance as guidance_services
from sia.meetings.alignment import AlignmentInput, ReferralInput
from sia.meetings.guidance import GuidanceBooking
from sia.meetings.models import GuideCall
from sia.plans import services as plan_services
from sia.plans.services import ActivityInput
from sia.process.models import Catalogue, CatalogueItem
from sia.settlement import services as settlement_services
from sia.teamwork import services as team_services
from sia.teamwork.models import TeamTask

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
        case_id=case.pk,
        plan_id=plan.pk,
        agreed_by=staff["socsek"],
        channel=WEB,
        expected_version=plan.lock_version,
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


# Issue 4's heaviest pages: the same number of queries for 2 rows as for 6.


@dataclass
class Page:
    """A case and the record whose page is measured (its ids format the url)."""

    case: Case
    staff: dict[str, User]
    make_case: CaseFactory
    ids: dict[str, Any] = field(default_factory=dict)


def plan_meeting(page: Page) -> None:
    """A SIP about the case, planned by the guide on its team."""
    meeting = meeting_services.create_meeting(
        actor=page.staff["vagledare1"],
        kind=Meeting.Kind.SIP,
        case_id=page.case.pk,
        data=meeting_services.MeetingInput(
            title="SIP om arbete och hälsa",
            starts_at=today_at(10, days=7),
            purpose="Samordna insatser",
            life_areas=["work", "mental_health"],
            person_wants_sip=True,
        ),
        channel=WEB,
    )
    page.ids["meeting"] = meeting.pk


def add_meeting_party(page: Page, n: int) -> None:
    """One more party: in turn a member of staff (a partner's joins the case team) and a
    party from outside SIA, from one of the partner organisations in turn."""
    partners = Organisation.objects.exclude(kind=Organisation.Kind.MUNICIPALITY).order_by("name")
    staff_parties = ["ug", "fk", "integration"]
    if n % 2:
        meeting_services.add_party(
            actor=page.staff["vagledare1"],
            meeting_id=page.ids["meeting"],
            kind=MeetingParty.Kind.STAFF,
            user_id=page.staff[staff_parties[n // 2]].pk,
            channel=WEB,
        )
        return
    meeting_services.add_party(
        actor=page.staff["vagledare1"],
        meeting_id=page.ids["meeting"],
        kind=MeetingParty.Kind.EXTERNAL,
        name=f"Part {n}",
        organisation_id=partners[n % partners.count()].pk,
        function=f"Funktion {n}",
        channel=WEB,
    )


def add_team_task(page: Page, n: int) -> None:
    """One more task of the shared action plan, owned by one organisation in turn."""
    owners = [("vagledare1", MUNICIPALITY), (None, "Arbetsförmedlingen")]
    username, organisation = owners[n % len(owners)]
    team_services.create_task(
        actor=page.staff["vagledare1"],
        case=page.case,
        title=f"Uppgift {n}",
        owner_organisation=Organisation.objects.get(name=organisation),
        owner=page.staff[username] if username else None,
        due_on=timezone.localdate() + dt.timedelta(days=n),
        source=TeamTask.Source.TEAM,
        channel=WEB,
    )


def ask_consultation(page: Page, n: int) -> None:
    """One more consultation the guide asks, about the case or anonymous, some answered."""
    consultation = team_services.ask_consultation(
        actor=page.staff["vagledare1"],
        case_id=page.case.pk if n % 2 else None,
        specialist_function=TeamFunction.PSYCHOLOGIST,
        question=f"Fråga {n}: hur stöttar vi sömnen?",
        channel=WEB,
    )
    if consultation.case_id is None and n % 4 == 0:  # anonymous: any psychologist answers
        team_services.answer_consultation(
            actor=page.staff["psykolog"],
            consultation_id=consultation.pk,
            answer=f"Svar {n}",
            channel=WEB,
        )


def create_group_series(page: Page, title: str = "Hälsoskola") -> None:
    """A series of the reception unit, run by socsek."""
    series = group_services.create_series(
        actor=page.staff["socsek"],
        data=group_services.SeriesInput(
            title=title,
            unit_id=page.case.owning_unit_id,
            first_date=timezone.localdate() + dt.timedelta(days=7),
            place="Medborgarhuset",
            sessions=4,
        ),
        channel=WEB,
    )
    page.ids["series"] = series.pk


def add_participant(page: Page, n: int) -> None:
    """One more case invited by its guide; every other one also accepted."""
    case = page.make_case(team=("vagledare1",))
    guide = page.staff["vagledare1"]
    enrolment = group_services.invite(
        actor=guide, series_id=page.ids["series"], case_id=case.pk, channel=WEB
    )
    for step in ("informed", "accepted")[: 2 * (n % 2)]:
        group_services.change_enrolment(
            actor=guide,
            series_id=page.ids["series"],
            enrolment_id=enrolment.pk,
            status=step,
            channel=WEB,
        )


def add_assessment_rows(page: Page, n: int) -> None:
    """One more row of every part of the overview: a talk record (a correction after the
    first), a postponed topic, a barrier, a progress step, an enrolment (discharged so the
    next can start) and an agreed version of the future and health plan."""
    guide, case_id, today = page.staff["vagledare1"], page.case.pk, timezone.localdate()
    assessment_services.record_talk(
        case_id=case_id,
        kind="talk_1",
        held_on=today,
        answers={},
        summary=f"Sammanfattning {n}",
        participants="",
        recorded_by=guide,
        channel=WEB,
    )
    assessment_services.postpone_topic(
        case_id=case_id, topic=f"Ämne {n}", remind_on=today, recorded_by=guide, channel=WEB
    )
    kinds = [Barrier.Kind.HOUSING, Barrier.Kind.FAMILY, Barrier.Kind.DEBT]
    assessment_services.record_barrier(
        case_id=case_id, kind=kinds[n % 3], noted_on=today, recorded_by=guide, channel=WEB
    )
    steps = [ProgressStep.Kind.SFI_STARTED, ProgressStep.Kind.SOCIAL_NETWORK]
    assessment_services.record_progress(
        case_id=case_id,
        category=ProgressStep.Category.PROGRESS,
        kind=steps[n % 2],
        occurred_on=today,
        recorded_by=guide,
        channel=WEB,
    )
    enrolment = assessment_services.enrol(
        case_id=case_id,
        programme=Enrolment.Programme.FIXED_TEAM,
        started_on=today,
        enrolled_by=guide,
        channel=WEB,
    )
    assessment_services.discharge(
        case_id=case_id,
        enrolment_id=enrolment.pk,
        discharged_on=today,
        reason=Enrolment.DischargeReason.GOAL_MET,
        discharged_by=guide,
        channel=WEB,
    )
    plan = assessment_services.save_future_plan(
        case_id=case_id,
        saved_by=guide,
        channel=WEB,
        goal=f"Mål {n}",
        health="Sover dåligt.",
        steps=[assessment_services.StepInput(step=f"Steg {n}", why="Personens val.")],
    )
    assessment_services.agree_future_plan(
        case_id=case_id,
        plan_id=plan.pk,
        agreed_by=guide,
        channel=WEB,
        expected_version=plan.lock_version,
    )


def add_consent(page: Page, n: int) -> None:
    """One more consent naming in turn a partner organisation or one of its units; every
    third withdrawn."""
    partners = Organisation.objects.exclude(kind=Organisation.Kind.MUNICIPALITY).order_by("name")
    partner = partners[n % partners.count()]
    named_unit = n % 2 == 0
    consent = consent_services.record_consent(
        actor=page.staff["socsek"],
        person_id=page.case.person_id,
        case_id=page.case.pk,
        kind=Consent.Kind.GENERAL,
        given_by=Consent.GivenBy.PERSON,
        given_by_name="",
        recipient_organisation_ids=[] if named_unit else [partner.pk],
        recipient_unit_ids=[partner.units.values_list("pk", flat=True)[0]] if named_unit else [],
        data_kinds=[DataKind.CASE, DataKind.PLANS],
        purpose=f"Syfte {n}",
        form=Consent.Form.WRITTEN,
        given_on=timezone.localdate(),
        valid_until=None,
        channel=WEB,
    )
    if n % 3 == 0:
        consent_services.withdraw_consent(
            actor=page.staff["socsek"],
            consent_id=consent.pk,
            withdrawn_on=timezone.localdate(),
            withdrawal_form=Consent.WithdrawalForm.WRITTEN,
            note="",
            channel=WEB,
        )


def add_case_meeting(page: Page, n: int) -> None:
    """One more meeting about the case: a SIP, then a network meeting, in turn."""
    kind = Meeting.Kind.SIP if n % 2 else Meeting.Kind.NETWORK
    meeting_services.create_meeting(
        actor=page.staff["vagledare1"],
        kind=kind,
        case_id=page.case.pk,
        data=meeting_services.MeetingInput(
            title=f"Möte {n}",
            starts_at=today_at(10, days=n),
            life_areas=["work"],
            person_wants_sip=True if kind == Meeting.Kind.SIP else None,
        ),
        channel=WEB,
    )


def add_group_series(page: Page, n: int) -> None:
    """One more series of the reception unit, with the case invited to every other one."""
    create_group_series(page, title=f"Hälsoskola {n}")
    if n % 2:
        group_services.invite(
            actor=page.staff["vagledare1"],
            series_id=page.ids["series"],
            case_id=page.case.pk,
            channel=WEB,
        )


def nothing_to_set_up(page: Page) -> None:
    """The page is the case's own."""


# (who, url template, what the rows hang on, one row more, what the page shows of the 6th)
ISSUE_4_PAGES: list[tuple[str, str, Callable[[Page], None], Callable[[Page, int], None], str]] = [
    # The 5th and 6th parties: Ines Integrationsson (staff) and "Part 6" (from outside SIA).
    ("vagledare1", "/moten/{meeting}/", plan_meeting, add_meeting_party, "Part 6"),
    (
        "vagledare1",
        "/api/v1/meetings/{meeting}/",
        plan_meeting,
        add_meeting_party,
        "Integrationsson",
    ),
    ("vagledare1", "/arenden/{case}/moten/", nothing_to_set_up, add_case_meeting, "Möte 6"),
    ("vagledare1", "/arenden/{case}/team/", nothing_to_set_up, add_team_task, "Uppgift 6"),
    ("vagledare1", "/konsultationer/", nothing_to_set_up, ask_consultation, "Fråga 6"),
    ("vagledare1", "/api/v1/consultations/", nothing_to_set_up, ask_consultation, "Fråga 6"),
    ("vagledare1", "/api/v1/cases/{case}/tasks/", nothing_to_set_up, add_team_task, "Uppgift 6"),
    # The page's case is Testsson1's; the participants are Testsson2 to Testsson7.
    ("socsek", "/grupper/{series}/", create_group_series, add_participant, "Testsson7"),
    (
        "socsek",
        "/api/v1/group-series/{series}/enrolments/",
        create_group_series,
        add_participant,
        "Testsson7",
    ),
    (
        "vagledare1",
        "/arenden/{case}/kartlaggning/",
        nothing_to_set_up,
        add_assessment_rows,
        "Ämne 6",
    ),
    ("socsek", "/personer/{person}/samtycken/", nothing_to_set_up, add_consent, "Återkallat"),
    ("vagledare1", "/grupper/", nothing_to_set_up, add_group_series, "Hälsoskola 6"),
    # The case is invited to the 1st, 3rd and 5th series.
    ("vagledare1", "/arenden/{case}/grupper/", nothing_to_set_up, add_group_series, "Hälsoskola 5"),
    ("socsek", "/api/v1/persons/{person}/consents/", nothing_to_set_up, add_consent, "Syfte 6"),
]


@pytest.mark.parametrize(("username", "template", "set_up", "add_row", "shows"), ISSUE_4_PAGES)
def test_collaboration_page_queries_do_not_grow_with_rows(
    make_case: CaseFactory,
    staff: dict[str, User],
    login: Callable[[str], Client],
    username: str,
    template: str,
    set_up: Callable[[Page], None],
    add_row: Callable[[Page, int], None],
    shows: str,
) -> None:
    page = Page(make_case(team=("vagledare1", "vagledare2")), staff, make_case)
    set_up(page)
    url = template.format(case=page.case.pk, person=page.case.person_id, **page.ids)
    numbers = itertools.count(1)
    client = login(username)
    for _ in range(2):
        add_row(page, next(numbers))
    client.get(url)  # warm per-session lookups such as permissions and the session row
    few = count_queries(client, url)
    for _ in range(4):
        add_row(page, next(numbers))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert shows in response.content.decode()
    assert len(queries) == few


# Issue 5's list pages and APIs: the same number of queries for 2 rows as for 6.
# A row adder returns a text the page shows for that row.
SupportRowAdder = Callable[[Page, int], str]


def decide(page: Page, case: Case | None = None) -> SupportDecision:
    """A granted decision on the case ordering Bosättningsenheten, made by integration."""
    case = case or page.case
    return decision_services.make_decision(
        actor=page.staff["integration"],
        case_id=case.pk,
        applied_for="Socialt och praktiskt stöd",
        applied_on=timezone.localdate(),
        outcome=SupportDecision.Outcome.GRANTED,
        decided_support="Stöd av bosättningsenheten",
        legal_basis=SupportDecision.LegalBasis.SOL_4_1,
        reasons="Behov av stöd i vardagen",
        provider_id=Unit.objects.get(name="Bosättningsenheten").pk,
        valid_from=timezone.localdate(),
        valid_until=None,
        appeal_notice="",
        channel=WEB,
    )


def decide_with_plan(page: Page) -> None:
    decision = decide(page)
    decision_services.make_plan(
        actor=page.staff["integration"],
        decision_id=decision.pk,
        time_plan="Cirka sex månader",
        expected_end_on=None,
        items=["Bank"],
        channel=WEB,
    )
    page.ids["decision"] = decision.pk


def add_support_work(page: Page, n: int) -> str:
    """A checklist item, a provider's log entry and a follow-up of the page's decision."""
    decision_id = page.ids["decision"]
    decision_services.add_plan_item(
        actor=page.staff["integration"], decision_id=decision_id, label=f"Punkt {n}", channel=WEB
    )
    decision_services.log_work(
        actor=page.staff["bosattning"],
        decision_id=decision_id,
        performed_on=timezone.localdate(),
        minutes=10 + n,
        category=ProviderLogEntry.Category.values[n % len(ProviderLogEntry.Category.values)],
        note=f"Logg {n}",
        channel=WEB,
    )
    decision_services.record_follow_up(
        actor=page.staff["bosattning" if n % 2 else "integration"],
        decision_id=decision_id,
        held_on=timezone.localdate(),
        participants=f"Deltagare {n}",
        notes=f"Uppföljning {n}",
        next_follow_up_on=timezone.localdate() + dt.timedelta(days=7),
        channel=WEB,
    )
    return f"Logg {n}"


def add_decision(page: Page, n: int) -> str:
    """One more decision on the page's case, every other one a correction."""
    previous = SupportDecision.objects.filter(case=page.case, superseded_by__isnull=True).first()
    decision = decision_services.make_decision(
        actor=page.staff["integration"],
        case_id=page.case.pk,
        applied_for=f"Ansökan {n}",
        applied_on=timezone.localdate(),
        outcome=SupportDecision.Outcome.GRANTED,
        decided_support="Stöd av bosättningsenheten",
        legal_basis=SupportDecision.LegalBasis.SOL_4_1,
        reasons="Behov av stöd i vardagen",
        provider_id=Unit.objects.get(name="Bosättningsenheten").pk,
        valid_from=timezone.localdate(),
        valid_until=None,
        appeal_notice="",
        channel=WEB,
        supersedes_id=previous.pk if previous is not None and n % 2 else None,
    )
    return str(decision.pk)


def add_ordered_case(page: Page, n: int) -> str:
    """One more case whose decision orders Bosättningsenheten, some with logged work."""
    case = page.make_case(team=("integration",))
    decision = decide(page, case)
    if n % 2:
        decision_services.log_work(
            actor=page.staff["bosattning"],
            decision_id=decision.pk,
            performed_on=timezone.localdate(),
            minutes=30,
            category=ProviderLogEntry.Category.values[0],
            note="",
            channel=WEB,
        )
    return reverse("decision-detail", args=[case.pk, decision.pk])


def add_household(page: Page, n: int) -> str:
    """One more ordered household with its housing checklist started."""
    case = page.make_case(team=("integration",))
    decide(page, case)
    settlement_services.start_checklist(actor=page.staff["socsek"], case_id=case.pk, channel=WEB)
    return reverse("case-housing", args=[case.pk])


def order_settlement(page: Page) -> None:
    decide(page)


def add_housing_task(page: Page, n: int) -> str:
    """One more item on the housing checklist, added to the household's tasks."""
    catalogue = Catalogue.objects.get(key="housing-tasks", kind=Catalogue.Kind.HOUSING)
    CatalogueItem.objects.create(
        catalogue=catalogue, key=f"bostad-{n}", label=f"Bostadsuppgift {n}", order=100 + n
    )
    settlement_services.start_checklist(
        actor=page.staff["socsek"], case_id=page.case.pk, channel=WEB
    )
    return f"Bostadsuppgift {n}"


def add_programme_case(page: Page, n: int) -> str:
    """One more person in the programme, started SFI or not in turn."""
    case = page.make_case(team=("vagledare1",))
    ProgrammeStatus.objects.create(
        case=case,
        updated_by=page.staff["vagledare1"],
        af_registered_on=days_ago(90),
        programme_started_on=days_ago(80),
        action_plan_on=days_ago(70),
        sfi_started_on=days_ago(20) if n % 2 else None,
        education_duty=True,
    )
    return "Personer i etableringsprogrammet"


def add_alerts_and_follow_up(page: Page, n: int) -> str:
    """One more of vagledare1's cases with a programme alert and a follow-up due today."""
    case = page.make_case(team=("vagledare1", "integration"))
    ProgrammeStatus.objects.create(
        case=case,
        updated_by=page.staff["vagledare1"],
        programme_started_on=days_ago(80),
        action_plan_on=days_ago(70 + n),
    )
    decision = decide(page, case)
    follow_up = decision_services.record_follow_up(
        actor=page.staff["integration"],
        decision_id=decision.pk,
        held_on=timezone.localdate(),
        participants="Ines, Bo",
        notes="Går bra",
        next_follow_up_on=timezone.localdate() + dt.timedelta(days=7),
        channel=WEB,
    )
    FollowUpMeeting.objects.filter(pk=follow_up.pk).update(next_follow_up_on=timezone.localdate())
    return reverse("case-programme", args=[case.pk])


def add_due_follow_up(page: Page, n: int) -> str:
    add_alerts_and_follow_up(page, n)
    follow_up = FollowUpMeeting.objects.latest("created_at")
    return reverse("decision-detail", args=[follow_up.decision.case_id, follow_up.decision_id])


def add_alerts_for_api(page: Page, n: int) -> str:
    add_alerts_and_follow_up(page, n)
    return str(FollowUpMeeting.objects.latest("created_at").decision.case_id)


def add_partner_alerts(page: Page, n: int) -> str:
    """One more case with af on its team, a consent sharing plans and a programme alert."""
    case = page.make_case(team=("af",))
    give_consent(page.staff, case, kinds=(DataKind.PLANS,))
    ProgrammeStatus.objects.create(
        case=case,
        updated_by=page.staff["vagledare1"],
        programme_started_on=days_ago(80),
        action_plan_on=days_ago(70 + n),
    )
    return reverse("case-programme", args=[case.pk])


ISSUE_5_PAGES = [
    (
        "integration",
        "/arenden/{case}/beslut/{decision}/",
        decide_with_plan,
        add_support_work,
    ),
    (
        "bosattning",
        "/arenden/{case}/beslut/{decision}/",
        decide_with_plan,
        add_support_work,
    ),
    ("integration", "/arenden/{case}/beslut/", nothing_to_set_up, add_decision),
    ("integration", "/api/v1/cases/{case}/decisions/", nothing_to_set_up, add_decision),
    ("bosattning", "/api/v1/cases/{case}/decisions/", nothing_to_set_up, add_decision),
    (
        "integration",
        "/api/v1/cases/{case}/decisions/{decision}/log/",
        decide_with_plan,
        add_support_work,
    ),
    ("bosattning", "/utforare/", nothing_to_set_up, add_ordered_case),
    ("bosattning", "/bosattning/", nothing_to_set_up, add_household),
    ("bosattning", "/arenden/{case}/bostad/", order_settlement, add_housing_task),
    ("socsek", "/arenden/{case}/bostad/", nothing_to_set_up, add_housing_task),
    ("bosattning", "/api/v1/cases/{case}/housing-tasks/", order_settlement, add_housing_task),
    ("chef", "/etablering/rapport/", nothing_to_set_up, add_programme_case),
    ("vagledare1", "/mitt-arbete/", nothing_to_set_up, add_alerts_and_follow_up),
    ("integration", "/mitt-arbete/", nothing_to_set_up, add_due_follow_up),
    ("af", "/mitt-arbete/", nothing_to_set_up, add_partner_alerts),
    ("vagledare1", "/api/v1/my-work/", nothing_to_set_up, add_alerts_for_api),
]


@pytest.mark.parametrize(("username", "template", "set_up", "add_row"), ISSUE_5_PAGES)
def test_support_page_queries_do_not_grow_with_rows(
    make_case: CaseFactory,
    staff: dict[str, User],
    login: Callable[[str], Client],
    username: str,
    template: str,
    set_up: Callable[[Page], None],
    add_row: SupportRowAdder,
) -> None:
    page = Page(make_case(team=("integration",)), staff, make_case)
    set_up(page)
    url = template.format(case=page.case.pk, **page.ids)
    numbers = itertools.count(1)
    client = login(username)
    for _ in range(2):
        add_row(page, next(numbers))
    client.get(url)  # warm per-session lookups such as permissions and the session row
    few = count_queries(client, url)
    for _ in range(4):
        shows = add_row(page, next(numbers))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert shows in response.content.decode()
    assert len(queries) == few


def test_partner_alerts_read_once_still_need_a_plans_consent(
    make_case: CaseFactory, staff: dict[str, User], login: Callable[[str], Client]
) -> None:
    """The consents read once for "Mitt arbete" still hide a case shared without plans."""
    page = Page(make_case(team=("af",)), staff, make_case)
    shown = add_partner_alerts(page, 1)
    hidden = make_case(team=("af",))
    give_consent(staff, hidden, kinds=(DataKind.CASE,))
    ProgrammeStatus.objects.create(
        case=hidden, updated_by=staff["vagledare1"], action_plan_on=days_ago(70)
    )
    html = login("af").get("/mitt-arbete/").content.decode()
    assert shown in html
    assert reverse("case-programme", args=[hidden.pk]) not in html
