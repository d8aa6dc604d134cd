"""The lighter kinds of meeting, and the API's detail, refusals and cancelling."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sia.accounts.models import Organisation, User
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.collaboration import services
from sia.collaboration.models import Meeting, MeetingParty
from sia.collaboration.tests.conftest import soon
from sia.consent.models import Consent
from sia.core.exceptions import InvalidTransition, ValidationFailed

pytestmark = pytest.mark.django_db


def test_a_network_meeting_needs_consent_only_to_invite_other_organisations(
    staff: dict[str, User],
    sip_case: Case,
    af_org: Organisation,
    plan_sip: Callable[..., Meeting],
    give_consent: Callable[..., Consent],
) -> None:
    actor = staff["vagledare1"]
    areas = ["work", "housing", "economy", "family"]
    meeting = plan_sip(sip_case, kind=Meeting.Kind.NETWORK, life_areas=areas)
    assert meeting.life_areas == areas
    assert meeting.person_wants_sip is None
    services.send_invitations(actor=actor, meeting_id=meeting.pk, channel=Channel.SYSTEM)

    services.add_party(
        actor=actor,
        meeting_id=meeting.pk,
        kind=MeetingParty.Kind.STAFF,
        user_id=staff["af"].pk,
        channel=Channel.SYSTEM,
    )
    with pytest.raises(ValidationFailed, match="samtycke"):
        services.send_invitations(actor=actor, meeting_id=meeting.pk, channel=Channel.SYSTEM)
    general = give_consent(sip_case, [af_org], kind=Consent.Kind.GENERAL)
    services.link_consent(
        actor=actor, meeting_id=meeting.pk, consent_id=general.pk, channel=Channel.SYSTEM
    )
    services.send_invitations(actor=actor, meeting_id=meeting.pk, channel=Channel.SYSTEM)
    assert not meeting.parties.filter(invited_at__isnull=True).exists()
    # Minutes without any formal sign-off are enough to hold it.
    held = services.record_minutes(
        actor=actor, meeting_id=meeting.pk, held_on=timezone.localdate(), channel=Channel.SYSTEM
    )
    assert held.status == Meeting.Status.HELD


def test_the_api_shows_parties_checklist_interpreter_and_agenda(
    api_as: Callable[[str], APIClient], sip_case: Case, plan_sip: Callable[..., Meeting]
) -> None:
    meeting = plan_sip(sip_case)
    client = api_as("vagledare1")
    base = f"/api/v1/meetings/{meeting.pk}/"
    assert client.post(base + "interpreter/", {"mode": "on_site"}).status_code == 200
    assert client.post(base + "agenda-items/", {"topic": "Arbete"}).status_code == 201
    body = client.get(base).json()
    assert body["interpreter"]["language"] == "ar"
    assert [item["topic"] for item in body["meeting"]["agenda_items"]] == ["Arbete"]
    assert {p["kind"] for p in body["meeting"]["parties"]} == {"staff", "person"}
    checklist = {item["key"]: item for item in body["checklist"]}
    assert checklist["interpreter"]["done"]
    assert checklist["interpreter"]["required"]
    assert not checklist["signed"]["done"]


def test_the_api_refuses_what_the_kind_does_not_allow(
    api_as: Callable[[str], APIClient], sip_case: Case, plan_sip: Callable[..., Meeting]
) -> None:
    client = api_as("vagledare1")
    review_with_case = {
        "kind": "case_review",
        "case": str(sip_case.pk),
        "title": "Genomgång",
        "starts_at": soon().isoformat(),
    }
    assert client.post("/api/v1/meetings/", review_with_case, format="json").status_code == 400
    meeting = plan_sip(sip_case)
    minutes = client.post(
        f"/api/v1/meetings/{meeting.pk}/minutes/",
        {"held_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert minutes.status_code == 409
    assert Meeting.objects.get(pk=meeting.pk).held_on is None


def test_cancelling_keeps_the_record_and_stops_changes(
    login: Callable[[str], Client],
    staff: dict[str, User],
    sip_case: Case,
    plan_sip: Callable[..., Meeting],
) -> None:
    meeting = plan_sip(sip_case)
    client = login("vagledare1")
    response = client.post(
        reverse("meeting-cancel", args=[meeting.pk]), {"reason": "Personen är sjuk"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    page = client.get(reverse("meeting-detail", args=[meeting.pk]), follow=True).content.decode()
    assert "Personen är sjuk" in page
    with pytest.raises(InvalidTransition):
        services.update_meeting(
            actor=staff["vagledare1"],
            meeting_id=meeting.pk,
            data=services.MeetingInput(title="Nytt", starts_at=soon()),
            channel=Channel.SYSTEM,
        )


def test_only_the_organiser_records_a_paper_signature(
    api_as: Callable[[str], APIClient],
    staff: dict[str, User],
    sip_case: Case,
    af_org: Organisation,
    plan_sip: Callable[..., Meeting],
    give_consent: Callable[..., Consent],
) -> None:
    actor = staff["vagledare1"]
    meeting = plan_sip(sip_case)
    services.add_party(
        actor=actor,
        meeting_id=meeting.pk,
        kind=MeetingParty.Kind.STAFF,
        user_id=staff["af"].pk,
        channel=Channel.SYSTEM,
    )
    services.link_consent(
        actor=actor,
        meeting_id=meeting.pk,
        consent_id=give_consent(sip_case, [af_org]).pk,
        channel=Channel.SYSTEM,
    )
    services.send_invitations(actor=actor, meeting_id=meeting.pk, channel=Channel.SYSTEM)
    early = meeting.parties.get(kind=MeetingParty.Kind.PERSON)
    url = f"/api/v1/meetings/{meeting.pk}/parties/{early.pk}/signature/"
    assert api_as("vagledare1").post(url).status_code == 409  # not yet documented
    services.record_minutes(
        actor=actor, meeting_id=meeting.pk, held_on=timezone.localdate(), channel=Channel.SYSTEM
    )
    assert api_as("af").post(url).status_code == 404
    early.refresh_from_db()
    assert early.signed_at is None
    assert api_as("vagledare1").post(url).status_code == 200
    assert api_as("vagledare1").post(url).status_code == 409  # signed once only
