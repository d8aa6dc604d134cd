"""Two people editing one SIA plan: exactly one save wins, the other gets the conflict."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.core.concurrency import EditConflict, save_if_unchanged
from sia.core.tests.pages import hidden_values
from sia.plans import services
from sia.plans.models import PlanActivity, SiaPlan
from sia.plans.tests.test_plans import agree, proposal, rows
from sia.process.models import CaseStep

Login = Callable[[str], Client]
ApiAs = Callable[[str], APIClient]

CONFLICT = "Någon annan har ändrat SIA-planen medan du arbetade. Din ändring har inte sparats."


@pytest.fixture
def case(make_case: CaseFactory) -> Case:
    return make_case(team=("vagledare1",))


def plan_url(case: Case) -> str:
    return reverse("plan", kwargs={"case_id": case.pk})


def load(client: Client, case: Case) -> dict[str, str]:
    """Open the plan page and keep the version its proposal form carries."""
    return version_of(client.get(plan_url(case)).content.decode())


def version_of(page: str) -> dict[str, str]:
    hidden = hidden_values(page)
    return {name: hidden[name] for name in ("lock_version", "based_on")}


def draft(case: Case, staff: dict[str, User], assessment: str = "Utgångsläge.") -> SiaPlan:
    return services.propose_plan(
        case_id=case.pk,
        proposed_by=staff["socsek"],
        channel=Channel.SYSTEM,
        assessment=assessment,
        activities=[services.ActivityInput(title="Språkcafé")],
    )


def edit(assessment: str, loaded: dict[str, str]) -> dict[str, Any]:
    return {**proposal(rows({"title": "Språkcafé"}), assessment=assessment), **loaded}


def proposals_audited(case: Case) -> int:
    return AuditEvent.objects.filter(case=case, action=AuditAction.PLAN_PROPOSED).count()


def test_the_second_save_of_a_draft_gets_the_conflict_with_the_first_change_shown(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)
    first, second = login("socsek"), login("vagledare1")
    first_loaded, second_loaded = load(first, case), load(second, case)
    audited = proposals_audited(case)

    saved = first.post(plan_url(case), edit("Bostad ordnad i mars.", first_loaded))
    refused = second.post(plan_url(case), edit("Söker bostad i Umeå.", second_loaded))

    assert saved.status_code == 302
    assert refused.status_code == 409
    page = refused.content.decode()
    assert CONFLICT in page
    assert "Bostad ordnad i mars." in page  # the other person's saved value
    assert "Söker bostad i Umeå." in page  # the user's own input, kept
    plan.refresh_from_db()
    assert plan.assessment == "Bostad ordnad i mars."
    assert plan.edited_by == staff["socsek"]
    assert proposals_audited(case) == audited + 1


def test_saving_again_after_reading_the_conflict_applies_the_users_change(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)
    client = login("vagledare1")
    loaded = load(client, case)
    services.update_proposal(
        case_id=case.pk,
        plan_id=plan.pk,
        changed_by=staff["socsek"],
        channel=Channel.SYSTEM,
        assessment="Ändrat av någon annan.",
    )
    refused = client.post(plan_url(case), edit("Min version.", loaded))
    rearmed = version_of(refused.content.decode())

    again = client.post(plan_url(case), edit("Min version.", rearmed))

    assert refused.status_code == 409
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.assessment == "Min version."


def test_two_new_proposals_at_once_never_both_become_the_draft(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    first, second = login("socsek"), login("vagledare1")
    first_loaded, second_loaded = load(first, case), load(second, case)

    saved = first.post(plan_url(case), edit("Förslag ett.", first_loaded))
    refused = second.post(plan_url(case), edit("Förslag två.", second_loaded))

    assert saved.status_code == 302
    assert refused.status_code == 409
    assert "Förslag ett." in refused.content.decode()
    assert list(SiaPlan.objects.filter(case=case).values_list("assessment", flat=True)) == [
        "Förslag ett."
    ]


def test_a_draft_agreed_while_someone_edits_it_is_not_changed(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)
    client = login("vagledare1")
    loaded = load(client, case)
    agree(case, plan, staff)

    refused = client.post(plan_url(case), edit("Sen ändring.", loaded))

    assert refused.status_code == 409
    assert "Överenskommen" in refused.content.decode()
    assert SiaPlan.objects.filter(case=case).count() == 1
    plan.refresh_from_db()
    assert plan.assessment == "Utgångsläge."


def test_the_second_status_change_of_an_activity_gets_the_conflict(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)
    agree(case, plan, staff)
    activity = plan.activities.get()
    url = reverse(
        "plan-activity-status",
        kwargs={"case_id": case.pk, "plan_id": plan.pk, "activity_id": activity.pk},
    )
    first, second = login("socsek"), login("vagledare1")
    first_loaded = hidden_values(first.get(plan_url(case)).content.decode(), action=url)
    second_loaded = hidden_values(second.get(plan_url(case)).content.decode(), action=url)

    saved = first.post(url, {**first_loaded, "status": "ongoing"})
    refused = second.post(url, {**second_loaded, "status": "cancelled"})

    assert saved.status_code == 302
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Någon annan har ändrat aktiviteten medan du arbetade." in page
    assert "Pågår" in page
    assert "Avbruten" in page
    activity.refresh_from_db()
    assert activity.status == PlanActivity.Status.ONGOING
    assert AuditEvent.objects.filter(action=AuditAction.PLAN_ACTIVITY_UPDATED).count() == 1


def test_a_stale_version_through_the_api_answers_409_with_the_current_plan(
    case: Case, api_as: ApiAs, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)
    url = reverse("api-plan-detail", kwargs={"case_id": case.pk, "plan_id": plan.pk})
    first, second = api_as("socsek"), api_as("vagledare1")
    loaded = second.get(url).json()["lock_version"]

    saved = first.patch(url, {"assessment": "Först.", "lock_version": loaded}, format="json")
    refused = second.patch(url, {"assessment": "Sist.", "lock_version": loaded}, format="json")
    missing = second.patch(url, {"assessment": "Utan version."}, format="json")

    assert saved.status_code == 200
    assert refused.status_code == 409
    body = refused.json()
    assert body["detail"] == [CONFLICT]
    assert body["changed_by"] == "socsek"
    assert body["current"]["assessment"] == "Först."
    assert body["current"]["lock_version"] == saved.json()["lock_version"]
    assert missing.status_code == 400
    plan.refresh_from_db()
    assert plan.assessment == "Först."


def agree_url(case: Case, plan: SiaPlan) -> str:
    return reverse("plan-agree", kwargs={"case_id": case.pk, "plan_id": plan.pk})


def plans_agreed(case: Case) -> int:
    return AuditEvent.objects.filter(case=case, action=AuditAction.PLAN_AGREED).count()


def test_agreeing_a_proposal_someone_changed_after_it_was_shown_gets_the_conflict(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = draft(case, staff, "Version som visades för personen.")
    shower, editor = login("socsek"), login("vagledare1")
    shown = hidden_values(shower.get(plan_url(case)).content.decode(), action=agree_url(case, plan))
    loaded = load(editor, case)
    assert editor.post(plan_url(case), edit("Ändrad av någon annan.", loaded)).status_code == 302

    refused = shower.post(agree_url(case, plan), shown)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert CONFLICT in page
    assert "Ändrad av någon annan." in page  # the change the newcomer was never shown
    plan.refresh_from_db()
    assert plan.status == SiaPlan.Status.PROPOSED
    assert plan.agreed_at is None
    assert plan.assessment == "Ändrad av någon annan."
    assert plans_agreed(case) == 0
    assert CaseStep.objects.get(case=case, key="sia_plan").status != CaseStep.Status.DONE


def test_agreeing_the_proposal_as_shown_again_after_the_conflict_works(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)
    client = login("socsek")
    shown = hidden_values(client.get(plan_url(case)).content.decode(), action=agree_url(case, plan))
    services.update_proposal(
        case_id=case.pk,
        plan_id=plan.pk,
        changed_by=staff["vagledare1"],
        channel=Channel.SYSTEM,
        assessment="Ändrad av någon annan.",
        expected_version=int(shown["lock_version"]),
    )
    assert client.post(agree_url(case, plan), shown).status_code == 409
    shown_again = hidden_values(
        client.get(plan_url(case)).content.decode(), action=agree_url(case, plan)
    )

    agreed = client.post(agree_url(case, plan), shown_again)

    assert agreed.status_code == 302
    plan.refresh_from_db()
    assert plan.status == SiaPlan.Status.AGREED
    assert plan.assessment == "Ändrad av någon annan."
    assert plans_agreed(case) == 1


def test_an_agree_without_the_shown_version_agrees_nothing(
    case: Case, login: Login, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)

    response = login("socsek").post(agree_url(case, plan), follow=True)

    assert "Sidan saknar uppgift om vilken version du utgick från." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == SiaPlan.Status.PROPOSED
    assert plans_agreed(case) == 0


def test_a_stale_agree_through_the_api_answers_409_and_agrees_nothing(
    case: Case, api_as: ApiAs, staff: dict[str, User]
) -> None:
    plan = draft(case, staff)
    url = reverse("api-plan-detail", kwargs={"case_id": case.pk, "plan_id": plan.pk})
    agree_api = reverse("api-plan-agree", kwargs={"case_id": case.pk, "plan_id": plan.pk})
    editor, shower = api_as("socsek"), api_as("vagledare1")
    shown = shower.get(url).json()["lock_version"]
    saved = editor.patch(url, {"assessment": "Ändrad.", "lock_version": shown}, format="json")

    refused = shower.post(agree_api, {"lock_version": shown}, format="json")
    missing = shower.post(agree_api, {}, format="json")

    assert refused.status_code == 409
    body = refused.json()
    assert body["detail"] == [CONFLICT]
    assert body["changed_by"] == "socsek"
    assert body["current"]["assessment"] == "Ändrad."
    assert body["current"]["status"] == "proposed"
    assert body["current"]["lock_version"] == saved.json()["lock_version"]
    assert missing.status_code == 400
    assert "lock_version" in missing.json()
    plan.refresh_from_db()
    assert plan.status == SiaPlan.Status.PROPOSED
    assert plans_agreed(case) == 0
    agreed = shower.post(
        agree_api, {"lock_version": body["current"]["lock_version"]}, format="json"
    )
    assert agreed.status_code == 200
    assert agreed.json()["status"] == "agreed"


def test_the_openapi_schema_says_a_stale_change_answers_409(api_as: ApiAs) -> None:
    schema = api_as("socsek").get(reverse("api-schema"), {"format": "json"}).json()

    detail = next(
        item
        for path, item in schema["paths"].items()
        if path.endswith("/cases/{case_id}/plans/{plan_id}/")
    )

    assert "409" in detail["patch"]["responses"]
    body = detail["patch"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][body.rsplit("/", 1)[1]]
    assert "lock_version" in component["properties"]
    conflict = detail["patch"]["responses"]["409"]["content"]["application/json"]["schema"]
    name = conflict["$ref"].rsplit("/", 1)[1]
    assert "current" in schema["components"]["schemas"][name]["properties"]


@pytest.mark.usefixtures("committed_db")
def test_two_sessions_racing_to_save_one_plan_exactly_one_wins(
    case: Case, staff: dict[str, User]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot run two writing connections at once.")
    plan = draft(case, staff)
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(username: str) -> None:
        try:
            start.wait()
            services.update_proposal(
                case_id=case.pk,
                plan_id=plan.pk,
                changed_by=staff[username],
                channel=Channel.SYSTEM,
                assessment=f"Sparat av {username}.",
                expected_version=plan.lock_version,
            )
            outcomes[username] = "saved"
        except EditConflict:
            outcomes[username] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(u,)) for u in ("socsek", "vagledare1")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(user for user, outcome in outcomes.items() if outcome == "saved")
    plan.refresh_from_db()
    assert plan.assessment == f"Sparat av {winner}."
    assert plan.lock_version == 2


@pytest.mark.usefixtures("committed_db")
def test_the_compare_and_swap_alone_lets_exactly_one_of_two_racing_saves_win(
    case: Case, staff: dict[str, User]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot run two writing connections at once.")
    plan = draft(case, staff)
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(username: str) -> None:
        # No lock on the case or the plan first: only the single UPDATE decides.
        mine = SiaPlan.objects.get(pk=plan.pk)
        mine.assessment = f"Sparat av {username}."
        try:
            with transaction.atomic():
                start.wait()
                save_if_unchanged(
                    mine,
                    expected_version=1,
                    fields=["assessment"],
                    changed_by=staff[username],
                    what="SIA-planen",
                )
            outcomes[username] = "saved"
        except EditConflict as conflict:
            saved = conflict.record
            assert isinstance(saved, SiaPlan)
            outcomes[username] = f"conflict with {saved.assessment}"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(u,)) for u in ("socsek", "vagledare1")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    plan.refresh_from_db()
    winner = next(user for user, outcome in outcomes.items() if outcome == "saved")
    loser = next(user for user in outcomes if user != winner)
    assert outcomes[loser] == f"conflict with Sparat av {winner}."
    assert plan.assessment == f"Sparat av {winner}."
    assert plan.lock_version == 2
