"""Group series: presets, enrolment after the information meeting, capacity, attendance,
follow-up tasks and evaluations."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import CaseFactory
from sia.accounts.models import Organisation, Unit, User
from sia.audit.models import AuditAction, AuditEvent, Channel
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.groups import access, services
from sia.groups.models import Attendance, GroupEnrolment, GroupSeries, GroupSession
from sia.groups.tests.conftest import EnrolFactory, SeriesFactory
from sia.process.workdays import is_working_day
from sia.teamwork.models import TeamTask

Status = GroupEnrolment.Status
WEB = Channel.WEB


def first_session(series: GroupSeries) -> GroupSession:
    return series.sessions.get(number=1)


def change(actor: User, enrolment: GroupEnrolment, status: str) -> GroupEnrolment:
    return services.change_enrolment(
        actor=actor,
        series_id=enrolment.series_id,
        enrolment_id=enrolment.pk,
        status=status,
        channel=WEB,
    )


def attend(actor: User, session: GroupSession, *rows: services.AttendanceRow) -> list[Attendance]:
    return services.record_attendance(
        actor=actor, series_id=session.series_id, session_id=session.pk, rows=rows, channel=WEB
    )


def row(enrolment: GroupEnrolment, run: str = "morning", **kwargs: bool) -> services.AttendanceRow:
    return services.AttendanceRow(
        enrolment_id=enrolment.pk,
        present=kwargs.get("present", True),
        run=run,
        wants_follow_up=kwargs.get("wants_follow_up", False),
    )


def test_presets_make_weekly_sessions_on_working_days_with_two_runs(
    make_series: SeriesFactory,
) -> None:
    # Fridays around Christmas: 25 December and 1 January move to the next working day.
    first = dt.date(2026, 12, 18)
    expected = {"halsoskola": 10, "socialforsakring": 8, "kartlaggning": 4}
    for preset, count in expected.items():
        series = make_series(preset=preset, sessions=None, first_date=first)
        sessions = list(series.sessions.order_by("number"))
        assert len(sessions) == count
        assert all(is_working_day(s.held_on) for s in sessions)
        assert all(
            (s.morning_starts, s.morning_ends, s.afternoon_starts, s.afternoon_ends)
            == (dt.time(9), dt.time(11), dt.time(13), dt.time(15))
            for s in sessions
        )
    halsoskola = GroupSeries.objects.filter(sessions__topic="Vården i Sverige").get()
    days = list(halsoskola.sessions.order_by("number").values_list("held_on", flat=True))
    assert days[:4] == [first, dt.date(2026, 12, 28), dt.date(2027, 1, 4), dt.date(2027, 1, 8)]
    assert halsoskola.capacity == 12


def test_halsoskola_takes_10_to_12_sessions(make_series: SeriesFactory) -> None:
    assert make_series(preset="halsoskola", sessions=12).sessions.count() == 12
    with pytest.raises(ValidationFailed, match="mellan 10 och 12"):
        make_series(preset="halsoskola", sessions=13)


def test_series_needs_own_unit_and_at_least_one_place(
    make_series: SeriesFactory, units: dict[str, Unit]
) -> None:
    with pytest.raises(ValidationFailed) as error:
        make_series(unit_id=units["Integrationsgruppen"].pk)
    assert error.value.field == "unit"
    with pytest.raises(ValidationFailed) as error:
        make_series(capacity=0)
    assert error.value.field == "capacity"
    assert not GroupSeries.objects.exists()


def test_accept_only_after_information_meeting(
    make_series: SeriesFactory, enrol: EnrolFactory, staff: dict[str, User]
) -> None:
    enrolment = enrol(make_series(), status="invited")
    with pytest.raises(InvalidTransition, match="informationsmötet"):
        change(staff["vagledare1"], enrolment, Status.ACCEPTED)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.INVITED
    change(staff["vagledare1"], enrolment, Status.INFORMED)
    assert change(staff["vagledare1"], enrolment, Status.ACCEPTED).status == Status.ACCEPTED
    audited = AuditEvent.objects.filter(
        action=AuditAction.GROUP_ENROLMENT_CHANGED, case_id=enrolment.case_id
    )
    assert audited.count() == 3  # invited, informed, accepted


def test_full_series_refuses_an_accept_until_a_place_is_freed(
    make_series: SeriesFactory, enrol: EnrolFactory, staff: dict[str, User]
) -> None:
    series = make_series(capacity=2)
    first, _second = enrol(series), enrol(series)
    third = enrol(series, status="informed")
    with pytest.raises(InvalidTransition, match="alla 2 platser"):
        change(staff["vagledare1"], third, Status.ACCEPTED)
    change(staff["vagledare1"], first, Status.DECLINED)
    assert change(staff["vagledare1"], third, Status.ACCEPTED).status == Status.ACCEPTED
    assert services.places_left(series) == 0


def test_only_someone_working_on_the_case_may_invite_it(
    make_series: SeriesFactory, make_case: CaseFactory, staff: dict[str, User]
) -> None:
    series, case = make_series(), make_case(team=("vagledare1",))
    with pytest.raises(NotFoundOrForbidden):
        services.invite(actor=staff["ug"], series_id=series.pk, case_id=case.pk, channel=WEB)
    services.invite(actor=staff["vagledare1"], series_id=series.pk, case_id=case.pk, channel=WEB)
    with pytest.raises(InvalidTransition):
        services.invite(
            actor=staff["vagledare1"], series_id=series.pk, case_id=case.pk, channel=WEB
        )
    assert GroupEnrolment.objects.count() == 1


def test_attendance_only_for_accepted_one_run_and_not_in_the_future(
    make_series: SeriesFactory, enrol: EnrolFactory, staff: dict[str, User]
) -> None:
    series = make_series()
    accepted, informed = enrol(series), enrol(series, status="informed")
    session, socsek = first_session(series), staff["socsek"]
    with pytest.raises(ValidationFailed, match="antagna"):
        attend(socsek, session, row(accepted), row(informed))
    with pytest.raises(ValidationFailed, match="ett pass"):
        attend(socsek, session, row(accepted, "morning"), row(accepted, "afternoon"))
    with pytest.raises(ValidationFailed, match="vilket pass"):
        attend(socsek, session, row(accepted, ""))
    future = series.sessions.order_by("-number").first()
    assert future is not None
    future.held_on = timezone.localdate() + dt.timedelta(days=7)
    future.save(update_fields=["held_on"])
    with pytest.raises(InvalidTransition, match="inte har hållits"):
        attend(socsek, future, row(accepted))
    assert not Attendance.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.GROUP_ATTENDANCE_RECORDED).exists()
    attend(
        socsek,
        session,
        row(accepted, "afternoon"),
    )
    assert Attendance.objects.get().run == "afternoon"


def test_a_run_cannot_hold_more_than_the_capacity(
    make_series: SeriesFactory, enrol: EnrolFactory, staff: dict[str, User]
) -> None:
    series = make_series(capacity=2)
    a, b = enrol(series), enrol(series)
    session, socsek = first_session(series), staff["socsek"]
    attend(socsek, session, row(a), row(b))
    change(staff["vagledare1"], b, Status.LEFT)
    c = enrol(series)
    with pytest.raises(ValidationFailed, match="bara 2 platser"):
        attend(socsek, session, row(c, "morning"))
    assert Attendance.objects.count() == 2
    attend(socsek, session, row(c, "afternoon"))
    assert Attendance.objects.count() == 3


def test_follow_up_wish_creates_one_task_for_the_case(
    make_series: SeriesFactory, enrol: EnrolFactory, staff: dict[str, User]
) -> None:
    series = make_series()
    enrolment = enrol(series)
    session = first_session(series)
    attend(staff["socsek"], session, row(enrolment, wants_follow_up=True))
    attend(staff["socsek"], session, row(enrolment, "afternoon", wants_follow_up=True))
    task = TeamTask.objects.get()
    assert task.case_id == enrolment.case_id
    assert task.source == TeamTask.Source.GROUP
    assert task.title == "Individuell uppföljning efter Hälsoskola höst tillfälle 1"
    assert task.owner_organisation == series.unit.organisation
    assert Attendance.objects.get().follow_up_task == task


def test_partner_facilitator_sees_only_consented_participants(
    make_series: SeriesFactory,
    enrol: EnrolFactory,
    staff: dict[str, User],
    consent_for_af: object,
) -> None:
    af_org = Organisation.objects.get(name="Arbetsförmedlingen")
    series = make_series(organisation_ids=[af_org.pk])
    consented, other = enrol(series), enrol(series)
    consent_for_af(consented.case)  # type: ignore[operator]
    session = first_session(series)
    assert access.visible_enrolments(staff["af"], series).count() == 0  # not a facilitator yet
    services.update_session(
        actor=staff["socsek"],
        series_id=series.pk,
        session_id=session.pk,
        data=services.SessionInput(
            held_on=session.held_on,
            place="Arbetsförmedlingen",
            topic=session.topic,
            facilitator_ids=[staff["af"].pk, staff["vagledare1"].pk],
        ),
        channel=WEB,
    )
    assert list(access.visible_enrolments(staff["af"], series)) == [consented]
    assert access.visible_enrolments(staff["socsek"], series).count() == 2
    with pytest.raises(ValidationFailed, match="antagna"):
        attend(staff["af"], session, row(other))
    attend(staff["af"], session, row(consented))


def test_session_times_facilitators_and_date_are_checked(
    make_series: SeriesFactory, staff: dict[str, User]
) -> None:
    series = make_series()
    session = first_session(series)

    def update(**fields: object) -> GroupSession:
        data = {"held_on": session.held_on, "place": "SFI", "topic": "Sömn", **fields}
        return services.update_session(
            actor=staff["socsek"],
            series_id=series.pk,
            session_id=session.pk,
            data=services.SessionInput(**data),  # type: ignore[arg-type]
            channel=WEB,
        )

    with pytest.raises(ValidationFailed, match="förmiddagspasset har slutat"):
        update(
            morning_starts=dt.time(9),
            morning_ends=dt.time(11),
            afternoon_starts=dt.time(10, 30),
            afternoon_ends=dt.time(12),
        )
    with pytest.raises(ValidationFailed, match="medverkande"):
        update(facilitator_ids=[staff["af"].pk])
    with pytest.raises(ValidationFailed, match="arbetsdag"):
        update(held_on=dt.date(2026, 12, 25))
    with pytest.raises(NotFoundOrForbidden):
        services.update_session(
            actor=staff["af"],
            series_id=series.pk,
            session_id=session.pk,
            data=services.SessionInput(held_on=session.held_on, place="X", topic="Y"),
            channel=WEB,
        )
    update(facilitator_ids=[staff["vagledare1"].pk], external_facilitators="Anna, SFI")
    session.refresh_from_db()
    assert (session.topic, session.external_facilitators) == ("Sömn", "Anna, SFI")


def test_evaluation_by_facilitator_or_unit_staff_once_held(
    make_series: SeriesFactory, staff: dict[str, User]
) -> None:
    series = make_series()
    session = first_session(series)
    with pytest.raises(NotFoundOrForbidden):
        services.record_evaluation(
            actor=staff["annan"],
            series_id=series.pk,
            session_id=session.pk,
            note="Bra",
            channel=WEB,
        )
    services.record_evaluation(
        actor=staff["chef"],
        series_id=series.pk,
        session_id=session.pk,
        note="Bra samtal om sömn.",
        channel=WEB,
    )
    session.refresh_from_db()
    assert session.evaluation_note == "Bra samtal om sömn."
    assert session.evaluated_by == staff["chef"]


def test_services_are_a_package_over_the_shared_text_rules(make_series: SeriesFactory) -> None:
    from sia.core import text
    from sia.groups.services import common

    assert hasattr(services, "__path__")  # sia/groups/services/ with modules per concern
    assert {"create_series", "SeriesInput", "invite", "record_attendance"} <= set(services.__all__)
    assert common.clean_text is text.clean_text
    assert services.MAX_AHEAD == text.MAX_AHEAD
    with pytest.raises(ValidationFailed, match="för långt fram"):
        make_series(first_date=timezone.localdate() + text.MAX_AHEAD + dt.timedelta(days=1))
    with pytest.raises(ValidationFailed, match="för lång"):
        make_series(title="x" * 201)
    assert not GroupSeries.objects.exists()
