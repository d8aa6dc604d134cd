"""The SIA plan pages: propose, agree, new versions, activity status, print view and PDF."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.core.exceptions import InvalidTransition
from sia.core.pdf import pdf_text
from sia.core.tests.pages import hidden_values
from sia.meetings.first_visit import record_first_visit
from sia.plans import services
from sia.plans.models import PlanActivity, SiaPlan
from sia.process.models import CaseStep, CatalogueItem
from sia.process.services import allocate_case, transfer_case

Login = Callable[[str], Client]


@pytest.fixture
def case(make_case: CaseFactory) -> Case:
    return make_case(team=("vagledare1",))


def activity(key: str) -> CatalogueItem:
    return CatalogueItem.objects.get(catalogue__key="sia-activities", key=key)


def rows(*activities: dict[str, Any], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        "form-TOTAL_FORMS": str(len(activities)),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "50",
    }
    for n, row in enumerate(activities):
        defaults = {"status": "planned"}
        for name, value in {**defaults, **row}.items():
            data[f"form-{n}-{name}"] = value
    return data


def loaded(case: Case) -> dict[str, Any]:
    """The hidden fields of the plan page as it shows the case's latest version now."""
    latest = SiaPlan.objects.filter(case=case).order_by("-version").first()
    if latest is None:
        return {"lock_version": 0}
    return {"based_on": str(latest.pk), "lock_version": latest.lock_version}


def proposal(
    activities: dict[str, Any] | None = None, *, case: Case | None = None, **overrides: Any
) -> dict[str, Any]:
    if activities is None:
        activities = rows(
            {
                "catalogue_item": str(activity("sprakcafe").pk),
                "responsible": "Biblioteket",
                "start_date": "2026-12-01",
                "target_date": "2027-02-01",
            },
            {"title": "Öppna bankkonto", "start_date": "2026-12-01"},
        )
    data = {
        "assessment": "Behöver stöd med bostad.",
        "guidance_needs": "Förstärkt bostadsvägledning.",
        **activities,
    }
    data.update(loaded(case) if case else {})
    data.update(overrides)
    return data


def plan_url(case: Case) -> str:
    return reverse("plan", kwargs={"case_id": case.pk})


def propose(case: Case, staff: dict[str, User], **fields: Any) -> SiaPlan:
    return services.propose_plan(
        case_id=case.pk, proposed_by=staff["socsek"], channel=Channel.SYSTEM, **fields
    )


def agree(case: Case, plan: SiaPlan, staff: dict[str, User]) -> SiaPlan:
    plan.refresh_from_db()
    return services.agree_plan(
        case_id=case.pk,
        plan_id=plan.pk,
        agreed_by=staff["socsek"],
        channel=Channel.SYSTEM,
        expected_version=plan.lock_version,
    )


def snapshot(plan: SiaPlan) -> tuple[Any, ...]:
    plan.refresh_from_db()
    activities = [
        (a.pk, a.name, a.responsible, a.start_date, a.target_date, a.status, a.updated_at)
        for a in plan.activities.order_by("order")
    ]
    return (
        plan.version,
        plan.status,
        plan.assessment,
        plan.guidance_needs,
        plan.agreed_at,
        plan.agreed_by_id,
        plan.updated_at,
        activities,
    )


def test_proposing_a_plan_creates_a_first_version_with_its_activities(
    case: Case, login: Login
) -> None:
    response = login("socsek").post(plan_url(case), proposal(case=case))

    assert response.status_code == 302
    plan = SiaPlan.objects.get(case=case)
    assert (plan.version, plan.status) == (1, SiaPlan.Status.PROPOSED)
    assert plan.guidance_needs == "Förstärkt bostadsvägledning."
    assert [a.name for a in plan.activities.order_by("order")] == [
        "Språkcafé",
        "Öppna bankkonto",
    ]
    assert AuditEvent.objects.filter(action=AuditAction.PLAN_PROPOSED, case=case).exists()
    page = login("socsek").get(plan_url(case)).content.decode()
    assert "Version 1 (Förslag)" in page
    assert "Markera som överenskommen" in page


def test_the_new_plan_starts_from_the_first_visit_answers(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    record_first_visit(
        case_id=case.pk,
        held_at=timezone.now() - dt.timedelta(hours=1),
        answers={"boende": "Bor hos släkt, söker eget kontrakt."},
        continuing_support_need=True,
        notes="",
        received_document_ids=[],
        recorded_by=staff["socsek"],
        channel=Channel.SYSTEM,
    )

    page = login("socsek").get(plan_url(case)).content.decode()

    assert "Boende: Bor hos släkt, söker eget kontrakt." in page
    assert "Nytt förslag (version 1)" in page


def test_agreeing_freezes_the_version_and_completes_the_plan_step(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = propose(case, staff)
    client = login("vagledare1")
    agree_url = reverse("plan-agree", kwargs={"case_id": case.pk, "plan_id": plan.pk})
    shown = hidden_values(client.get(plan_url(case)).content.decode(), action=agree_url)

    response = client.post(agree_url, shown)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == SiaPlan.Status.AGREED
    assert plan.agreed_by == staff["vagledare1"]
    assert plan.agreed_at is not None
    step = CaseStep.objects.get(case=case, key="sia_plan")
    assert step.status == CaseStep.Status.DONE
    assert AuditEvent.objects.filter(action=AuditAction.PLAN_AGREED, case=case).count() == 1
    with pytest.raises(InvalidTransition):
        services.update_proposal(
            case_id=case.pk,
            plan_id=plan.pk,
            changed_by=staff["socsek"],
            channel=Channel.SYSTEM,
            assessment="Ändrad i efterhand",
        )


def test_a_change_after_agreement_makes_a_new_version_and_the_agreed_one_stays_unchanged(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    client = login("socsek")
    client.post(plan_url(case), proposal(case=case))
    first = SiaPlan.objects.get(case=case)
    agree(case, first, staff)
    before = snapshot(first)

    response = client.post(
        plan_url(case),
        proposal(
            rows({"title": "Föräldraskap i Sverige, kurs", "responsible": "Familjecentralen"}),
            assessment="Har fått eget kontrakt.",
            case=case,
        ),
    )

    assert response.status_code == 302
    assert snapshot(first) == before
    second = SiaPlan.objects.get(case=case, version=2)
    assert second.status == SiaPlan.Status.PROPOSED
    assert second.assessment == "Har fått eget kontrakt."
    assert [a.name for a in second.activities.all()] == ["Föräldraskap i Sverige, kurs"]
    page = client.get(plan_url(case)).content.decode()
    assert "Versioner" in page
    assert "Utskrift av version 1" in page


def test_a_new_proposal_starts_from_the_latest_versions_activities(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    first = propose(
        case,
        staff,
        activities=[services.ActivityInput(catalogue_item_id=activity("bostadsvagledning").pk)],
    )
    agree(case, first, staff)

    page = login("socsek").get(plan_url(case)).content.decode()
    copied = propose(case, staff)

    assert "Nytt förslag (version 2)" in page
    assert f'<option value="{activity("bostadsvagledning").pk}" selected>' in page
    assert [a.name for a in copied.activities.all()] == ["Bostadsvägledning"]
    assert copied.activities.get().pk != first.activities.get().pk


def test_a_second_proposal_while_one_is_open_is_refused(case: Case, staff: dict[str, User]) -> None:
    propose(case, staff)

    with pytest.raises(InvalidTransition):
        propose(case, staff)
    assert SiaPlan.objects.filter(case=case).count() == 1


def test_the_draft_can_be_edited_until_it_is_agreed(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = propose(case, staff)

    response = login("socsek").post(
        plan_url(case), proposal(rows(), case=case, assessment="Rättad sammanfattning.")
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.assessment == "Rättad sammanfattning."
    assert plan.activities.count() == 0
    assert SiaPlan.objects.filter(case=case).count() == 1


def test_the_status_of_an_activity_moves_on_the_agreed_version_and_is_audited(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = propose(case, staff, activities=[services.ActivityInput(title="Språkcafé")])
    agree(case, plan, staff)
    item = plan.activities.get()
    url = reverse(
        "plan-activity-status",
        kwargs={"case_id": case.pk, "plan_id": plan.pk, "activity_id": item.pk},
    )

    response = login("vagledare1").post(
        url, {"status": "ongoing", "lock_version": item.lock_version}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == PlanActivity.Status.ONGOING
    event = AuditEvent.objects.get(action=AuditAction.PLAN_ACTIVITY_UPDATED)
    assert event.changes["status"] == ["planned", "ongoing"]
    assert event.actor == staff["vagledare1"]


def test_the_status_on_a_replaced_agreed_version_does_not_move(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    first = propose(case, staff, activities=[services.ActivityInput(title="Språkcafé")])
    agree(case, first, staff)
    agree(case, propose(case, staff), staff)
    item = first.activities.get()
    url = reverse(
        "plan-activity-status",
        kwargs={"case_id": case.pk, "plan_id": first.pk, "activity_id": item.pk},
    )

    login("socsek").post(url, {"status": "done", "lock_version": item.lock_version})

    item.refresh_from_db()
    assert item.status == PlanActivity.Status.PLANNED
    assert not AuditEvent.objects.filter(action=AuditAction.PLAN_ACTIVITY_UPDATED).exists()


@pytest.mark.parametrize(
    "activities",
    [
        pytest.param(
            rows({"catalogue_item": "", "title": "", "responsible": "Någon"}), id="no activity"
        ),
        pytest.param(rows({"title": "Kurs", "catalogue_item": "x"}), id="bad catalogue item"),
        pytest.param(
            rows({"title": "Kurs", "start_date": "2027-02-01", "target_date": "2027-01-01"}),
            id="target before start",
        ),
        pytest.param(rows({"title": "Kurs", "status": "forgotten"}), id="unknown status"),
        pytest.param(rows({"title": "x" * 201}), id="title too long"),
    ],
)
def test_bad_input_shows_an_error_and_changes_nothing(
    case: Case, login: Login, activities: dict[str, Any]
) -> None:
    response = login("socsek").post(plan_url(case), proposal(activities, case=case))

    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not SiaPlan.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PLAN_PROPOSED).exists()


def test_a_responsible_user_must_be_on_the_team(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    response = login("socsek").post(
        plan_url(case),
        proposal(rows({"title": "Kurs", "responsible_user": staff["ug"].pk}), case=case),
    )

    assert response.status_code == 200
    assert not SiaPlan.objects.exists()


def test_the_print_view_shows_the_plan_in_plain_words_and_is_audited(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = propose(
        case, staff, activities=[services.ActivityInput(title="Språkcafé", responsible="Bibblan")]
    )

    response = login("socsek").get(
        reverse("plan-print", kwargs={"case_id": case.pk, "plan_id": plan.pk})
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Din SIA-plan" in page
    assert f"{case.person.given_name} {case.person.family_name}" in page
    assert "Språkcafé" in page
    assert "Bibblan" in page
    for identifier in case.person.identifiers.all():
        assert identifier.value not in page
        assert identifier.formatted not in page
    event = AuditEvent.objects.get(action=AuditAction.PLAN_PRINTED)
    assert event.changes["output"] == "html"


def test_the_pdf_downloads_with_a_filename_from_the_case_reference(
    make_case: CaseFactory, make_person: PersonFactory, login: Login, staff: dict[str, User]
) -> None:
    person = make_person(given_name="Şükrü Олег", family_name="Åkesson–Ng")
    case = make_case(person, team=("vagledare1",))
    plan = propose(case, staff, activities=[services.ActivityInput(title="Bostadsvägledning 🏠")])

    response = login("vagledare1").get(
        reverse("plan-pdf", kwargs={"case_id": case.pk, "plan_id": plan.pk})
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="sia-plan-{case.reference}-v1.pdf"'
    # A plan with personal data must not stay in a shared browser's or proxy's cache.
    assert "no-store" in response["Cache-Control"]
    for identifier in person.identifiers.all():
        assert identifier.value not in disposition
        assert identifier.value[2:8] not in disposition
    assert AuditEvent.objects.get(action=AuditAction.PLAN_PRINTED).changes["output"] == "pdf"


def test_text_the_pdf_fonts_cannot_draw_is_replaced_not_refused() -> None:
    assert pdf_text("Åsa Öberg – “ok”") == "Åsa Öberg – “ok”"
    assert pdf_text("Şükrü") == "Sükrü"
    assert pdf_text("Олег 🏠") == "???? ?"


def test_the_assessment_social_worker_takes_over_the_plan_after_transfer(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = propose(case, staff, activities=[services.ActivityInput(title="Språkcafé")])
    agree(case, plan, staff)
    allocate_case(
        case_id=case.pk,
        guides=[staff["vagledare1"]],
        social_worker=staff["socsek"],
        allocated_by=staff["chef"],
        channel=Channel.SYSTEM,
    )
    transfer_case(
        case_id=case.pk,
        assessment_worker=staff["ug"],
        transferred_by=staff["socsek"],
        channel=Channel.SYSTEM,
    )

    client = login("ug")
    page = client.get(plan_url(case))
    response = client.post(plan_url(case), proposal(case=case))

    assert page.status_code == 200
    assert "Språkcafé" in page.content.decode()
    assert response.status_code == 302
    assert SiaPlan.objects.get(case=case, version=2).created_by == staff["ug"]


@pytest.mark.parametrize("username", ["annan", "af"])
def test_outsiders_get_404_on_every_plan_page(
    case: Case, login: Login, staff: dict[str, User], username: str
) -> None:
    plan = propose(case, staff, activities=[services.ActivityInput(title="Språkcafé")])
    ids = {"case_id": case.pk, "plan_id": plan.pk}
    item = plan.activities.get()
    client = login(username)

    answers = [
        client.get(plan_url(case)).status_code,
        client.post(plan_url(case), proposal(case=case)).status_code,
        client.post(
            reverse("plan-agree", kwargs=ids), {"lock_version": plan.lock_version}
        ).status_code,
        client.post(
            reverse("plan-activity-status", kwargs={**ids, "activity_id": item.pk}),
            {"status": "done", "lock_version": item.lock_version},
        ).status_code,
        client.get(reverse("plan-print", kwargs=ids)).status_code,
        client.get(reverse("plan-pdf", kwargs=ids)).status_code,
    ]

    assert answers == [404] * len(answers)
    plan.refresh_from_db()
    assert plan.status == SiaPlan.Status.PROPOSED
    assert not AuditEvent.objects.filter(actor_username=username).exists()


def test_the_plan_page_and_print_view_do_not_query_per_activity(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    client = login("vagledare1")

    def counts(n: int) -> tuple[int, int]:
        plan = services.propose_plan(
            case_id=case.pk,
            proposed_by=staff["socsek"],
            channel=Channel.SYSTEM,
            activities=[
                services.ActivityInput(
                    catalogue_item_id=activity("sprakcafe").pk if i % 2 else None,
                    title="" if i % 2 else f"Egen {i}",
                    responsible_user_id=staff["vagledare1"].pk,
                )
                for i in range(n)
            ],
        )
        agree(case, plan, staff)
        with CaptureQueriesContext(connection) as page:
            client.get(plan_url(case))
        with CaptureQueriesContext(connection) as printed:
            client.get(reverse("plan-print", kwargs={"case_id": case.pk, "plan_id": plan.pk}))
        return len(page), len(printed)

    assert counts(2) == counts(12)
