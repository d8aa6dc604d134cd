"""Named personas and small builders shared by every app's tests.

The personas are the demo municipality's staff (sia.demo.staff), so a test that
says `socsek` means the same reception social worker a reviewer meets in `make run`.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from sia.accounts.models import Unit, User
from sia.accounts.sessions import mark_second_factor_done
from sia.audit.models import Channel
from sia.cases.models import Case, CaseTeamMember
from sia.demo.staff import create_staff, units_by_name
from sia.demo.synthetic import personal_number
from sia.people.models import Person
from sia.people.services import IdentifierInput, PersonInput, register_person
from sia.process.models import Catalogue, ProcessTemplate

PASSWORD = "test-password-for-personas"


@pytest.fixture(autouse=True)
def swedish_first() -> None:
    """Start every test in Swedish; an English request must not leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def staff(db: None) -> dict[str, User]:
    """Every demo persona, by username."""
    return create_staff(password=PASSWORD)


@pytest.fixture
def units(staff: dict[str, User]) -> dict[str, Unit]:
    return units_by_name()


@pytest.fixture
def reception(units: dict[str, Unit]) -> Unit:
    return units["Mottagningsgruppen"]


PersonFactory = Callable[..., Person]
CaseFactory = Callable[..., Case]


@pytest.fixture
def make_person(staff: dict[str, User], reception: Unit) -> PersonFactory:
    """Register a person through the service, as the reception social worker does."""
    counter = iter(range(1, 10_000))

    def make(**overrides: Any) -> Person:
        n = next(counter)
        birth = overrides.pop("date_of_birth", dt.date(1985, 1, 1) + dt.timedelta(days=97 * n))
        with_identifier = overrides.pop("with_identifier", True)
        data = PersonInput(
            given_name=overrides.pop("given_name", f"Testa{n}"),
            family_name=overrides.pop("family_name", f"Testsson{n}"),
            date_of_birth=birth,
            gender=overrides.pop("gender", "female"),
            # Inside the SIA target group unless a test says otherwise.
            arrival_category=overrides.pop("arrival_category", "abo"),
            residence_permit_date=overrides.pop(
                "residence_permit_date", timezone.localdate() - dt.timedelta(days=120)
            ),
            **overrides,
        )
        identifiers = (
            [
                IdentifierInput(
                    kind="personnummer", value=personal_number(birth, serial=980 + n % 20)
                )
            ]
            if with_identifier
            else []
        )
        return register_person(
            registered_by=staff["socsek"],
            unit_id=reception.pk,
            data=data,
            identifiers=identifiers,
            confirmed_not_duplicate=True,
            channel=Channel.SYSTEM,
        )

    return make


@pytest.fixture
def make_case(staff: dict[str, User], reception: Unit, make_person: PersonFactory) -> CaseFactory:
    """Open a case in the reception unit as socsek, then add the named staff to its team."""
    from sia.cases.services import open_case

    def make(person: Person | None = None, *, team: tuple[str, ...] = ("vagledare1",)) -> Case:
        case = open_case(
            opened_by=staff["socsek"],
            person_id=(person or make_person()).pk,
            unit_id=reception.pk,
            first_contact_date=timezone.localdate(),
            channel=Channel.SYSTEM,
        )
        for username in team:
            user = staff[username]
            membership = user.memberships.select_related("unit").first()
            assert membership is not None
            CaseTeamMember.objects.create(
                case=case,
                user=user,
                role=membership.role,
                unit=membership.unit,
                added_by=staff["chef"],
            )
        return case

    return make


def restore_shipped_data() -> None:
    """Put back the rows the data migrations ship: the SIA template and the catalogues.

    The flush that ends a transactional test empties every table, these too, and Django's
    post-migrate signal then makes new content types; the cache of the old ones is cleared.
    """
    ContentType.objects.clear_cache()
    if not ProcessTemplate.objects.exists():
        import_module("sia.process.migrations.0002_default_sia_template").create_default(apps, None)
    if not Catalogue.objects.filter(key="housing-tasks").exists():
        import_module("sia.settlement.migrations.0002_housing_catalogue").create_housing_catalogue(
            apps, None
        )
    if not Catalogue.objects.filter(key="talk_1").exists():
        import_module("sia.assessments.migrations.0002_talk_catalogues").create_catalogues(
            apps, None
        )


@pytest.fixture
def shipped_data_after_flush(django_db_blocker: Any) -> Iterator[None]:
    """After the test, and after the flush of a transactional test, restore the shipped data."""
    yield
    with django_db_blocker.unblock():
        restore_shipped_data()


@pytest.fixture
def committed_db(shipped_data_after_flush: None, transactional_db: None) -> None:
    """Database access in autocommit, as a deployed SIA has it (real races, a killed
    connection), for the tests that need it.

    Set up after `shipped_data_after_flush` and so torn down before it: the flush that ends
    the test empties every table, and the shipped data is put back for whatever test this
    worker runs next (with several workers, a transactional test is not always the last).
    """
    restore_shipped_data()


@pytest.fixture(autouse=True)
def force_login_passes_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the test client's force_login stand for a complete sign-in, second factor included.

    Tests that sign in with force_login are about other things than signing in; without
    this, SIA_REQUIRE_MFA would send every page of theirs to the code step. The two-factor
    flow itself is tested end to end through the real forms (sia/accounts/tests/
    test_two_factor.py, tests/browser/test_two_factor.py).
    """
    force_login = Client.force_login

    def force_login_with_second_factor(
        self: Client, user: User, backend: str | None = None
    ) -> None:
        force_login(self, user, backend)
        session = self.session
        mark_second_factor_done(session, "totp")
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@pytest.fixture
def login(staff: dict[str, User]) -> Callable[[str], Client]:
    """Return a page client signed in as the named persona (second factor passed, see above)."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(staff[username])
        return client

    return make


@pytest.fixture
def api_as(staff: dict[str, User]) -> Callable[[str], APIClient]:
    """Return an API client authenticated as the named persona."""

    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(staff[username])
        return client

    return make
