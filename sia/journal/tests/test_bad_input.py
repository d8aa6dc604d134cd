"""Bad input to the journal's write endpoints gets a clear error and changes nothing.

In the style of tests/test_bad_input_collaboration.py: a caseworker who may write sends
empty bodies, wrong types, malformed JSON, unknown ids and another case's notes, invalid
choices, far-past and future times, over-long texts, and a correction of a note already
corrected. The answer is 400/404/409 (pages: the form again with its errors) and no note,
objection or audit event (reads aside) is written.
"""

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker
from rest_framework.test import APIClient

from conftest import PASSWORD
from sia.accounts.models import Unit, User
from sia.audit.models import AuditEvent, Channel
from sia.cases.models import Case
from sia.cases.services import open_case
from sia.demo.staff import create_staff
from sia.demo.synthetic import personal_number
from sia.journal import services
from sia.journal.models import JournalEntry, Objection
from sia.people.services import IdentifierInput, PersonInput, register_person
from tests.test_access_matrix import open_reception_case

LONG = "x" * 100_000
MALFORMED = '{"text": "oavslutad'
Ids = dict[str, str]


@pytest.fixture(scope="module")
def recorded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[tuple[dict[str, User], Ids]]:
    """Two cases, a note on each, a corrected note; built once and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        with translation.override(settings.LANGUAGE_CODE):
            staff = create_staff(password=PASSWORD)
            case = open_reception_case(staff)
            other = _other_case(staff)
            two_hours_ago = timezone.now() - dt.timedelta(hours=2)

            def note(case_id: UUID) -> JournalEntry:
                return services.write_entry(
                    case_id=case_id,
                    occurred_at=two_hours_ago,
                    kind="note",
                    text="Anteckning.",
                    written_by=staff["socsek"],
                    channel=Channel.WEB,
                )

            entry, corrected, theirs = note(case.pk), note(case.pk), note(other.pk)
            services.correct_entry(
                case_id=case.pk,
                entry_id=corrected.pk,
                text="Rättad.",
                reason="Fel.",
                written_by=staff["socsek"],
                channel=Channel.WEB,
            )
            ids = {
                "case": str(case.pk),
                "entry": str(entry.pk),
                "corrected": str(corrected.pk),
                "b_entry": str(theirs.pk),
                "missing": str(uuid4()),
            }
        with django_db_blocker.block():
            yield staff, ids
        transaction.set_rollback(True)


def _other_case(staff: dict[str, User]) -> Case:
    reception = Unit.objects.get(name="Mottagningsgruppen")
    birth = dt.date(1979, 6, 2)
    person = register_person(
        registered_by=staff["socsek"],
        unit_id=reception.pk,
        data=PersonInput(
            given_name="Annan",
            family_name="Annansson",
            date_of_birth=birth,
            gender="male",
            arrival_category="abo",
            residence_permit_date=timezone.localdate() - dt.timedelta(days=120),
        ),
        identifiers=[
            IdentifierInput(kind="personnummer", value=personal_number(birth, serial=991))
        ],
        confirmed_not_duplicate=True,
        channel=Channel.SYSTEM,
    )
    return open_case(
        opened_by=staff["socsek"],
        person_id=person.pk,
        unit_id=reception.pk,
        first_contact_date=timezone.localdate(),
        channel=Channel.SYSTEM,
    )


@pytest.fixture(scope="module")
def staff(recorded: tuple[dict[str, User], Ids]) -> dict[str, User]:
    return recorded[0]


@pytest.fixture
def ids(recorded: tuple[dict[str, User], Ids], db: None) -> Ids:
    return recorded[1]


J = "/api/v1/cases/{case}/journal/"
P = "/arenden/{case}/journal/"
NOTE = {"occurred_at": "{hour_ago}", "kind": "note", "text": "Anteckning."}
CORRECTION = {"text": "Ny.", "reason": "Fel."}
OBJECTION = {"text": "Nej.", "received_as": "oral", "received_on": "{today}"}

API: list[tuple[str, Any]] = [
    (J, {}),
    (J, MALFORMED),
    (J, [1, 2]),
    (J, NOTE | {"occurred_at": "i går"}),
    (J, NOTE | {"occurred_at": "0001-01-01T00:00:00"}),
    (J, NOTE | {"occurred_at": "9999-12-31T23:59:00"}),
    (J, NOTE | {"occurred_at": "{tomorrow}"}),
    (J, NOTE | {"occurred_at": "{six_years_ago}"}),
    (J, NOTE | {"kind": "rumour"}),
    (J, NOTE | {"kind": None}),
    (J, NOTE | {"text": ""}),
    (J, NOTE | {"text": "   "}),
    (J, NOTE | {"text": LONG}),
    (J, NOTE | {"text": 42.5, "kind": ["note"]}),
    (J + "{corrected}/corrections/", CORRECTION),
    (J + "{entry}/corrections/", {}),
    (J + "{entry}/corrections/", MALFORMED),
    (J + "{entry}/corrections/", CORRECTION | {"reason": ""}),
    (J + "{entry}/corrections/", CORRECTION | {"reason": "  "}),
    (J + "{entry}/corrections/", CORRECTION | {"text": LONG}),
    (J + "{entry}/corrections/", CORRECTION | {"occurred_at": "{tomorrow}"}),
    (J + "{entry}/corrections/", CORRECTION | {"kind": "rumour"}),
    (J + "{b_entry}/corrections/", CORRECTION),
    (J + "{missing}/corrections/", CORRECTION),
    (J + "{entry}/objections/", {}),
    (J + "{entry}/objections/", MALFORMED),
    (J + "{entry}/objections/", OBJECTION | {"received_as": "email"}),
    (J + "{entry}/objections/", OBJECTION | {"received_on": "9999-12-31"}),
    (J + "{entry}/objections/", OBJECTION | {"received_on": "0001-01-01"}),
    (J + "{entry}/objections/", OBJECTION | {"received_on": "{tomorrow_day}"}),
    (J + "{entry}/objections/", OBJECTION | {"text": LONG}),
    (J + "{entry}/objections/", OBJECTION | {"text": " "}),
    (J + "{b_entry}/objections/", OBJECTION),
    (J + "{missing}/objections/", OBJECTION),
]
PAGES: list[tuple[str, Any]] = [
    (P, {}),
    (P, NOTE | {"occurred_at": "i går"}),
    (P, NOTE | {"occurred_at": "0001-01-01T00:00"}),
    (P, NOTE | {"occurred_at": "9999-12-31T23:59"}),
    (P, NOTE | {"occurred_at": "{tomorrow_local}"}),
    (P, NOTE | {"occurred_at": "{six_years_ago_local}"}),
    (P, NOTE | {"kind": "rumour"}),
    (P, NOTE | {"text": "  "}),
    (P, NOTE | {"text": LONG}),
    (P + "{corrected}/rattelse/", NOTE | CORRECTION),
    (P + "{entry}/rattelse/", {}),
    (P + "{entry}/rattelse/", NOTE | CORRECTION | {"reason": ""}),
    (P + "{entry}/rattelse/", NOTE | CORRECTION | {"occurred_at": "{tomorrow_local}"}),
    (P + "{entry}/rattelse/", NOTE | CORRECTION | {"text": LONG}),
    (P + "{b_entry}/rattelse/", NOTE | CORRECTION),
    (P + "{missing}/rattelse/", NOTE | CORRECTION),
    (P + "{entry}/avvikande-mening/", {}),
    (P + "{entry}/avvikande-mening/", OBJECTION | {"received_as": "email"}),
    (P + "{entry}/avvikande-mening/", OBJECTION | {"received_on": "31/12/2020"}),
    (P + "{entry}/avvikande-mening/", OBJECTION | {"received_on": "{tomorrow_day}"}),
    (P + "{entry}/avvikande-mening/", OBJECTION | {"received_on": "2001-01-01"}),
    (P + "{entry}/avvikande-mening/", OBJECTION | {"text": LONG}),
    (P + "{b_entry}/avvikande-mening/", OBJECTION),
    (P + "{missing}/avvikande-mening/", OBJECTION),
]
TABLE = API + PAGES


def _values(ids: Ids) -> dict[str, str]:
    now = timezone.localtime()
    tomorrow = now + dt.timedelta(days=1)
    six_years_ago = now - dt.timedelta(days=6 * 365)
    return ids | {
        "today": now.date().isoformat(),
        "tomorrow_day": tomorrow.date().isoformat(),
        "hour_ago": (now - dt.timedelta(hours=1)).isoformat(),
        "tomorrow": tomorrow.isoformat(),
        "six_years_ago": six_years_ago.isoformat(),
        "tomorrow_local": tomorrow.strftime("%Y-%m-%dT%H:%M"),
        "six_years_ago_local": six_years_ago.strftime("%Y-%m-%dT%H:%M"),
    }


def _fill(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**values) if "{" in value and len(value) < 200 else value
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    return value


def _counts() -> tuple[int, int, int]:
    writes = AuditEvent.objects.exclude(action__endswith=".viewed").exclude(
        action__endswith=".listed"
    )
    return JournalEntry.objects.count(), Objection.objects.count(), writes.count()


def _label(row: tuple[str, Any]) -> str:
    url, payload = row
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return f"{url} {text[-60:]}"


def _api(user: User, url: str, payload: Any, values: dict[str, str]) -> None:
    api = APIClient()
    api.force_authenticate(user)
    body = payload if isinstance(payload, str) else json.dumps(_fill(payload, values))
    response = api.generic("POST", url, body, content_type="application/json")
    assert response.status_code in {400, 404, 409}, response.content[:500]
    if response.status_code in {400, 409}:
        assert response.json(), "the answer says what is wrong"


def _page(user: User, url: str, payload: Any, values: dict[str, str]) -> None:
    page = Client()
    page.force_login(user)
    body = urlencode(_fill(payload, values), doseq=True)
    response = page.generic("POST", url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in {200, 404}, response.status_code
    if response.status_code == 200:  # the form again, with its errors
        assert b'class="error' in response.content


@pytest.mark.parametrize(("template", "payload"), TABLE, ids=map(_label, TABLE))
def test_bad_input_is_refused_and_changes_nothing(
    ids: Ids, staff: dict[str, User], template: str, payload: Any
) -> None:
    values = _values(ids)
    url = template.format(**values)
    before = _counts()
    if url.startswith("/api/"):
        _api(staff["socsek"], url, payload, values)
    else:
        _page(staff["socsek"], url, payload, values)
    assert _counts() == before
