"""Reads the support pages make are recorded, and a refused read records nothing."""

from collections.abc import Callable

from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import CaseFactory, PersonFactory
from sia.accounts.models import Organisation, User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import CaseTeamMember
from sia.consent.models import Consent, DataKind, Disclosure
from sia.people.models import HouseholdLink
from sia.people.services import link_household


def test_the_housing_page_records_the_read_of_the_household_members(
    make_case: CaseFactory,
    make_person: PersonFactory,
    staff: dict[str, User],
    login: Callable[[str], Client],
) -> None:
    case = make_case(team=("vagledare1",))
    partner = make_person(given_name="Hanna")
    link_household(
        linked_by=staff["socsek"],
        person_id=case.person_id,
        relative_id=partner.pk,
        relation=HouseholdLink.Relation.PARTNER,
        channel=Channel.SYSTEM,
    )
    page = login("socsek").get(f"/arenden/{case.pk}/bostad/").content.decode()
    assert partner.family_name in page
    assert AuditEvent.objects.filter(
        actor=staff["socsek"], action=AuditAction.PERSON_LISTED, person_id=partner.pk
    ).exists()


def test_starting_a_complete_checklist_again_still_records_the_read(
    make_case: CaseFactory, staff: dict[str, User], api_as: Callable[[str], APIClient]
) -> None:
    case = make_case(team=("vagledare1",))
    api = api_as("socsek")
    assert api.post(f"/api/v1/cases/{case.pk}/housing-tasks/").status_code == 201
    viewed = AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, case_id=case.pk)
    before = viewed.count()
    again = api.post(f"/api/v1/cases/{case.pk}/housing-tasks/")
    assert again.status_code == 201
    assert again.json()
    assert viewed.count() == before + 1


def test_a_partner_refused_the_concern_reports_leaves_no_read_or_disclosure(
    make_case: CaseFactory, staff: dict[str, User], api_as: Callable[[str], APIClient]
) -> None:
    case = make_case(team=("vagledare1",))
    af = staff["af"]
    membership = af.memberships.select_related("unit").first()
    assert membership is not None
    CaseTeamMember.objects.create(
        case=case, user=af, role=membership.role, unit=membership.unit, added_by=staff["chef"]
    )
    consent = Consent.objects.create(
        person=case.person,
        kind=Consent.Kind.GENERAL,
        data_kinds=list(DataKind.values),
        purpose="Planera etableringen.",
        form=Consent.Form.WRITTEN,
        given_on=timezone.localdate(),
        recorded_by=staff["socsek"],
    )
    consent.recipient_organisations.set([Organisation.objects.get(name="Arbetsförmedlingen")])
    response = api_as("af").get(f"/api/v1/cases/{case.pk}/concern-reports/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(actor=af, case_id=case.pk).exists()
    assert not Disclosure.objects.filter(recipient=af).exists()
