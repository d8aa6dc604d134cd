"""Rules a reviewer found missing: lists record their reads, signatures hold the text,
every staff party gets access, a partner may convene a SIP, one follow-up at a time,
a decision's task may have an owner person, and partners see meetings only by consent."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sia.accounts.models import Organisation, Unit, User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case, CaseTeamMember
from sia.collaboration import services
from sia.collaboration.models import Meeting, MeetingParty
from sia.collaboration.tests.conftest import soon
from sia.consent.models import Consent, DataKind, Disclosure
from sia.core.exceptions import InvalidTransition, ValidationFailed
from sia.teamwork.models import TeamTask

pytestmark = pytest.mark.django_db
SYSTEM = Channel.SYSTEM


def _add_staff(actor: User, meeting: Meeting, user: User) -> MeetingParty:
    return services.add_party(
        actor=actor,
        meeting_id=meeting.pk,
        kind=MeetingParty.Kind.STAFF,
        user_id=user.pk,
        channel=SYSTEM,
    )


def _listed(case: Case, channel: Channel) -> bool:
    return AuditEvent.objects.filter(
        action=AuditAction.CASE_LISTED, case_id=case.pk, channel=channel
    ).exists()


def test_meeting_lists_record_the_cases_they_show(
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
    staff: dict[str, User],
    sip_case: Case,
    af_org: Organisation,
    plan_sip: Callable[..., Meeting],
    give_consent: Callable[..., Consent],
) -> None:
    give_consent(sip_case, [af_org])
    meeting = plan_sip(sip_case, title="SIP om boendet")
    _add_staff(staff["vagledare1"], meeting, staff["af"])

    page = login("vagledare1").get(reverse("meetings"))
    assert "SIP om boendet" in page.content.decode()
    assert _listed(sip_case, Channel.WEB)

    listed = api_as("af").get("/api/v1/meetings/")
    assert [row["id"] for row in listed.json()] == [str(meeting.pk)]
    assert _listed(sip_case, Channel.API)
    # Shown to a partner: the disclosure is logged with the consent it rests on.
    assert Disclosure.objects.filter(case=sip_case, recipient=staff["af"]).exists()


def test_the_minutes_cannot_change_once_a_party_has_signed(
    api_as: Callable[[str], APIClient], staff: dict[str, User], invited_sip: Meeting
) -> None:
    actor = staff["vagledare1"]
    services.record_minutes(
        actor=actor,
        meeting_id=invited_sip.pk,
        held_on=timezone.localdate(),
        notes="Första",
        channel=SYSTEM,
    )
    person = invited_sip.parties.get(kind=MeetingParty.Kind.PERSON)
    services.sign(actor=actor, meeting_id=invited_sip.pk, party_id=person.pk, channel=SYSTEM)

    with pytest.raises(InvalidTransition, match="börjat signeras"):
        services.record_minutes(
            actor=actor,
            meeting_id=invited_sip.pk,
            held_on=timezone.localdate(),
            notes="Ändrat efter signering",
            channel=SYSTEM,
        )
    refused = api_as("vagledare1").post(
        f"/api/v1/meetings/{invited_sip.pk}/minutes/",
        {"held_on": timezone.localdate().isoformat(), "notes": "Ändrat igen"},
        format="json",
    )
    assert refused.status_code == 409
    invited_sip.refresh_from_db()
    assert invited_sip.notes == "Första"


def test_a_colleague_from_another_unit_added_as_party_gets_access(
    login: Callable[[str], Client],
    staff: dict[str, User],
    sip_case: Case,
    plan_sip: Callable[..., Meeting],
) -> None:
    meeting = plan_sip(sip_case, starts_at=soon(2), title="SIP med utredningsgruppen")
    detail = reverse("meeting-detail", args=[meeting.pk])
    assert login("ug").get(detail).status_code == 404

    _add_staff(staff["vagledare1"], meeting, staff["ug"])

    assert CaseTeamMember.objects.filter(
        case=sip_case, user=staff["ug"], left_at__isnull=True
    ).exists()
    client = login("ug")
    assert client.get(detail).status_code == 200
    assert "SIP med utredningsgruppen" in client.get(reverse("calendar")).content.decode()


@pytest.fixture
def partner_sip(staff: dict[str, User]) -> Callable[[Consent], Meeting]:
    """A SIP convened by the Employment Service, the guide of the municipality invited."""

    def plan(consent: Consent) -> Meeting:
        af = staff["af"]
        meeting = services.create_meeting(
            actor=af,
            kind=Meeting.Kind.SIP,
            case_id=consent.case_id,
            data=services.MeetingInput(
                title="SIP hos Arbetsförmedlingen",
                starts_at=soon(),
                life_areas=["work"],
                person_wants_sip=True,
            ),
            channel=SYSTEM,
        )
        _add_staff(af, meeting, staff["vagledare1"])
        services.link_consent(
            actor=af, meeting_id=meeting.pk, consent_id=consent.pk, channel=SYSTEM
        )
        return meeting

    return plan


def test_a_partner_may_convene_a_sip_and_invite_the_municipality(
    staff: dict[str, User],
    make_case: Callable[..., Case],
    af_org: Organisation,
    units: dict[str, Unit],
    give_consent: Callable[..., Consent],
    partner_sip: Callable[[Consent], Meeting],
) -> None:
    case = make_case(team=("vagledare1", "af"))
    # The consent names the convening partner; the municipality owns the case.
    meeting = partner_sip(give_consent(case, [af_org]))
    services.send_invitations(actor=staff["af"], meeting_id=meeting.pk, channel=SYSTEM)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.INVITED

    # A consent that does not name the convening partner does not do.
    region = units["Vårdcentralen Centrum"].organisation
    other = make_case(team=("vagledare1", "af"))
    give_consent(other, [af_org], kind=Consent.Kind.GENERAL)  # lets AF see and plan
    meeting = partner_sip(give_consent(other, [region]))
    with pytest.raises(ValidationFailed, match="omfattar inte alla organisationer"):
        services.send_invitations(actor=staff["af"], meeting_id=meeting.pk, channel=SYSTEM)


def test_a_follow_up_is_booked_once_and_clears_not_needed(
    api_as: Callable[[str], APIClient], staff: dict[str, User], invited_sip: Meeting
) -> None:
    actor = staff["vagledare1"]
    services.record_minutes(
        actor=actor, meeting_id=invited_sip.pk, held_on=timezone.localdate(), channel=SYSTEM
    )
    services.book_follow_up(actor=actor, meeting_id=invited_sip.pk, not_needed=True, channel=SYSTEM)
    follow_up = services.book_follow_up(
        actor=actor, meeting_id=invited_sip.pk, starts_at=soon(30), channel=SYSTEM
    )
    assert follow_up is not None
    invited_sip.refresh_from_db()
    assert invited_sip.follow_up_not_needed is False

    again = api_as("vagledare1").post(
        f"/api/v1/meetings/{invited_sip.pk}/follow-up/",
        {"starts_at": soon(31).isoformat()},
        format="json",
    )
    assert again.status_code == 409
    assert invited_sip.follow_ups.count() == 1

    # Once the booked follow-up is cancelled, another may be booked.
    services.cancel_meeting(actor=actor, meeting_id=follow_up.pk, reason="Flyttas", channel=SYSTEM)
    assert services.book_follow_up(
        actor=actor, meeting_id=invited_sip.pk, starts_at=soon(32), channel=SYSTEM
    )


def test_a_decision_task_may_be_owned_by_a_team_member_of_the_organisation(
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
    staff: dict[str, User],
    make_case: Callable[..., Case],
    reception: Unit,
    af_org: Organisation,
) -> None:
    case = make_case(team=("vagledare1", "vagledare2"))
    actor = staff["vagledare1"]
    review = services.create_meeting(
        actor=actor,
        kind=Meeting.Kind.CASE_REVIEW,
        case_id=None,
        data=services.MeetingInput(title="Ärendegenomgång", starts_at=soon(1)),
        channel=SYSTEM,
    )
    item = services.add_agenda_item(
        actor=actor, meeting_id=review.pk, topic="Praktik", case_id=case.pk, channel=SYSTEM
    )
    services.record_decision(
        actor=actor, meeting_id=review.pk, item_id=item.pk, decision="Boka", channel=SYSTEM
    )
    client = login("vagledare1")
    page = client.get(reverse("meeting-detail", args=[review.pk])).content.decode()
    assert f'<option value="{staff["vagledare2"].pk}">' in page
    task_url = reverse("meeting-task", args=[review.pk, item.pk])
    municipality = reception.organisation
    # Not in the owner organisation, or not on the team: refused, nothing written.
    for owner, organisation in ((staff["vagledare2"], af_org), (staff["ug"], municipality)):
        with pytest.raises(ValidationFailed):
            services.decide_task(
                actor=actor,
                meeting_id=review.pk,
                item_id=item.pk,
                title="Boka praktik",
                owner_organisation_id=organisation.pk,
                owner_id=owner.pk,
                channel=SYSTEM,
            )
    refused = client.post(
        task_url,
        {"title": "Boka", "owner_organisation": af_org.pk, "owner": staff["vagledare2"].pk},
        follow=True,
    )
    assert "arbetar inte i den ansvariga organisationen" in refused.content.decode()
    assert not TeamTask.objects.exists()

    client.post(
        task_url,
        {
            "title": "Boka praktik",
            "owner_organisation": municipality.pk,
            "owner": staff["vagledare2"].pk,
        },
    )
    task = TeamTask.objects.get()
    assert (task.owner, task.owner_organisation) == (staff["vagledare2"], municipality)

    # The API shows only the points about cases the reader may see.
    hidden = make_case(team=("vagledare1",))
    services.add_agenda_item(
        actor=actor, meeting_id=review.pk, topic="Annat", case_id=hidden.pk, channel=SYSTEM
    )
    body = api_as("vagledare2").get(f"/api/v1/meetings/{review.pk}/").json()
    assert [row["topic"] for row in body["meeting"]["agenda_items"]] == ["Praktik"]
    body = api_as("vagledare1").get(f"/api/v1/meetings/{review.pk}/").json()
    assert [row["topic"] for row in body["meeting"]["agenda_items"]] == ["Praktik", "Annat"]


def test_a_partner_without_the_meetings_kind_gets_404_for_the_case_meetings(
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
    staff: dict[str, User],
    make_case: Callable[..., Case],
    af_org: Organisation,
    give_consent: Callable[..., Consent],
    plan_sip: Callable[..., Meeting],
) -> None:
    case = make_case(team=("vagledare1", "af"))
    give_consent(case, [af_org], kind=Consent.Kind.GENERAL, data_kinds=[DataKind.CASE])
    plan_sip(case)
    url = reverse("case-meetings", args=[case.pk])
    assert login("af").get(url).status_code == 404
    assert api_as("af").get("/api/v1/meetings/").json() == []
    assert login("vagledare1").get(url).status_code == 200


def test_shared_text_rules_apply(staff: dict[str, User], sip_case: Case) -> None:
    for starts_at, message in (
        (timezone.now() + dt.timedelta(days=4 * 365), "för långt fram"),
        (soon(), "för lång"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            services.create_meeting(
                actor=staff["vagledare1"],
                kind=Meeting.Kind.NETWORK,
                case_id=sip_case.pk,
                data=services.MeetingInput(
                    title="Nätverksmöte", starts_at=starts_at, purpose="x" * 10_001
                ),
                channel=SYSTEM,
            )
    assert not Meeting.objects.exists()
