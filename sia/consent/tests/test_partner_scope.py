"""A partner on the team sees the municipality's SIA records only as far as the consent's
data kinds reach, and never writes them."""

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from conftest import CaseFactory
from sia.accounts.models import Membership, Role, Unit, User
from sia.cases.models import Case
from sia.consent.models import DataKind
from sia.consent.tests.test_consent import give_consent
from sia.meetings.models import Alignment


@pytest.fixture
def case(make_case: CaseFactory) -> Case:
    return make_case(team=("vagledare1", "af"))


@pytest.mark.parametrize(
    ("kinds", "visible"),
    [
        ((DataKind.CASE,), {"": 200, "avstamning/": 200, "sia-plan/": 404, "nybesok/": 404}),
        ((DataKind.PLANS,), {"": 200, "avstamning/": 404, "sia-plan/": 200, "nybesok/": 404}),
        (
            (DataKind.ASSESSMENTS,),
            {"": 200, "avstamning/": 404, "sia-plan/": 404, "nybesok/": 200},
        ),
    ],
)
def test_the_consents_data_kinds_decide_which_records_a_partner_opens(
    case: Case,
    staff: dict[str, User],
    login: Callable[[str], Client],
    kinds: tuple[str, ...],
    visible: dict[str, int],
) -> None:
    give_consent(staff, case, kinds=kinds)
    client = login("af")
    for page, status in visible.items():
        assert client.get(f"/arenden/{case.pk}/{page}").status_code == status, page
    steps_shown = "Nästa steg" in client.get(f"/arenden/{case.pk}/").content.decode()
    assert steps_shown == (DataKind.CASE in kinds)


def test_a_partner_with_full_consent_still_cannot_write_the_sia_alignment(
    case: Case, staff: dict[str, User], login: Callable[[str], Client]
) -> None:
    give_consent(staff, case)
    client = login("af")
    page = client.get(f"/arenden/{case.pk}/avstamning/")
    assert page.status_code == 200
    assert 'name="held_on"' not in page.content.decode()
    response = client.post(f"/arenden/{case.pk}/avstamning/", {"held_on": "2026-11-27"})
    assert response.status_code == 404
    assert not Alignment.objects.filter(case=case).exists()


def test_the_social_worker_on_the_same_case_gets_the_alignment_form(
    case: Case, login: Callable[[str], Client]
) -> None:
    page = login("socsek").get(f"/arenden/{case.pk}/avstamning/")
    assert 'name="held_on"' in page.content.decode()


def test_the_api_hides_steps_and_timeline_like_the_page(
    case: Case, staff: dict[str, User], api_as: Callable[[str], APIClient]
) -> None:
    consent = give_consent(staff, case, kinds=(DataKind.IDENTITY,))
    api = api_as("af")
    assert api.get(f"/api/v1/cases/{case.pk}/").json()["steps"] == []
    assert api.get("/api/v1/cases/").json()["results"][0]["steps"] == []
    assert api.get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 404
    consent.data_kinds = [DataKind.CASE]
    consent.save(update_fields=["data_kinds"])
    assert api.get(f"/api/v1/cases/{case.pk}/").json()["steps"]
    # The timeline (who did what) stays the municipality's even with the "case" kind.
    assert api.get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 404
    assert api_as("socsek").get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 200


def test_a_partner_who_also_has_an_analyst_seat_in_the_municipality_stays_limited(
    case: Case, staff: dict[str, User], login: Callable[[str], Client]
) -> None:
    analysis = Unit.objects.get(name="Uppföljning och analys")
    Membership.objects.create(user=staff["af"], unit=analysis, role=Role.ANALYST)
    give_consent(staff, case, kinds=(DataKind.CASE,))
    assert login("af").get(f"/arenden/{case.pk}/sia-plan/").status_code == 404
