"""Every page and API endpoint against every persona: allowed, or 404 as if nothing were there.

Given one case in the reception unit, opened by `socsek` with `vagledare1` on its
team, with a record of every step and of every kind issue 4 adds (consent, SIP, task,
assessment, future plan, group series), each persona either reaches a URL or gets exactly
what a missing record gives.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from uuid import UUID

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker

from conftest import PASSWORD
from sia.accounts.models import Organisation, Unit, User
from sia.assessments import services as assessment_services
from sia.audit.models import Channel
from sia.cases.models import Case, CaseTeamMember
from sia.cases.services import open_case
from sia.collaboration import services as meeting_services
from sia.collaboration.models import Meeting, MeetingParty
from sia.consent import services as consent_services
from sia.consent.models import Consent, DataKind
from sia.core.exceptions import NotFoundOrForbidden
from sia.decisions import services as decision_services
from sia.decisions.models import SupportDecision
from sia.demo.staff import MUNICIPALITY, create_staff
from sia.demo.synthetic import personal_number
from sia.establishment import services as establishment_services
from sia.groups import services as group_services
from sia.meetings import alignment as alignment_services
from sia.meetings import first_visit as first_visit_services
from sia.meetings import guidance as guidance_services
from sia.meetings.alignment import AlignmentInput, ReferralInput
from sia.meetings.guidance import GuidanceBooking
from sia.meetings.selectors_alignment import requestable_documents
from sia.people.services import IdentifierInput, PersonInput, register_person
from sia.plans import services as plan_services
from sia.plans.models import SiaPlan
from sia.settlement import services as settlement_services
from sia.teamwork import services as team_services
from sia.teamwork.models import TeamTask

PERSONAS = (
    "chef",
    "socsek",
    "vagledare1",
    "vagledare2",
    "ug",
    "integration",
    "bosattning",
    "af",
    "analytiker",
    "admin",
    "annan",
)
EVERYONE = frozenset(PERSONAS)
CASE_VIEWERS = frozenset({"chef", "socsek", "vagledare1"})
INTAKE = frozenset({"chef", "socsek", "ug", "integration", "annan"})
PERSON_EDITORS = frozenset({"chef", "socsek"})
MANAGERS = frozenset({"chef"})
STAFF = frozenset({"admin"})
# The deputy manager, or the reception social worker on the team (transfer, first-contact date).
SOCIAL_WORK_LEADS = frozenset({"chef", "socsek"})
# Everyone with a casework role in some unit (the analyst and the administrator have none).
CASEWORK = EVERYONE - {"analytiker", "admin"}
# Casework staff of the unit that runs the group series (the reception unit) run it.
SERIES_RUNNERS = frozenset({"chef", "socsek"})
# A support decision orders Bosättningsenheten to serve the case: its staff (`bosattning`)
# then reach the case page, the decisions (plan, log) and the housing checklist, nothing else.
ORDERED = CASE_VIEWERS | {"bosattning"}
# The group-level programme report: deputy managers and analysts (aggregates only).
REPORT_READERS = frozenset({"chef", "analytiker"})

# (url template, who gets 200; everyone else gets 404 unless `other` says otherwise)
MATRIX: list[tuple[str, frozenset[str], int]] = [
    ("/", EVERYONE, 404),
    ("/arenden/", EVERYONE, 404),
    # The provider ordered by the module's support decision reaches the case page (issue 5).
    ("/arenden/{case}/", ORDERED, 404),
    ("/arenden/ny/{person}/", PERSON_EDITORS, 404),
    ("/personer/sok/", INTAKE, 404),
    ("/personer/ny/", INTAKE, 404),
    ("/personer/{person}/", CASE_VIEWERS, 404),
    ("/personer/{person}/andra/", PERSON_EDITORS, 404),
    ("/logg/", MANAGERS, 404),
    # Log review (issue 7): samples, unusual access and the recorded checks, managers only.
    ("/logg/kontroll/", MANAGERS, 404),
    ("/logg/avvikelser/", MANAGERS, 404),
    ("/api/v1/audit/sample/", MANAGERS, 404),
    ("/api/v1/audit/unusual/", MANAGERS, 404),
    ("/api/v1/audit/reviews/", MANAGERS, 404),
    # Retention (issue 7): the dry run and the disposal log, managers and administrators.
    ("/gallring/", MANAGERS | STAFF, 404),
    ("/gallring/logg/", MANAGERS | STAFF, 404),
    ("/admin/", STAFF, 302),
    ("/api/docs/", EVERYONE, 404),
    ("/api/schema/", EVERYONE, 404),
    ("/api/v1/persons/", EVERYONE, 404),
    ("/api/v1/persons/{person}/", CASE_VIEWERS, 404),
    ("/api/v1/cases/", EVERYONE, 404),
    ("/api/v1/cases/{case}/", CASE_VIEWERS, 404),
    ("/api/v1/audit-events/", MANAGERS, 404),
    # The SIA step records: whoever sees the case sees its records, nobody else.
    ("/arenden/{case}/avstamning/", CASE_VIEWERS, 404),
    ("/arenden/{case}/handlingar/", CASE_VIEWERS, 404),
    ("/arenden/{case}/remisser/", CASE_VIEWERS, 404),
    ("/arenden/{case}/samhallsvagledning/", CASE_VIEWERS, 404),
    ("/arenden/{case}/nybesok/", CASE_VIEWERS, 404),
    ("/arenden/{case}/sia-plan/", CASE_VIEWERS, 404),
    ("/arenden/{case}/sia-plan/{plan}/utskrift/", CASE_VIEWERS, 404),
    ("/arenden/{case}/sia-plan/{plan}/pdf/", CASE_VIEWERS, 404),
    ("/anrop/", EVERYONE, 404),
    ("/api/v1/cases/{case}/alignments/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/documents/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/referrals/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/guidance-meetings/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/first-visits/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/plans/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/plans/{plan}/", CASE_VIEWERS, 404),
    ("/api/v1/guide-calls/", EVERYONE, 404),
    # Running the process: allocation is the deputy manager's, transfer and the
    # first-contact date also the reception social worker's on the team.
    ("/arenden/{case}/fordelning/", MANAGERS, 404),
    ("/arenden/{case}/overforing/", SOCIAL_WORK_LEADS, 404),
    ("/arenden/{case}/aktualiseringsdatum/", SOCIAL_WORK_LEADS, 404),
    ("/mitt-arbete/", EVERYONE, 404),
    ("/enhetsoversikt/", MANAGERS, 404),
    ("/kalender/", EVERYONE, 404),
    ("/api/v1/cases/{case}/timeline/", CASE_VIEWERS, 404),
    ("/api/v1/my-work/", EVERYONE, 404),
    ("/api/v1/catalogues/sia-documents/", EVERYONE, 404),
    # Consents are the municipality's record: its caseworkers who see the person.
    ("/personer/{person}/samtycken/", CASE_VIEWERS, 404),
    ("/personer/{person}/samtycken/{consent}/", CASE_VIEWERS, 404),
    ("/personer/{person}/samtycken/{consent}/utskrift/", CASE_VIEWERS, 404),
    ("/api/v1/persons/{person}/consents/", CASE_VIEWERS, 404),
    ("/api/v1/persons/{person}/consents/{consent}/", CASE_VIEWERS, 404),
    ("/api/v1/persons/{person}/disclosures/", CASE_VIEWERS, 404),
    # The case team, its shared action plan and consultations.
    ("/arenden/{case}/team/", CASE_VIEWERS, 404),
    ("/arenden/{case}/konsultationer/", CASE_VIEWERS, 404),
    ("/konsultationer/", CASEWORK, 404),
    ("/api/v1/cases/{case}/team-members/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/tasks/", CASE_VIEWERS, 404),
    # Lists only what the user asked or may answer: empty, never refused.
    ("/api/v1/consultations/", EVERYONE, 404),
    # Meetings across organisations: whoever sees the case (a party who does not, does not).
    ("/arenden/{case}/moten/", CASE_VIEWERS, 404),
    ("/moten/", CASEWORK, 404),
    ("/moten/{meeting}/", CASE_VIEWERS, 404),
    ("/moten/{meeting}/kalender.ics", CASE_VIEWERS, 404),
    ("/moten/{meeting}/kallelse/{party}/", CASE_VIEWERS, 404),
    ("/api/v1/meetings/", EVERYONE, 404),
    ("/api/v1/meetings/{meeting}/", CASE_VIEWERS, 404),
    # Assessments, the future and health plan and the follow-up of a case.
    ("/arenden/{case}/kartlaggning/", CASE_VIEWERS, 404),
    ("/arenden/{case}/kartlaggning/samtal/talk_1/", CASE_VIEWERS, 404),
    ("/arenden/{case}/framtidsplan/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/assessment-talks/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/future-plans/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/progress-steps/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/barriers/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/postponed-topics/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/enrolments/", CASE_VIEWERS, 404),
    # Group series hold no personal data and are open to casework staff; the participants
    # (names, attendance) only to those who run the series.
    ("/grupper/", CASEWORK, 404),
    ("/grupper/{series}/", CASEWORK, 404),
    ("/grupper/{series}/tillfallen/{session}/", SERIES_RUNNERS, 404),
    ("/arenden/{case}/grupper/", CASE_VIEWERS, 404),
    ("/api/v1/group-series/", CASEWORK, 404),
    ("/api/v1/group-series/{series}/", CASEWORK, 404),
    ("/api/v1/group-series/{series}/enrolments/", SERIES_RUNNERS, 404),
    ("/api/v1/group-series/{series}/sessions/{session}/attendance/", SERIES_RUNNERS, 404),
    # Support decisions: whoever sees the case, and the ordered provider (plan and log).
    ("/arenden/{case}/beslut/", ORDERED, 404),
    ("/arenden/{case}/beslut/{decision}/", ORDERED, 404),
    ("/arenden/{case}/beslut/{decision}/utskrift/", ORDERED, 404),
    ("/api/v1/cases/{case}/decisions/", ORDERED, 404),
    ("/api/v1/cases/{case}/decisions/{decision}/", ORDERED, 404),
    ("/api/v1/cases/{case}/decisions/{decision}/plan/", ORDERED, 404),
    ("/api/v1/cases/{case}/decisions/{decision}/log/", ORDERED, 404),
    ("/api/v1/cases/{case}/decisions/{decision}/follow-ups/", ORDERED, 404),
    # The provider's queue and the settlement worklist list only one's own orders: never
    # refused, empty for everyone but the ordered unit's staff (see the test below).
    ("/utforare/", EVERYONE, 404),
    ("/bosattning/", EVERYONE, 404),
    # The housing checklist: whoever sees the case, and the ordered settlement unit.
    ("/arenden/{case}/bostad/", ORDERED, 404),
    ("/api/v1/cases/{case}/housing-tasks/", ORDERED, 404),
    # The establishment programme and outcomes: whoever sees the case (not the provider).
    ("/arenden/{case}/etablering/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/programme/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/outcome/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/concern-reports/", CASE_VIEWERS, 404),
    ("/etablering/rapport/", REPORT_READERS, 404),
    ("/api/v1/reports/programme/", REPORT_READERS, 404),
    # Follow-up dashboards, their exports and the committee report (issue 6): the same
    # readers, aggregates only.
    ("/uppfoljning/", REPORT_READERS, 404),
    ("/uppfoljning/ledtider/", REPORT_READERS, 404),
    ("/uppfoljning/flode/", REPORT_READERS, 404),
    ("/uppfoljning/utfall/", REPORT_READERS, 404),
    ("/uppfoljning/stegforflyttningar/", REPORT_READERS, 404),
    ("/uppfoljning/utvardering/", REPORT_READERS, 404),
    ("/uppfoljning/flode/export.xlsx", REPORT_READERS, 404),
    ("/uppfoljning/flode/export.csv?tabell=inflode-utflode", REPORT_READERS, 404),
    ("/uppfoljning/rapport.pdf", REPORT_READERS, 404),
    ("/uppfoljning/finns-inte/", frozenset(), 404),
    ("/api/v1/followup/utfall/", REPORT_READERS, 404),
    ("/api/v1/followup/finns-inte/", frozenset(), 404),
    # Emergency access (issue 7): the request form only for the municipality's caseworkers who
    # do not see the case (never its provider, a partner, the analyst or the administrator);
    # the grant is POST only; the list of accesses to review is the deputy managers'.
    ("/arenden/{case}/nodatkomst/", frozenset({"vagledare2", "ug", "integration", "annan"}), 404),
    ("/api/v1/cases/{case}/emergency-access/", frozenset(), 405),
    ("/api/v1/emergency-access/", MANAGERS, 404),
    # The journal (issue 7): whoever sees the case reads it; a partner only with consent.
    ("/arenden/{case}/journal/", CASE_VIEWERS, 404),
    ("/api/v1/cases/{case}/journal/", CASE_VIEWERS, 404),
    # The register extract (issue 7): the deputy manager answering for the person only.
    ("/personer/{person}/registerutdrag/", MANAGERS, 404),
    ("/api/v1/persons/{person}/extract/", MANAGERS, 404),
    # Imports of existing cases (issue 7): the deputy manager, and a pending import its owner.
    ("/import/", MANAGERS, 404),
    ("/import/mall.csv", MANAGERS, 404),
    ("/import/mall.xlsx", MANAGERS, 404),
    ("/import/{pending_import}/", MANAGERS, 404),
]


def record_pending_import(staff: dict[str, User]) -> dict[str, UUID | str]:
    """A checked import file of the deputy manager's, waiting for confirmation."""
    from sia.core.uploads import check_upload
    from sia.imports.services import check_import
    from sia.imports.tests.files import as_csv, good_row

    result = check_import(user=staff["chef"], upload=check_upload(as_csv([good_row(7)])))
    assert result.pending is not None
    return {"pending_import": result.pending.pk}


# Every list a signed-in user may open whatever their role; none may show a case out of scope.
OWN_LISTS = [
    "/",
    "/arenden/",
    "/api/v1/cases/",
    "/api/v1/persons/",
    "/anrop/",
    "/mitt-arbete/",
    "/kalender/",
    "/api/v1/guide-calls/",
    "/api/v1/my-work/",
    "/api/v1/consultations/",
    "/api/v1/meetings/",
]
# Lists every casework user may open (others get 404); the same holds for them.
CASEWORK_LISTS = [
    "/konsultationer/",
    "/moten/",
    "/grupper/",
    "/grupper/{series}/",
    "/api/v1/group-series/",
    "/api/v1/group-series/{series}/",
]

# Bugs reported to the lead, (url template, "list <url>" or test, persona): each test turns
# green when fixed, and then fails as an unexpected pass until its line here is removed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def known_bug(request: pytest.FixtureRequest, what: str, username: str) -> None:
    """Expect the test to fail (strictly) while the bug on (what, username) is open."""
    reason = KNOWN_BUGS.get((what, username))
    if reason is not None:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))


# The placeholders of MATRIX: the module's case, its person and one record of each kind.
Ids = dict[str, UUID | str]


@pytest.fixture(scope="module")
def recorded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[tuple[dict[str, User], Case, Ids]]:
    """The personas, the case and its records, built once for the module: ~1,000 tests only
    read them.

    They live in a transaction that is rolled back after the module's last test, so
    nothing reaches another module or a reused database. Each test still runs in its own
    savepoint (through `db`), so a session or audit event one test leaves is gone for the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with translation.override(settings.LANGUAGE_CODE):
            staff = create_staff(password=PASSWORD)
            case = record_every_step(open_reception_case(staff), staff)
            ids = record_collaboration(case, staff) | record_support(case, staff)
            ids |= record_pending_import(staff)
        with django_db_blocker.block():  # tests reach the database through `db` only
            yield staff, case, ids
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def staff(recorded: tuple[dict[str, User], Case, Ids]) -> dict[str, User]:
    """The module's personas, so that the root conftest's `login` signs them in."""
    return recorded[0]


@pytest.fixture
def case(recorded: tuple[dict[str, User], Case, Ids], db: None) -> Case:
    """The module's case; `db` rolls back whatever the test itself writes."""
    return recorded[1]


@pytest.fixture
def ids(recorded: tuple[dict[str, User], Case, Ids], db: None) -> Ids:
    """The ids MATRIX's placeholders stand for."""
    return recorded[2]


def open_reception_case(staff: dict[str, User]) -> Case:
    """What the root conftest's `make_case(team=("vagledare1",))` builds, for a module fixture."""
    reception = Unit.objects.get(name="Mottagningsgruppen")
    birth = dt.date(1985, 4, 8)
    person = register_person(
        registered_by=staff["socsek"],
        unit_id=reception.pk,
        data=PersonInput(
            given_name="Testa1",
            family_name="Testsson1",
            date_of_birth=birth,
            gender="female",
            arrival_category="abo",
            residence_permit_date=timezone.localdate() - dt.timedelta(days=120),
        ),
        identifiers=[
            IdentifierInput(kind="personnummer", value=personal_number(birth, serial=981))
        ],
        confirmed_not_duplicate=True,
        channel=Channel.SYSTEM,
    )
    case = open_case(
        opened_by=staff["socsek"],
        person_id=person.pk,
        unit_id=reception.pk,
        first_contact_date=timezone.localdate(),
        channel=Channel.SYSTEM,
    )
    guide = staff["vagledare1"]
    membership = guide.memberships.select_related("unit").get()
    CaseTeamMember.objects.create(
        case=case, user=guide, role=membership.role, unit=membership.unit, added_by=staff["chef"]
    )
    return case


def record_every_step(case: Case, staff: dict[str, User]) -> Case:
    """A record of every step so far, and the guide called in to the first visit."""
    socsek, guide, web = staff["socsek"], staff["vagledare1"], Channel.WEB
    now = timezone.now()
    alignment_services.record_alignment(
        case_id=case.pk,
        data=AlignmentInput(
            held_on=timezone.localdate(),
            document_item_ids=list(requestable_documents(case).values_list("pk", flat=True)[:3]),
            info_for_guide="Berätta om SFI.",
            first_visit_at=now + dt.timedelta(days=1),
            standby_guide_id=guide.pk,
            referrals=[ReferralInput(need="Stöd med boendet", to_unit_name="Bostadsbolaget")],
        ),
        recorded_by=socsek,
        channel=web,
    )
    guidance_services.book_guidance_meeting(
        case_id=case.pk,
        booking=GuidanceBooking(
            guide_id=guide.pk, starts_at=now + dt.timedelta(hours=2), place="Medborgarkontoret"
        ),
        booked_by=guide,
        channel=web,
    )
    first_visit_services.record_first_visit(
        case_id=case.pk,
        held_at=now,
        answers={"boende": "Bor i andrahand."},
        continuing_support_need=True,
        notes="",
        received_document_ids=[],
        recorded_by=socsek,
        channel=web,
    )
    first_visit_services.call_guide(case_id=case.pk, called_by=socsek, channel=web)
    plan_services.propose_plan(
        case_id=case.pk, proposed_by=socsek, channel=web, assessment="Behöver bostadsvägledning."
    )
    return case


def record_collaboration(case: Case, staff: dict[str, User]) -> Ids:
    """One record of each kind issue 4 adds, and the ids of all records MATRIX points at.

    A consent naming Försäkringskassan (nobody of the module's personas works there), a SIP
    planned by the guide with an outside party from the region, a task of
    the shared action plan, the first assessment talk, a draft future and health plan, and
    a group series of the reception unit with the case invited.
    """
    socsek, guide, web = staff["socsek"], staff["vagledare1"], Channel.WEB
    today = timezone.localdate()
    consent = consent_services.record_consent(
        actor=socsek,
        person_id=case.person_id,
        case_id=case.pk,
        kind=Consent.Kind.GENERAL,
        given_by=Consent.GivenBy.PERSON,
        given_by_name="",
        recipient_organisation_ids=[Organisation.objects.get(name="Försäkringskassan").pk],
        recipient_unit_ids=[],
        data_kinds=[DataKind.IDENTITY, DataKind.CASE],
        purpose="Samordna ersättningen under etableringen.",
        form=Consent.Form.WRITTEN,
        given_on=today,
        valid_until=None,
        channel=web,
    )
    meeting = meeting_services.create_meeting(
        actor=guide,
        kind=Meeting.Kind.SIP,
        case_id=case.pk,
        data=meeting_services.MeetingInput(
            title="SIP om arbete och hälsa",
            starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=7),
            purpose="Samordna insatser",
            life_areas=["work", "mental_health"],
            person_wants_sip=True,
            place="Stadshuset",
        ),
        channel=web,
    )
    party = meeting_services.add_party(
        actor=guide,
        meeting_id=meeting.pk,
        kind=MeetingParty.Kind.EXTERNAL,
        name="Rut Regionsson",
        organisation_id=Organisation.objects.get(name="Region Demoland").pk,
        channel=web,
    )
    team_services.create_task(
        actor=guide,
        case=case,
        title="Boka studiebesök på SFI",
        owner_organisation=Organisation.objects.get(name=MUNICIPALITY),
        owner=guide,
        source=TeamTask.Source.TEAM,
        channel=web,
    )
    assessment_services.record_talk(
        case_id=case.pk,
        kind="talk_1",
        held_on=today,
        answers={},
        summary="Berättade om sin situation i dag.",
        participants="",
        recorded_by=guide,
        channel=web,
    )
    assessment_services.save_future_plan(
        case_id=case.pk,
        saved_by=guide,
        channel=web,
        goal="Arbeta som undersköterska.",
        health="Sover dåligt.",
        steps=[assessment_services.StepInput(step="Börja SFI", why="Språket först.")],
    )
    series = group_services.create_series(
        actor=socsek,
        data=group_services.SeriesInput(
            title="Hälsoskola",
            unit_id=Unit.objects.get(name="Mottagningsgruppen").pk,
            first_date=today + dt.timedelta(days=7),
            place="Medborgarhuset",
            sessions=2,
        ),
        channel=web,
    )
    group_services.invite(actor=guide, series_id=series.pk, case_id=case.pk, channel=web)
    plan = SiaPlan.objects.filter(case=case).values_list("pk", flat=True).first()
    assert plan is not None
    return {
        "case": case.pk,
        "person": case.person_id,
        "plan": plan,
        "consent": consent.pk,
        "meeting": meeting.pk,
        "party": party.pk,
        "series": series.pk,
        "session": series.sessions.order_by("number").values_list("pk", flat=True)[0],
        "family_name": case.person.family_name,
    }


def record_support(case: Case, staff: dict[str, User]) -> Ids:
    """What issue 5 adds: a granted support decision ordering Bosättningsenheten (made by the
    deputy manager, who manages the case's unit), its plan with one checklist item, a
    provider's log entry by `bosattning`, the housing checklist, the programme status and
    the outcome baseline."""
    chef, web = staff["chef"], Channel.WEB
    today = timezone.localdate()
    decision = decision_services.make_decision(
        actor=chef,
        case_id=case.pk,
        applied_for="Stöd i vardagen efter bosättningen.",
        applied_on=today,
        outcome=SupportDecision.Outcome.GRANTED,
        decided_support="Praktiskt stöd i vardagen.",
        legal_basis=SupportDecision.LegalBasis.SOL_4_1,
        reasons="Behöver stöd med myndighetskontakter.",
        provider_id=Unit.objects.get(name="Bosättningsenheten").pk,
        valid_from=today,
        valid_until=None,
        appeal_notice="",
        channel=web,
    )
    plan = decision_services.make_plan(
        actor=chef,
        decision_id=decision.pk,
        time_plan="Tre månader.",
        expected_end_on=None,
        items=["Betala hyran själv"],
        channel=web,
    )
    decision_services.log_work(
        actor=staff["bosattning"],
        decision_id=decision.pk,
        performed_on=today,
        minutes=60,
        category="budget_advice",
        note="",
        channel=web,
    )
    tasks = settlement_services.start_checklist(actor=chef, case_id=case.pk, channel=web)
    establishment_services.save_programme(
        actor=chef,
        case_id=case.pk,
        data=establishment_services.ProgrammeInput(af_registered_on=today),
        channel=web,
    )
    establishment_services.record_baseline(
        actor=chef,
        case_id=case.pk,
        baseline_on=today,
        self_sufficient=False,
        own_lease=False,
        concern_reports_last_year=0,
        channel=web,
    )
    assert tasks
    return {"decision": decision.pk, "item": plan.items.get().pk, "task": tasks[0].pk}


def url_for(template: str, ids: Ids) -> str:
    return template.format(**ids)


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize(("template", "allowed", "other"), MATRIX)
def test_each_persona_reaches_only_what_is_theirs(
    ids: Ids,
    login: Callable[[str], Client],
    request: pytest.FixtureRequest,
    username: str,
    template: str,
    allowed: frozenset[str],
    other: int,
) -> None:
    known_bug(request, template, username)
    response = login(username).get(url_for(template, ids))
    assert response.status_code == (200 if username in allowed else other)


@pytest.mark.parametrize("username", sorted(EVERYONE - CASE_VIEWERS))
@pytest.mark.parametrize("url", OWN_LISTS + CASEWORK_LISTS)
def test_lists_never_show_a_case_outside_ones_scope(
    ids: Ids,
    login: Callable[[str], Client],
    request: pytest.FixtureRequest,
    username: str,
    url: str,
) -> None:
    known_bug(request, f"list {url}", username)
    response = login(username).get(url_for(url, ids))
    assert response.status_code == (200 if url in OWN_LISTS or username in CASEWORK else 404)
    body = response.content.decode()
    keys: tuple[str, ...] = ("family_name", "case", "person", "meeting", "party", "consent")
    if username == "bosattning" and url in PROVIDER_CASE_LISTS:
        keys = ("meeting", "party", "consent")  # the ordered case itself is theirs to see
    for key in keys:
        assert str(ids[key]) not in body, key


# Lists where the ordered provider (`bosattning`) sees the ordered case, as the case page.
PROVIDER_CASE_LISTS = frozenset({"/arenden/", "/api/v1/cases/"})


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize("url", ["/utforare/", "/bosattning/"])
def test_the_provider_lists_show_the_ordered_case_to_the_ordered_unit_only(
    ids: Ids, login: Callable[[str], Client], username: str, url: str
) -> None:
    body = login(username).get(url).content.decode()
    assert (str(ids["family_name"]) in body) == (username == "bosattning")


@pytest.mark.parametrize("username", sorted(CASE_VIEWERS))
def test_case_list_shows_the_case_to_those_who_may_see_it(
    case: Case, login: Callable[[str], Client], username: str
) -> None:
    assert case.person.family_name in login(username).get("/arenden/").content.decode()


@pytest.mark.parametrize(("template", "allowed", "other"), MATRIX)
def test_anonymous_visitors_are_sent_to_login_or_refused(
    ids: Ids, template: str, allowed: frozenset[str], other: int
) -> None:
    url = url_for(template, ids)
    response = Client().get(url)
    if url.startswith("/api/schema/") or url.startswith("/api/docs/"):
        assert response.status_code == 200
    elif url.startswith("/api/"):
        assert response.status_code in {401, 403}
    else:
        assert response.status_code == 302
        assert "/logga-in/" in response["Location"] or "/admin/login/" in response["Location"]


@pytest.mark.parametrize("username", PERSONAS)
def test_the_call_in_poll_answers_every_signed_in_persona_with_json(
    case: Case, login: Callable[[str], Client], username: str
) -> None:
    response = login(username).get("/anrop/")
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert len(body["calls"]) == (1 if username == "vagledare1" else 0)
    assert len(body["sent"]) == (1 if username == "socsek" else 0)
    assert case.person.family_name not in response.content.decode()


@pytest.mark.parametrize(
    ("username", "page"),
    [
        ("annan", ""),
        ("annan", "avstamning/"),
        ("annan", "nybesok/"),
        ("af", "sia-plan/"),
        ("vagledare1", "fordelning/"),
        ("vagledare1", "overforing/"),
        ("annan", "beslut/"),
        ("annan", "bostad/"),
        ("bosattning", "etablering/"),
    ],
)
def test_a_missing_case_and_a_forbidden_case_look_the_same(
    case: Case, login: Callable[[str], Client], username: str, page: str
) -> None:
    client = login(username)
    forbidden = client.get(f"/arenden/{case.pk}/{page}")
    missing = client.get(f"/arenden/{MISSING}/{page}")
    assert forbidden.status_code == missing.status_code == 404
    assert normalised(forbidden.content, case.pk) == normalised(missing.content, MISSING)


MISSING = "00000000-0000-4000-8000-000000000000"


def normalised(content: bytes, requested: object) -> bytes:
    """Drop the per-response CSRF token and the requested id (echoed in the language form)."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return content.replace(str(requested).encode(), b"<id>")


@pytest.mark.parametrize("username", sorted(EVERYONE - CASEWORK))
def test_only_casework_staff_plan_a_case_review(
    ids: Ids, staff: dict[str, User], request: pytest.FixtureRequest, username: str
) -> None:
    known_bug(request, "case review", username)
    with pytest.raises(NotFoundOrForbidden):
        meeting_services.create_meeting(
            actor=staff[username],
            kind=Meeting.Kind.CASE_REVIEW,
            case_id=None,
            data=meeting_services.MeetingInput(
                title="Ärendegenomgång",
                starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=1),
            ),
            channel=Channel.WEB,
        )
    assert not Meeting.objects.filter(kind=Meeting.Kind.CASE_REVIEW).exists()
