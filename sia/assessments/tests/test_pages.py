"""The assessment pages: overview sections, the talk form, the future plan, PRG posts and
who sees what (partners only with consent to the data kind)."""

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sia.accounts.models import User
from sia.assessments import services
from sia.assessments.kinds import enrolment_end
from sia.assessments.models import AssessmentTalk, Barrier, Enrolment, FuturePlan, PostponedTopic
from sia.assessments.tests.conftest import GiveConsent
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.core.tests.pages import hidden_values

Login = Callable[[str], Client]


def overview_url(case: Case) -> str:
    return reverse("case-assessments", kwargs={"case_id": case.pk})


def test_overview_shows_every_section_and_flags_due_topics(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    services.postpone_topic(
        case_id=case.pk,
        topic="Orsak till flykt",
        remind_on=timezone.localdate(),
        recorded_by=staff["socsek"],
        channel=Channel.WEB,
    )
    services.enrol(
        case_id=case.pk,
        programme="cross_agency_team",
        started_on=timezone.localdate(),
        enrolled_by=staff["socsek"],
        channel=Channel.WEB,
    )
    response = login("vagledare1").get(overview_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "Fördjupningssamtal 1: nuvarande situation",
        "Gemensam kartläggning",
        "Framtids- och hälsoplan",
        "Dags att återkomma",
        "Kvarstående hinder",
        "Stegförflyttningar: 0",
        "Utfall: 0",
        "Tvärsektoriellt team",
    ]:
        assert text in page
    assert "Tidsgränsen passerad" not in page


def test_an_enrolment_past_its_time_limit_is_flagged_with_its_end_date(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    started = timezone.localdate() - dt.timedelta(days=200)
    Case.objects.filter(pk=case.pk).update(first_contact_date=started)
    enrolment = services.enrol(
        case_id=case.pk,
        programme="fixed_team",
        started_on=started,
        enrolled_by=staff["socsek"],
        channel=Channel.WEB,
    )
    page = login("socsek").get(overview_url(case)).content.decode()
    assert "Tidsgränsen passerad" in page
    assert enrolment_end(enrolment).isoformat() in page


def test_posting_a_topic_redirects_back_with_a_message(case: Case, login: Login) -> None:
    client = login("socsek")
    remind = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    response = client.post(
        reverse("assessment-topic-add", kwargs={"case_id": case.pk}),
        {"topic": "Familjen i hemlandet", "remind_on": remind},
        follow=True,
    )
    assert response.redirect_chain[0][0].startswith(overview_url(case))
    assert "Ämnet är uppskjutet." in response.content.decode()
    assert PostponedTopic.objects.filter(case=case, topic="Familjen i hemlandet").exists()


def test_a_refused_post_shows_the_reason_and_writes_nothing(case: Case, login: Login) -> None:
    response = login("socsek").post(
        reverse("assessment-progress-add", kwargs={"case_id": case.pk}),
        {
            "category": "outcome",
            "kind": "sfi_started",
            "occurred_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    assert "Det valda steget hör inte till kategorin." in response.content.decode()
    response = login("socsek").post(
        reverse("assessment-enrolment-add", kwargs={"case_id": case.pk}),
        {"programme": "nope", "started_on": timezone.localdate().isoformat(), "max_months": 6},
        follow=True,
    )
    assert response.status_code == 200
    assert not Enrolment.objects.exists()


def test_the_talk_form_asks_the_templates_questions_and_signs_corrections(
    case: Case, login: Login
) -> None:
    client = login("socsek")
    url = reverse("assessment-talk", kwargs={"case_id": case.pk, "kind": "joint"})
    page = client.get(url).content.decode()
    assert "Orsak till flykt eller flytt" in page
    data = {
        "held_on": timezone.localdate().isoformat(),
        "svar_halsotillstand": "Ont i ryggen",
        "participants": "AF och socialtjänsten",
        "summary": "",
    }
    assert client.post(url, data).status_code == 302
    data["svar_halsotillstand"] = "Ont i ryggen och knät"
    client.post(url, data)
    page = client.get(url).content.decode()
    assert "Ersatt av en rättelse" in page
    assert "Ont i ryggen och knät" in page
    assert AssessmentTalk.objects.filter(case=case, kind="joint").count() == 2


def test_talk_3_before_talk_1_warns_but_is_allowed(case: Case, login: Login) -> None:
    url = reverse("assessment-talk", kwargs={"case_id": case.pk, "kind": "talk_3"})
    page = login("socsek").get(url).content.decode()
    assert "är inte dokumenterat än" in page
    assert (
        login("socsek")
        .get(reverse("assessment-talk", kwargs={"case_id": case.pk, "kind": "talk_9"}))
        .status_code
        == 404
    )


def test_the_future_plan_page_saves_a_draft_and_the_person_agrees_it(
    case: Case, login: Login
) -> None:
    client = login("socsek")
    url = reverse("future-plan", kwargs={"case_id": case.pk})
    data = {
        "goal": "Arbeta som undersköterska",
        "health": "Promenader",
        "lock_version": "0",
        "steg-TOTAL_FORMS": "1",
        "steg-INITIAL_FORMS": "0",
        "steg-0-step": "Börja SFI",
        "steg-0-why": "För att klara jobbet",
        "steg-0-by_when": "",
    }
    assert client.post(url, data).status_code == 302
    plan = FuturePlan.objects.get(case=case)
    agree = reverse("future-plan-agree", kwargs={"case_id": case.pk, "plan_id": plan.pk})
    shown = hidden_values(client.get(url).content.decode(), action=agree)
    response = client.post(agree, {**shown, "agreed_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == FuturePlan.Status.AGREED
    page = client.get(url).content.decode()
    assert "Nytt utkast (version 2)" in page
    assert "Börja SFI" in page


def test_outsiders_get_404(case: Case, login: Login) -> None:
    assert login("annan").get(overview_url(case)).status_code == 404
    response = login("annan").post(
        reverse("assessment-barrier-add", kwargs={"case_id": case.pk}),
        {"kind": "housing", "noted_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    assert not Barrier.objects.exists()


def test_partner_without_consent_to_assessments_gets_404_and_with_it_sees_the_page(
    case: Case, staff: dict[str, User], login: Login, give_consent: GiveConsent
) -> None:
    services.record_barrier(
        case_id=case.pk,
        kind="mental_health",
        noted_on=timezone.localdate(),
        description="Mardrömmar",
        recorded_by=staff["socsek"],
        channel=Channel.WEB,
    )
    consent = give_consent(case, ["identity", "case"])
    client = login("af")
    assert client.get(overview_url(case)).status_code == 404
    talk = reverse("assessment-talk", kwargs={"case_id": case.pk, "kind": "talk_1"})
    assert client.get(talk).status_code == 404
    consent.data_kinds = ["identity", "case", "assessments"]
    consent.save(update_fields=["data_kinds"])
    response = client.get(overview_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mardrömmar" not in page  # a health barrier needs the health kind too
    assert "Framtids- och hälsoplan" not in page
    assert client.get(reverse("future-plan", kwargs={"case_id": case.pk})).status_code == 404
    consent.data_kinds = ["identity", "case", "assessments", "health"]
    consent.save(update_fields=["data_kinds"])
    assert "Mardrömmar" in client.get(overview_url(case)).content.decode()
    assert client.get(reverse("future-plan", kwargs={"case_id": case.pk})).status_code == 200
