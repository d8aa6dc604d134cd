"""Demo of the work across organisations, written through the real services: consents
that let Arbetsförmedlingen and Försäkringskassan in, a shared action plan, a SIP and a
network meeting, assessment talks and progress steps, a consultation and a Hälsoskola
group. It runs after the demo cases have been taken through the SIA steps.
"""

import datetime as dt

from django.utils import timezone

from sia.accounts.models import Organisation, Unit, User
from sia.assessments import services as assessments
from sia.assessments.models import Barrier, Enrolment, ProgressStep
from sia.audit.models import Channel
from sia.cases.models import Case, TeamFunction
from sia.collaboration import services as meetings
from sia.collaboration.models import LifeArea, Meeting, MeetingParty
from sia.consent.models import Consent, DataKind
from sia.consent.services import record_consent
from sia.groups import services as groups
from sia.process.workdays import add_working_days
from sia.teamwork.models import TeamTask
from sia.teamwork.services import add_team_member, ask_consultation, create_task

SYSTEM = Channel.SYSTEM
PARTNERS = {"af": TeamFunction.EMPLOYMENT_OFFICER, "fk": TeamFunction.FK_CASEWORKER}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _consent(case: Case, staff: dict[str, User], today: dt.date, *, kind: str) -> Consent:
    organisations = Organisation.objects.filter(
        name__in=("Arbetsförmedlingen", "Försäkringskassan")
    )
    return record_consent(
        actor=staff["socsek"],
        person_id=case.person_id,
        case_id=case.pk,
        kind=kind,
        given_by=Consent.GivenBy.PERSON,
        given_by_name="",
        recipient_organisation_ids=[org.pk for org in organisations],
        recipient_unit_ids=[],
        data_kinds=[DataKind.CASE, DataKind.PLANS, DataKind.MEETINGS, DataKind.ASSESSMENTS],
        purpose="Planera etableringen tillsammans med Arbetsförmedlingen och Försäkringskassan.",
        form=Consent.Form.WRITTEN,
        given_on=max(case.first_contact_date, today - dt.timedelta(days=7)),
        valid_until=today + dt.timedelta(days=365),
        channel=SYSTEM,
    )


def _share_with_partners(case: Case, staff: dict[str, User], today: dt.date) -> Consent:
    consent = _consent(case, staff, today, kind=Consent.Kind.SIP)
    for username, function in PARTNERS.items():
        add_team_member(
            actor=staff["socsek"],
            case_id=case.pk,
            user_id=staff[username].pk,
            function=function,
            channel=SYSTEM,
        )
    municipality = case.owning_unit.organisation
    employment = Organisation.objects.get(name="Arbetsförmedlingen")
    for title, organisation, owner, days in (
        ("Boka tid för inskrivning på Arbetsförmedlingen", employment, staff["af"], 5),
        ("Ansöka om bostadsbidrag", municipality, staff["socsek"], 10),
    ):
        create_task(
            actor=staff["socsek"],
            case=case,
            title=title,
            owner_organisation=organisation,
            owner=owner,
            due_on=today + dt.timedelta(days=days),
            source=TeamTask.Source.TEAM,
            channel=SYSTEM,
        )
    return consent


def _plan_sip(case: Case, consent: Consent, staff: dict[str, User], today: dt.date) -> None:
    sip = meetings.create_meeting(
        actor=staff["socsek"],
        kind=Meeting.Kind.SIP,
        case_id=case.pk,
        data=meetings.MeetingInput(
            title="SIP om hälsa och arbete",
            starts_at=_at(add_working_days(today, 5), 13),
            purpose="Samordna insatserna för hälsa, SFI och vägen till arbete.",
            place="Mottagningsgruppen, rum 2",
            life_areas=[LifeArea.PHYSICAL_HEALTH, LifeArea.WORK, LifeArea.EDUCATION],
            person_wants_sip=True,
            agenda="1. Personens mål\n2. Varje parts insatser\n3. Vem ansvarar för vad",
        ),
        channel=SYSTEM,
    )
    for username in PARTNERS:
        meetings.add_party(
            actor=staff["socsek"],
            meeting_id=sip.pk,
            kind=MeetingParty.Kind.STAFF,
            user_id=staff[username].pk,
            channel=SYSTEM,
        )
    meetings.link_consent(
        actor=staff["socsek"], meeting_id=sip.pk, consent_id=consent.pk, channel=SYSTEM
    )
    if case.person.interpreter_needed:
        meetings.book_interpreter(
            actor=staff["socsek"],
            meeting_id=sip.pk,
            mode="on_site",
            briefing_notes="Begreppen SIP, livsområde och etableringsprogram förklaras i förväg.",
            channel=SYSTEM,
        )
    meetings.send_invitations(actor=staff["socsek"], meeting_id=sip.pk, channel=SYSTEM)


def _assess(case: Case, staff: dict[str, User], today: dt.date) -> None:
    held = max(case.first_contact_date, today - dt.timedelta(days=3))
    assessments.record_talk(
        case_id=case.pk,
        kind="talk_1",
        held_on=held,
        answers={},
        summary="Personen berättade om sin vardag, sitt boende och sin hälsa.",
        participants="Personen, socialsekreterare, tolk",
        recorded_by=staff["socsek"],
        channel=SYSTEM,
    )
    assessments.postpone_topic(
        case_id=case.pk,
        topic="Upplevelser under flykten",
        remind_on=today + dt.timedelta(days=14),
        recorded_by=staff["socsek"],
        channel=SYSTEM,
        note="Personen vill vänta tills kontakten med vårdcentralen är etablerad.",
    )
    assessments.record_barrier(
        case_id=case.pk,
        kind=Barrier.Kind.HOUSING,
        noted_on=held,
        recorded_by=staff["socsek"],
        channel=SYSTEM,
        description="Andrahandskontrakt som löper ut om tre månader.",
    )
    assessments.record_progress(
        case_id=case.pk,
        category=ProgressStep.Category.PROGRESS,
        kind=ProgressStep.Kind.SFI_STARTED,
        occurred_on=held,
        recorded_by=staff["socsek"],
        channel=SYSTEM,
    )
    assessments.enrol(
        case_id=case.pk,
        programme=Enrolment.Programme.CROSS_AGENCY_TEAM,
        started_on=held,
        enrolled_by=staff["socsek"],
        channel=SYSTEM,
    )


def _group(cases: list[Case], staff: dict[str, User], today: dt.date) -> None:
    unit = Unit.objects.get(name="Integrationsgruppen")
    series = groups.create_series(
        actor=staff["integration"],
        data=groups.SeriesInput(
            title="Hälsoskola",
            unit_id=unit.pk,
            first_date=add_working_days(today, 10),
            place="Medborgarhuset, sal B",
            organisation_ids=list(
                Organisation.objects.filter(name="Region Demoland").values_list("pk", flat=True)
            ),
            interpreter_languages=["ar", "ti", "prs"],
            info_meeting_at=_at(add_working_days(today, 3), 10),
            info_meeting_place="Medborgarhuset, sal B",
            preset="halsoskola",
        ),
        channel=SYSTEM,
    )
    for case in cases:
        groups.invite(actor=staff["socsek"], series_id=series.pk, case_id=case.pk, channel=SYSTEM)


def seed_collaboration(staff: dict[str, User], today: dt.date) -> None:
    """Add the cross-organisation demo to the first demo cases at the plan or follow-up."""
    cases = list(
        Case.objects.filter(stage__in=(Case.Stage.PLAN, Case.Stage.FOLLOW_UP))
        .select_related("person", "owning_unit__organisation")
        .order_by("first_contact_date", "created_at")[:4]
    )
    if not cases:
        return
    consent = _share_with_partners(cases[0], staff, today)
    _plan_sip(cases[0], consent, staff, today)
    meetings.create_meeting(
        actor=staff["socsek"],
        kind=Meeting.Kind.NETWORK,
        case_id=cases[0].pk,
        data=meetings.MeetingInput(
            title="Nätverksmöte om boendet",
            starts_at=_at(add_working_days(today, 8), 9),
            place="Telefon",
            mode=Meeting.Mode.PHONE,
        ),
        channel=SYSTEM,
    )
    _assess(cases[0], staff, today)
    _group(cases[:3], staff, today)
    ask_consultation(
        actor=staff["socsek"],
        specialist_function=TeamFunction.PSYCHOLOGIST,
        specialist_id=staff["psykolog"].pk,
        question="Hur stöttar vi en vuxen som sover dåligt och undviker gruppaktiviteter?",
        channel=SYSTEM,
    )
