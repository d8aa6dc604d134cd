"""The case page: its steps in order, what is next, what is late, and the timeline."""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from time_machine import TimeMachineFixture

from conftest import CaseFactory
from sia.accounts.models import User
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.models import Case

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def page_of(client: Client, case: Case) -> str:
    response = client.get(f"/arenden/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, title: str) -> str:
    start = page.index(title)
    return page[start : page.index("</section>", start)]


def test_the_case_page_lists_the_steps_in_order_with_role_and_due_date(
    make_case: CaseFactory, login: Callable[[str], Client], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(dt.datetime(2027, 3, 24, 9, tzinfo=STOCKHOLM), tick=False)
    case = make_case()
    steps = section(page_of(login("socsek"), case), ">Steg</h2>")
    titles = [
        "Fördelning",
        "SIA-avstämning",
        "Samhällsvägledningsmöte (SVA)",
        "Nybesök (IB:3)",
        "SIA-plan överenskommen",
        "Överföring till utredningsgruppen",
    ]
    positions = [steps.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Biträdande enhetschef" in steps
    assert "2027-03-30" in steps  # the alignment, over Easter
    assert "Ej öppnat" in steps  # the transfer waits for its event


def test_next_step_is_the_first_open_step_with_its_due_date_and_role(
    make_case: CaseFactory, login: Callable[[str], Client], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(dt.datetime(2027, 3, 24, 9, tzinfo=STOCKHOLM), tick=False)
    case = make_case()
    next_step = section(page_of(login("socsek"), case), "Nästa steg")
    assert "Fördelning" in next_step
    assert "2027-03-24" in next_step
    assert "Biträdande enhetschef" in next_step
    assert "Försenad" not in next_step


def test_an_open_step_past_its_due_date_is_marked_late(
    make_case: CaseFactory, login: Callable[[str], Client], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(dt.datetime(2027, 3, 24, 9, tzinfo=STOCKHOLM), tick=False)
    case = make_case()
    time_machine.move_to(dt.datetime(2027, 3, 31, 9, tzinfo=STOCKHOLM), tick=False)
    page = page_of(login("socsek"), case)
    assert "Försenad" in section(page, "Nästa steg")
    # Allocation and alignment are late; the guidance meeting and the rest are not yet.
    assert section(page, ">Steg</h2>").count("Försenad") == 2


def test_only_the_manager_gets_the_allocation_link(
    make_case: CaseFactory, login: Callable[[str], Client]
) -> None:
    case = make_case()
    link = f"/arenden/{case.pk}/fordelning/"
    assert link in page_of(login("chef"), case)
    assert link not in page_of(login("socsek"), case)
    assert link not in page_of(login("vagledare1"), case)


def test_steps_link_to_their_pages_and_the_first_contact_date_can_be_corrected(
    make_case: CaseFactory, login: Callable[[str], Client]
) -> None:
    case = make_case()
    page = page_of(login("socsek"), case)
    for path in ("avstamning", "samhallsvagledning", "nybesok", "sia-plan", "handlingar"):
        assert f"/arenden/{case.pk}/{path}/" in page
    assert f"/arenden/{case.pk}/aktualiseringsdatum/" in page
    assert f"/arenden/{case.pk}/aktualiseringsdatum/" not in page_of(login("vagledare1"), case)


def test_the_timeline_shows_what_was_done_and_not_who_read_it(
    make_case: CaseFactory, login: Callable[[str], Client]
) -> None:
    case = make_case()
    client = login("socsek")
    page_of(client, case)
    timeline = section(page_of(client, case), "Händelser i ärendet")
    assert "Aktualiserade ärende" in timeline
    assert "Öppnade steg" in timeline
    assert "Sara Sekreterare" in timeline
    assert "Visade ärende" not in timeline


def test_the_case_page_costs_the_same_queries_however_long_the_timeline(
    make_case: CaseFactory, login: Callable[[str], Client], staff: dict[str, User]
) -> None:
    case = make_case()
    client = login("socsek")
    client.get(f"/arenden/{case.pk}/")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/arenden/{case.pk}/").status_code == 200
        return len(queries)

    few = count()
    with transaction.atomic():
        for username in ("chef", "socsek", "vagledare1", "vagledare2", "ug") * 2:
            audit.record(
                actor=staff[username],
                action=AuditAction.CASE_UPDATED,
                channel=Channel.SYSTEM,
                person_id=case.person_id,
                case_id=case.pk,
            )
    assert count() == few
