"""Consent gates what partner users see, is recorded and withdrawn with clear rules, and
every disclosure to a partner is logged with its legal basis."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import Organisation, User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.consent.coverage import valid_on
from sia.consent.models import Consent, DataKind, Disclosure
from sia.consent.services import record_consent, withdraw_consent
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed

TODAY = timezone.localdate


def give_consent(
    staff: dict[str, User],
    case: Case,
    *,
    to: tuple[str, ...] = ("Arbetsförmedlingen",),
    kinds: tuple[str, ...] = tuple(DataKind.values),
    **overrides: Any,
) -> Consent:
    """Record a consent as the reception social worker, naming the organisations."""
    fields: dict[str, Any] = {
        "actor": staff["socsek"],
        "person_id": case.person_id,
        "case_id": case.pk,
        "kind": Consent.Kind.GENERAL,
        "given_by": Consent.GivenBy.PERSON,
        "given_by_name": "",
        "recipient_organisation_ids": list(
            Organisation.objects.filter(name__in=to).values_list("pk", flat=True)
        ),
        "recipient_unit_ids": [],
        "data_kinds": list(kinds),
        "purpose": "Planera insatser tillsammans med Arbetsförmedlingen.",
        "form": Consent.Form.WRITTEN,
        "given_on": TODAY() - dt.timedelta(days=10),
        "valid_until": None,
        "channel": Channel.WEB,
    }
    fields.update(overrides)
    return record_consent(**fields)


@pytest.fixture
def case(make_case: CaseFactory, make_person: PersonFactory) -> Case:
    person = make_person(street_address="Storgatan 1", postal_code="12345", city="Demostad")
    return make_case(person, team=("vagledare1", "af"))


def test_partner_on_the_team_sees_nothing_without_consent(
    case: Case, login: Callable[[str], Client], api_as: Callable[[str], APIClient]
) -> None:
    client, api = login("af"), api_as("af")
    assert client.get(f"/arenden/{case.pk}/").status_code == 404
    assert client.get(f"/personer/{case.person_id}/").status_code == 404
    assert case.person.family_name not in client.get("/arenden/").content.decode()
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert api.get("/api/v1/cases/").json()["count"] == 0
    assert api.get(f"/api/v1/persons/{case.person_id}/").status_code == 404
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize(
    ("kind", "basis"),
    [
        (Consent.Kind.GENERAL, Disclosure.LegalBasis.CONSENT),
        (Consent.Kind.SIP, Disclosure.LegalBasis.SIP_CONSENT),
    ],
)
def test_a_valid_consent_opens_the_case_and_every_read_is_logged_as_disclosure(
    case: Case,
    staff: dict[str, User],
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
    kind: str,
    basis: str,
) -> None:
    consent = give_consent(staff, case, kind=kind)
    client = login("af")
    assert client.get(f"/arenden/{case.pk}/").status_code == 200
    assert case.person.family_name in client.get("/arenden/").content.decode()
    assert api_as("af").get("/api/v1/cases/").json()["count"] == 1
    assert client.get(f"/personer/{case.person_id}/").status_code == 200
    disclosure = Disclosure.objects.filter(case=case, what=Disclosure.What.CASE).get()
    assert disclosure.legal_basis == basis
    assert disclosure.consent == consent
    assert disclosure.organisation.name == "Arbetsförmedlingen"
    assert disclosure.recipient == staff["af"]
    assert Disclosure.objects.filter(person=case.person, what=Disclosure.What.PERSON).count() == 1

    before = Disclosure.objects.count()
    login("socsek").get(f"/arenden/{case.pk}/")
    login("socsek").get(f"/personer/{case.person_id}/")
    assert Disclosure.objects.count() == before


def test_withdrawing_the_consent_cuts_access_at_once(
    case: Case,
    staff: dict[str, User],
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
) -> None:
    consent = give_consent(staff, case)
    assert login("af").get(f"/arenden/{case.pk}/").status_code == 200
    page = login("socsek").get(f"/personer/{case.person_id}/samtycken/{consent.pk}/")
    assert "Samtycke (OSL 12 kap. 2 §)" in page.content.decode()  # listed under Utlämnanden

    response = login("socsek").post(
        f"/personer/{case.person_id}/samtycken/{consent.pk}/",
        {"withdrawn_on": TODAY().isoformat(), "withdrawal_form": "oral", "note": "Per telefon."},
    )
    assert response.status_code == 302

    assert login("af").get(f"/arenden/{case.pk}/").status_code == 404
    assert login("af").get(f"/personer/{case.person_id}/").status_code == 404
    assert api_as("af").get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert api_as("af").get("/api/v1/cases/").json()["count"] == 0
    assert not Consent.objects.filter(valid_on(TODAY()), pk=consent.pk).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.CONSENT_WITHDRAWN, person_id=case.person_id
    ).exists()


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param(
            {
                "given_on": TODAY() - dt.timedelta(days=60),
                "valid_until": TODAY() - dt.timedelta(days=1),
            },
            id="expired",
        ),
        pytest.param({"to": ("Försäkringskassan",)}, id="names-another-organisation"),
    ],
)
def test_a_consent_that_does_not_cover_the_partner_today_gives_no_access(
    case: Case,
    staff: dict[str, User],
    login: Callable[[str], Client],
    overrides: dict[str, Any],
) -> None:
    give_consent(staff, case, **overrides)
    assert login("af").get(f"/arenden/{case.pk}/").status_code == 404
    assert login("af").get(f"/personer/{case.person_id}/").status_code == 404


def test_a_partner_without_the_identity_kind_sees_the_name_but_not_address_or_number(
    case: Case,
    staff: dict[str, User],
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
) -> None:
    give_consent(staff, case, kinds=(DataKind.CASE,))
    body = login("af").get(f"/personer/{case.person_id}/").content.decode()
    assert case.person.family_name in body
    assert "Storgatan" not in body
    assert "Ingår inte i samtycket" in body
    data = api_as("af").get(f"/api/v1/persons/{case.person_id}/").json()
    assert data["street_address"] == ""
    assert data["identifiers"] == []
    assert "Storgatan" in login("socsek").get(f"/personer/{case.person_id}/").content.decode()


def test_a_partner_with_the_identity_kind_sees_the_address(
    case: Case, staff: dict[str, User], login: Callable[[str], Client]
) -> None:
    give_consent(staff, case, kinds=(DataKind.IDENTITY, DataKind.CASE))
    body = login("af").get(f"/personer/{case.person_id}/").content.decode()
    assert "Storgatan" in body
    assert "Samtycken" not in body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"to": ()}, "recipient_organisations", "Välj minst en organisation"),
        ({"to": ("Demokommun",)}, "recipient_organisations", "Den egna kommunen"),
        ({"kinds": ()}, "data_kinds", "Välj minst en sorts uppgifter"),
        ({"kinds": ("secrets",)}, "data_kinds", "finns inte"),
        ({"purpose": "  "}, "purpose", "Ange syftet"),
        ({"given_on": TODAY() + dt.timedelta(days=1)}, "given_on", "framtiden"),
        (
            {"valid_until": TODAY() - dt.timedelta(days=20)},
            "valid_until",
            "före den dag det lämnades",
        ),
        ({"given_by": Consent.GivenBy.GUARDIAN}, "given_by_name", "Ange namnet"),
    ],
)
def test_an_invalid_consent_is_refused_with_a_clear_message_and_nothing_is_written(
    case: Case, staff: dict[str, User], overrides: dict[str, Any], field: str, message: str
) -> None:
    before = (Consent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as refused:
        give_consent(staff, case, **overrides)
    assert refused.value.field == field
    assert message in str(refused.value.message)
    assert (Consent.objects.count(), AuditEvent.objects.count()) == before


def test_the_page_shows_the_refusal_in_swedish_and_writes_nothing(
    case: Case, login: Callable[[str], Client]
) -> None:
    before = (Consent.objects.count(), AuditEvent.objects.count())
    response = login("socsek").post(
        f"/personer/{case.person_id}/samtycken/",
        {
            "kind": "general",
            "given_by": "person",
            "data_kinds": ["case"],
            "purpose": "Planering",
            "form": "written",
            "given_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Välj minst en organisation eller enhet" in response.content.decode()
    # The page itself audits the person read; no consent and no consent event.
    assert Consent.objects.count() == before[0]
    assert not AuditEvent.objects.filter(action=AuditAction.CONSENT_RECORDED).exists()


def test_recording_through_the_page_names_organisations_and_kinds_in_the_audit(
    case: Case, login: Callable[[str], Client]
) -> None:
    af = Organisation.objects.get(name="Arbetsförmedlingen")
    response = login("vagledare1").post(
        f"/personer/{case.person_id}/samtycken/",
        {
            "kind": "sip",
            "given_by": "guardian",
            "given_by_name": "Gustav God Man",
            "recipient_organisations": [str(af.pk)],
            "data_kinds": ["case", "meetings"],
            "purpose": "SIP om hälsa och arbete",
            "form": "written",
            "given_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.kind == Consent.Kind.SIP
    assert consent.data_kinds == ["case", "meetings"]
    event = AuditEvent.objects.get(action=AuditAction.CONSENT_RECORDED)
    assert event.person_id == case.person_id
    assert event.case_id is None
    assert event.changes["organisations"] == ["Arbetsförmedlingen"]
    assert event.changes["data_kinds"] == ["case", "meetings"]
    page = login("socsek").get(response["Location"]).content.decode()
    assert "Gäller" in page
    assert "Gustav God Man" in page


@pytest.mark.parametrize("username", ["af", "analytiker", "admin", "annan", "vagledare2"])
def test_only_municipal_caseworkers_who_see_the_person_reach_the_consent_pages(
    case: Case,
    staff: dict[str, User],
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
    username: str,
) -> None:
    consent = give_consent(staff, case)
    base = f"/personer/{case.person_id}/samtycken/"
    client = login(username)
    for url in (base, f"{base}{consent.pk}/", f"{base}{consent.pk}/utskrift/"):
        assert client.get(url).status_code == 404
    api = api_as(username)
    assert api.get(f"/api/v1/persons/{case.person_id}/consents/").status_code == 404
    assert api.get(f"/api/v1/persons/{case.person_id}/disclosures/").status_code == 404
    with pytest.raises(NotFoundOrForbidden):
        give_consent(staff, case, actor=staff[username])
    with pytest.raises(NotFoundOrForbidden):
        withdraw_consent(
            actor=staff[username],
            consent_id=consent.pk,
            withdrawn_on=TODAY(),
            withdrawal_form="oral",
            note="",
            channel=Channel.WEB,
        )
    assert login("vagledare1").get(base).status_code == 200


def test_the_person_page_lists_valid_consents_for_caseworkers(
    case: Case, staff: dict[str, User], login: Callable[[str], Client]
) -> None:
    give_consent(staff, case)
    body = login("socsek").get(f"/personer/{case.person_id}/").content.decode()
    assert "Samtycken" in body
    assert "Arbetsförmedlingen" in body
    assert f"/personer/{case.person_id}/samtycken/" in body


def test_withdrawal_rules(case: Case, staff: dict[str, User]) -> None:
    consent = give_consent(staff, case)

    def withdraw(**overrides: Any) -> Consent:
        fields: dict[str, Any] = {
            "actor": staff["socsek"],
            "consent_id": consent.pk,
            "withdrawn_on": TODAY(),
            "withdrawal_form": "written",
            "note": "",
            "channel": Channel.WEB,
        }
        return withdraw_consent(**{**fields, **overrides})

    for overrides, field in (
        ({"withdrawn_on": TODAY() + dt.timedelta(days=1)}, "withdrawn_on"),
        ({"withdrawn_on": consent.given_on - dt.timedelta(days=1)}, "withdrawn_on"),
        ({"withdrawal_form": ""}, "withdrawal_form"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            withdraw(**overrides)
        assert refused.value.field == field
    consent.refresh_from_db()
    assert consent.withdrawn_on is None

    assert withdraw().withdrawn_on == TODAY()
    with pytest.raises(InvalidTransition):
        withdraw()


def test_the_print_view_says_in_plain_words_what_was_consented_and_is_not_cached(
    case: Case, staff: dict[str, User], login: Callable[[str], Client]
) -> None:
    consent = give_consent(staff, case, valid_until=TODAY() + dt.timedelta(days=365))
    response = login("socsek").get(f"/personer/{case.person_id}/samtycken/{consent.pk}/utskrift/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ditt samtycke" in body
    assert "Arbetsförmedlingen" in body
    assert "Identitet och kontaktuppgifter" in body
    assert consent.purpose in body
    assert f"{consent.valid_until:%Y-%m-%d}" in body
    assert "ta tillbaka samtycket" in body
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert AuditEvent.objects.filter(
        action=AuditAction.CONSENT_PRINTED, person_id=case.person_id
    ).exists()


def test_api_round_trip_record_read_withdraw_and_see_disclosures(
    case: Case, api_as: Callable[[str], APIClient]
) -> None:
    api = api_as("socsek")
    base = f"/api/v1/persons/{case.person_id}/consents/"
    af = Organisation.objects.get(name="Arbetsförmedlingen")
    refused = api.post(base, {"form": "oral", "given_on": TODAY().isoformat()}, format="json")
    assert refused.status_code == 400
    assert "recipient_organisations" in refused.json()
    assert not Consent.objects.exists()

    created = api.post(
        base,
        {
            "case": str(case.pk),
            "recipient_organisations": [str(af.pk)],
            "data_kinds": ["case"],
            "purpose": "Gemensam planering",
            "form": "oral",
            "given_on": TODAY().isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    consent_id = created.json()["id"]
    assert created.json()["valid_today"] is True
    assert [row["id"] for row in api.get(base).json()] == [consent_id]

    assert api_as("af").get(f"/api/v1/cases/{case.pk}/").status_code == 200
    disclosures = api.get(f"/api/v1/persons/{case.person_id}/disclosures/").json()
    assert disclosures["count"] == 1
    assert disclosures["results"][0]["legal_basis"] == "consent"
    assert disclosures["results"][0]["organisation_name"] == "Arbetsförmedlingen"

    withdrawn = api.post(
        f"{base}{consent_id}/withdraw/",
        {"withdrawn_on": TODAY().isoformat(), "withdrawal_form": "written"},
        format="json",
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["valid_today"] is False
    assert api.get(f"{base}{consent_id}/").json()["withdrawn_on"] == TODAY().isoformat()
    again = api.post(
        f"{base}{consent_id}/withdraw/",
        {"withdrawn_on": TODAY().isoformat(), "withdrawal_form": "written"},
        format="json",
    )
    assert again.status_code == 409
    assert api_as("af").get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_a_consent_naming_only_the_partners_unit_covers_it(
    case: Case, staff: dict[str, User], login: Callable[[str], Client]
) -> None:
    unit = staff["af"].memberships.get().unit
    give_consent(staff, case, to=(), recipient_unit_ids=[unit.pk])
    assert login("af").get(f"/arenden/{case.pk}/").status_code == 200
    assert (
        Disclosure.objects.get(what=Disclosure.What.CASE).organisation.name == "Arbetsförmedlingen"
    )


def test_a_partners_case_list_costs_the_same_queries_for_one_case_or_many(
    case: Case,
    staff: dict[str, User],
    make_case: CaseFactory,
    login: Callable[[str], Client],
) -> None:
    give_consent(staff, case)
    client = login("af")
    client.get("/arenden/")  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get("/arenden/")
    for _n in range(3):
        give_consent(staff, make_case(team=("af",)))
    with CaptureQueriesContext(connection) as many:
        body = client.get("/arenden/").content.decode()
    assert body.count("/arenden/") >= 4
    assert Disclosure.objects.filter(what=Disclosure.What.CASE_LIST).count() == 1 + 1 + 4
    assert len(many) == len(one)
