"""An import check answers "this number is already registered": every such answer is logged.

The check looks the number up among everyone (as registering by hand does), so each row
whose number belongs to someone is logged as a search for that person, after the check's
own writes are rolled back. Probing many numbers then shows in the log review.
"""

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from conftest import PersonFactory
from sia.accounts.models import Membership, Organisation, Role, Unit, User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.audit.selectors_review import Period, busy_hours
from sia.demo.synthetic import personal_number
from sia.imports.tests.files import as_csv, good_row
from sia.imports.tests.test_imports import error_rows
from sia.people.models import Person, PersonIdentifier
from sia.people.services import IDENTIFIER_TAKEN, IdentifierInput, PersonInput, register_person

pytestmark = pytest.mark.django_db


def protected_person_elsewhere() -> Person:
    """A person with protected identity, registered in another municipality."""
    organisation = Organisation.objects.create(
        name="Grannkommun", kind=Organisation.Kind.MUNICIPALITY
    )
    unit = Unit.objects.create(
        organisation=organisation, name="Mottagningen", kind=Unit.Kind.RECEPTION
    )
    user = User.objects.create_user(username="granne", password="x")
    Membership.objects.create(user=user, unit=unit, role=Role.RECEPTION_SOCIAL_WORKER)
    birth = dt.date(1979, 3, 4)
    return register_person(
        registered_by=user,
        unit_id=unit.pk,
        data=PersonInput(
            given_name="Hemlig",
            family_name="Skyddadsson",
            date_of_birth=birth,
            gender="female",
            arrival_category="abo",
            residence_permit_date=timezone.localdate() - dt.timedelta(days=120),
            protected_identity=True,
        ),
        identifiers=[
            IdentifierInput(kind="personnummer", value=personal_number(birth, serial=982))
        ],
        confirmed_not_duplicate=True,
        channel=Channel.SYSTEM,
    )


def number_of(person: Person) -> str:
    return PersonIdentifier.objects.get(person=person).value


@pytest.fixture
def chef(login: Callable[[str], Client]) -> Client:
    return login("chef")


def test_each_row_with_a_registered_number_is_logged_on_that_person(
    chef: Client, make_person: PersonFactory, staff: dict[str, User]
) -> None:
    known = make_person()
    hidden = protected_person_elsewhere()
    rows = [
        good_row(1, personnummer=number_of(known)),
        good_row(2),
        good_row(3, personnummer=number_of(hidden)),
    ]

    chef.post("/import/", {"file": SimpleUploadedFile("a.csv", as_csv(rows))}, follow=True)

    searches = AuditEvent.objects.filter(action=AuditAction.PERSON_SEARCHED)
    assert sorted((e.person_id, e.changes["row"]) for e in searches) == sorted(
        [(known.pk, 2), (hidden.pk, 4)]
    )
    for event in searches:
        assert event.actor == staff["chef"]
        assert event.channel == Channel.WEB
        assert event.changes == {"source": "import_check", "row": event.changes["row"]}
    # Nothing of the check itself was kept: only the two people who were there before.
    assert Person.objects.count() == 2


def test_a_hidden_person_is_answered_as_registering_by_hand_answers(
    chef: Client, make_person: PersonFactory
) -> None:
    hidden = protected_person_elsewhere()
    rows = [good_row(1, personnummer=number_of(hidden))]

    response = chef.post(
        "/import/", {"file": SimpleUploadedFile("a.csv", as_csv(rows))}, follow=True
    )

    html = response.content.decode()
    assert error_rows(html) == [("2", "personnummer", str(IDENTIFIER_TAKEN))]
    assert "Hemlig" not in html
    assert "Skyddadsson" not in html
    assert "Grannkommun" not in html


def test_no_personnummer_in_any_audit_event(chef: Client, make_person: PersonFactory) -> None:
    numbers = [number_of(make_person()), number_of(protected_person_elsewhere())]
    rows = [good_row(n, personnummer=number) for n, number in enumerate(numbers, start=1)]

    chef.post("/import/", {"file": SimpleUploadedFile("a.csv", as_csv(rows))}, follow=True)

    assert AuditEvent.objects.filter(action=AuditAction.PERSON_SEARCHED).count() == 2
    logged = str([(e.changes, e.action, e.actor_username) for e in AuditEvent.objects.all()])
    for number in numbers:
        assert number not in logged
        assert number[-10:] not in logged


def test_probing_shows_in_the_log_reviews_many_persons_report(
    chef: Client, make_person: PersonFactory, staff: dict[str, User]
) -> None:
    rows = [good_row(n, personnummer=number_of(make_person())) for n in range(1, 4)]
    rows.append(good_row(4, personnummer=number_of(protected_person_elsewhere())))
    today = timezone.localdate()

    chef.post("/import/", {"file": SimpleUploadedFile("a.csv", as_csv(rows))}, follow=True)

    busy = list(busy_hours(staff["chef"], Period(today, today), threshold=3))
    assert [(row["actor_username"], row["persons"]) for row in busy] == [("chef", 4)]


def test_a_clean_check_logs_no_search(chef: Client) -> None:
    chef.post("/import/", {"file": SimpleUploadedFile("a.csv", as_csv([good_row(1)]))})

    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_SEARCHED).exists()
