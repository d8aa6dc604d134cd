"""Consultations with specialists: about a case of the team, or anonymous without personal data."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case, TeamFunction
from sia.consent.models import Disclosure
from sia.core.exceptions import NotFoundOrForbidden, ValidationFailed
from sia.demo.synthetic import personal_number
from sia.teamwork import selectors, services
from sia.teamwork.models import Consultation
from sia.teamwork.tests.conftest import ConsentFactory, add_af

Login = Callable[[str], Client]
TEST_NUMBER = personal_number(dt.date(1990, 3, 14), serial=987)


@pytest.fixture
def case(make_case: CaseFactory, staff: dict[str, User]) -> Case:
    """A case on whose team `ug` is the psychologist."""
    case = make_case(team=("vagledare1",))
    services.add_team_member(
        actor=staff["socsek"],
        case_id=case.pk,
        user_id=staff["ug"].pk,
        function=TeamFunction.PSYCHOLOGIST,
        channel=Channel.SYSTEM,
    )
    return case


@pytest.mark.parametrize(
    "number",
    [
        TEST_NUMBER,
        f"{TEST_NUMBER[2:8]}-{TEST_NUMBER[8:]}",
        personal_number(dt.date(1990, 3, 14), serial=991, coordination=True),
    ],
)
def test_an_anonymous_question_with_an_identity_number_is_refused_and_not_stored(
    staff: dict[str, User], login: Login, number: str
) -> None:
    client = login("vagledare1")
    form_page = client.get(reverse("consultations")).content.decode()

    answer = client.post(
        reverse("consultations"),
        {
            "specialist_function": TeamFunction.PSYCHOLOGIST,
            "question": f"Kvinna, {number}, sover dåligt. Hur går vi vidare?",
        },
    )

    assert "Skriv inga namn, personnummer, samordningsnummer" in form_page
    assert answer.status_code == 400
    assert "får inte innehålla personnummer" in answer.content.decode()
    assert not Consultation.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CONSULTATION_ASKED).exists()


def test_numbers_that_are_not_identity_numbers_are_allowed(staff: dict[str, User]) -> None:
    consultation = services.ask_consultation(
        actor=staff["vagledare1"],
        specialist_function=TeamFunction.PSYCHOLOGIST,
        question="Ring 0701234567 eller dossier 12-345678; 1234567890 är inget personnummer.",
        channel=Channel.SYSTEM,
    )

    assert consultation.is_anonymous


def test_an_anonymous_question_is_answered_by_one_holding_the_function(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    login("vagledare1").post(
        reverse("consultations"),
        {
            "specialist_function": TeamFunction.PSYCHOLOGIST,
            "question": "En ung man som inte är inskriven har svåra mardrömmar. Vart hänvisar vi?",
        },
    )
    consultation = Consultation.objects.get()
    asked = AuditEvent.objects.get(action=AuditAction.CONSULTATION_ASKED)
    psychologist = login("ug")
    waiting = psychologist.get(reverse("consultations")).content.decode()

    with pytest.raises(NotFoundOrForbidden):
        services.answer_consultation(
            actor=staff["annan"],
            consultation_id=consultation.pk,
            answer="Vet inte.",
            channel=Channel.SYSTEM,
        )
    answered = psychologist.post(
        reverse("consultation-answer", args=[consultation.pk]),
        {f"c{consultation.pk}-answer": "Vårdcentralen kan remittera till traumamottagningen."},
    )
    consultation.refresh_from_db()

    assert asked.person_id is None
    assert asked.case_id is None
    assert "svåra mardrömmar" in waiting
    assert answered.status_code == 302
    assert consultation.status == Consultation.Status.ANSWERED
    assert consultation.answered_by == staff["ug"]
    assert (
        "traumamottagningen" in login("vagledare1").get(reverse("consultations")).content.decode()
    )
    assert AuditEvent.objects.get(action=AuditAction.CONSULTATION_ANSWERED).case_id is None


def test_a_case_question_goes_to_the_named_specialist_on_the_team(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    with pytest.raises(ValidationFailed):
        services.ask_consultation(
            actor=staff["vagledare1"],
            case_id=case.pk,
            specialist_function=TeamFunction.PSYCHOLOGIST,
            specialist_id=staff["integration"].pk,  # not on the team
            question="Hur stöttar vi henne?",
            channel=Channel.SYSTEM,
        )
    asked = login("vagledare1").post(
        reverse("case-consultations", args=[case.pk]),
        {
            "specialist_function": TeamFunction.PSYCHOLOGIST,
            "specialist": str(staff["ug"].pk),
            "question": "Hur stöttar vi henne inför SFI-start?",
        },
    )
    consultation = Consultation.objects.get()

    assert asked.status_code == 302
    assert consultation.case == case
    assert AuditEvent.objects.get(action=AuditAction.CONSULTATION_ASKED).case_id == case.pk
    assert list(selectors.list_consultations_to_answer(staff["ug"])) == [consultation]
    assert list(selectors.list_consultations_to_answer(staff["socsek"])) == []
    assert login("annan").get(reverse("case-consultations", args=[case.pk])).status_code == 404

    services.answer_consultation(
        actor=staff["ug"],
        consultation_id=consultation.pk,
        answer="Korta pass.",
        channel=Channel.WEB,
    )
    page = login("vagledare1").get(reverse("case-consultations", args=[case.pk]))
    assert "Korta pass." in page.content.decode()


def test_only_the_asker_withdraws_an_unanswered_question(
    case: Case, staff: dict[str, User]
) -> None:
    consultation = services.ask_consultation(
        actor=staff["vagledare1"],
        case_id=case.pk,
        specialist_function=TeamFunction.PSYCHOLOGIST,
        question="Behövs en bedömning?",
        channel=Channel.SYSTEM,
    )

    with pytest.raises(NotFoundOrForbidden):
        services.withdraw_consultation(
            actor=staff["ug"], consultation_id=consultation.pk, channel=Channel.SYSTEM
        )
    services.withdraw_consultation(
        actor=staff["vagledare1"], consultation_id=consultation.pk, channel=Channel.SYSTEM
    )
    consultation.refresh_from_db()

    assert consultation.status == Consultation.Status.WITHDRAWN
    assert list(selectors.list_consultations_to_answer(staff["ug"])) == []


def test_a_partner_reads_case_consultations_only_while_consent_shares_case_data(
    case: Case,
    staff: dict[str, User],
    login: Login,
    api_as: Callable[[str], APIClient],
    consent_for: ConsentFactory,
) -> None:
    add_af(case, staff)
    consent = consent_for(case)  # shares case data and plans with Arbetsförmedlingen
    services.ask_consultation(
        actor=staff["af"],
        case_id=case.pk,
        specialist_function=TeamFunction.PSYCHOLOGIST,
        question="Klarar hon heltidspraktik?",
        channel=Channel.SYSTEM,
    )
    services.ask_consultation(
        actor=staff["vagledare1"],
        case_id=case.pk,
        specialist_function=TeamFunction.EMPLOYMENT_OFFICER,
        specialist_id=staff["af"].pk,
        question="Finns det lediga praktikplatser inom vården?",
        channel=Channel.SYSTEM,
    )
    af = login("af")

    with_consent = af.get(reverse("consultations")).content.decode()
    listed = AuditEvent.objects.filter(
        action=AuditAction.CASE_LISTED, actor=staff["af"], case_id=case.pk
    ).count()
    disclosed = Disclosure.objects.filter(recipient=staff["af"], case=case).count()
    consent.data_kinds = ["plans"]
    consent.save(update_fields=["data_kinds"])
    without_case_kind = af.get(reverse("consultations")).content.decode()
    case_page = af.get(reverse("case-consultations", args=[case.pk]))
    consent.data_kinds = ["case", "plans"]
    consent.withdrawn_on = timezone.localdate()
    consent.save(update_fields=["data_kinds", "withdrawn_on"])
    withdrawn = af.get(reverse("consultations")).content.decode()
    api = api_as("af")

    assert "Klarar hon heltidspraktik?" in with_consent
    assert "lediga praktikplatser" in with_consent
    assert listed == 1  # one read recorded for the case, though both rows name it
    assert disclosed >= 1
    for page in (without_case_kind, withdrawn):
        assert "heltidspraktik" not in page
        assert "lediga praktikplatser" not in page
    assert case_page.status_code == 404
    assert api.get(reverse("api-consultation-list")).json() == []
    assert api.get(reverse("api-consultation-list"), {"box": "to_answer"}).json() == []
    assert list(selectors.list_consultations_to_answer(staff["af"])) == []
    with pytest.raises(NotFoundOrForbidden):
        services.answer_consultation(
            actor=staff["af"],
            consultation_id=Consultation.objects.get(specialist=staff["af"]).pk,
            answer="Ja.",
            channel=Channel.SYSTEM,
        )
    # The municipal asker still reads the question.
    assert (
        "lediga praktikplatser"
        in login("vagledare1").get(reverse("consultations")).content.decode()
    )
