"""Every page and API endpoint against every persona: allowed, or 404 as if nothing were there.

Given one case in the reception unit, opened by `socsek` with `vagledare1` on its
team, each persona either reaches a URL or gets exactly what a missing record gives.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker

from conftest import PASSWORD
from sia.accounts.models import Unit, User
from sia.audit.models import Channel
from sia.cases.models import Case, CaseTeamMember
from sia.cases.services import open_case
from sia.demo.staff import create_staff
from sia.demo.synthetic import personal_number
from sia.meetings import alignment as alignment_services
from sia.meetings import first_visit as first_visit_services
from sia.meetings import guidance as guidance_services
from sia.meetings.alignment import AlignmentInput, ReferralInput
from sia.meetings.guidance import GuidanceBooking
from sia.meetings.selectors_alignment import requestable_documents
from sia.people.services import IdentifierInput, PersonInput, register_person
from sia.plans import services as plan_services
from sia.plans.models import SiaPlan

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

# (url template, who gets 200; everyone else gets 404 unless `other` says otherwise)
MATRIX: list[tuple[str, frozenset[str], int]] = [
    ("/", EVERYONE, 404),
    ("/arenden/", EVERYONE, 404),
    ("/arenden/{case}/", CASE_VIEWERS, 404),
    ("/arenden/ny/{person}/", PERSON_EDITORS, 404),
    ("/personer/sok/", INTAKE, 404),
    ("/personer/ny/", INTAKE, 404),
    ("/personer/{person}/", CASE_VIEWERS, 404),
    ("/personer/{person}/andra/", PERSON_EDITORS, 404),
    ("/logg/", MANAGERS, 404),
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
]

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
]


@pytest.fixture(scope="module")
def recorded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[tuple[dict[str, User], Case]]:
    """The personas and the case, built once for the module: ~600 tests only read them.

    They live in a transaction that is rolled back after the module's last test, so
    nothing reaches another module or a reused database. Each test still runs in its own
    savepoint (through `db`), so a session or audit event one test leaves is gone for the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with translation.override(settings.LANGUAGE_CODE):
            staff = create_staff(password=PASSWORD)
            case = record_every_step(open_reception_case(staff), staff)
        with django_db_blocker.block():  # tests reach the database through `db` only
            yield staff, case
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def staff(recorded: tuple[dict[str, User], Case]) -> dict[str, User]:
    """The module's personas, so that the root conftest's `login` signs them in."""
    return recorded[0]


@pytest.fixture
def case(recorded: tuple[dict[str, User], Case], db: None) -> Case:
    """The module's case; `db` rolls back whatever the test itself writes."""
    return recorded[1]


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


def url_for(template: str, case: Case) -> str:
    plan = SiaPlan.objects.filter(case=case).values_list("pk", flat=True).first()
    return template.format(case=case.pk, person=case.person_id, plan=plan)


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize(("template", "allowed", "other"), MATRIX)
def test_each_persona_reaches_only_what_is_theirs(
    case: Case,
    login: Callable[[str], Client],
    username: str,
    template: str,
    allowed: frozenset[str],
    other: int,
) -> None:
    response = login(username).get(url_for(template, case))
    assert response.status_code == (200 if username in allowed else other)


@pytest.mark.parametrize("username", sorted(EVERYONE - CASE_VIEWERS))
@pytest.mark.parametrize("url", OWN_LISTS)
def test_lists_never_show_a_case_outside_ones_scope(
    case: Case, login: Callable[[str], Client], username: str, url: str
) -> None:
    body = login(username).get(url).content.decode()
    assert case.person.family_name not in body
    assert str(case.pk) not in body


@pytest.mark.parametrize("username", sorted(CASE_VIEWERS))
def test_case_list_shows_the_case_to_those_who_may_see_it(
    case: Case, login: Callable[[str], Client], username: str
) -> None:
    assert case.person.family_name in login(username).get("/arenden/").content.decode()


@pytest.mark.parametrize(("template", "allowed", "other"), MATRIX)
def test_anonymous_visitors_are_sent_to_login_or_refused(
    case: Case, template: str, allowed: frozenset[str], other: int
) -> None:
    url = url_for(template, case)
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
