"""Transfer to the assessment team, and correcting the first-contact date."""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from time_machine import TimeMachineFixture

from conftest import CaseFactory
from sia.accounts.models import Role, User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case, CaseTeamMember
from sia.process.models import CaseStep
from sia.process.services import allocate_case

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def allocated(make_case: CaseFactory, staff: dict[str, User]) -> Case:
    case = make_case(team=())
    allocate_case(
        case_id=case.pk,
        guides=[staff["vagledare1"]],
        social_worker=staff["socsek"],
        allocated_by=staff["chef"],
        channel=Channel.SYSTEM,
    )
    return case


def test_the_social_worker_transfers_the_case_to_the_assessment_team(
    allocated: Case, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    client = login("socsek")
    page = client.get(f"/arenden/{allocated.pk}/overforing/").content.decode()
    assert "Ulf Utredare" in page
    response = client.post(
        f"/arenden/{allocated.pk}/overforing/", {"assessment_worker": str(staff["ug"].pk)}
    )
    # She leaves the team with the transfer, so she lands on her own work, not the case.
    assert response["Location"] == "/mitt-arbete/"
    team = set(
        CaseTeamMember.objects.filter(case=allocated, left_at__isnull=True).values_list(
            "user__username", "role"
        )
    )
    assert team == {("vagledare1", Role.COMMUNITY_GUIDE), ("ug", Role.ASSESSMENT_SOCIAL_WORKER)}
    assert CaseStep.objects.get(case=allocated, key="transfer").status == CaseStep.Status.OPEN
    allocated.refresh_from_db()
    assert allocated.stage == Case.Stage.ASSESSMENT
    # The new worker sees the case and its open transfer step on the case page.
    case_page = login("ug").get(f"/arenden/{allocated.pk}/").content.decode()
    assert "Överföring till utredningsgruppen" in case_page
    assert "Överförde ärende till utredningsgruppen" in case_page


def test_the_transfer_page_is_offered_on_the_case_page_to_the_social_worker_only(
    allocated: Case, login: Callable[[str], Client]
) -> None:
    link = f"/arenden/{allocated.pk}/overforing/"
    assert link in login("socsek").get(f"/arenden/{allocated.pk}/").content.decode()
    assert link not in login("vagledare1").get(f"/arenden/{allocated.pk}/").content.decode()


def test_transfer_without_a_choice_is_a_clear_error(
    allocated: Case, login: Callable[[str], Client]
) -> None:
    response = login("socsek").post(f"/arenden/{allocated.pk}/overforing/", {})
    assert response.status_code == 200
    assert "Välj socialsekreterare i utredningsgruppen." in response.content.decode()
    assert CaseStep.objects.get(case=allocated, key="transfer").status == CaseStep.Status.PENDING


def test_a_case_waiting_for_allocation_cannot_be_transferred(
    make_case: CaseFactory, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    case = make_case(team=())
    response = login("socsek").post(
        f"/arenden/{case.pk}/overforing/", {"assessment_worker": str(staff["ug"].pk)}
    )
    assert response.status_code == 200
    assert "måste fördelas" in response.content.decode()
    assert CaseStep.objects.get(case=case, key="transfer").status == CaseStep.Status.PENDING
    assert not CaseTeamMember.objects.filter(case=case, user=staff["ug"]).exists()


@pytest.mark.parametrize("username", ["annan", "af", "vagledare1", "vagledare2", "ug"])
@pytest.mark.parametrize("page", ["overforing", "aktualiseringsdatum", "fordelning"])
def test_outsiders_and_guides_get_404_on_the_process_pages(
    allocated: Case, login: Callable[[str], Client], username: str, page: str
) -> None:
    client = login(username)
    assert client.get(f"/arenden/{allocated.pk}/{page}/").status_code == 404
    assert client.post(f"/arenden/{allocated.pk}/{page}/", {}).status_code == 404


def test_correcting_the_first_contact_date_moves_the_due_dates_on_the_case_page(
    make_case: CaseFactory, login: Callable[[str], Client], time_machine: TimeMachineFixture
) -> None:
    # Wednesday after Easter 2027; the contact was really the Wednesday before Easter.
    time_machine.move_to(dt.datetime(2027, 3, 31, 10, tzinfo=STOCKHOLM), tick=False)
    case = make_case(team=())
    assert CaseStep.objects.get(case=case, key="alignment").due_date == dt.date(2027, 4, 2)
    client = login("socsek")
    response = client.post(
        f"/arenden/{case.pk}/aktualiseringsdatum/", {"first_contact_date": "2027-03-24"}
    )
    assert response.status_code == 302
    assert CaseStep.objects.get(case=case, key="alignment").due_date == dt.date(2027, 3, 30)
    page = client.get(f"/arenden/{case.pk}/").content.decode()
    assert "2027-03-30" in page
    assert "Försenad" in page  # the alignment was due yesterday
    timeline = page[page.index("Händelser i ärendet") :]
    assert "Räknade om förfallodagar" in timeline
    assert "Aktualiseringsdatum 2027-03-31 → 2027-03-24" in timeline
    assert "SIA-avstämning: senast 2027-04-02 → 2027-03-30" in timeline


def test_a_first_contact_date_in_the_future_is_refused(
    make_case: CaseFactory, login: Callable[[str], Client]
) -> None:
    case = make_case(team=())
    tomorrow = case.first_contact_date + dt.timedelta(days=1)
    response = login("chef").post(
        f"/arenden/{case.pk}/aktualiseringsdatum/", {"first_contact_date": tomorrow.isoformat()}
    )
    assert response.status_code == 200
    assert "framtiden" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.DUE_DATES_RECOMPUTED).exists()
