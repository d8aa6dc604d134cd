"""Every journal page and endpoint against every persona: whoever sees the case reads the
journal, its caseworkers write it, everyone else gets exactly what a missing case gives.

Given the access matrix's case (opened by `socsek`, `vagledare1` on its team) with a note, its
correction and an objection, built once for the module and rolled back after it.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from uuid import UUID

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker
from rest_framework.test import APIClient

from conftest import PASSWORD
from sia.accounts.models import User
from sia.audit.models import AuditEvent, Channel
from sia.demo.staff import create_staff
from sia.journal import services
from sia.journal.models import JournalEntry, Objection
from tests.test_access_matrix import (
    CASE_VIEWERS,
    MISSING,
    PERSONAS,
    normalised,
    open_reception_case,
)

Ids = dict[str, UUID]
WRITERS = frozenset({"chef", "socsek", "vagledare1"})

PAGES = [
    "/arenden/{case}/journal/",
    "/arenden/{case}/journal/{entry}/",
    "/arenden/{case}/journal/{correction}/",
    "/api/v1/cases/{case}/journal/",
    "/api/v1/cases/{case}/journal/{entry}/",
    "/api/v1/cases/{case}/journal/{correction}/",
]
# (url, form or JSON body) of every write; "{today}" is today's date.
WRITES = [
    ("/arenden/{case}/journal/", {"occurred_at": "{now}", "kind": "note", "text": "Ny."}),
    (
        "/arenden/{case}/journal/{correction}/rattelse/",
        {"occurred_at": "{now}", "kind": "note", "text": "Ny.", "reason": "Fel."},
    ),
    (
        "/arenden/{case}/journal/{entry}/avvikande-mening/",
        {"text": "Nej.", "received_as": "oral", "received_on": "{today}"},
    ),
    ("/api/v1/cases/{case}/journal/", {"occurred_at": "{iso}", "kind": "note", "text": "Ny."}),
    ("/api/v1/cases/{case}/journal/{correction}/corrections/", {"text": "Ny.", "reason": "Fel."}),
    (
        "/api/v1/cases/{case}/journal/{entry}/objections/",
        {"text": "Nej.", "received_as": "oral", "received_on": "{today}"},
    ),
]


@pytest.fixture(scope="module")
def recorded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[tuple[dict[str, User], Ids]]:
    with django_db_blocker.unblock(), transaction.atomic():
        with translation.override(settings.LANGUAGE_CODE):
            staff = create_staff(password=PASSWORD)
            case = open_reception_case(staff)
            entry = services.write_entry(
                case_id=case.pk,
                occurred_at=timezone.now() - dt.timedelta(hours=2),
                kind="phone_call",
                text="Ringde om bostaden.",
                written_by=staff["socsek"],
                channel=Channel.WEB,
            )
            correction = services.correct_entry(
                case_id=case.pk,
                entry_id=entry.pk,
                text="Ringde om bostaden och SFI.",
                reason="Glömde SFI.",
                written_by=staff["vagledare1"],
                channel=Channel.WEB,
            )
            services.record_objection(
                case_id=case.pk,
                entry_id=entry.pk,
                text="Vi pratade inte om bostaden.",
                received_as="written",
                received_on=timezone.localdate(),
                recorded_by=staff["socsek"],
                channel=Channel.WEB,
            )
        with django_db_blocker.block():
            yield staff, {"case": case.pk, "entry": entry.pk, "correction": correction.pk}
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def staff(recorded: tuple[dict[str, User], Ids]) -> dict[str, User]:
    return recorded[0]


@pytest.fixture
def ids(recorded: tuple[dict[str, User], Ids], db: None) -> Ids:
    return recorded[1]


def _values(ids: Ids) -> dict[str, str]:
    now = timezone.localtime() - dt.timedelta(minutes=5)
    return {key: str(value) for key, value in ids.items()} | {
        "today": timezone.localdate().isoformat(),
        "now": now.strftime("%Y-%m-%dT%H:%M"),
        "iso": now.isoformat(),
    }


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize("template", PAGES)
def test_whoever_sees_the_case_reads_its_journal_and_nobody_else(
    ids: Ids, login: Callable[[str], Client], username: str, template: str
) -> None:
    response = login(username).get(template.format(**ids))
    assert response.status_code == (200 if username in CASE_VIEWERS else 404)
    if username in CASE_VIEWERS and not template.startswith("/api/"):
        assert "Ringde om bostaden" in response.content.decode()


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize(("template", "body"), WRITES)
def test_only_the_municipalitys_caseworkers_on_the_case_write_its_journal(
    ids: Ids,
    staff: dict[str, User],
    username: str,
    template: str,
    body: dict[str, str],
) -> None:
    values = _values(ids)
    url = template.format(**values)
    data = {key: value.format(**values) for key, value in body.items()}
    entries, objections = JournalEntry.objects.count(), Objection.objects.count()
    events = AuditEvent.objects.count()
    if url.startswith("/api/"):
        api = APIClient()
        api.force_authenticate(staff[username])
        status, allowed = api.post(url, data, format="json").status_code, 201
    else:
        page = Client()
        page.force_login(staff[username])
        status, allowed = page.post(url, data).status_code, 302
    assert status == (allowed if username in WRITERS else 404)
    written = JournalEntry.objects.count() + Objection.objects.count() - entries - objections
    assert written == (1 if username in WRITERS else 0)
    if username not in WRITERS:
        assert AuditEvent.objects.count() == events  # not even a read


@pytest.mark.parametrize("page", ["journal/", "journal/{entry}/"])
def test_a_missing_case_and_a_forbidden_journal_look_the_same(
    ids: Ids, login: Callable[[str], Client], page: str
) -> None:
    client = login("annan")
    forbidden = client.get(f"/arenden/{ids['case']}/" + page.format(**ids))
    missing = client.get(f"/arenden/{MISSING}/" + page.format(**ids))
    assert forbidden.status_code == missing.status_code == 404
    assert normalised(forbidden.content, ids["case"]) == normalised(missing.content, MISSING)


def test_an_entry_of_the_case_under_another_case_id_is_missing(
    ids: Ids, login: Callable[[str], Client]
) -> None:
    assert login("socsek").get(f"/arenden/{MISSING}/journal/{ids['entry']}/").status_code == 404
