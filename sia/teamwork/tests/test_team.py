"""The case team across organisations and its shared action plan, as users meet them."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import CaseFactory
from sia.accounts.models import Organisation, User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case, CaseTeamMember, TeamFunction
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.teamwork import selectors, services
from sia.teamwork.models import TeamTask
from sia.teamwork.tests.conftest import ConsentFactory, add_af, make_task

Login = Callable[[str], Client]


@pytest.fixture
def case(make_case: CaseFactory) -> Case:
    return make_case(team=("vagledare1",))


def team_url(case: Case) -> str:
    return reverse("case-team", args=[case.pk])


def status_url(case: Case, task: TeamTask) -> str:
    return reverse("case-task-status", args=[case.pk, task.pk])


def test_af_on_the_team_sees_the_case_only_with_consent_and_changes_only_af_tasks(
    case: Case,
    staff: dict[str, User],
    login: Login,
    consent_for: ConsentFactory,
    af_org: Organisation,
    municipality: Organisation,
) -> None:
    socsek = login("socsek")
    added = socsek.post(
        reverse("case-team-member-add", args=[case.pk]),
        {"member-user": str(staff["af"].pk), "member-function": TeamFunction.EMPLOYMENT_OFFICER},
    )
    member = CaseTeamMember.objects.get(case=case, user=staff["af"], left_at__isnull=True)
    af_task = make_task(case, staff["socsek"], af_org, title="Anmäla till etableringsprogram")
    kommun_task = make_task(case, staff["socsek"], municipality, title="Söka försörjningsstöd")
    af = login("af")

    assert added.status_code == 302
    assert member.role == "partner_caseworker"
    assert member.unit.organisation == af_org
    assert af.get(team_url(case)).status_code == 404

    consent_for(case)
    page = af.get(team_url(case))
    done = af.post(status_url(case, af_task), {"status": "in_progress", "lock_version": 1})
    refused = af.post(
        status_url(case, kommun_task),
        {"status": "done", "done_on": "2026-01-01", "lock_version": 1},
    )

    assert page.status_code == 200
    assert "Ansvaret för ärendet ligger kvar hos varje medlems egen handläggarroll." in (
        page.content.decode()
    )
    assert "Anmäla till etableringsprogram" in page.content.decode()
    assert done.status_code == 302
    assert refused.status_code == 404
    af_task.refresh_from_db()
    kommun_task.refresh_from_db()
    assert af_task.status == TeamTask.Status.IN_PROGRESS
    assert kommun_task.status == TeamTask.Status.OPEN
    assert AuditEvent.objects.filter(action=AuditAction.TASK_UPDATED, case_id=case.pk).count() == 1


def test_a_partner_whose_consent_leaves_out_plans_sees_the_team_but_no_tasks(
    case: Case,
    staff: dict[str, User],
    login: Login,
    consent_for: ConsentFactory,
    af_org: Organisation,
) -> None:
    add_af(case, staff)
    make_task(case, staff["socsek"], af_org, title="Hemlig uppgift")
    consent_for(case, kinds=("case",))

    page = login("af").get(team_url(case))

    assert page.status_code == 200
    assert "Hemlig uppgift" not in page.content.decode()
    assert "omfattar inte planer" in page.content.decode()


@pytest.mark.parametrize("persona", ["af", "annan", "vagledare2"])
def test_only_the_manager_or_a_municipal_member_adds_to_the_team(
    case: Case,
    staff: dict[str, User],
    login: Login,
    consent_for: ConsentFactory,
    persona: str,
) -> None:
    add_af(case, staff)
    consent_for(case)
    before = CaseTeamMember.objects.count(), AuditEvent.objects.count()

    answer = login(persona).post(
        reverse("case-team-member-add", args=[case.pk]),
        {"member-user": str(staff["ug"].pk), "member-function": TeamFunction.PSYCHOLOGIST},
    )

    assert answer.status_code == 404
    assert CaseTeamMember.objects.filter(user=staff["ug"]).count() == 0
    assert CaseTeamMember.objects.count() == before[0]
    assert not AuditEvent.objects.filter(action=AuditAction.TEAM_MEMBER_ADDED).exclude(
        changes__user="af"
    )


def test_adding_a_member_twice_keeps_one_row_and_the_manager_may_add(
    case: Case, staff: dict[str, User]
) -> None:
    first = services.add_team_member(
        actor=staff["chef"],
        case_id=case.pk,
        user_id=staff["ug"].pk,
        function=TeamFunction.PSYCHOLOGIST,
        channel=Channel.SYSTEM,
    )
    second = services.add_team_member(
        actor=staff["socsek"],
        case_id=case.pk,
        user_id=staff["ug"].pk,
        function=TeamFunction.SUPERVISOR,
        channel=Channel.SYSTEM,
    )

    assert first.pk == second.pk
    assert CaseTeamMember.objects.filter(case=case, user=staff["ug"]).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.TEAM_MEMBER_ADDED).count() == 1


def test_team_page_lists_members_and_staff_of_every_organisation_to_add(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    page = login("socsek").get(team_url(case)).content.decode()

    assert "Samhällsvägledare" in page  # vagledare1's own role
    assert '<optgroup label="Arbetsförmedlingen">' in page
    assert "Alva Förmedlare" in page
    assert "Analytiker" not in page.split('id="id_member-user"')[1].split("</select>")[0]


def test_members_are_removed_but_the_last_municipal_member_stays(
    case: Case, staff: dict[str, User], login: Login, consent_for: ConsentFactory
) -> None:
    add_af(case, staff)
    consent_for(case)
    socsek = login("socsek")

    removed = socsek.post(
        reverse("case-team-member-remove", args=[case.pk, staff["vagledare1"].pk])
    )
    left = login("af").post(reverse("case-team-member-remove", args=[case.pk, staff["af"].pk]))

    assert removed.status_code == 302
    assert left.status_code == 302
    assert set(
        CaseTeamMember.objects.filter(case=case, left_at__isnull=True).values_list(
            "user__username", flat=True
        )
    ) == {"socsek"}
    with pytest.raises(InvalidTransition):
        services.remove_team_member(
            actor=staff["socsek"],
            case_id=case.pk,
            user_id=staff["socsek"].pk,
            channel=Channel.SYSTEM,
        )
    assert AuditEvent.objects.filter(action=AuditAction.TEAM_MEMBER_REMOVED).count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"task-title": ""}, "title"),
        ({"task-due_on": "2020-01-01"}, "due_on"),
        ({"task-owner": "af-user"}, "owner"),
    ],
)
def test_invalid_tasks_are_refused_and_nothing_is_written(
    case: Case,
    staff: dict[str, User],
    login: Login,
    municipality: Organisation,
    data: dict[str, str],
    field: str,
) -> None:
    add_af(case, staff)
    body = {
        "task-title": "Följa upp SFI",
        "task-owner_organisation": str(municipality.pk),
        "task-owner": str(staff["vagledare1"].pk),
        "task-due_on": "",
        **data,
    }
    if body["task-owner"] == "af-user":
        body["task-owner"] = str(staff["af"].pk)  # on the team, but not in the municipality

    answer = login("socsek").post(reverse("case-task-add", args=[case.pk]), body)

    assert answer.status_code == 400
    assert answer.context["task_form"].errors.get(field)
    assert not TeamTask.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.TASK_CREATED).exists()


def test_a_task_is_added_and_shown_late_then_done_with_its_date(
    case: Case, staff: dict[str, User], login: Login, municipality: Organisation
) -> None:
    vagledare = login("vagledare1")
    added = vagledare.post(
        reverse("case-task-add", args=[case.pk]),
        {
            "task-title": "Följa upp SFI",
            "task-owner_organisation": str(municipality.pk),
            "task-owner": str(staff["vagledare1"].pk),
            "task-due_on": timezone.localdate().isoformat(),
        },
    )
    task = TeamTask.objects.get()
    TeamTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    page = vagledare.get(team_url(case)).content.decode()
    no_date = vagledare.post(status_url(case, task), {"status": "done", "lock_version": 1})
    task.refresh_from_db()
    status_after_no_date = task.status
    with_date = vagledare.post(
        status_url(case, task),
        {"status": "done", "done_on": timezone.localdate().isoformat(), "lock_version": 1},
    )
    task.refresh_from_db()

    assert added.status_code == 302
    assert task.source == TeamTask.Source.TEAM
    assert task.created_by == staff["vagledare1"]
    assert "Försenad" in page
    assert "Uppgifter som Demokommun ansvarar för" in page
    assert no_date.status_code == 302
    assert status_after_no_date == TeamTask.Status.OPEN
    assert with_date.status_code == 302
    assert task.status == TeamTask.Status.DONE
    assert task.done_on == timezone.localdate()
    assert list(selectors.list_my_open_tasks(staff["vagledare1"])) == []


def test_group_tasks_need_no_team_seat_but_team_tasks_do(
    case: Case, staff: dict[str, User], municipality: Organisation
) -> None:
    group_task = services.create_task(
        actor=staff["integration"],
        case=case,
        title="Individuell uppföljning efter Hälsoskola",
        owner_organisation=municipality,
        owner=staff["vagledare1"],
        source=TeamTask.Source.GROUP,
        channel=Channel.SYSTEM,
    )

    with pytest.raises(NotFoundOrForbidden):
        make_task(case, staff["integration"], municipality)
    with pytest.raises(ValidationFailed):
        services.create_task(
            actor=staff["socsek"],
            case=case,
            title="x" * 301,
            owner_organisation=municipality,
            source=TeamTask.Source.TEAM,
            channel=Channel.SYSTEM,
        )
    assert list(selectors.list_my_open_tasks(staff["vagledare1"])) == [group_task]
    assert list(selectors.list_my_open_tasks(staff["annan"])) == []


def test_my_open_tasks_leave_out_cases_i_can_no_longer_see(
    case: Case, staff: dict[str, User], af_org: Organisation, consent_for: ConsentFactory
) -> None:
    add_af(case, staff)
    services.create_task(
        actor=staff["socsek"],
        case=case,
        title="Matchning mot jobb",
        owner_organisation=af_org,
        owner=staff["af"],
        source=TeamTask.Source.TEAM,
        channel=Channel.SYSTEM,
    )

    without_consent = list(selectors.list_my_open_tasks(staff["af"]))
    consent_for(case)
    with_consent = list(selectors.list_my_open_tasks(staff["af"]))

    assert without_consent == []
    assert [task.title for task in with_consent] == ["Matchning mot jobb"]


def test_the_team_page_does_not_query_per_task(
    case: Case, staff: dict[str, User], login: Login, municipality: Organisation
) -> None:
    client = login("socsek")
    make_task(case, staff["socsek"], municipality)
    with CaptureQueriesContext(connection) as one:
        client.get(team_url(case))
    for number in range(4):
        make_task(case, staff["socsek"], municipality, title=f"Uppgift {number}")
    with CaptureQueriesContext(connection) as five:
        client.get(team_url(case))

    assert len(five) == len(one)


def test_services_are_a_package_over_the_shared_text_rules() -> None:
    from sia.core import text
    from sia.teamwork.services import common

    assert hasattr(services, "__path__")  # sia/teamwork/services/ with modules per concern
    assert {"add_team_member", "create_task", "ask_consultation"} <= set(services.__all__)
    assert common.clean_text is text.clean_text
    assert common.check_not_too_far_ahead is text.check_not_too_far_ahead
    assert services.MAX_TEXT == text.MAX_TEXT
