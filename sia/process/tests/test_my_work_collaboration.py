""" "Mitt arbete" also lists what the collaboration work puts in front of a user: meetings
coming up, tasks they own, consultations to answer and postponed topics now due."""

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from conftest import CaseFactory
from sia.accounts.models import Organisation, User
from sia.assessments.services import postpone_topic
from sia.audit.models import Channel
from sia.cases.models import TeamFunction
from sia.collaboration.models import Meeting
from sia.collaboration.services import MeetingInput, create_meeting
from sia.establishment.services import ProgrammeInput, save_programme
from sia.teamwork.models import TeamTask
from sia.teamwork.services import ask_consultation, create_task


def test_my_work_lists_meetings_tasks_consultations_and_due_topics(
    make_case: CaseFactory, staff: dict[str, User], login: Callable[[str], Client]
) -> None:
    case = make_case(team=("vagledare1",))
    today = timezone.localdate()
    municipality = Organisation.objects.get(kind=Organisation.Kind.MUNICIPALITY)
    create_task(
        actor=staff["socsek"],
        case=case,
        title="Boka tid hos tandvården",
        owner_organisation=municipality,
        owner=staff["socsek"],
        due_on=today,
        source=TeamTask.Source.TEAM,
        channel=Channel.SYSTEM,
    )
    postpone_topic(
        case_id=case.pk,
        topic="Erfarenheter under flykten",
        remind_on=today,
        recorded_by=staff["socsek"],
        channel=Channel.SYSTEM,
    )
    create_meeting(
        actor=staff["socsek"],
        kind=Meeting.Kind.NETWORK,
        case_id=case.pk,
        data=MeetingInput(
            title="Nätverksmöte om boendet",
            starts_at=timezone.now() + dt.timedelta(days=2),
        ),
        channel=Channel.SYSTEM,
    )
    ask_consultation(
        actor=staff["socsek"],
        specialist_function=TeamFunction.PSYCHOLOGIST,
        specialist_id=staff["psykolog"].pk,
        question="Hur bemöter vi sömnproblem hos en nyanländ vuxen?",
        channel=Channel.SYSTEM,
    )

    mine = login("socsek").get("/mitt-arbete/").content.decode()
    assert "Boka tid hos tandvården" in mine
    assert "Erfarenheter under flykten" in mine
    assert "Nätverksmöte om boendet" in mine
    assert case.person.family_name in mine

    psychologist = login("psykolog").get("/mitt-arbete/").content.decode()
    assert "Konsultationer att besvara" in psychologist
    assert "Boka tid hos tandvården" not in psychologist

    other = login("vagledare2").get("/mitt-arbete/").content.decode()
    assert "Boka tid hos tandvården" not in other
    assert "Nätverksmöte om boendet" not in other

    api = login("socsek").get("/api/v1/my-work/").json()
    assert [task["title"] for task in api["tasks"]] == ["Boka tid hos tandvården"]
    assert [topic["topic"] for topic in api["postponed_topics"]] == ["Erfarenheter under flykten"]
    assert [m["title"] for m in api["collaboration_meetings"]] == ["Nätverksmöte om boendet"]


def test_my_work_raises_the_programme_alert_when_sfi_has_not_started(
    make_case: CaseFactory, staff: dict[str, User], login: Callable[[str], Client]
) -> None:
    case = make_case(team=("vagledare1",))
    today = timezone.localdate()
    save_programme(
        actor=staff["socsek"],
        case_id=case.pk,
        data=ProgrammeInput(action_plan_on=today - dt.timedelta(weeks=5)),
        channel=Channel.SYSTEM,
    )
    page = login("socsek").get("/mitt-arbete/").content.decode()
    assert "Larm i etableringsprogrammet" in page
    assert "SFI har inte börjat" in page
    alerts = login("socsek").get("/api/v1/my-work/").json()["programme_alerts"]
    assert alerts[0]["case"]["id"] == str(case.pk)
    assert (
        "Larm i etableringsprogrammet"
        not in login("vagledare2").get("/mitt-arbete/").content.decode()
    )
