"""A due support follow-up in "Mitt arbete" is a read of the case: it is recorded, and a
partner sees it only while a consent shares the case."""

import datetime as dt
from typing import Any

from django.utils import timezone

from sia.accounts.models import Organisation
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.cases.models import CaseTeamMember
from sia.consent.models import Consent, DataKind
from sia.decisions import services
from sia.decisions.models import FollowUpMeeting, SupportDecision

TODAY = timezone.localdate


def _due_follow_up(make_case: Any, staff: Any, units: Any) -> Any:
    case = make_case(team=("integration",))
    decision = services.make_decision(
        actor=staff["integration"],
        case_id=case.pk,
        applied_for="Socialt och praktiskt stöd",
        applied_on=TODAY(),
        outcome=SupportDecision.Outcome.GRANTED,
        decided_support="Stöd av bosättningsenheten",
        legal_basis=SupportDecision.LegalBasis.SOL_4_1,
        reasons="Behov av stöd i vardagen",
        provider_id=units["Bosättningsenheten"].pk,
        valid_from=TODAY(),
        valid_until=None,
        appeal_notice="",
        channel=Channel.SYSTEM,
    )
    services.record_follow_up(
        actor=staff["integration"],
        decision_id=decision.pk,
        held_on=TODAY(),
        participants="Socialsekreterare och utförare",
        notes="Stödet fungerar.",
        next_follow_up_on=TODAY() + dt.timedelta(days=7),
        channel=Channel.SYSTEM,
    )
    # Time passes: the next follow-up is due today.
    FollowUpMeeting.objects.update(next_follow_up_on=TODAY())
    return case


def test_a_due_follow_up_shown_in_my_work_is_recorded_as_a_read(
    make_case: Any, staff: Any, units: Any, login: Any
) -> None:
    case = _due_follow_up(make_case, staff, units)
    page = login("integration").get("/mitt-arbete/").content.decode()
    assert case.reference in page
    listed = AuditEvent.objects.filter(
        actor=staff["integration"], action=AuditAction.CASE_LISTED, case_id=case.pk
    )
    assert listed.exists()


def test_a_partner_sees_the_follow_up_only_while_a_consent_shares_the_case(
    make_case: Any, staff: Any, units: Any, login: Any
) -> None:
    case = _due_follow_up(make_case, staff, units)
    af = staff["af"]
    membership = af.memberships.select_related("unit").first()
    CaseTeamMember.objects.create(
        case=case, user=af, role=membership.role, unit=membership.unit, added_by=staff["chef"]
    )
    consent = Consent.objects.create(
        person=case.person,
        kind=Consent.Kind.GENERAL,
        data_kinds=[DataKind.IDENTITY],
        purpose="Planera etableringen.",
        form=Consent.Form.WRITTEN,
        given_on=TODAY(),
        recorded_by=staff["socsek"],
    )
    consent.recipient_organisations.set([Organisation.objects.get(name="Arbetsförmedlingen")])
    assert case.reference not in login("af").get("/mitt-arbete/").content.decode()
    consent.data_kinds = [DataKind.IDENTITY, DataKind.CASE]
    consent.save(update_fields=["data_kinds"])
    assert case.reference in login("af").get("/mitt-arbete/").content.decode()
