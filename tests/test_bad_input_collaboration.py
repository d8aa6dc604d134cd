"""Bad input to issue 4's write endpoints gets a clear error and changes nothing.

House rule: "Bad input gets a clear, translated error and changes nothing: no partial
writes, no 500s." Every new write endpoint (pages and API) of consent, teamwork,
collaboration, assessments and groups is sent hostile input by a user who may write
there: empty bodies, wrong types, unknown UUIDs and UUIDs of another case's records,
invalid choices, far-past/far-future dates, over-long strings, bad numbers and (API)
malformed JSON. The answer is 400/404/409 (pages: a re-rendered form with errors or a
redirect carrying an error message) and no row of the new apps, of the case team or of
the audit log (reads aside) is written.
"""

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode
from uuid import uuid4

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import constants as message_level
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker
from rest_framework.test import APIClient

from conftest import PASSWORD
from sia.accounts.models import Organisation, Unit, User
from sia.assessments import services as assessment_services
from sia.audit.models import AuditEvent, Channel
from sia.cases.models import Case, CaseTeamMember, TeamFunction
from sia.cases.services import open_case
from sia.collaboration import services as meeting_services
from sia.collaboration.models import Meeting, MeetingParty
from sia.consent import services as consent_services
from sia.consent.models import Consent, DataKind
from sia.demo.staff import MUNICIPALITY, create_staff
from sia.demo.synthetic import personal_number
from sia.groups import services as group_services
from sia.people.services import IdentifierInput, PersonInput, register_person
from sia.teamwork import services as team_services
from sia.teamwork.models import TeamTask

LONG = "x" * 100_000
FAR_PAST = "0001-01-01"
FAR_FUTURE = "9999-12-31"
NEW_APPS = ("consent", "teamwork", "collaboration", "assessments", "groups")
Ids = dict[str, str]


# ---------------------------------------------------------------------------------------
# Data, built once for the module inside a transaction that is rolled back at its end.
# ---------------------------------------------------------------------------------------


def _case(staff: dict[str, User], n: int) -> Case:
    reception = Unit.objects.get(name="Mottagningsgruppen")
    birth = dt.date(1984, 3, 1) + dt.timedelta(days=400 * n)
    person = register_person(
        registered_by=staff["socsek"],
        unit_id=reception.pk,
        data=PersonInput(
            given_name=f"Fuzz{n}",
            family_name=f"Fuzzsson{n}",
            date_of_birth=birth,
            gender="female",
            arrival_category="abo",
            residence_permit_date=timezone.localdate() - dt.timedelta(days=120),
        ),
        identifiers=[
            IdentifierInput(kind="personnummer", value=personal_number(birth, serial=990 + n))
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


def _records(case: Case, staff: dict[str, User], prefix: str) -> Ids:
    """One record of each kind the write endpoints address, keyed `<prefix>_<kind>`."""
    socsek, guide, web = staff["socsek"], staff["vagledare1"], Channel.WEB
    today = timezone.localdate()
    municipality = Organisation.objects.get(name=MUNICIPALITY)
    consent = consent_services.record_consent(
        actor=socsek,
        person_id=case.person_id,
        case_id=case.pk,
        kind=Consent.Kind.GENERAL,
        given_by=Consent.GivenBy.PERSON,
        given_by_name="",
        recipient_organisation_ids=[Organisation.objects.get(name="Försäkringskassan").pk],
        recipient_unit_ids=[],
        data_kinds=[DataKind.IDENTITY, DataKind.CASE, DataKind.HEALTH],
        purpose="Samordna.",
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
            title="SIP",
            starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=7),
            purpose="Samordna insatser",
            life_areas=["work"],
            person_wants_sip=True,
            place="Stadshuset",
        ),
        channel=web,
    )
    party = meeting_services.add_party(
        actor=guide,
        meeting_id=meeting.pk,
        kind=MeetingParty.Kind.STAFF,
        user_id=staff["vagledare2"].pk,
        channel=web,
    )
    item = meeting_services.add_agenda_item(
        actor=guide, meeting_id=meeting.pk, topic="Arbete", channel=web
    )
    task = team_services.create_task(
        actor=guide,
        case=case,
        title="Boka studiebesök",
        owner_organisation=municipality,
        owner=guide,
        source=TeamTask.Source.TEAM,
        channel=web,
    )
    topic = assessment_services.postpone_topic(
        case_id=case.pk,
        topic="Familjen",
        remind_on=today + dt.timedelta(days=30),
        recorded_by=guide,
        channel=web,
    )
    barrier = assessment_services.record_barrier(
        case_id=case.pk, kind="housing", noted_on=today, recorded_by=guide, channel=web
    )
    enrolment = assessment_services.enrol(
        case_id=case.pk,
        programme="collaboration",
        started_on=today,
        enrolled_by=guide,
        channel=web,
    )
    plan = assessment_services.save_future_plan(
        case_id=case.pk,
        saved_by=guide,
        channel=web,
        goal="Arbeta.",
        health="",
        steps=[assessment_services.StepInput(step="SFI", why="Språket först.")],
    )
    return {
        f"{prefix}case": str(case.pk),
        f"{prefix}person": str(case.person_id),
        f"{prefix}consent": str(consent.pk),
        f"{prefix}meeting": str(meeting.pk),
        f"{prefix}party": str(party.pk),
        f"{prefix}item": str(item.pk),
        f"{prefix}task": str(task.pk),
        f"{prefix}topic": str(topic.pk),
        f"{prefix}barrier": str(barrier.pk),
        f"{prefix}enrolment": str(enrolment.pk),
        f"{prefix}plan": str(plan.pk),
    }


def _world(staff: dict[str, User]) -> Ids:
    case = _case(staff, 1)
    other = _case(staff, 2)
    ids = _records(case, staff, "")
    ids |= _records(other, staff, "b_")
    socsek, guide, web = staff["socsek"], staff["vagledare1"], Channel.WEB
    series = group_services.create_series(
        actor=socsek,
        data=group_services.SeriesInput(
            title="Hälsoskola",
            unit_id=Unit.objects.get(name="Mottagningsgruppen").pk,
            first_date=timezone.localdate() + dt.timedelta(days=7),
            place="Medborgarhuset",
            sessions=2,
        ),
        channel=web,
    )
    genrol = group_services.invite(actor=guide, series_id=series.pk, case_id=case.pk, channel=web)
    consultation = team_services.ask_consultation(
        actor=guide,
        case_id=case.pk,
        specialist_function=TeamFunction.COMMUNITY_GUIDE,
        specialist_id=guide.pk,
        question="Hur går vi vidare?",
        channel=web,
    )
    held = _held_records(case, staff)
    return (
        ids
        | held
        | {
            "series": str(series.pk),
            "session": str(series.sessions.order_by("number").values_list("pk", flat=True)[0]),
            "genrol": str(genrol.pk),
            "consultation": str(consultation.pk),
            "missing": str(uuid4()),
            "fk": str(Organisation.objects.get(name="Försäkringskassan").pk),
            "municipality": str(Organisation.objects.get(name=MUNICIPALITY).pk),
            "unit": str(Unit.objects.get(name="Mottagningsgruppen").pk),
            "guide": str(guide.pk),
            "annan": str(staff["annan"].pk),
        }
    )


def _held_records(case: Case, staff: dict[str, User]) -> Ids:
    """A network meeting with its invitations sent and due to be documented, and a group
    series whose first session was held with the case accepted: so hostile minutes,
    attendance and evaluations reach the checks behind "not yet held"."""
    socsek, guide, web = staff["socsek"], staff["vagledare1"], Channel.WEB
    meeting = meeting_services.create_meeting(
        actor=guide,
        kind=Meeting.Kind.NETWORK,
        case_id=case.pk,
        data=meeting_services.MeetingInput(
            title="Nätverksmöte", starts_at=timezone.now() + dt.timedelta(hours=1)
        ),
        channel=web,
    )
    party = meeting_services.add_party(
        actor=guide,
        meeting_id=meeting.pk,
        kind=MeetingParty.Kind.STAFF,
        user_id=staff["vagledare2"].pk,
        channel=web,
    )
    meeting_services.send_invitations(actor=guide, meeting_id=meeting.pk, channel=web)
    # Held an hour ago: the services refuse to plan in the past, so move it afterwards.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    first = timezone.localdate() - dt.timedelta(days=28)
    while first.weekday() >= 5:
        first -= dt.timedelta(days=1)
    series = group_services.create_series(
        actor=socsek,
        data=group_services.SeriesInput(
            title="Språkcafé",
            unit_id=Unit.objects.get(name="Mottagningsgruppen").pk,
            first_date=first,
            place="Biblioteket",
            sessions=2,
        ),
        channel=web,
    )
    enrolment = group_services.invite(
        actor=guide, series_id=series.pk, case_id=case.pk, channel=web
    )
    for status in ("informed", "accepted"):
        group_services.change_enrolment(
            actor=socsek,
            series_id=series.pk,
            enrolment_id=enrolment.pk,
            status=status,
            channel=web,
        )
    return {
        "held_meeting": str(meeting.pk),
        "held_party": str(party.pk),
        "held_series": str(series.pk),
        "held_session": str(series.sessions.order_by("number").values_list("pk", flat=True)[0]),
        "held_genrol": str(enrolment.pk),
    }


@pytest.fixture(scope="module")
def recorded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[tuple[dict[str, User], Ids]]:
    """Personas, two cases (the second one's records are "another case's") and one record of
    each kind, built once; rolled back after the module's last test (see test_access_matrix)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with translation.override(settings.LANGUAGE_CODE):
            staff = create_staff(password=PASSWORD)
            ids = _world(staff)
        with django_db_blocker.block():  # tests reach the database through `db` only
            yield staff, ids
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def staff(recorded: tuple[dict[str, User], Ids]) -> dict[str, User]:
    return recorded[0]


@pytest.fixture
def ids(recorded: tuple[dict[str, User], Ids], db: None) -> Ids:
    return recorded[1]


# ---------------------------------------------------------------------------------------
# The table: (writer, method, url template, payload). API urls start with /api/; the
# payload of an API row is JSON (a str is sent as a raw, malformed body); that of a page
# row is form data. "{x}" in urls and payload strings is replaced by ids["x"].
# ---------------------------------------------------------------------------------------

MALFORMED = '{"title": "oavslutad'
G, S = "vagledare1", "socsek"  # the guide works on the cases; socsek runs the group series

CONSENT_API = [
    (S, "POST", "/api/v1/persons/{person}/consents/", {}),
    (S, "POST", "/api/v1/persons/{person}/consents/", MALFORMED),
    (S, "POST", "/api/v1/persons/{person}/consents/", [1, 2]),
    (S, "POST", "/api/v1/persons/{person}/consents/", {"form": "written", "given_on": "igår"}),
    (S, "POST", "/api/v1/persons/{person}/consents/", {"form": "smoke", "given_on": "2026-01-01"}),
    (
        S,
        "POST",
        "/api/v1/persons/{person}/consents/",
        {"form": "written", "given_on": FAR_FUTURE, "recipient_organisations": ["{fk}"]},
    ),
    (
        S,
        "POST",
        "/api/v1/persons/{person}/consents/",
        {"form": "written", "given_on": FAR_PAST, "recipient_organisations": ["{fk}"]},
    ),
    (
        S,
        "POST",
        "/api/v1/persons/{person}/consents/",
        {"form": "written", "given_on": "2026-01-01", "recipient_organisations": ["{missing}"]},
    ),
    (
        S,
        "POST",
        "/api/v1/persons/{person}/consents/",
        {"form": "written", "given_on": "2026-01-01", "recipient_organisations": "{fk}"},
    ),
    (
        S,
        "POST",
        "/api/v1/persons/{person}/consents/",
        {
            "form": "written",
            "given_on": "2026-01-01",
            "recipient_organisations": ["{fk}"],
            "case": "{b_case}",
        },
    ),
    (
        S,
        "POST",
        "/api/v1/persons/{person}/consents/",
        {
            "form": "written",
            "given_on": "2026-01-01",
            "recipient_organisations": ["{fk}"],
            "purpose": LONG,
        },
    ),
    (
        S,
        "POST",
        "/api/v1/persons/{person}/consents/",
        {
            "form": "written",
            "given_on": "2026-01-01",
            "valid_until": "2025-01-01",
            "recipient_organisations": ["{fk}"],
        },
    ),
    (S, "POST", "/api/v1/persons/{person}/consents/{consent}/withdraw/", {}),
    (S, "POST", "/api/v1/persons/{person}/consents/{consent}/withdraw/", MALFORMED),
    (
        S,
        "POST",
        "/api/v1/persons/{person}/consents/{consent}/withdraw/",
        {"withdrawn_on": FAR_PAST, "withdrawal_form": "written"},
    ),
    (
        S,
        "POST",
        "/api/v1/persons/{person}/consents/{consent}/withdraw/",
        {"withdrawn_on": FAR_FUTURE, "withdrawal_form": "written"},
    ),
    (
        S,
        "POST",
        "/api/v1/persons/{person}/consents/{consent}/withdraw/",
        {"withdrawn_on": "2026-01-01", "withdrawal_form": "pigeon"},
    ),
    (
        S,
        "POST",
        "/api/v1/persons/{person}/consents/{b_consent}/withdraw/",
        {"withdrawn_on": "{today}", "withdrawal_form": "written"},
    ),
]
CONSENT_PAGES = [
    (S, "POST", "/personer/{person}/samtycken/", {}),
    (
        S,
        "POST",
        "/personer/{person}/samtycken/",
        {"kind": "general", "given_by": "person", "form": "written", "given_on": "igår"},
    ),
    (
        S,
        "POST",
        "/personer/{person}/samtycken/",
        {
            "kind": "general",
            "given_by": "person",
            "form": "written",
            "given_on": FAR_FUTURE,
            "recipient_organisations": "{fk}",
        },
    ),
    (
        S,
        "POST",
        "/personer/{person}/samtycken/",
        {
            "kind": "general",
            "given_by": "person",
            "form": "written",
            "given_on": "{today}",
            "recipient_organisations": "{missing}",
        },
    ),
    (
        S,
        "POST",
        "/personer/{person}/samtycken/",
        {
            "kind": "general",
            "given_by": "person",
            "form": "written",
            "given_on": "{today}",
            "recipient_organisations": "{fk}",
            "purpose": LONG,
        },
    ),
    (S, "POST", "/personer/{person}/samtycken/{consent}/", {}),
    (
        S,
        "POST",
        "/personer/{person}/samtycken/{consent}/",
        {"withdrawn_on": FAR_PAST, "withdrawal_form": "written"},
    ),
    (
        S,
        "POST",
        "/personer/{person}/samtycken/{b_consent}/",
        {"withdrawn_on": "{today}", "withdrawal_form": "written"},
    ),
]

TEAM_API = [
    (G, "POST", "/api/v1/cases/{case}/team-members/", {}),
    (G, "POST", "/api/v1/cases/{case}/team-members/", MALFORMED),
    (
        G,
        "POST",
        "/api/v1/cases/{case}/team-members/",
        {"user": "{missing}", "function": "psychologist"},
    ),
    (G, "POST", "/api/v1/cases/{case}/team-members/", {"user": "abc", "function": "psychologist"}),
    (G, "POST", "/api/v1/cases/{case}/team-members/", {"user": "{annan}", "function": "wizard"}),
    (
        G,
        "POST",
        "/api/v1/cases/{case}/team-members/",
        {"user": ["{annan}"], "function": "psychologist"},
    ),
    (G, "DELETE", "/api/v1/cases/{case}/team-members/{missing}/", None),
    (G, "POST", "/api/v1/cases/{case}/tasks/", {}),
    (G, "POST", "/api/v1/cases/{case}/tasks/", MALFORMED),
    (G, "POST", "/api/v1/cases/{case}/tasks/", {"title": ["a"], "owner_organisation": "{fk}"}),
    (G, "POST", "/api/v1/cases/{case}/tasks/", {"title": LONG, "owner_organisation": "{fk}"}),
    (
        G,
        "POST",
        "/api/v1/cases/{case}/tasks/",
        {"title": "T", "owner_organisation": "{fk}", "description": LONG},
    ),
    (G, "POST", "/api/v1/cases/{case}/tasks/", {"title": "T", "owner_organisation": "{missing}"}),
    (
        G,
        "POST",
        "/api/v1/cases/{case}/tasks/",
        {"title": "T", "owner_organisation": "{fk}", "owner": "{missing}"},
    ),
    (
        G,
        "POST",
        "/api/v1/cases/{case}/tasks/",
        {"title": "T", "owner_organisation": "{fk}", "due_on": FAR_PAST},
    ),
    (
        G,
        "POST",
        "/api/v1/cases/{case}/tasks/",
        {"title": "T", "owner_organisation": "{fk}", "due_on": FAR_FUTURE},
    ),
    (G, "PATCH", "/api/v1/cases/{case}/tasks/{task}/", {}),
    (G, "PATCH", "/api/v1/cases/{case}/tasks/{task}/", MALFORMED),
    (G, "PATCH", "/api/v1/cases/{case}/tasks/{task}/", {"status": "exploded"}),
    (G, "PATCH", "/api/v1/cases/{case}/tasks/{task}/", {"status": "done"}),
    (G, "PATCH", "/api/v1/cases/{case}/tasks/{task}/", {"status": "done", "done_on": FAR_PAST}),
    (G, "PATCH", "/api/v1/cases/{case}/tasks/{task}/", {"status": "done", "done_on": FAR_FUTURE}),
    (G, "PATCH", "/api/v1/cases/{case}/tasks/{b_task}/", {"status": "done", "done_on": "{today}"}),
    (G, "POST", "/api/v1/consultations/", {}),
    (G, "POST", "/api/v1/consultations/", MALFORMED),
    (G, "POST", "/api/v1/consultations/", {"specialist_function": "wizard", "question": "Q"}),
    (
        G,
        "POST",
        "/api/v1/consultations/",
        {"specialist_function": "psychologist", "question": LONG},
    ),
    (
        G,
        "POST",
        "/api/v1/consultations/",
        {"specialist_function": "psychologist", "question": "Q", "case": "{missing}"},
    ),
    (
        G,
        "POST",
        "/api/v1/consultations/",
        {"specialist_function": "psychologist", "question": "Q", "specialist": "{missing}"},
    ),
    (
        G,
        "POST",
        "/api/v1/consultations/",
        {
            "specialist_function": "psychologist",
            "question": "Q",
            "case": "{case}",
            "specialist": "{annan}",
        },
    ),
    (G, "POST", "/api/v1/consultations/{consultation}/answer/", {}),
    (G, "POST", "/api/v1/consultations/{consultation}/answer/", MALFORMED),
    (G, "POST", "/api/v1/consultations/{consultation}/answer/", {"answer": LONG}),
    (G, "POST", "/api/v1/consultations/{consultation}/answer/", {"answer": ["a", "b"]}),
    (G, "POST", "/api/v1/consultations/{missing}/answer/", {"answer": "Svar"}),
    (G, "POST", "/api/v1/consultations/{missing}/withdraw/", None),
]
TEAM_PAGES = [
    (G, "POST", "/arenden/{case}/team/medlemmar/", {}),
    (
        G,
        "POST",
        "/arenden/{case}/team/medlemmar/",
        {"user": "{missing}", "function": "psychologist"},
    ),
    (G, "POST", "/arenden/{case}/team/medlemmar/", {"user": "{annan}", "function": "wizard"}),
    (G, "POST", "/arenden/{case}/team/medlemmar/{missing}/ta-bort/", {}),
    (G, "POST", "/arenden/{case}/team/uppgifter/", {}),
    (G, "POST", "/arenden/{case}/team/uppgifter/", {"title": LONG, "owner_organisation": "{fk}"}),
    (
        G,
        "POST",
        "/arenden/{case}/team/uppgifter/",
        {"title": "T", "owner_organisation": "{fk}", "description": LONG},
    ),
    (
        G,
        "POST",
        "/arenden/{case}/team/uppgifter/",
        {"title": "T", "owner_organisation": "{missing}"},
    ),
    (
        G,
        "POST",
        "/arenden/{case}/team/uppgifter/",
        {"title": "T", "owner_organisation": "{fk}", "owner": "{missing}"},
    ),
    (
        G,
        "POST",
        "/arenden/{case}/team/uppgifter/",
        {"title": "T", "owner_organisation": "{fk}", "due_on": "imorgon"},
    ),
    (
        G,
        "POST",
        "/arenden/{case}/team/uppgifter/",
        {"title": "T", "owner_organisation": "{fk}", "due_on": FAR_PAST},
    ),
    (G, "POST", "/arenden/{case}/team/uppgifter/{task}/status/", {}),
    (G, "POST", "/arenden/{case}/team/uppgifter/{task}/status/", {"status": "exploded"}),
    (G, "POST", "/arenden/{case}/team/uppgifter/{task}/status/", {"status": "done"}),
    (
        G,
        "POST",
        "/arenden/{case}/team/uppgifter/{task}/status/",
        {"status": "done", "done_on": FAR_FUTURE},
    ),
    (
        G,
        "POST",
        "/arenden/{case}/team/uppgifter/{b_task}/status/",
        {"status": "done", "done_on": "{today}"},
    ),
    (G, "POST", "/konsultationer/", {}),
    (G, "POST", "/konsultationer/", {"specialist_function": "wizard", "question": "Q"}),
    (G, "POST", "/konsultationer/", {"specialist_function": "psychologist", "question": LONG}),
    (
        G,
        "POST",
        "/konsultationer/",
        {"specialist_function": "psychologist", "question": "Q", "specialist": "{missing}"},
    ),
    (G, "POST", "/arenden/{case}/konsultationer/", {}),
    (
        G,
        "POST",
        "/arenden/{case}/konsultationer/",
        {"specialist_function": "psychologist", "question": "Q", "specialist": "{annan}"},
    ),
    (G, "POST", "/konsultationer/{consultation}/svar/", {}),
    (G, "POST", "/konsultationer/{consultation}/svar/", {"c{consultation}-answer": LONG}),
    (G, "POST", "/konsultationer/{missing}/svar/", {"c{missing}-answer": "Svar"}),
    (G, "POST", "/konsultationer/{missing}/aterta/", {}),
]

M = "/api/v1/meetings/{meeting}/"
H = "/api/v1/meetings/{held_meeting}/"  # invitations sent, held an hour ago
MEETING = {"kind": "sip", "case": "{case}", "title": "SIP", "starts_at": "2030-01-01T10:00:00Z"}
MEETING_API = [
    (G, "POST", "/api/v1/meetings/", {}),
    (G, "POST", "/api/v1/meetings/", MALFORMED),
    (G, "POST", "/api/v1/meetings/", MEETING | {"kind": "party"}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"case": "{missing}"}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"case": "not-a-uuid"}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"starts_at": "imorgon"}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"starts_at": "0001-01-01T00:00:00Z"}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"starts_at": "9999-12-31T23:59:00Z"}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"minutes": -30}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"minutes": 0}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"minutes": 10**12}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"minutes": "nittio"}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"title": LONG}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"title": ["SIP"]}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"place": LONG}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"purpose": LONG}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"agenda": LONG}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"mode": "telepathy"}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"life_areas": ["space"]}),
    (G, "POST", "/api/v1/meetings/", MEETING | {"person_wants_sip": "kanske"}),
    (G, "POST", M + "parties/", {}),
    (G, "POST", M + "parties/", MALFORMED),
    (G, "POST", M + "parties/", {"kind": "robot"}),
    (G, "POST", M + "parties/", {"kind": "staff", "user": "{missing}"}),
    (G, "POST", M + "parties/", {"kind": "staff"}),
    (G, "POST", M + "parties/", {"kind": "external", "name": LONG}),
    (G, "POST", M + "parties/", {"kind": "external", "name": "N", "organisation": "{missing}"}),
    (G, "POST", M + "parties/", {"kind": "external", "name": "N", "invitation_language": "xx"}),
    (G, "POST", M + "consent/", {}),
    (G, "POST", M + "consent/", {"consent": "{missing}"}),
    (G, "POST", M + "consent/", {"consent": "{b_consent}"}),
    (G, "POST", M + "consent/", {"consent": 42}),
    (G, "POST", M + "invitations/", MALFORMED),
    (G, "POST", M + "invitations/", {"parties": "alla"}),  # SIP without a SIP consent
    (G, "POST", M + "interpreter/", {}),
    (G, "POST", M + "interpreter/", MALFORMED),
    (G, "POST", M + "interpreter/", {"mode": "smoke_signals"}),
    (G, "POST", M + "interpreter/", {"mode": "on_site", "language": "klingon"}),
    (G, "POST", M + "interpreter/", {"mode": "on_site", "same_interpreter_preferred": "kanske"}),
    (G, "POST", M + "interpreter/", {"mode": "on_site", "briefing_notes": LONG}),
    (G, "POST", M + "interpreter/", {"mode": "on_site", "interpreter_reference": LONG}),
    (G, "POST", H + "minutes/", {}),
    (G, "POST", H + "minutes/", MALFORMED),
    (G, "POST", H + "minutes/", {"held_on": FAR_FUTURE}),
    (G, "POST", H + "minutes/", {"held_on": FAR_PAST}),
    (G, "POST", H + "minutes/", {"held_on": "{today}", "note_taker": "{missing}"}),
    (G, "POST", H + "minutes/", {"held_on": "{today}", "overall_responsible": "{annan}"}),
    (G, "POST", H + "minutes/", {"held_on": "{today}", "parties": [{"party": "{b_party}"}]}),
    (G, "POST", H + "minutes/", {"held_on": "{today}", "parties": [{"party": "{missing}"}]}),
    (G, "POST", H + "minutes/", {"held_on": "{today}", "parties": "alla"}),
    (
        G,
        "POST",
        H + "minutes/",
        {"held_on": "{today}", "parties": [{"party": "{held_party}", "attended": "kanske"}]},
    ),
    (G, "POST", H + "minutes/", {"held_on": "{today}", "notes": LONG}),
    (G, "POST", M + "follow-up/", MALFORMED),
    (G, "POST", M + "follow-up/", {"not_needed": "kanske"}),
    (G, "POST", M + "follow-up/", {"starts_at": "igår"}),
    (
        G,
        "POST",
        M + "follow-up/",
        {"starts_at": "2030-02-01T10:00:00Z", "convened_by": "{missing}"},
    ),
    (G, "POST", M + "parties/{b_party}/signature/", None),
    (G, "POST", M + "parties/{missing}/signature/", None),
    (G, "POST", M + "parties/{party}/copy/", {}),
    (G, "POST", M + "parties/{party}/copy/", {"sent_on": "igår", "method": "email"}),
    (G, "POST", M + "parties/{party}/copy/", {"sent_on": "{today}", "method": "pigeon"}),
    (G, "POST", M + "parties/{b_party}/copy/", {"sent_on": "{today}", "method": "paper"}),
    (G, "POST", M + "cancel/", {}),
    (G, "POST", M + "cancel/", MALFORMED),
    (G, "POST", M + "cancel/", {"reason": ""}),
    (G, "POST", M + "cancel/", {"reason": LONG}),
    (G, "POST", M + "cancel/", {"reason": ["a", "b"]}),
    (G, "POST", M + "agenda-items/", {}),
    (G, "POST", M + "agenda-items/", {"topic": LONG}),
    (G, "POST", M + "agenda-items/", {"topic": "T", "case": "{b_case}"}),
    (G, "POST", M + "agenda-items/", {"topic": "T", "case": "{missing}"}),
    (G, "POST", M + "agenda-items/{item}/decision/", {}),
    (G, "POST", M + "agenda-items/{item}/decision/", MALFORMED),
    (G, "POST", M + "agenda-items/{item}/decision/", {"decision": LONG, "lock_version": 1}),
    (G, "POST", M + "agenda-items/{b_item}/decision/", {"decision": "B", "lock_version": 1}),
    (
        G,
        "POST",
        M + "agenda-items/{item}/decision/",
        {
            "decision": "Beslut",
            "lock_version": 1,
            "task": {"title": "T", "owner_organisation": "{missing}"},
        },
    ),
    (
        G,
        "POST",
        M + "agenda-items/{item}/decision/",
        {
            "decision": "Beslut",
            "lock_version": 1,
            "task": {"title": "T", "owner_organisation": "{fk}", "owner": "{missing}"},
        },
    ),
    (
        G,
        "POST",
        M + "agenda-items/{item}/decision/",
        {
            "decision": "Beslut",
            "lock_version": 1,
            "task": {"title": LONG, "owner_organisation": "{fk}"},
        },
    ),
    (
        G,
        "POST",
        M + "agenda-items/{item}/decision/",
        {
            "decision": "Beslut",
            "lock_version": 1,
            "task": {"title": "T", "owner_organisation": "{fk}", "due_on": FAR_PAST},
        },
    ),
    (
        G,
        "POST",
        M + "agenda-items/{item}/decision/",
        {"decision": "Beslut", "lock_version": 1, "task": "gör det"},
    ),
]

P = "/moten/{meeting}/"
PH = "/moten/{held_meeting}/"
MEETING_FORM = {
    "kind": "sip",
    "title": "SIP",
    "starts_at": "2030-01-01 10:00",
    "minutes": "90",
    "mode": "on_site",
    "person_wants_sip": "yes",
}
MEETING_PAGES = [
    (G, "POST", "/arenden/{case}/moten/", {}),
    (G, "POST", "/arenden/{case}/moten/", MEETING_FORM | {"kind": "party"}),
    (G, "POST", "/arenden/{case}/moten/", MEETING_FORM | {"starts_at": "imorgon"}),
    (G, "POST", "/arenden/{case}/moten/", MEETING_FORM | {"starts_at": "0001-01-01 00:00"}),
    (G, "POST", "/arenden/{case}/moten/", MEETING_FORM | {"starts_at": "9999-12-31 23:59"}),
    (G, "POST", "/arenden/{case}/moten/", MEETING_FORM | {"minutes": "-30"}),
    (G, "POST", "/arenden/{case}/moten/", MEETING_FORM | {"minutes": "99999999999999999999"}),
    (G, "POST", "/arenden/{case}/moten/", MEETING_FORM | {"title": LONG}),
    (G, "POST", "/arenden/{case}/moten/", MEETING_FORM | {"purpose": LONG}),
    (G, "POST", "/arenden/{case}/moten/", MEETING_FORM | {"agenda": LONG}),
    (G, "POST", "/arenden/{case}/moten/", MEETING_FORM | {"life_areas": "space"}),
    (G, "POST", "/moten/", {}),
    (G, "POST", "/moten/", MEETING_FORM | {"minutes": "0"}),
    (G, "POST", P + "andra/", {}),
    (G, "POST", P + "andra/", MEETING_FORM | {"minutes": "-1"}),
    (G, "POST", P + "andra/", MEETING_FORM | {"starts_at": "0001-01-01 00:00"}),
    (G, "POST", P + "andra/", MEETING_FORM | {"preparations": LONG}),
    (G, "POST", P + "parter/", {}),
    (G, "POST", P + "parter/", {"kind": "robot"}),
    (G, "POST", P + "parter/", {"kind": "staff", "user": "{missing}"}),
    (G, "POST", P + "parter/", {"kind": "external", "name": LONG}),
    (G, "POST", P + "parter/", {"kind": "external", "name": "N", "organisation": "{missing}"}),
    (G, "POST", P + "samtycke/", {}),
    (G, "POST", P + "samtycke/", {"consent": "{b_consent}"}),
    (G, "POST", P + "kallelser/", {}),
    (G, "POST", P + "tolk/", {}),
    (G, "POST", P + "tolk/", {"mode": "on_site", "language": "klingon"}),
    (G, "POST", P + "tolk/", {"mode": "on_site", "briefing_notes": LONG}),
    (G, "POST", PH + "dokumentation/", {}),
    (G, "POST", PH + "dokumentation/", {"held_on": FAR_FUTURE}),
    (G, "POST", PH + "dokumentation/", {"held_on": "{today}", "note_taker": "{missing}"}),
    (G, "POST", PH + "dokumentation/", {"held_on": "{today}", "notes": LONG}),
    (G, "POST", P + "uppfoljning/", {}),
    (G, "POST", P + "uppfoljning/", {"starts_at": "igår"}),
    (G, "POST", P + "uppfoljning/", {"starts_at": "2030-02-01 10:00", "convened_by": "{missing}"}),
    (G, "POST", P + "parter/{b_party}/signering/", {}),
    (G, "POST", P + "parter/{party}/kopia/", {}),
    (G, "POST", P + "parter/{party}/kopia/", {"sent_on": "{today}", "method": "pigeon"}),
    (G, "POST", P + "parter/{b_party}/kopia/", {"sent_on": "{today}", "method": "paper"}),
    (G, "POST", P + "installt/", {}),
    (G, "POST", P + "installt/", {"reason": LONG}),
    (G, "POST", P + "dagordning/", {}),
    (G, "POST", P + "dagordning/", {"topic": LONG}),
    (G, "POST", P + "dagordning/{item}/beslut/", {}),
    (G, "POST", P + "dagordning/{item}/beslut/", {"decision": LONG, "lock_version": 1}),
    (G, "POST", P + "dagordning/{b_item}/beslut/", {"decision": "B", "lock_version": 1}),
    (G, "POST", P + "dagordning/{item}/uppgift/", {}),
    (
        G,
        "POST",
        P + "dagordning/{item}/uppgift/",
        {"title": "T", "owner_organisation": "{missing}"},
    ),
    (G, "POST", P + "dagordning/{item}/uppgift/", {"title": LONG, "owner_organisation": "{fk}"}),
    (
        G,
        "POST",
        P + "dagordning/{item}/uppgift/",
        {"title": "T", "owner_organisation": "{fk}", "due_on": FAR_PAST},
    ),
    (G, "POST", P + "dagordning/{b_item}/uppgift/", {"title": "T", "owner_organisation": "{fk}"}),
]

C = "/api/v1/cases/{case}/"
ASSESSMENT_API = [
    (G, "POST", C + "assessment-talks/", {}),
    (G, "POST", C + "assessment-talks/", MALFORMED),
    (G, "POST", C + "assessment-talks/", {"kind": "talk_9", "held_on": "{today}"}),
    (G, "POST", C + "assessment-talks/", {"kind": "talk_1", "held_on": "igår"}),
    (G, "POST", C + "assessment-talks/", {"kind": "talk_1", "held_on": FAR_FUTURE}),
    (G, "POST", C + "assessment-talks/", {"kind": "talk_1", "held_on": FAR_PAST}),
    (G, "POST", C + "assessment-talks/", {"kind": "talk_1", "held_on": "{today}", "summary": LONG}),
    (G, "POST", C + "assessment-talks/", {"kind": "talk_1", "held_on": "{today}", "answers": "a"}),
    (
        G,
        "POST",
        C + "assessment-talks/",
        {"kind": "talk_1", "held_on": "{today}", "answers": {"no_such_question": "svar"}},
    ),
    (
        G,
        "POST",
        C + "assessment-talks/",
        {"kind": "talk_1", "held_on": "{today}", "participants": LONG},
    ),
    (G, "POST", C + "future-plans/", MALFORMED),
    (G, "POST", C + "future-plans/", {"goal": LONG}),
    (G, "POST", C + "future-plans/", {"goal": "M", "steps": "alla"}),
    (G, "POST", C + "future-plans/", {"goal": "M", "steps": [{"step": LONG, "why": "w"}]}),
    (
        G,
        "POST",
        C + "future-plans/",
        {"goal": "M", "steps": [{"step": "s", "why": "w", "by_when": FAR_PAST}]},
    ),
    (G, "POST", C + "future-plans/{plan}/agree/", MALFORMED),
    (G, "POST", C + "future-plans/{plan}/agree/", {"agreed_on": "{today}"}),  # no version
    (G, "POST", C + "future-plans/{plan}/agree/", {"agreed_on": "igår", "lock_version": 1}),
    (G, "POST", C + "future-plans/{plan}/agree/", {"agreed_on": FAR_FUTURE, "lock_version": 1}),
    (G, "POST", C + "future-plans/{plan}/agree/", {"agreed_on": FAR_PAST, "lock_version": 1}),
    (G, "POST", C + "future-plans/{b_plan}/agree/", {"agreed_on": "{today}", "lock_version": 1}),
    (G, "POST", C + "progress-steps/", {}),
    (G, "POST", C + "progress-steps/", MALFORMED),
    (
        G,
        "POST",
        C + "progress-steps/",
        {"category": "x", "kind": "sfi_started", "occurred_on": "{today}"},
    ),
    (
        G,
        "POST",
        C + "progress-steps/",
        {"category": "progress", "kind": "sfi_started", "occurred_on": FAR_FUTURE},
    ),
    (
        G,
        "POST",
        C + "progress-steps/",
        {"category": "progress", "kind": "sfi_started", "occurred_on": FAR_PAST},
    ),
    (
        G,
        "POST",
        C + "progress-steps/",
        {"category": "progress", "kind": "sfi_started", "occurred_on": "{today}", "note": LONG},
    ),
    (G, "POST", C + "barriers/", {}),
    (G, "POST", C + "barriers/", {"kind": "dragons", "noted_on": "{today}"}),
    (G, "POST", C + "barriers/", {"kind": "housing", "noted_on": FAR_FUTURE}),
    (G, "POST", C + "barriers/", {"kind": "housing", "noted_on": FAR_PAST}),
    (G, "POST", C + "barriers/", {"kind": "housing", "noted_on": "{today}", "description": LONG}),
    (G, "POST", C + "barriers/{barrier}/resolve/", MALFORMED),
    (G, "POST", C + "barriers/{barrier}/resolve/", {"resolved_on": "igår"}),
    (G, "POST", C + "barriers/{barrier}/resolve/", {"resolved_on": FAR_PAST}),
    (G, "POST", C + "barriers/{barrier}/resolve/", {"resolved_on": FAR_FUTURE}),
    (G, "POST", C + "barriers/{b_barrier}/resolve/", {"resolved_on": "{today}"}),
    (G, "POST", C + "postponed-topics/", {}),
    (G, "POST", C + "postponed-topics/", {"topic": LONG, "remind_on": "{today}"}),
    (G, "POST", C + "postponed-topics/", {"topic": "T", "remind_on": FAR_PAST}),
    (G, "POST", C + "postponed-topics/", {"topic": "T", "remind_on": FAR_FUTURE}),
    (G, "POST", C + "postponed-topics/", {"topic": ["T"], "remind_on": "{today}"}),
    (
        G,
        "POST",
        C + "postponed-topics/{topic}/return/",
        {"returned_on": FAR_PAST, "lock_version": 1},
    ),
    (
        G,
        "POST",
        C + "postponed-topics/{topic}/return/",
        {"returned_on": FAR_FUTURE, "lock_version": 1},
    ),
    (G, "POST", C + "postponed-topics/{topic}/return/", {"note": LONG, "lock_version": 1}),
    (G, "POST", C + "postponed-topics/{b_topic}/return/", {"lock_version": 1}),
    (G, "POST", C + "enrolments/", {}),
    (G, "POST", C + "enrolments/", MALFORMED),
    (G, "POST", C + "enrolments/", {"programme": "circus", "started_on": "{today}"}),
    (G, "POST", C + "enrolments/", {"programme": "fixed_team", "started_on": FAR_PAST}),
    (G, "POST", C + "enrolments/", {"programme": "fixed_team", "started_on": FAR_FUTURE}),
    (
        G,
        "POST",
        C + "enrolments/",
        {"programme": "fixed_team", "started_on": "{today}", "max_months": 0},
    ),
    (
        G,
        "POST",
        C + "enrolments/",
        {"programme": "fixed_team", "started_on": "{today}", "max_months": -6},
    ),
    (
        G,
        "POST",
        C + "enrolments/",
        {"programme": "fixed_team", "started_on": "{today}", "max_months": 10**15},
    ),
    (
        G,
        "POST",
        C + "enrolments/",
        {"programme": "fixed_team", "started_on": "{today}", "max_months": "sex"},
    ),
    (G, "POST", C + "enrolments/{enrolment}/discharge/", {}),
    (G, "POST", C + "enrolments/{enrolment}/discharge/", {"reason": "bored"}),
    (
        G,
        "POST",
        C + "enrolments/{enrolment}/discharge/",
        {"reason": "moved", "discharged_on": FAR_PAST},
    ),
    (
        G,
        "POST",
        C + "enrolments/{enrolment}/discharge/",
        {"reason": "moved", "discharged_on": FAR_FUTURE},
    ),
    (G, "POST", C + "enrolments/{b_enrolment}/discharge/", {"reason": "moved"}),
]

A = "/arenden/{case}/kartlaggning/"
ASSESSMENT_PAGES = [
    (G, "POST", A + "samtal/talk_1/", {}),
    (G, "POST", A + "samtal/talk_1/", {"held_on": "igår"}),
    (G, "POST", A + "samtal/talk_1/", {"held_on": FAR_FUTURE}),
    (G, "POST", A + "samtal/talk_1/", {"held_on": "{today}", "summary": LONG}),
    (G, "POST", A + "samtal/talk_1/", {"held_on": "{today}", "participants": LONG}),
    (G, "POST", A + "samtal/talk_9/", {"held_on": "{today}"}),
    (G, "POST", A + "amnen/", {}),
    (G, "POST", A + "amnen/", {"topic": LONG, "remind_on": "{today}"}),
    (G, "POST", A + "amnen/", {"topic": "T", "remind_on": FAR_PAST}),
    (G, "POST", A + "amnen/", {"topic": "T", "remind_on": FAR_FUTURE}),
    (G, "POST", A + "amnen/{topic}/tagits-upp/", {"returned_on": FAR_PAST}),
    (G, "POST", A + "amnen/{b_topic}/tagits-upp/", {"returned_on": "{today}"}),
    (G, "POST", A + "hinder/", {}),
    (G, "POST", A + "hinder/", {"kind": "dragons", "noted_on": "{today}"}),
    (G, "POST", A + "hinder/", {"kind": "housing", "noted_on": FAR_FUTURE}),
    (G, "POST", A + "hinder/", {"kind": "housing", "noted_on": "{today}", "description": LONG}),
    (G, "POST", A + "hinder/{barrier}/undanrojt/", {"resolved_on": FAR_PAST}),
    (G, "POST", A + "hinder/{b_barrier}/undanrojt/", {"resolved_on": "{today}"}),
    (G, "POST", A + "stegforflyttningar/", {}),
    (
        G,
        "POST",
        A + "stegforflyttningar/",
        {"category": "outcome", "kind": "sfi_started", "occurred_on": FAR_FUTURE},
    ),
    (G, "POST", A + "insatser/", {}),
    (
        G,
        "POST",
        A + "insatser/",
        {"programme": "circus", "started_on": "{today}", "max_months": "6"},
    ),
    (
        G,
        "POST",
        A + "insatser/",
        {"programme": "fixed_team", "started_on": "{today}", "max_months": "0"},
    ),
    (
        G,
        "POST",
        A + "insatser/",
        {"programme": "fixed_team", "started_on": "{today}", "max_months": "-3"},
    ),
    (
        G,
        "POST",
        A + "insatser/",
        {"programme": "fixed_team", "started_on": "{today}", "max_months": "99999999999999999999"},
    ),
    (
        G,
        "POST",
        A + "insatser/",
        {"programme": "fixed_team", "started_on": FAR_PAST, "max_months": "6"},
    ),
    (G, "POST", A + "insatser/{enrolment}/utskrivning/", {}),
    (
        G,
        "POST",
        A + "insatser/{enrolment}/utskrivning/",
        {"reason": "moved", "discharged_on": FAR_FUTURE},
    ),
    (
        G,
        "POST",
        A + "insatser/{b_enrolment}/utskrivning/",
        {"reason": "moved", "discharged_on": "{today}"},
    ),
    (G, "POST", "/arenden/{case}/framtidsplan/", {}),
    (G, "POST", "/arenden/{case}/framtidsplan/", {"goal": LONG}),
    (G, "POST", "/arenden/{case}/framtidsplan/{plan}/beslutad/", {"agreed_on": FAR_FUTURE}),
    (G, "POST", "/arenden/{case}/framtidsplan/{plan}/beslutad/", {"agreed_on": "igår"}),
    (G, "POST", "/arenden/{case}/framtidsplan/{b_plan}/beslutad/", {"agreed_on": "{today}"}),
]

SERIES = {"unit": "{unit}", "title": "T", "first_date": "2030-01-07", "place": "P", "sessions": 2}
GS = "/api/v1/group-series/{series}/"
GH = "/api/v1/group-series/{held_series}/sessions/{held_session}/"  # held, case accepted
GROUP_API = [
    (S, "POST", "/api/v1/group-series/", {}),
    (S, "POST", "/api/v1/group-series/", MALFORMED),
    (S, "POST", "/api/v1/group-series/", SERIES | {"unit": "{missing}"}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"capacity": 0}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"capacity": -5}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"capacity": 10**15}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"capacity": "tio"}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"sessions": 0}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"sessions": -1}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"sessions": 10**6}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"first_date": FAR_PAST}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"first_date": FAR_FUTURE}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"first_date": "måndag"}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"title": LONG}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"place": ["P"]}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"organisations": ["{missing}"]}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"interpreter_languages": ["klingon"]}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"preset": "no_such_preset"}),
    (S, "POST", "/api/v1/group-series/", SERIES | {"info_meeting_at": "0001-01-01T00:00:00Z"}),
    (S, "PATCH", GS + "sessions/{session}/", {}),
    (S, "PATCH", GS + "sessions/{session}/", MALFORMED),
    (
        S,
        "PATCH",
        GS + "sessions/{session}/",
        {
            "topic": "T",
            "held_on": FAR_PAST,
            "place": "P",
            "morning_starts": None,
            "morning_ends": None,
            "afternoon_starts": None,
            "afternoon_ends": None,
            "facilitators": [],
            "external_facilitators": "",
        },
    ),
    (
        S,
        "PATCH",
        GS + "sessions/{session}/",
        {
            "topic": "T",
            "held_on": "{today}",
            "place": "P",
            "morning_starts": "25:99",
            "morning_ends": None,
            "afternoon_starts": None,
            "afternoon_ends": None,
            "facilitators": [],
            "external_facilitators": "",
        },
    ),
    (
        S,
        "PATCH",
        GS + "sessions/{session}/",
        {
            "topic": "T",
            "held_on": "{today}",
            "place": "P",
            "morning_starts": "12:00",
            "morning_ends": "09:00",
            "afternoon_starts": None,
            "afternoon_ends": None,
            "facilitators": [],
            "external_facilitators": "",
        },
    ),
    (
        S,
        "PATCH",
        GS + "sessions/{session}/",
        {
            "topic": "T",
            "held_on": "{today}",
            "place": "P",
            "morning_starts": None,
            "morning_ends": None,
            "afternoon_starts": None,
            "afternoon_ends": None,
            "facilitators": ["{missing}"],
            "external_facilitators": "",
        },
    ),
    (S, "PATCH", GS + "sessions/{missing}/", {"topic": "T"}),
    (S, "POST", GH + "attendance/", {}),
    (S, "POST", GH + "attendance/", MALFORMED),
    (S, "POST", GH + "attendance/", {"rows": "alla"}),
    (
        S,
        "POST",
        GH + "attendance/",
        {"rows": [{"enrolment": "{missing}", "present": True}]},
    ),
    (
        S,
        "POST",
        GH + "attendance/",
        {"rows": [{"enrolment": "{held_genrol}", "present": "kanske"}]},
    ),
    (
        S,
        "POST",
        GH + "attendance/",
        {"rows": [{"enrolment": "{held_genrol}", "present": True, "run": "midnight"}]},
    ),
    (S, "POST", GH + "evaluation/", {}),
    (S, "POST", GH + "evaluation/", {"note": LONG}),
    (S, "POST", GH + "evaluation/", {"note": ["a", "b"]}),
    (S, "POST", GS + "enrolments/", {}),
    (S, "POST", GS + "enrolments/", MALFORMED),
    (G, "POST", GS + "enrolments/", {"case": "{missing}"}),
    (G, "POST", GS + "enrolments/", {"case": "{b_case}", "preferred_run": "midnight"}),
    (G, "POST", GS + "enrolments/", {"case": "{b_case}", "interpreter_language": "klingon"}),
    (G, "POST", GS + "enrolments/", {"case": "{case}"}),
    (S, "PATCH", GS + "enrolments/{genrol}/", {}),
    (S, "PATCH", GS + "enrolments/{genrol}/", MALFORMED),
    (S, "PATCH", GS + "enrolments/{genrol}/", {"status": "vanished"}),
    (S, "PATCH", GS + "enrolments/{missing}/", {"status": "accepted"}),
]
SERIES_FORM = {
    "unit": "{unit}",
    "title": "T",
    "first_date": "2030-01-07",
    "place": "P",
    "sessions": "2",
    "capacity": "12",
}
GROUP_PAGES = [
    (S, "POST", "/grupper/", {}),
    (S, "POST", "/grupper/", SERIES_FORM | {"unit": "{missing}"}),
    (S, "POST", "/grupper/", SERIES_FORM | {"capacity": "0"}),
    (S, "POST", "/grupper/", SERIES_FORM | {"capacity": "99999999999999999999"}),
    (S, "POST", "/grupper/", SERIES_FORM | {"sessions": "-1"}),
    (S, "POST", "/grupper/", SERIES_FORM | {"sessions": "1000000"}),
    (S, "POST", "/grupper/", SERIES_FORM | {"first_date": FAR_PAST}),
    (S, "POST", "/grupper/", SERIES_FORM | {"first_date": FAR_FUTURE}),
    (S, "POST", "/grupper/", SERIES_FORM | {"title": LONG}),
    (S, "POST", "/grupper/", SERIES_FORM | {"organisations": "{missing}"}),
    (S, "POST", "/grupper/", SERIES_FORM | {"interpreter_languages": "klingon"}),
    (S, "POST", "/grupper/{series}/deltagare/{genrol}/status/", {}),
    (S, "POST", "/grupper/{series}/deltagare/{genrol}/status/", {"status": "vanished"}),
    (S, "POST", "/grupper/{series}/deltagare/{missing}/status/", {"status": "accepted"}),
    (S, "POST", "/grupper/{series}/tillfallen/{session}/", {}),
    (
        S,
        "POST",
        "/grupper/{series}/tillfallen/{session}/",
        {"topic": "T", "held_on": FAR_PAST, "place": "P"},
    ),
    (
        S,
        "POST",
        "/grupper/{series}/tillfallen/{session}/",
        {"topic": "T", "held_on": FAR_FUTURE, "place": "P"},
    ),
    (
        S,
        "POST",
        "/grupper/{series}/tillfallen/{session}/",
        {"topic": "T", "held_on": "{today}", "place": "P", "morning_starts": "25:99"},
    ),
    (
        S,
        "POST",
        "/grupper/{series}/tillfallen/{session}/",
        {"topic": "T", "held_on": "{today}", "place": "P", "facilitators": "{missing}"},
    ),
    (
        S,
        "POST",
        "/grupper/{series}/tillfallen/{session}/",
        {"topic": LONG, "held_on": "{today}", "place": "P"},
    ),
    (
        S,
        "POST",
        "/grupper/{held_series}/tillfallen/{held_session}/narvaro/",
        {"present-{held_genrol}": "on", "run-{held_genrol}": "midnight"},
    ),
    (
        S,
        "POST",
        "/grupper/{held_series}/tillfallen/{held_session}/narvaro/",
        {"run-{held_genrol}": "midnight"},
    ),
    (S, "POST", "/grupper/{held_series}/tillfallen/{held_session}/utvardering/", {}),
    (S, "POST", "/grupper/{held_series}/tillfallen/{held_session}/utvardering/", {"note": LONG}),
    (G, "POST", "/arenden/{case}/grupper/", {}),
    (G, "POST", "/arenden/{case}/grupper/", {"series": "{missing}"}),
    (G, "POST", "/arenden/{case}/grupper/", {"series": "{series}"}),
    (G, "POST", "/arenden/{case}/grupper/", {"series": "{series}", "preferred_run": "midnight"}),
]

TABLE = (
    CONSENT_API
    + CONSENT_PAGES
    + TEAM_API
    + TEAM_PAGES
    + MEETING_API
    + MEETING_PAGES
    + ASSESSMENT_API
    + ASSESSMENT_PAGES
    + GROUP_API
    + GROUP_PAGES
)


def _fill(value: Any, ids: Ids) -> Any:
    if isinstance(value, str):
        return value.format(**ids) if "{" in value and len(value) < 200 else value
    if isinstance(value, dict):
        return {_fill(k, ids): _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _counts() -> dict[str, int]:
    """Row counts of every model of the new apps, of the case team and of the audit log
    (reads aside: *.viewed, *.listed)."""
    counts = {
        model._meta.label: model._default_manager.count()
        for app in NEW_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label != "consent.Disclosure"
    }
    counts["cases.CaseTeamMember"] = CaseTeamMember.objects.count()
    counts["audit.AuditEvent"] = (
        AuditEvent.objects.exclude(action__endswith=".viewed")
        .exclude(action__endswith=".listed")
        .count()
    )
    return counts


def _label(row: tuple[str, str, str, Any]) -> str:
    who, method, url, payload = row
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return f"{who} {method} {url} {text[-70:]}"


def _api(user: User, method: str, url: str, payload: Any, values: Ids) -> None:
    api = APIClient()
    api.force_authenticate(user)
    if isinstance(payload, str):  # a raw, malformed body
        body = payload
    else:
        body = json.dumps(_fill(payload, values)) if payload is not None else ""
    response = api.generic(method, url, body, content_type="application/json")
    # An empty PATCH changes nothing and may answer 200 with the record as it is.
    empty_patch = {200} if method == "PATCH" and payload == {} else set()
    assert response.status_code in {400, 404, 409} | empty_patch, response.content[:500]
    if response.status_code == 400:
        assert response.json(), "a 400 says what is wrong"


def _page(user: User, method: str, url: str, payload: Any, values: Ids) -> None:
    page = Client()
    page.force_login(user)
    body = urlencode(_fill(payload, values), doseq=True)
    response = page.generic(method, url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in {200, 302, 400, 404, 409}, response.status_code
    if response.status_code == 302:  # back to the page with the error as a message
        levels = [m.level for m in get_messages(response.wsgi_request)]
        assert message_level.ERROR in levels, f"redirect without an error message: {levels}"
    elif response.status_code in {200, 400}:  # the form again, with its errors
        assert b'class="error' in response.content


@pytest.mark.parametrize(("who", "method", "template", "payload"), TABLE, ids=map(_label, TABLE))
def test_bad_input_is_refused_and_changes_nothing(
    ids: Ids, staff: dict[str, User], who: str, method: str, template: str, payload: Any
) -> None:
    values = ids | {"today": timezone.localdate().isoformat()}
    url = template.format(**values)
    before = _counts()
    (_api if url.startswith("/api/") else _page)(staff[who], method, url, payload, values)
    assert _counts() == before
