"""Documents sent to another organisation – invitations and copies of the minutes – are
disclosures: each is logged with the consent it rests on, and none goes out without one."""

import datetime as dt

import pytest
from django.utils import timezone

from sia.accounts.models import Organisation, User
from sia.audit.models import Channel
from sia.collaboration import services
from sia.collaboration.models import Meeting, MeetingParty
from sia.consent.models import Disclosure
from sia.core.exceptions import ValidationFailed


def test_invitations_to_a_partner_are_logged_as_disclosures_under_the_sip_consent(
    staff: dict[str, User], invited_sip: Meeting
) -> None:
    invited_sip.refresh_from_db()
    sent = Disclosure.objects.get(what=Disclosure.What.INVITATION)
    assert sent.organisation.name == "Arbetsförmedlingen"
    assert sent.recipient == staff["af"]
    assert sent.consent == invited_sip.consent
    assert sent.legal_basis == Disclosure.LegalBasis.SIP_CONSENT
    # The person and the municipality's own staff got theirs without any disclosure.
    assert Disclosure.objects.filter(what=Disclosure.What.INVITATION).count() == 1


def _held(meeting: Meeting, actor: User) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2),
        created_at=timezone.now() - dt.timedelta(days=1),
    )
    services.record_minutes(
        actor=actor,
        meeting_id=meeting.pk,
        held_on=timezone.localdate(),
        notes="Genomgång av arbete och hälsa.",
        parties=[],
        channel=Channel.SYSTEM,
    )


def test_a_copy_to_a_partner_is_a_disclosure_and_needs_a_consent_naming_it(
    staff: dict[str, User], invited_sip: Meeting
) -> None:
    invited_sip.refresh_from_db()
    organiser = staff["vagledare1"]
    region = services.add_party(
        actor=organiser,
        meeting_id=invited_sip.pk,
        kind=MeetingParty.Kind.EXTERNAL,
        name="Rut Regionsson",
        organisation_id=Organisation.objects.get(name="Region Demoland").pk,
        channel=Channel.SYSTEM,
    )
    _held(invited_sip, organiser)
    af_party = invited_sip.parties.get(user=staff["af"])
    services.record_copy(
        actor=organiser,
        meeting_id=invited_sip.pk,
        party_id=af_party.pk,
        sent_on=timezone.localdate(),
        method=MeetingParty.CopyMethod.SECURE_EMAIL,
        channel=Channel.SYSTEM,
    )
    copy = Disclosure.objects.get(what=Disclosure.What.MINUTES_COPY)
    assert (copy.organisation.name, copy.consent) == ("Arbetsförmedlingen", invited_sip.consent)

    with pytest.raises(ValidationFailed, match="samtycke"):
        services.record_copy(
            actor=organiser,
            meeting_id=invited_sip.pk,
            party_id=region.pk,
            sent_on=timezone.localdate(),
            method=MeetingParty.CopyMethod.POST,
            channel=Channel.SYSTEM,
        )
    region.refresh_from_db()
    assert region.copy_sent_on is None
    assert Disclosure.objects.filter(organisation=region.organisation).count() == 0
