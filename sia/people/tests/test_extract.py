"""A person's own register extract (registerutdrag): everything held about them, as a PDF
and a JSON file, produced only by a deputy manager answering for the person, and audited."""

import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import Membership, Organisation, Role, Unit, User
from sia.assessments import services as assessment_services
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.collaboration import services as meeting_services
from sia.collaboration.models import Meeting
from sia.consent import services as consent_services
from sia.consent.models import Consent, DataKind, Disclosure
from sia.decisions import services as decision_services
from sia.decisions.models import SupportDecision
from sia.establishment import services as establishment_services
from sia.journal import services as journal_services
from sia.people import services as people_services
from sia.people.extract import build_extract, extract_data
from sia.people.models import HouseholdLink, Person
from tests.test_access_matrix import record_collaboration, record_every_step, record_support

OTHER_PURPOSE = "Annan persons samtyckessyfte XYZZY."
OTHER_REASONS = "Annan persons beslutsskäl XYZZY."


@pytest.fixture
def rich_case(make_case: CaseFactory, make_person: PersonFactory, staff: dict[str, User]) -> Case:
    """A person with records across every app, a relative, a disclosure and a concern report."""
    person = make_person(
        given_name="Amina",
        family_name="Extraktsson",
        street_address="Storgatan 1",
        postal_code="12345",
        city="Demostad",
        phone="070-1234567",
    )
    case = make_case(person)
    record_every_step(case, staff)
    record_collaboration(case, staff)
    record_support(case, staff)
    establishment_services.record_concern_report(
        actor=staff["chef"], case_id=case.pk, received_on=timezone.localdate(), channel=Channel.WEB
    )
    consent = Consent.objects.get(person=person)
    consent_services.record_sent_disclosure(
        person_id=person.pk,
        case_id=case.pk,
        organisation_id=Organisation.objects.get(name="Försäkringskassan").pk,
        recipient=None,
        what=Disclosure.What.INVITATION,
        preferred=consent,
        channel=Channel.WEB,
    )
    entry = journal_services.write_entry(
        case_id=case.pk,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        kind="phone_call",
        text="Ringde om bostaden.",
        written_by=staff["socsek"],
        channel=Channel.WEB,
    )
    journal_services.record_objection(
        case_id=case.pk,
        entry_id=entry.pk,
        text="Jag sa att jag vill bo kvar.",
        received_as="oral",
        received_on=timezone.localdate(),
        recorded_by=staff["socsek"],
        channel=Channel.WEB,
    )
    relative = make_person(given_name="Omar", family_name="Extraktsson")
    people_services.link_household(
        linked_by=staff["socsek"],
        person_id=person.pk,
        relative_id=relative.pk,
        relation=HouseholdLink.Relation.PARTNER,
        channel=Channel.SYSTEM,
    )
    return case


@pytest.fixture
def other_case(make_case: CaseFactory, make_person: PersonFactory, staff: dict[str, User]) -> Case:
    """Another person of the same unit, whose records must never reach the extract."""
    case = make_case(make_person(given_name="Bertil", family_name="Annansson"))
    consent_services.record_consent(
        actor=staff["socsek"],
        person_id=case.person_id,
        case_id=case.pk,
        kind=Consent.Kind.GENERAL,
        given_by=Consent.GivenBy.PERSON,
        given_by_name="",
        recipient_organisation_ids=[Organisation.objects.get(name="Arbetsförmedlingen").pk],
        recipient_unit_ids=[],
        data_kinds=[DataKind.IDENTITY],
        purpose=OTHER_PURPOSE,
        form=Consent.Form.WRITTEN,
        given_on=timezone.localdate(),
        valid_until=None,
        channel=Channel.WEB,
    )
    decision_services.make_decision(
        actor=staff["chef"],
        case_id=case.pk,
        applied_for="Annat stöd.",
        applied_on=timezone.localdate(),
        outcome=SupportDecision.Outcome.GRANTED,
        decided_support="Annat stöd.",
        legal_basis=SupportDecision.LegalBasis.SOL_4_1,
        reasons=OTHER_REASONS,
        provider_id=Unit.objects.get(name="Bosättningsenheten").pk,
        valid_from=timezone.localdate(),
        valid_until=None,
        appeal_notice="",
        channel=Channel.WEB,
    )
    return case


def url(person: Person | Case) -> str:
    person_id = person.person_id if isinstance(person, Case) else person.pk
    return f"/personer/{person_id}/registerutdrag/"


def download(client: Client, case: Case, output: str) -> Any:
    return client.post(url(case), {"format": output})


def sections(body: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The records of each section, each record as {label: value} plus its title."""
    return {
        section["key"]: [
            {"_title": record["title"]} | {f["label"]: f["value"] for f in record["fields"]}
            for record in section["records"]
        ]
        for section in body["sections"]
    }


def extracts_made(person_id: UUID) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.EXTRACT_MADE, person_id=person_id))


# What the file holds ---------------------------------------------------------------------


def test_the_json_file_holds_each_section_with_the_persons_values(
    rich_case: Case, other_case: Case, login: Callable[[str], Client]
) -> None:
    response = download(login("chef"), rich_case, "json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="registerutdrag-')
    assert "no-store" in response["Cache-Control"]
    body = json.loads(response.content.decode("utf-8"))
    assert body["person"] == "Amina Extraktsson"
    assert body["controller"] == "Socialnämnden i Demokommun"
    found = sections(body)
    person, identifier, partner = found["person"]
    assert person["Förnamn"] == "Amina"
    assert person["Gatuadress"] == "Storgatan 1"
    assert person["Registrerad av enhet"] == "Mottagningsgruppen (Demokommun)"
    number = rich_case.person.identifiers.get()
    assert identifier["Nummer"] == number.formatted
    assert identifier["Typ"] == "Personnummer"
    assert partner == {
        "_title": "Hushållskoppling Make/maka/partner",
        "Relation": "Make/maka/partner",
        "Anhörig": "Omar Extraktsson",
        "Registrerad": partner["Registrerad"],
    }
    (case,) = found["cases"]
    assert case["_title"] == f"Ärende {rich_case.reference}"
    assert case["Aktualiseringsdatum"] == rich_case.first_contact_date.isoformat()
    assert case["Ansvarig enhet"] == "Mottagningsgruppen (Demokommun)"
    steps = {step["_title"]: step for step in found["case_steps"]}
    assert steps["SIA-avstämning"]["Status"] == "Klart"
    assert steps["SIA-avstämning"]["Ärende"] == f"Ärende {rich_case.reference}"
    (note,) = found["journal_entries"]
    assert note["Anteckning"] == "Ringde om bostaden."
    assert note["Typ"] == "Telefonsamtal"
    assert note["Roll när anteckningen skrevs"] == "Socialsekreterare, mottagning"
    (objection,) = found["journal_objections"]
    assert objection["Personens egna ord"] == "Jag sa att jag vill bo kvar."
    assert objection["Journalanteckning"] == "Journalanteckning 1"
    assert found["alignments"][0]["Information som samhällsvägledaren ska ge"] == (
        "Berätta om SFI."
    )
    assert found["referrals"][0]["Behov"] == "Stöd med boendet"
    (answer,) = found["first_visits"][0]["Kartläggning"]
    assert answer.endswith(": Bor i andrahand.")
    assert found["sia_plans"][0]["Kartläggning, sammanfattning"] == "Behöver bostadsvägledning."
    (consent,) = found["consents"]
    assert consent["Syfte"] == "Samordna ersättningen under etableringen."
    assert consent["Mottagande organisationer"] == ["Försäkringskassan"]
    assert consent["Uppgifter som får lämnas"] == [
        "Identitet och kontaktuppgifter",
        "Ärendets steg och ansvariga",
    ]
    (disclosure,) = found["disclosures"]
    assert disclosure["Mottagare"] == "Försäkringskassan"
    assert disclosure["Vad som lämnades"] == "Kallelse"
    assert disclosure["Rättslig grund"] == "Samtycke (OSL 12 kap. 2 §)"
    assert found["team_tasks"][0]["Uppgift"] == "Boka studiebesök på SFI"
    assert found["collaboration_meetings"][0]["Rubrik"] == "SIP om arbete och hälsa"
    assert found["collaboration_meetings"][0]["Livsområden"] == [
        "Arbete och sysselsättning",
        "Psykisk hälsa",
    ]
    assert found["assessment_talks"][0]["Sammanfattning"] == "Berättade om sin situation i dag."
    assert found["future_plans"][0]["Personens mål"] == "Arbeta som undersköterska."
    assert found["future_plan_steps"][0]["Nästa steg"] == "Börja SFI"
    assert found["group_enrolments"][0]["_title"] == "Hälsoskola"
    (decision,) = found["support_decisions"]
    assert decision["Skäl för beslutet"] == "Behöver stöd med myndighetskontakter."
    assert decision["Beslut"] == "Beviljat"
    assert decision["Utförare"] == "Bosättningsenheten (Demokommun)"
    assert found["support_plan_items"][0]["Ska fungera"] == "Betala hyran själv"
    assert found["provider_log"][0]["Vad"] == "Ekonomisk rådgivning"
    assert found["housing_tasks"]
    assert found["establishment_programme"][0]["Inskriven på Arbetsförmedlingen"] == (
        timezone.localdate().isoformat()
    )
    assert found["outcomes"][0]["Egen försörjning vid start"] is False
    (report,) = found["concern_reports"]
    assert report["Inkom"] == timezone.localdate().isoformat()
    assert report["Registrerad av"] == "Biträdande enhetschef, Mottagningsgruppen (Demokommun)"


def test_the_json_file_holds_nothing_about_another_person(
    rich_case: Case, other_case: Case, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    content = download(login("chef"), rich_case, "json").content.decode("utf-8")

    for text in ("Bertil", "Annansson", OTHER_PURPOSE, OTHER_REASONS, other_case.reference):
        assert text not in content
    # An outside party of the SIP is named by organisation and function, not by name.
    assert "Rut Regionsson" not in content
    assert "Region Demoland" in content


def test_staff_are_named_by_role_and_unit_never_by_name(
    rich_case: Case, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    content = download(login("chef"), rich_case, "json").content.decode("utf-8")

    assert "Socialsekreterare, mottagning, Mottagningsgruppen (Demokommun)" in content
    assert "Samhällsvägledare, Samhällsvägledning (Demokommun)" in content
    for username in ("socsek", "vagledare1", "chef", "bosattning"):
        user = staff[username]
        assert user.get_full_name() not in content
        assert f'"{user.username}"' not in content


def test_dates_are_iso_and_the_file_is_utf8_with_every_letter(
    rich_case: Case, login: Callable[[str], Client]
) -> None:
    content = download(login("chef"), rich_case, "json").content

    assert "Försäkringskassan".encode() in content
    body = json.loads(content)
    dt.datetime.fromisoformat(body["produced_at"])
    (case,) = sections(body)["cases"]
    dt.datetime.fromisoformat(case["Skapad"])
    assert "\\u00f6" not in content.decode("utf-8")


def test_the_audit_summary_names_who_read_by_organisation_unit_and_role(
    rich_case: Case, login: Callable[[str], Client]
) -> None:
    body = json.loads(download(login("chef"), rich_case, "json").content)

    summary = sections(body)["audit"]
    actions = {row["Händelse"] for row in summary}
    assert "Registrerade person" in actions
    assert "Fattade beslut om insats" in actions
    decision = next(row for row in summary if row["Händelse"] == "Fattade beslut om insats")
    assert decision["Organisation"] == "Demokommun"
    assert decision["Enhet"] == "Mottagningsgruppen"
    assert decision["Roll"] == "Biträdande enhetschef"
    assert decision["Antal"] == 1
    assert decision["Datum"] == timezone.localdate().isoformat()


def test_the_pdf_holds_the_title_page_the_section_headings_and_key_values(
    rich_case: Case, login: Callable[[str], Client]
) -> None:
    response = download(login("chef"), rich_case, "pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Registerutdrag",
        "Amina Extraktsson",
        "Personuppgiftsansvarig: Socialnämnden i Demokommun",
        f"Datum: {timezone.localdate().isoformat()}",
        "Vad utdraget omfattar",
        "Personuppgifter",
        "Ärenden",
        "Samtycken",
        "Utlämnanden",
        "Beslut om insats",
        "Orosanmälningar",
        "Journalanteckningar",
        "Jag sa att jag vill bo kvar.",
        "Vem som har läst och ändrat uppgifterna",
        "Samordna ersättningen under etableringen.",
        "Behöver stöd med myndighetskontakter.",
        rich_case.reference,
        f"Sida 1 av {len(reader.pages)}",
    ):
        assert expected in text, expected
    assert "Sara Sekreterare" not in text


def test_one_audit_event_per_extract_with_its_format(
    rich_case: Case, login: Callable[[str], Client], api_as: Callable[[str], APIClient]
) -> None:
    client = login("chef")

    download(client, rich_case, "pdf")
    assert [e.changes for e in extracts_made(rich_case.person_id)] == [{"format": "pdf"}]
    download(client, rich_case, "json")
    api_as("chef").get(f"/api/v1/persons/{rich_case.person_id}/extract/")

    events = sorted(extracts_made(rich_case.person_id), key=lambda e: e.pk)
    assert [(e.changes["format"], e.channel) for e in events] == [
        ("pdf", Channel.WEB),
        ("json", Channel.WEB),
        ("json", Channel.API),
    ]
    assert {(e.actor_username, e.role) for e in events} == {("chef", Role.DEPUTY_UNIT_MANAGER)}
    assert {e.unit.name for e in events if e.unit} == {"Mottagningsgruppen"}


def test_the_page_explains_the_extract_and_produces_nothing(
    make_case: CaseFactory, login: Callable[[str], Client]
) -> None:
    case = make_case()

    response = login("chef").get(url(case))

    assert response.status_code == 200
    page = response.content.decode()
    assert "artikel 15" in page
    assert 'value="pdf"' in page
    assert 'value="json"' in page
    assert "no-store" in response["Cache-Control"]
    assert not extracts_made(case.person_id)
    assert AuditEvent.objects.filter(
        action=AuditAction.PERSON_VIEWED, person_id=case.person_id, actor_username="chef"
    ).exists()


def test_the_person_page_links_to_the_extract_for_the_manager_only(
    make_case: CaseFactory, login: Callable[[str], Client]
) -> None:
    case = make_case()

    assert url(case) in login("chef").get(f"/personer/{case.person_id}/").content.decode()
    assert url(case) not in login("socsek").get(f"/personer/{case.person_id}/").content.decode()


# Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("data", [{"format": "xml"}, {"format": ""}, {}])
def test_an_unknown_format_is_refused_with_a_clear_error_and_nothing_written(
    make_case: CaseFactory, login: Callable[[str], Client], data: dict[str, str]
) -> None:
    case = make_case()

    response = login("chef").post(url(case), data)

    assert response.status_code == 400
    assert "Välj PDF eller JSON." in response.content.decode()
    assert not extracts_made(case.person_id)


def test_other_methods_are_refused_without_an_error(
    make_case: CaseFactory, login: Callable[[str], Client], api_as: Callable[[str], APIClient]
) -> None:
    case = make_case()

    assert login("chef").put(url(case)).status_code == 405
    assert api_as("chef").post(f"/api/v1/persons/{case.person_id}/extract/").status_code == 405
    assert not extracts_made(case.person_id)


def test_a_malformed_id_is_not_found(login: Callable[[str], Client], staff: Any) -> None:
    assert login("chef").get("/personer/not-a-uuid/registerutdrag/").status_code == 404


# Access ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("chef", 200),
        ("socsek", 404),
        ("vagledare1", 404),
        ("af", 404),
        ("analytiker", 404),
        ("admin", 404),
        ("annan", 404),
    ],
)
def test_only_the_deputy_manager_produces_the_extract(
    make_case: CaseFactory,
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
    username: str,
    status: int,
) -> None:
    case = make_case()
    client = login(username)

    assert client.get(url(case)).status_code == status
    assert download(client, case, "json").status_code == status
    assert download(client, case, "xml").status_code == (400 if status == 200 else 404)
    api = api_as(username).get(f"/api/v1/persons/{case.person_id}/extract/")
    assert api.status_code == status
    assert len(extracts_made(case.person_id)) == (2 if status == 200 else 0)


def test_a_missing_person_and_a_forbidden_one_look_the_same(
    make_case: CaseFactory, login: Callable[[str], Client]
) -> None:
    case = make_case()
    missing = "00000000-0000-4000-8000-000000000000"

    assert (
        login("chef").post(f"/personer/{missing}/registerutdrag/", {"format": "pdf"}).status_code
        == 404
    )
    assert login("socsek").post(url(case), {"format": "pdf"}).status_code == 404


def test_a_manager_of_a_unit_that_does_not_answer_for_the_person_gets_404(
    make_case: CaseFactory, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    case = make_case()
    Membership.objects.create(
        user=staff["annan"],
        unit=Unit.objects.get(name="Ekonomiskt bistånd, vuxna"),
        role=Role.DEPUTY_UNIT_MANAGER,
    )

    assert login("annan").get(url(case)).status_code == 404


def test_a_person_without_a_case_is_the_registering_units_manager_s(
    make_person: PersonFactory, login: Callable[[str], Client]
) -> None:
    person = make_person()

    response = login("chef").post(url(person), {"format": "json"})

    assert response.status_code == 200
    assert sections(json.loads(response.content))["cases"] == []


def test_a_protected_person_s_extract_holds_the_address_for_a_manager_who_may_see_it(
    make_case: CaseFactory, make_person: PersonFactory, login: Callable[[str], Client]
) -> None:
    person = make_person(protected_identity=True, street_address="Hemliga vägen 2", city="Ort")
    case = make_case(person)

    page = login("chef").get(url(case))
    content = download(login("chef"), case, "json").content.decode("utf-8")

    assert "skyddade personuppgifter" in page.content.decode()
    assert "Hemliga vägen 2" in content


def test_a_manager_without_the_protected_details_permission_gets_404_for_a_protected_person(
    make_case: CaseFactory, make_person: PersonFactory, staff: dict[str, User], reception: Unit
) -> None:
    case = make_case(make_person(protected_identity=True))
    manager = User.objects.create_user(username="chef2", password="x")
    Membership.objects.create(user=manager, unit=reception, role=Role.DEPUTY_UNIT_MANAGER)
    assert not manager.has_perm("people.view_protected_details")
    client = Client()
    client.force_login(manager)

    assert client.get(url(case)).status_code == 404
    assert client.post(url(case), {"format": "pdf"}).status_code == 404
    assert not extracts_made(case.person_id)
    permission = Permission.objects.get(codename="view_protected_details")
    manager.user_permissions.add(permission)
    client.force_login(User.objects.get(pk=manager.pk))
    assert client.get(url(case)).status_code == 200


def test_a_relative_with_protected_identity_is_not_named(
    make_case: CaseFactory, make_person: PersonFactory, staff: dict[str, User]
) -> None:
    case = make_case()
    relative = make_person(
        given_name="Skyddad", family_name="Släktingsson", protected_identity=True
    )
    HouseholdLink.objects.create(
        person=relative, relative=case.person, relation=HouseholdLink.Relation.CHILD
    )

    body = extract_data(build_extract(case.person))

    content = json.dumps(body, ensure_ascii=False)
    assert "Släktingsson" not in content
    link = sections(body)["person"][-1]
    assert link["Relation"] == "Förälder"
    assert link["Anhörig"] == "Lämnas inte ut (skyddade personuppgifter)"


def test_the_api_answers_the_same_structure_as_the_file(
    rich_case: Case, login: Callable[[str], Client], api_as: Callable[[str], APIClient]
) -> None:
    api = api_as("chef").get(f"/api/v1/persons/{rich_case.person_id}/extract/")
    file = json.loads(download(login("chef"), rich_case, "json").content)

    assert api.status_code == 200
    assert "no-store" in api["Cache-Control"]
    body = api.json()
    assert [s["key"] for s in body["sections"]] == [s["key"] for s in file["sections"]]
    assert sections(body)["consents"] == sections(file)["consents"]


# Cost -------------------------------------------------------------------------------------


def add_rows(case: Case, staff: dict[str, User], n: int) -> None:
    """An assessment talk, a SIP meeting, a support decision and a journal note, by staff
    who vary with `n`."""
    guide = staff["vagledare1" if n % 2 else "vagledare2"]
    today = timezone.localdate()
    assessment_services.record_talk(
        case_id=case.pk,
        kind="talk_2",
        held_on=today,
        answers={},
        summary=f"Samtal {n}.",
        participants="",
        recorded_by=guide,
        channel=Channel.WEB,
    )
    meeting_services.create_meeting(
        actor=guide,
        kind=Meeting.Kind.SIP,
        case_id=case.pk,
        data=meeting_services.MeetingInput(
            title=f"SIP {n}",
            starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=n),
            purpose="Samordna insatser",
            life_areas=["work"],
            person_wants_sip=True,
            place="Stadshuset",
        ),
        channel=Channel.WEB,
    )
    decision_services.make_decision(
        actor=staff["chef"],
        case_id=case.pk,
        applied_for=f"Stöd {n}.",
        applied_on=today,
        outcome=SupportDecision.Outcome.GRANTED,
        decided_support=f"Stöd {n}.",
        legal_basis=SupportDecision.LegalBasis.SOL_4_1,
        reasons="Behöver stöd.",
        provider_id=Unit.objects.get(name="Bosättningsenheten").pk,
        valid_from=today,
        valid_until=None,
        appeal_notice="",
        channel=Channel.WEB,
    )
    journal_services.write_entry(
        case_id=case.pk,
        occurred_at=timezone.now() - dt.timedelta(hours=n),
        kind="phone_call",
        text=f"Anteckning {n}.",
        written_by=guide if n % 2 else staff["socsek"],
        channel=Channel.WEB,
    )


def count_queries(person: Person) -> int:
    with CaptureQueriesContext(connection) as queries:
        build_extract(person)
    return len(queries)


def test_the_extract_costs_the_same_number_of_queries_for_more_records(
    rich_case: Case, make_case: CaseFactory, staff: dict[str, User]
) -> None:
    person = rich_case.person
    Case.objects.filter(pk=rich_case.pk).update(
        stage=Case.Stage.CLOSED,
        closed_on=timezone.localdate(),
        closing_reason=Case.ClosingReason.MOVED,
    )
    second = make_case(person, team=("vagledare1", "vagledare2"))
    record_every_step(second, staff)
    record_collaboration(second, staff)
    record_support(second, staff)
    build_extract(person)  # warm lookups such as content types
    few = count_queries(person)
    for n in range(1, 5):
        add_rows(second, staff, n)
    many = count_queries(person)
    extract = extract_data(build_extract(person))
    found = sections(extract)
    assert len(found["cases"]) == 2
    assert len(found["assessment_talks"]) == 6
    assert len(found["collaboration_meetings"]) == 6
    assert len(found["support_decisions"]) == 6
    assert len(found["journal_entries"]) == 5
    assert many == few
