"""A SIP from the person's wish to the signed record: the rules a user meets on the way."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sia.accounts.models import Organisation, User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case, CaseTeamMember, TeamFunction
from sia.collaboration import services
from sia.collaboration.models import InterpreterBooking, Meeting, MeetingParty
from sia.collaboration.rules import life_area_problem
from sia.collaboration.tests.conftest import soon
from sia.consent.models import Consent
from sia.core.exceptions import InvalidTransition, ValidationFailed

pytestmark = pytest.mark.django_db


def _form(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "sip",
        "title": "SIP",
        "purpose": "Samordna",
        "person_wants_sip": "yes",
        "life_areas": ["work", "housing", "economy"],
        "starts_at": soon().strftime("%Y-%m-%dT%H:%M"),
        "minutes": "90",
        "place": "Stadshuset",
        "mode": "on_site",
        **overrides,
    }


def test_a_sip_takes_at_most_three_life_areas_but_a_network_meeting_more() -> None:
    four = ["work", "housing", "economy", "family"]
    assert life_area_problem("sip", four[:3]) is None
    assert "delas upp" in str(life_area_problem("sip", four))
    assert life_area_problem("samsip", four) is not None
    assert life_area_problem("network", four) is None


def test_the_page_refuses_a_fourth_life_area_and_writes_nothing(
    login: Callable[[str], Client], sip_case: Case
) -> None:
    url = reverse("case-meetings", args=[sip_case.pk])
    areas = ["work", "housing", "economy", "family"]
    response = login("vagledare1").post(url, _form(life_areas=areas))
    assert response.status_code == 200
    assert "ytterligare eller uppföljande möten" in response.content.decode()
    assert not Meeting.objects.exists()

    response = login("vagledare1").post(url, _form())
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meeting-detail", args=[meeting.pk])
    assert meeting.life_areas == ["work", "housing", "economy"]
    assert meeting.parties.filter(kind=MeetingParty.Kind.PERSON).count() == 1


def test_the_api_refuses_a_fourth_life_area_and_writes_nothing(
    api_as: Callable[[str], APIClient], sip_case: Case
) -> None:
    payload = {
        "kind": "sip",
        "case": str(sip_case.pk),
        "title": "SIP",
        "starts_at": soon().isoformat(),
        "life_areas": ["work", "housing", "economy", "family"],
        "person_wants_sip": True,
    }
    response = api_as("vagledare1").post("/api/v1/meetings/", payload, format="json")
    assert response.status_code == 400
    assert "life_areas" in response.json()
    assert not Meeting.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.MEETING_CREATED).exists()


def test_a_meeting_cannot_be_planned_in_the_past(
    staff: dict[str, User], sip_case: Case, plan_sip: Callable[..., Meeting]
) -> None:
    with pytest.raises(ValidationFailed):
        plan_sip(sip_case, starts_at=timezone.now() - dt.timedelta(hours=1))
    assert not Meeting.objects.exists()


def test_invitations_wait_for_a_sip_consent_naming_every_organisation(
    api_as: Callable[[str], APIClient],
    staff: dict[str, User],
    sip_case: Case,
    af_org: Organisation,
    plan_sip: Callable[..., Meeting],
    give_consent: Callable[..., Consent],
) -> None:
    meeting = plan_sip(sip_case)
    client = api_as("vagledare1")
    base = f"/api/v1/meetings/{meeting.pk}/"
    response = client.post(base + "parties/", {"kind": "staff", "user": str(staff["af"].pk)})
    assert response.status_code == 201

    refused = client.post(base + "invitations/")
    assert refused.status_code == 400
    assert "samtycke" in refused.json()["invitations"][0]
    assert not MeetingParty.objects.filter(meeting=meeting, invited_at__isnull=False).exists()

    general = give_consent(sip_case, [af_org], kind=Consent.Kind.GENERAL)
    assert client.post(base + "consent/", {"consent": str(general.pk)}).status_code == 400

    fk = Organisation.objects.get(name="Försäkringskassan")
    only_fk = give_consent(sip_case, [fk])
    assert client.post(base + "consent/", {"consent": str(only_fk.pk)}).status_code == 200
    refused = client.post(base + "invitations/")
    assert refused.status_code == 400
    assert "alla organisationer" in refused.json()["invitations"][0]

    good = give_consent(sip_case, [af_org])
    assert client.post(base + "consent/", {"consent": str(good.pk)}).status_code == 200
    answer = client.post(base + "invitations/")
    assert answer.status_code == 200
    assert answer.json()["meeting"]["status"] == "invited"
    assert all(p["invited_at"] for p in answer.json()["meeting"]["parties"])
    checklist = {item["key"]: item["done"] for item in answer.json()["checklist"]}
    assert checklist["consent"]
    assert checklist["invitations"]
    assert checklist["sip_wish"]


def test_invitations_wait_for_the_person_to_want_a_sip(
    staff: dict[str, User],
    sip_case: Case,
    plan_sip: Callable[..., Meeting],
    give_consent: Callable[..., Consent],
) -> None:
    meeting = plan_sip(sip_case, person_wants_sip=None)
    services.link_consent(
        actor=staff["vagledare1"],
        meeting_id=meeting.pk,
        consent_id=give_consent(sip_case, []).pk,
        channel=Channel.SYSTEM,
    )
    with pytest.raises(ValidationFailed, match="vilja ha en SIP"):
        services.send_invitations(
            actor=staff["vagledare1"], meeting_id=meeting.pk, channel=Channel.SYSTEM
        )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_a_partner_party_joins_the_case_team(
    staff: dict[str, User], sip_case: Case, plan_sip: Callable[..., Meeting]
) -> None:
    meeting = plan_sip(sip_case)
    services.add_party(
        actor=staff["vagledare1"],
        meeting_id=meeting.pk,
        kind=MeetingParty.Kind.STAFF,
        user_id=staff["af"].pk,
        channel=Channel.SYSTEM,
    )
    member = CaseTeamMember.objects.get(case=sip_case, user=staff["af"], left_at__isnull=True)
    assert member.function == TeamFunction.EMPLOYMENT_OFFICER
    with pytest.raises(ValidationFailed):
        services.add_party(
            actor=staff["vagledare1"],
            meeting_id=meeting.pk,
            kind=MeetingParty.Kind.PERSON,
            channel=Channel.SYSTEM,
        )


def test_the_interpreter_is_booked_in_the_persons_language(
    login: Callable[[str], Client], sip_case: Case, plan_sip: Callable[..., Meeting]
) -> None:
    meeting = plan_sip(sip_case)
    client = login("vagledare1")
    page = client.get(reverse("meeting-detail", args=[meeting.pk])).content.decode()
    assert "Personen behöver tolk." in page
    assert "Ingen tolk är bokad." in page

    response = client.post(
        reverse("meeting-interpreter", args=[meeting.pk]),
        {
            "mode": "phone",
            "same_interpreter_preferred": "on",
            "briefing_notes": "Begreppet SIP förklaras först.",
        },
    )
    assert response.status_code == 302
    booking = InterpreterBooking.objects.get(meeting=meeting)
    assert (booking.language, booking.mode) == ("ar", "phone")
    assert booking.same_interpreter_preferred
    page = client.get(reverse("meeting-detail", args=[meeting.pk])).content.decode()
    assert "Telefontolk" in page
    assert "Begreppet SIP förklaras först." in page
    assert AuditEvent.objects.filter(action=AuditAction.INTERPRETER_BOOKED).count() == 1


def _minutes_post(meeting: Meeting) -> dict[str, str]:
    data = {
        "held_on": timezone.localdate().isoformat(),
        "note_taker": str(meeting.created_by_id),
        "notes": "Vi gick igenom arbete och hälsa.",
        "overall_responsible": str(meeting.parties.get(user__username="vagledare1").pk),
    }
    for party in meeting.parties.all():
        data[f"attended_{party.pk}"] = "yes"
        data[f"statement_{party.pk}"] = f"{party.name} berättade."
        data[f"responsibility_{party.pk}"] = "Kontakt varje vecka"
    return data


def test_a_sip_goes_from_invitation_to_a_signed_frozen_record(
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
    staff: dict[str, User],
    invited_sip: Meeting,
) -> None:
    meeting = invited_sip
    organiser = login("vagledare1")
    detail = reverse("meeting-detail", args=[meeting.pk])
    response = organiser.post(reverse("meeting-minutes", args=[meeting.pk]), _minutes_post(meeting))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.overall_responsible is not None

    person = meeting.parties.get(kind=MeetingParty.Kind.PERSON)
    af_party = meeting.parties.get(user=staff["af"])
    own = meeting.parties.get(user=staff["vagledare1"])
    # The organiser may not sign for a member of staff; they sign for themselves.
    organiser.post(reverse("meeting-signature", args=[meeting.pk, af_party.pk]))
    af_party.refresh_from_db()
    assert af_party.signed_at is None

    organiser.post(reverse("meeting-signature", args=[meeting.pk, person.pk]))
    organiser.post(reverse("meeting-signature", args=[meeting.pk, own.pk]))
    signed = api_as("af").post(f"/api/v1/meetings/{meeting.pk}/parties/{af_party.pk}/signature/")
    assert signed.status_code == 200
    assert signed.json()["meeting"]["status"] == "signed"

    person.refresh_from_db()
    af_party.refresh_from_db()
    assert person.signature_method == MeetingParty.SignatureMethod.ON_PAPER
    assert person.signature_recorded_by == staff["vagledare1"]
    assert af_party.signature_method == MeetingParty.SignatureMethod.IN_SYSTEM

    frozen = api_as("vagledare1").post(
        f"/api/v1/meetings/{meeting.pk}/minutes/",
        {"held_on": timezone.localdate().isoformat(), "notes": "Ändrat i efterhand"},
        format="json",
    )
    assert frozen.status_code == 409
    meeting.refresh_from_db()
    assert meeting.notes == "Vi gick igenom arbete och hälsa."

    copy = organiser.post(
        reverse("meeting-copy", args=[meeting.pk, person.pk]),
        {"sent_on": timezone.localdate().isoformat(), "method": "handed_over"},
    )
    assert copy.status_code == 302
    page = organiser.get(detail).content.decode()
    assert "Signerat av alla" in page
    assert "Överlämnad på mötet" in page
    assert "Dokumentationen är signerad av alla och kan inte ändras." in page


def test_the_follow_up_can_be_handed_to_another_party(
    staff: dict[str, User], invited_sip: Meeting
) -> None:
    actor = staff["vagledare1"]
    services.record_minutes(
        actor=actor,
        meeting_id=invited_sip.pk,
        held_on=timezone.localdate(),
        channel=Channel.SYSTEM,
    )
    af_party = invited_sip.parties.get(user=staff["af"])
    follow_up = services.book_follow_up(
        actor=actor,
        meeting_id=invited_sip.pk,
        starts_at=soon(40),
        convened_by_id=af_party.pk,
        channel=Channel.SYSTEM,
    )
    assert follow_up is not None
    assert follow_up.follow_up_of == invited_sip
    assert follow_up.kind == Meeting.Kind.SIP
    assert follow_up.life_areas == invited_sip.life_areas
    assert follow_up.parties.count() == invited_sip.parties.count()
    assert follow_up.follow_up_convened_by is not None
    assert follow_up.follow_up_convened_by.user == staff["af"]
    # The partner who convenes the follow-up may change it.
    changed = services.update_meeting(
        actor=staff["af"],
        meeting_id=follow_up.pk,
        data=services.MeetingInput(
            title="Uppföljning hos AF", starts_at=soon(41), life_areas=["work"]
        ),
        channel=Channel.SYSTEM,
    )
    assert changed.title == "Uppföljning hos AF"


def test_no_follow_up_needed_ticks_the_checklist(
    api_as: Callable[[str], APIClient], staff: dict[str, User], invited_sip: Meeting
) -> None:
    client = api_as("vagledare1")
    base = f"/api/v1/meetings/{invited_sip.pk}/"
    held = client.post(
        base + "minutes/", {"held_on": timezone.localdate().isoformat()}, format="json"
    )
    assert held.status_code == 200
    answer = client.post(base + "follow-up/", {"not_needed": True}, format="json")
    assert answer.status_code == 200
    assert answer.json()["follow_up_not_needed"] is True
    assert {i["key"]: i["done"] for i in answer.json()["checklist"]}["follow_up"]


def test_minutes_cannot_be_dated_in_the_future_nor_the_meeting_changed_once_held(
    staff: dict[str, User], invited_sip: Meeting
) -> None:
    actor = staff["vagledare1"]
    with pytest.raises(ValidationFailed):
        services.record_minutes(
            actor=actor,
            meeting_id=invited_sip.pk,
            held_on=timezone.localdate() + dt.timedelta(days=1),
            channel=Channel.SYSTEM,
        )
    services.record_minutes(
        actor=actor, meeting_id=invited_sip.pk, held_on=timezone.localdate(), channel=Channel.SYSTEM
    )
    with pytest.raises(InvalidTransition):
        services.cancel_meeting(
            actor=actor, meeting_id=invited_sip.pk, reason="Sjuk", channel=Channel.SYSTEM
        )


def test_the_page_forms_add_a_party_link_the_consent_and_send_invitations(
    login: Callable[[str], Client],
    staff: dict[str, User],
    sip_case: Case,
    af_org: Organisation,
    plan_sip: Callable[..., Meeting],
    give_consent: Callable[..., Consent],
) -> None:
    meeting = plan_sip(sip_case)
    client = login("vagledare1")
    detail = reverse("meeting-detail", args=[meeting.pk])
    added = client.post(
        reverse("meeting-party", args=[meeting.pk]),
        {"kind": "staff", "user": staff["af"].pk, "function": "Arbetsförmedlare"},
        follow=True,
    )
    assert "Parten är tillagd." in added.content.decode()
    refused = client.post(reverse("meeting-invitations", args=[meeting.pk]), follow=True)
    assert "Koppla ett giltigt samtycke till SIP" in refused.content.decode()

    consent = give_consent(sip_case, [af_org])
    page = client.get(detail).content.decode()
    assert "Koppla samtycket" in page
    linked = client.post(
        reverse("meeting-consent", args=[meeting.pk]), {"consent": consent.pk}, follow=True
    )
    assert "Samtycket är kopplat till mötet." in linked.content.decode()
    sent = client.post(reverse("meeting-invitations", args=[meeting.pk]), follow=True)
    assert "Kallelserna är markerade som skickade." in sent.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.INVITED
