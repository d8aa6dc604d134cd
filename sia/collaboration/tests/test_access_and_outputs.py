"""Who sees a meeting, the invitation letter, the calendar file and the calendar page,
and case reviews whose decisions become tasks."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sia.accounts.models import Organisation, User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import Case, CaseTeamMember
from sia.collaboration import services
from sia.collaboration.models import Meeting, MeetingParty
from sia.collaboration.tests.conftest import soon
from sia.consent.models import Consent, DataKind
from sia.core.exceptions import ValidationFailed
from sia.teamwork.models import TeamTask

pytestmark = pytest.mark.django_db


def _urls(meeting: Meeting) -> list[str]:
    person = meeting.parties.get(kind=MeetingParty.Kind.PERSON)
    return [
        reverse("meeting-detail", args=[meeting.pk]),
        reverse("meeting-ics", args=[meeting.pk]),
        reverse("meeting-invitation", args=[meeting.pk, person.pk]),
        f"/api/v1/meetings/{meeting.pk}/",
    ]


def _add_af(staff: dict[str, User], meeting: Meeting) -> MeetingParty:
    return services.add_party(
        actor=staff["vagledare1"],
        meeting_id=meeting.pk,
        kind=MeetingParty.Kind.STAFF,
        user_id=staff["af"].pk,
        channel=Channel.SYSTEM,
    )


def test_reading_a_meeting_is_audited_and_outsiders_get_404(
    login: Callable[[str], Client],
    sip_case: Case,
    plan_sip: Callable[..., Meeting],
) -> None:
    meeting = plan_sip(sip_case)
    response = login("vagledare1").get(reverse("meeting-detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.MEETING_VIEWED, case_id=sip_case.pk, changes__meeting=str(meeting.pk)
    ).exists()
    outsider = login("annan")
    for url in _urls(meeting):
        assert outsider.get(url).status_code == 404, url
    assert outsider.get(reverse("case-meetings", args=[sip_case.pk])).status_code == 404


def test_a_partner_needs_a_consent_that_shares_meetings(
    login: Callable[[str], Client],
    api_as: Callable[[str], APIClient],
    staff: dict[str, User],
    sip_case: Case,
    af_org: Organisation,
    plan_sip: Callable[..., Meeting],
    give_consent: Callable[..., Consent],
) -> None:
    consent = give_consent(sip_case, [af_org], data_kinds=[DataKind.IDENTITY, DataKind.CASE])
    meeting = plan_sip(sip_case)
    _add_af(staff, meeting)
    client = login("af")
    for url in _urls(meeting):
        assert client.get(url).status_code == 404, url
    assert api_as("af").get("/api/v1/meetings/").json() == []

    consent.data_kinds = [DataKind.IDENTITY, DataKind.MEETINGS]
    consent.save(update_fields=["data_kinds"])
    for url in _urls(meeting):
        assert client.get(url).status_code == 200, url
    assert [m["id"] for m in api_as("af").get("/api/v1/meetings/").json()] == [str(meeting.pk)]


def test_whoever_takes_the_case_over_finds_the_signed_record(
    login: Callable[[str], Client],
    staff: dict[str, User],
    sip_case: Case,
    plan_sip: Callable[..., Meeting],
    give_consent: Callable[..., Consent],
) -> None:
    actor = staff["vagledare1"]
    meeting = plan_sip(sip_case)
    services.link_consent(
        actor=actor,
        meeting_id=meeting.pk,
        consent_id=give_consent(sip_case, []).pk,
        channel=Channel.SYSTEM,
    )
    services.send_invitations(actor=actor, meeting_id=meeting.pk, channel=Channel.SYSTEM)
    services.record_minutes(
        actor=actor,
        meeting_id=meeting.pk,
        held_on=timezone.localdate(),
        notes="Ansvarsfördelningen är klar.",
        channel=Channel.SYSTEM,
    )
    for party in meeting.parties.all():
        services.sign(actor=actor, meeting_id=meeting.pk, party_id=party.pk, channel=Channel.SYSTEM)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SIGNED

    successor = login("vagledare2")
    url = reverse("meeting-detail", args=[meeting.pk])
    assert successor.get(url).status_code == 404
    CaseTeamMember.objects.create(
        case=sip_case,
        user=staff["vagledare2"],
        role="community_guide",
        unit=staff["vagledare2"].memberships.get().unit,
        added_by=staff["chef"],
    )
    page = successor.get(url)
    assert page.status_code == 200
    assert "Ansvarsfördelningen är klar." in page.content.decode()
    listing = successor.get(reverse("case-meetings", args=[sip_case.pk])).content.decode()
    assert meeting.title in listing


def test_the_invitation_letter_is_in_english_or_in_swedish_with_a_note(
    login: Callable[[str], Client],
    staff: dict[str, User],
    sip_case: Case,
    af_org: Organisation,
    plan_sip: Callable[..., Meeting],
) -> None:
    meeting = plan_sip(sip_case)
    english = services.add_party(
        actor=staff["vagledare1"],
        meeting_id=meeting.pk,
        kind=MeetingParty.Kind.EXTERNAL,
        name="Hyresvärden",
        organisation_id=af_org.pk,
        invitation_language="en",
        channel=Channel.SYSTEM,
    )
    person = meeting.parties.get(kind=MeetingParty.Kind.PERSON)
    assert person.invitation_language == "ar"
    client = login("vagledare1")

    letter = client.get(reverse("meeting-invitation", args=[meeting.pk, english.pk]))
    html = letter.content.decode()
    assert '<html lang="en">' in html
    assert "no-store" in letter["Cache-Control"]
    assert "Kallelsen är skriven på svenska" not in html

    letter = client.get(reverse("meeting-invitation", args=[meeting.pk, person.pk]))
    html = letter.content.decode()
    assert '<html lang="sv">' in html
    assert "Kallelsen är skriven på svenska. En tolk kan förklara den för dig." in html
    for expected in ("Samordna insatser", "Arbete och sysselsättning", "Stadshuset", "Hyresvärden"):
        assert expected in html
    # The next request is not left in English.
    assert '<html lang="sv">' in client.get(reverse("meetings")).content.decode()


def test_the_calendar_file_names_no_person(
    login: Callable[[str], Client],
    staff: dict[str, User],
    sip_case: Case,
    plan_sip: Callable[..., Meeting],
) -> None:
    meeting = plan_sip(sip_case)
    client = login("vagledare1")
    response = client.get(reverse("meeting-ics", args=[meeting.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert "BEGIN:VEVENT" in text
    assert f"UID:{meeting.pk}@sia" in text
    assert sip_case.reference in text
    assert "DTSTART;TZID=Europe/Stockholm:" in text
    assert "LOCATION:Stadshuset" in text
    assert "STATUS:CONFIRMED" in text
    number = sip_case.person.identifiers.get().value
    for secret in ("Amina", "Hassansdotter", number, number[2:]):
        assert secret not in text
    services.cancel_meeting(
        actor=staff["vagledare1"], meeting_id=meeting.pk, reason="Sjuk", channel=Channel.SYSTEM
    )
    assert (
        "STATUS:CANCELLED" in client.get(reverse("meeting-ics", args=[meeting.pk])).content.decode()
    )


def test_the_calendar_lists_the_meeting_for_its_participants(
    login: Callable[[str], Client],
    staff: dict[str, User],
    sip_case: Case,
    af_org: Organisation,
    plan_sip: Callable[..., Meeting],
    give_consent: Callable[..., Consent],
) -> None:
    give_consent(sip_case, [af_org])
    meeting = plan_sip(sip_case, starts_at=soon(2), title="SIP-möte i stadshuset")
    _add_af(staff, meeting)
    for username in ("vagledare1", "af"):
        page = login(username).get(reverse("calendar")).content.decode()
        assert "SIP-möte i stadshuset" in page, username
        assert reverse("meeting-detail", args=[meeting.pk]) in page
    assert (
        "SIP-möte i stadshuset" not in login("vagledare2").get(reverse("calendar")).content.decode()
    )


def test_a_case_review_decision_becomes_a_task(
    login: Callable[[str], Client],
    staff: dict[str, User],
    make_case: Callable[..., Case],
    af_org: Organisation,
) -> None:
    case = make_case(team=("vagledare1",))
    hidden = make_case(team=("vagledare2",))
    client = login("vagledare1")
    response = client.post(
        reverse("meetings"),
        {
            "title": "Ärendegenomgång vecka 49",
            "starts_at": soon(1).strftime("%Y-%m-%dT%H:%M"),
            "minutes": "60",
            "mode": "on_site",
        },
    )
    review = Meeting.objects.get(kind=Meeting.Kind.CASE_REVIEW)
    assert response["Location"] == reverse("meeting-detail", args=[review.pk])
    assert review.case is None

    with pytest.raises(ValidationFailed):
        services.add_agenda_item(
            actor=staff["vagledare1"],
            meeting_id=review.pk,
            topic="Annans ärende",
            case_id=hidden.pk,
            channel=Channel.SYSTEM,
        )
    client.post(
        reverse("meeting-agenda-item", args=[review.pk]), {"topic": "Praktik", "case": case.pk}
    )
    item = review.agenda_items.get()
    client.post(
        reverse("meeting-decision", args=[review.pk, item.pk]),
        {"decision": "Boka praktik hos AF", "lock_version": item.lock_version},
    )
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    client.post(
        reverse("meeting-task", args=[review.pk, item.pk]),
        {"title": "Boka praktikplats", "owner_organisation": af_org.pk, "due_on": due},
    )
    task = TeamTask.objects.get()
    assert (task.case, task.agenda_item, task.source) == (case, item, TeamTask.Source.MEETING)
    assert task.owner_organisation == af_org
    page = client.get(reverse("meeting-detail", args=[review.pk])).content.decode()
    assert "Boka praktikplats" in page
    # A case review is seen by its unit's members and participants only, and each
    # point only by those who may see its case.
    colleague = login("vagledare2").get(reverse("meeting-detail", args=[review.pk]))
    assert colleague.status_code == 200
    assert "Boka praktikplats" not in colleague.content.decode()
    assert login("annan").get(reverse("meeting-detail", args=[review.pk])).status_code == 404
