"""The SIA alignment page, the requested-documents list and the referrals to other units."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import CaseFactory
from sia.accounts.models import Unit, User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case
from sia.core.exceptions import InvalidTransition, ValidationFailed
from sia.meetings.alignment import (
    AlignmentInput,
    ReferralInput,
    create_referral,
    record_alignment,
    set_document_statuses,
    update_referral_status,
)
from sia.meetings.models import Alignment, DocumentRequest, Referral
from sia.process import services as process
from sia.process.models import CaseStep, CatalogueItem
from sia.process.workdays import add_working_days

Login = Callable[[str], Client]


@pytest.fixture
def case(make_case: CaseFactory) -> Case:
    return make_case(team=("vagledare1",))


def documents(*keys: str) -> list[CatalogueItem]:
    items = CatalogueItem.objects.filter(catalogue__key="sia-documents", key__in=keys)
    return list(items.order_by("order"))


def next_week() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0) + dt.timedelta(days=7)


def form_data(staff: dict[str, User], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "held_on": timezone.localdate().isoformat(),
        "documents": [item.pk for item in documents("personbevis", "hyreskontrakt")],
        "info_for_guide": "Berätta om SFI.",
        "first_visit_at": next_week().strftime("%Y-%m-%dT%H:%M"),
        "first_visit_minutes": "90",
        "standby_guide": staff["vagledare1"].pk,
        "notes": "",
        "behov-TOTAL_FORMS": "3",
        "behov-INITIAL_FORMS": "0",
        "behov-MIN_NUM_FORMS": "0",
        "behov-MAX_NUM_FORMS": "10",
    }
    data.update(overrides)
    return data


def step(case: Case, key: str) -> CaseStep:
    return CaseStep.objects.get(case=case, key=key)


def row_counts() -> tuple[int, int, int, int]:
    return (
        Alignment.objects.count(),
        DocumentRequest.objects.count(),
        Referral.objects.count(),
        AuditEvent.objects.filter(action=AuditAction.ALIGNMENT_RECORDED).count(),
    )


def alignment_input(staff: dict[str, User], **overrides: Any) -> AlignmentInput:
    values: dict[str, Any] = {
        "held_on": timezone.localdate(),
        "document_item_ids": [item.pk for item in documents("personbevis")],
        "first_visit_at": next_week(),
        "standby_guide_id": staff["vagledare1"].pk,
    }
    values.update(overrides)
    return AlignmentInput(**values)


def test_recording_an_alignment_builds_the_document_list_and_completes_the_step(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    response = login("socsek").post(f"/arenden/{case.pk}/avstamning/", form_data(staff))

    assert response.status_code == 302
    record = Alignment.objects.get(case=case)
    assert record.kind == Alignment.Kind.INITIAL
    assert record.author == staff["socsek"]
    assert record.standby_guide == staff["vagledare1"]
    assert record.first_visit_minutes == 90
    rows = DocumentRequest.objects.filter(case=case)
    assert {row.item.key for row in rows} == {"personbevis", "hyreskontrakt"}
    assert {row.status for row in rows} == {DocumentRequest.Status.REQUESTED}
    assert {row.status_date for row in rows} == {timezone.localdate()}
    assert step(case, "alignment").status == CaseStep.Status.DONE
    # The guidance meeting comes 10 working days after the alignment, but never after the
    # first visit that was just agreed (next week, earlier than its deadline).
    booked = timezone.localtime(next_week()).date()
    assert step(case, "first_visit").scheduled_on == booked
    assert step(case, "guidance_meeting").due_date == min(
        add_working_days(timezone.localdate(), 10), booked
    )
    assert step(case, "guidance_meeting").due_date == booked


def test_recording_is_audited_with_keys_and_counts_but_no_free_text(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    login("socsek").post(f"/arenden/{case.pk}/avstamning/", form_data(staff))

    event = AuditEvent.objects.get(action=AuditAction.ALIGNMENT_RECORDED, case_id=case.pk)
    assert event.actor == staff["socsek"]
    assert event.changes["documents_added"] == ["hyreskontrakt", "personbevis"]
    assert event.changes["kind"] == "initial"
    assert "SFI" not in str(event.changes)
    assert AuditEvent.objects.filter(
        action=AuditAction.STEP_COMPLETED, case_id=case.pk, changes__step="alignment"
    ).exists()


def test_alignment_page_shows_the_list_and_the_catalogue(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    client = login("vagledare1")
    client.post(f"/arenden/{case.pk}/avstamning/", form_data(staff))

    page = client.get(f"/arenden/{case.pk}/avstamning/").content.decode()

    assert "Personbevis" in page
    assert "Kontoutdrag för de tre senaste månaderna" in page  # offered in the form
    assert f'href="/arenden/{case.pk}/"' in page
    assert case.person.family_name in page


def test_a_second_alignment_is_a_correction_that_leaves_the_original_unchanged(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    client = login("socsek")
    client.post(f"/arenden/{case.pk}/avstamning/", form_data(staff))
    original = Alignment.objects.get(case=case)

    client.post(
        f"/arenden/{case.pk}/avstamning/",
        form_data(staff, info_for_guide="Rättat: ta upp BankID.", documents=[]),
    )

    correction = Alignment.objects.exclude(pk=original.pk).get(case=case)
    assert correction.supersedes == original
    unchanged = Alignment.objects.get(pk=original.pk)
    assert unchanged.info_for_guide == "Berätta om SFI."
    assert unchanged.updated_at == original.updated_at
    page = client.get(f"/arenden/{case.pk}/avstamning/").content.decode()
    assert "Ersatt av en rättelse" in page
    assert DocumentRequest.objects.filter(case=case).count() == 2


def test_standby_guide_must_be_a_guide_on_the_case_team(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    before = row_counts()

    response = login("socsek").post(
        f"/arenden/{case.pk}/avstamning/", form_data(staff, standby_guide=staff["vagledare2"].pk)
    )

    assert response.status_code == 200
    assert "standby_guide" in response.context["form"].errors
    assert row_counts() == before
    with pytest.raises(ValidationFailed), transaction.atomic():
        record_alignment(
            case_id=case.pk,
            data=alignment_input(staff, standby_guide_id=staff["socsek"].pk),
            recorded_by=staff["socsek"],
            channel=Channel.SYSTEM,
        )
    assert row_counts() == before
    assert step(case, "alignment").status == CaseStep.Status.OPEN


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}, "held_on"),
        (
            {
                "held_on": timezone.localdate().isoformat(),
                "first_visit_at": (timezone.localtime() - dt.timedelta(days=2)).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
            },
            "first_visit_at",
        ),
        ({"first_visit_at": ""}, "first_visit_at"),
        ({"documents": ["not-a-uuid"]}, "documents"),
        ({"first_visit_minutes": "5"}, "first_visit_minutes"),
    ],
)
def test_bad_alignment_input_is_refused_and_changes_nothing(
    case: Case, staff: dict[str, User], login: Login, overrides: dict[str, Any], field: str
) -> None:
    before = row_counts()

    response = login("socsek").post(
        f"/arenden/{case.pk}/avstamning/", form_data(staff, **overrides)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert row_counts() == before
    assert step(case, "alignment").status == CaseStep.Status.OPEN


def test_a_need_half_filled_in_is_refused(case: Case, staff: dict[str, User], login: Login) -> None:
    before = row_counts()

    response = login("socsek").post(
        f"/arenden/{case.pk}/avstamning/", form_data(staff, **{"behov-0-need": "Försörjning"})
    )

    assert response.status_code == 200
    assert response.context["formset"][0].errors
    assert row_counts() == before


def test_needs_for_help_become_referrals(
    case: Case, staff: dict[str, User], units: dict[str, Unit], login: Login
) -> None:
    data = form_data(
        staff,
        **{
            "behov-0-to_unit": units["Ekonomiskt bistånd, vuxna"].pk,
            "behov-0-need": "Ansökan om ekonomiskt bistånd.",
            "behov-1-to_unit_name": "Familjerätten",
            "behov-1-need": "Frågor om vårdnad.",
        },
    )

    login("socsek").post(f"/arenden/{case.pk}/avstamning/", data)

    referrals = list(Referral.objects.filter(case=case).order_by("created_at"))
    assert [r.status for r in referrals] == [Referral.Status.IDENTIFIED] * 2
    assert referrals[0].to_unit == units["Ekonomiskt bistånd, vuxna"]
    assert referrals[1].to_unit_name == "Familjerätten"
    assert referrals[0].alignment == Alignment.objects.get(case=case)
    assert AuditEvent.objects.filter(action=AuditAction.REFERRAL_CREATED).count() == 2


def test_a_unit_of_another_organisation_cannot_get_a_referral(
    case: Case, staff: dict[str, User], units: dict[str, Unit]
) -> None:
    with pytest.raises(ValidationFailed), transaction.atomic():
        create_referral(
            case_id=case.pk,
            referral=ReferralInput(need="Arbete", to_unit_id=units["Etablering Demostad"].pk),
            on=timezone.localdate(),
            created_by=staff["socsek"],
            channel=Channel.SYSTEM,
        )
    assert not Referral.objects.exists()


def test_after_transfer_the_alignment_is_the_transfer_kind_and_completes_that_step(
    case: Case, staff: dict[str, User]
) -> None:
    with transaction.atomic():
        record_alignment(
            case_id=case.pk,
            data=alignment_input(staff),
            recorded_by=staff["socsek"],
            channel=Channel.SYSTEM,
        )
        process.open_step(
            case=case, key="transfer", opened_by=staff["chef"], channel=Channel.SYSTEM
        )

    with transaction.atomic():
        record = record_alignment(
            case_id=case.pk,
            data=alignment_input(staff, first_visit_at=None, standby_guide_id=None),
            recorded_by=staff["vagledare1"],
            channel=Channel.SYSTEM,
        )

    assert record.kind == Alignment.Kind.TRANSFER
    assert record.supersedes is None
    assert step(case, "transfer").status == CaseStep.Status.DONE


def test_document_statuses_change_with_date_and_audit(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    client = login("socsek")
    client.post(f"/arenden/{case.pk}/avstamning/", form_data(staff))
    personbevis, hyreskontrakt = documents("personbevis", "hyreskontrakt")
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = client.post(
        f"/arenden/{case.pk}/handlingar/",
        {
            "action": "status",
            "on": yesterday.isoformat(),
            f"status_{personbevis.pk}": "received",
            f"status_{hyreskontrakt.pk}": "requested",
            f"version_{personbevis.pk}": "1",
            f"version_{hyreskontrakt.pk}": "1",
        },
    )

    assert response.status_code == 302
    row = DocumentRequest.objects.get(case=case, item=personbevis)
    assert (row.status, row.status_date) == (DocumentRequest.Status.RECEIVED, yesterday)
    untouched = DocumentRequest.objects.get(case=case, item=hyreskontrakt)
    assert untouched.status_date == timezone.localdate()
    event = AuditEvent.objects.get(action=AuditAction.DOCUMENTS_UPDATED)
    assert event.changes["status"] == {"personbevis": ["requested", "received"]}


def test_an_item_can_be_added_to_the_list_later(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    (item,) = documents("sfi-intyg")

    response = login("vagledare1").post(
        f"/arenden/{case.pk}/handlingar/",
        {"action": "add", "ny-item": item.pk, "ny-on": timezone.localdate().isoformat()},
    )

    assert response.status_code == 302
    assert DocumentRequest.objects.get(case=case).item == item
    assert AuditEvent.objects.filter(
        action=AuditAction.DOCUMENTS_UPDATED, changes__added="sfi-intyg"
    ).exists()


def test_setting_the_status_of_an_item_not_on_the_list_changes_nothing(
    case: Case, staff: dict[str, User]
) -> None:
    with transaction.atomic():
        record_alignment(
            case_id=case.pk,
            data=alignment_input(staff),
            recorded_by=staff["socsek"],
            channel=Channel.SYSTEM,
        )
    (personbevis,) = documents("personbevis")
    (other,) = documents("sfi-intyg")

    with pytest.raises(ValidationFailed):
        set_document_statuses(
            case_id=case.pk,
            changes={personbevis.pk: "received", other.pk: "received"},
            on=timezone.localdate(),
            changed_by=staff["socsek"],
            channel=Channel.SYSTEM,
        )

    assert DocumentRequest.objects.get(case=case).status == DocumentRequest.Status.REQUESTED
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENTS_UPDATED).exists()


def test_a_referral_moves_on_step_by_step_and_is_audited(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    client = login("socsek")
    client.post(
        f"/arenden/{case.pk}/remisser/",
        {
            "action": "new",
            "to_unit_name": "Familjerätten",
            "need": "Vårdnad",
            "on": timezone.localdate().isoformat(),
        },
    )
    referral = Referral.objects.get(case=case)
    today = timezone.localdate().isoformat()

    skipped = client.post(
        f"/arenden/{case.pk}/remisser/",
        {"action": "status", "referral": referral.pk, "status": "accepted", "on": today},
    )
    sent = client.post(
        f"/arenden/{case.pk}/remisser/",
        {"action": "status", "referral": referral.pk, "status": "sent", "on": today},
    )

    assert skipped.status_code == 200
    assert "kan inte gå från" in skipped.content.decode()
    assert sent.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.SENT
    event = AuditEvent.objects.get(action=AuditAction.REFERRAL_UPDATED)
    assert event.changes["status"] == ["identified", "sent"]
    with pytest.raises(InvalidTransition):
        update_referral_status(
            case_id=case.pk,
            referral_id=referral.pk,
            status="identified",
            on=timezone.localdate(),
            changed_by=staff["socsek"],
            channel=Channel.SYSTEM,
        )


PAGES = ("avstamning", "handlingar", "remisser", "samhallsvagledning")


@pytest.mark.parametrize("username", ["annan", "af", "vagledare2"])
@pytest.mark.parametrize("page", PAGES)
def test_outsiders_get_404_on_every_page_and_leave_nothing(
    case: Case, staff: dict[str, User], login: Login, username: str, page: str
) -> None:
    client = login(username)
    before = row_counts()

    assert client.get(f"/arenden/{case.pk}/{page}/").status_code == 404
    assert client.post(f"/arenden/{case.pk}/{page}/", form_data(staff)).status_code == 404
    assert row_counts() == before
    assert not AuditEvent.objects.filter(actor=staff[username]).exists()


@pytest.mark.parametrize("page", PAGES)
def test_team_and_manager_see_every_page(case: Case, login: Login, page: str) -> None:
    for username in ("socsek", "vagledare1", "chef"):
        response = login(username).get(f"/arenden/{case.pk}/{page}/")
        assert response.status_code == 200
        assert case.reference in response.content.decode()


def test_a_closed_case_shows_the_pages_without_forms(
    case: Case, staff: dict[str, User], login: Login
) -> None:
    Case.objects.filter(pk=case.pk).update(
        closed_on=timezone.localdate(), closing_reason="other", stage="closed"
    )
    client = login("socsek")

    page = client.get(f"/arenden/{case.pk}/avstamning/")

    assert page.status_code == 200
    assert "Signera avstämningen" not in page.content.decode()
    assert client.post(f"/arenden/{case.pk}/avstamning/", form_data(staff)).status_code == 404


def _add_referrals(case: Case, staff: dict[str, User], count: int) -> None:
    for n in range(count):
        with transaction.atomic():
            create_referral(
                case_id=case.pk,
                referral=ReferralInput(need=f"Behov {n}", to_unit_name=f"Enhet {n}"),
                on=timezone.localdate(),
                created_by=staff["socsek"],
                channel=Channel.SYSTEM,
            )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_with_rows(
    case: Case, staff: dict[str, User], login: Login, page: str
) -> None:
    client = login("socsek")
    url = f"/arenden/{case.pk}/{page}/"
    with transaction.atomic():
        record_alignment(
            case_id=case.pk,
            data=alignment_input(staff),
            recorded_by=staff["socsek"],
            channel=Channel.SYSTEM,
        )
    _add_referrals(case, staff, 2)
    client.get(url)
    few = _queries(client, url)
    with transaction.atomic():
        record_alignment(
            case_id=case.pk,
            data=alignment_input(
                staff,
                document_item_ids=[
                    i.pk for i in documents("kontoutdrag", "af-beslut", "fk-beslut")
                ],
            ),
            recorded_by=staff["socsek"],
            channel=Channel.SYSTEM,
        )
    _add_referrals(case, staff, 6)

    assert _queries(client, url) == few


def test_an_alignment_recorded_days_later_counts_from_the_day_it_was_held(
    case: Case, staff: dict[str, User]
) -> None:
    held_on = timezone.localdate() - dt.timedelta(days=3)
    far_first_visit = timezone.localtime() + dt.timedelta(days=40)
    record_alignment(
        case_id=case.pk,
        data=alignment_input(staff, held_on=held_on, first_visit_at=far_first_visit),
        recorded_by=staff["socsek"],
        channel=Channel.SYSTEM,
    )

    assert step(case, "alignment").completed_on == held_on
    first_visit_due = step(case, "first_visit").due_date
    assert first_visit_due is not None
    assert step(case, "guidance_meeting").due_date == min(
        add_working_days(held_on, 10), first_visit_due
    )
    assert add_working_days(held_on, 10) != add_working_days(timezone.localdate(), 10)
