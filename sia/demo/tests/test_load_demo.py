"""The demo municipality: varied people and cases, loaded once, never outside a demo."""

import datetime as dt
import re
from collections.abc import Iterator
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings

from sia.accounts.models import User
from sia.audit.models import AuditAction, AuditEvent
from sia.cases.access import visible_cases
from sia.cases.models import Case, CaseTeamMember
from sia.collaboration.models import Meeting
from sia.consent.models import Consent
from sia.decisions.models import SupportDecision
from sia.demo.municipality import load_demo
from sia.demo.staff import create_staff
from sia.demo.synthetic import TEST_SERIALS
from sia.establishment.selectors import list_programme_alerts
from sia.groups.models import GroupEnrolment
from sia.people.access import can_view_protected_details
from sia.people.identifiers import parse_personal_number
from sia.people.models import ArrivalCategory, HouseholdLink, Person, PersonIdentifier
from sia.settlement.models import HousingTask

PASSWORD = "demo-password-for-tests"
Stage = Case.Stage


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[tuple[dict[str, int], dict[str, User]]]:
    """The demo, loaded once for the module on an empty database: its tests only read it.

    It lives in a transaction that is rolled back after the module's last test, so
    nothing reaches another module or a reused database. Each test still runs in its own
    savepoint (through `db`), so whatever one test writes is gone for the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with translation.override(django_settings.LANGUAGE_CODE):
            counts = load_demo(password=PASSWORD)
            staff = create_staff(password=PASSWORD)  # idempotent: the demo's own personas
        with django_db_blocker.block():  # tests reach the database through `db` only
            yield counts, staff
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def staff(loaded: tuple[dict[str, int], dict[str, User]]) -> dict[str, User]:
    """The demo's personas, instead of the root conftest's freshly created ones."""
    return loaded[1]


@pytest.fixture
def demo(loaded: tuple[dict[str, int], dict[str, User]], db: None) -> dict[str, int]:
    """What `load_demo` returned on an empty database; `db` rolls back the test's own writes."""
    return loaded[0]


def _team(case: Case) -> set[str]:
    return set(case.team.values_list("user__username", flat=True))


def _row_counts() -> dict[str, int]:
    models = (User, Person, PersonIdentifier, HouseholdLink, Case, CaseTeamMember, AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


# These two load (or refuse) the demo themselves, on an empty database. They come before
# the tests that share the module's demo: once `loaded` is set up, every later test of
# this module runs inside its transaction and would see the demo.


def test_running_the_command_twice_adds_nothing_and_prints_no_personnummer(db: None) -> None:
    assert not Person.objects.exists()  # the first run loads the demo, not the module's
    call_command("load_demo", stdout=StringIO())
    before = _row_counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _row_counts() == before
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text
    assert "vagledare1" in text
    assert not re.search(r"\d{6}-?\d{4}", text)


def test_the_command_is_refused_when_demo_is_off(db: None, settings: Settings) -> None:
    settings.SIA_DEMO = False
    with pytest.raises(CommandError, match="SIA_DEMO"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_demo_has_about_forty_people_in_every_arrival_category(demo: dict[str, int]) -> None:
    assert 35 <= Person.objects.count() <= 45
    assert demo["people"] == Person.objects.count()
    categories = set(Person.objects.values_list("arrival_category", flat=True))
    assert categories == set(ArrivalCategory.values)


def test_exactly_one_protected_person_and_only_permitted_staff_see_their_address(
    demo: dict[str, int], staff: dict[str, User]
) -> None:
    protected = Person.objects.get(protected_identity=True)
    assert protected.street_address
    assert protected.phone
    assert not can_view_protected_details(staff["socsek"], protected)
    assert can_view_protected_details(staff["chef"], protected)


def test_families_have_partners_and_children_as_their_own_people(demo: dict[str, int]) -> None:
    assert HouseholdLink.objects.filter(relation=HouseholdLink.Relation.PARTNER).exists()
    children = Person.objects.filter(
        pk__in=HouseholdLink.objects.filter(relation=HouseholdLink.Relation.CHILD).values(
            "relative_id"
        )
    )
    eighteen_years_ago = timezone.localdate() - dt.timedelta(days=18 * 365)
    assert children.count() >= 5
    assert all(child.date_of_birth > eighteen_years_ago for child in children)


def test_cases_cover_the_process_with_the_right_teams(demo: dict[str, int]) -> None:
    cases = list(Case.objects.prefetch_related("team"))
    assert {case.stage for case in cases} == set(Stage.values)
    for case in cases:
        team = _team(case)
        if case.stage == Stage.INTAKE:
            assert team == {"socsek"}
        else:
            assert "socsek" in team
            assert team & {"vagledare1", "vagledare2"}
        assert ("ug" in team) == (case.stage == Stage.ASSESSMENT)
        assert (case.closed_on is not None) == (case.stage == Stage.CLOSED)


def test_first_contacts_lie_within_the_last_year_and_closings_after_them(
    demo: dict[str, int],
) -> None:
    today = timezone.localdate()
    for case in Case.objects.all():
        assert 0 <= (today - case.first_contact_date).days <= 365
        if case.closed_on:
            assert case.first_contact_date < case.closed_on <= today
            assert case.closing_reason


def test_every_number_is_a_valid_test_number_for_the_persons_birth_date(
    demo: dict[str, int],
) -> None:
    numbers = PersonIdentifier.objects.exclude(kind=PersonIdentifier.Kind.DOSSIER)
    dossiers = PersonIdentifier.objects.filter(kind=PersonIdentifier.Kind.DOSSIER)
    assert numbers.filter(kind=PersonIdentifier.Kind.SAMORDNINGSNUMMER).exists()
    assert dossiers.exists()
    assert Person.objects.filter(identifiers__isnull=True).exists()
    for identifier in numbers.select_related("person"):
        parsed = parse_personal_number(identifier.value)
        assert int(identifier.value[8:11]) in TEST_SERIALS
        assert parsed.birth_date == identifier.person.date_of_birth
    assert all(re.fullmatch(r"\d{2}-\d{6}", d.value) for d in dossiers)


def test_registration_and_opening_are_audited(demo: dict[str, int]) -> None:
    created = AuditEvent.objects.filter(action=AuditAction.PERSON_CREATED).count()
    assert created == Person.objects.count()
    assert AuditEvent.objects.filter(action=AuditAction.CASE_CREATED).count() == demo["cases"]


def test_only_the_temporary_protection_cases_were_opened_outside_the_target_group(
    demo: dict[str, int],
) -> None:
    opened = AuditEvent.objects.filter(action=AuditAction.CASE_CREATED).values_list(
        "person__arrival_category", "changes"
    )
    outside = {category for category, changes in opened if changes["outside_target_group"]}
    inside = {category for category, changes in opened if not changes["outside_target_group"]}
    assert outside == {ArrivalCategory.TEMPORARY_PROTECTION}
    assert ArrivalCategory.TEMPORARY_PROTECTION not in inside


def test_the_demo_shares_one_case_with_af_and_fk_by_consent_and_plans_a_sip(
    demo: dict[str, int], staff: dict[str, User]
) -> None:
    consent = Consent.objects.get()
    assert consent.kind == Consent.Kind.SIP
    for username in ("af", "fk"):
        assert list(visible_cases(staff[username])) == [consent.case]
    assert not visible_cases(staff["psykolog"]).exists()
    sip = Meeting.objects.get(kind=Meeting.Kind.SIP)
    assert sip.case == consent.case
    assert sip.status == Meeting.Status.INVITED
    assert set(sip.parties.values_list("user__username", flat=True)) >= {"socsek", "af", "fk"}
    assert GroupEnrolment.objects.count() == 3


def test_the_demo_orders_the_settlement_unit_and_raises_programme_alerts(
    demo: dict[str, int], staff: dict[str, User]
) -> None:
    decision = SupportDecision.objects.get()
    assert decision.provider is not None
    assert decision.provider.name == "Bosättningsenheten"
    assert list(visible_cases(staff["bosattning"], with_orders=True).filter(pk=decision.case_id))
    done = HousingTask.objects.filter(household=decision.case.person, status="done")
    assert done.count() == 3
    assert list_programme_alerts(staff["socsek"], timezone.localdate())
