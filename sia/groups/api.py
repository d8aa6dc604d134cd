"""REST endpoints of group activities, over the same access functions and services as the
pages. Participant names follow the same rule: partner facilitators get only those whose
consent covers their organisation, and a count of the others."""

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.audit.models import Channel
from sia.core.exceptions import NotFoundOrForbidden
from sia.core.http import api_user
from sia.core.serializers import EventTimeField
from sia.groups import access, selectors, services
from sia.groups.models import (
    DEFAULT_CAPACITY,
    Attendance,
    GroupEnrolment,
    GroupSeries,
    GroupSession,
)
from sia.groups.presets import MAX_SESSIONS, PRESETS
from sia.people.models import Language

Status = GroupEnrolment.Status
Run = GroupEnrolment.Run


class GroupSessionOutputSerializer(serializers.Serializer[GroupSession]):
    id = serializers.UUIDField()
    number = serializers.IntegerField()
    topic = serializers.CharField()
    held_on = serializers.DateField()
    place = serializers.CharField()
    morning_starts = serializers.TimeField(allow_null=True)
    morning_ends = serializers.TimeField(allow_null=True)
    afternoon_starts = serializers.TimeField(allow_null=True)
    afternoon_ends = serializers.TimeField(allow_null=True)
    facilitators = serializers.SerializerMethodField()
    external_facilitators = serializers.CharField()
    evaluation_note = serializers.CharField()

    def get_facilitators(self, session: GroupSession) -> list[str]:
        return [str(user.pk) for user in session.facilitators.all()]


class GroupSeriesOutputSerializer(serializers.Serializer[GroupSeries]):
    id = serializers.UUIDField()
    title = serializers.CharField()
    description = serializers.CharField()
    unit = serializers.UUIDField(source="unit_id")
    capacity = serializers.IntegerField()
    places_left = serializers.IntegerField()
    interpreter_languages = serializers.ListField(child=serializers.CharField())
    info_meeting_at = serializers.DateTimeField(allow_null=True)
    info_meeting_place = serializers.CharField()
    first_on = serializers.DateField(allow_null=True)
    last_on = serializers.DateField(allow_null=True)


class GroupSeriesDetailOutputSerializer(GroupSeriesOutputSerializer):
    organisations = serializers.SerializerMethodField()
    sessions = GroupSessionOutputSerializer(many=True)

    def get_organisations(self, series: GroupSeries) -> list[str]:
        return [str(o.pk) for o in series.organisations.all()]


class GroupSeriesInputSerializer(serializers.Serializer[Any]):
    preset = serializers.ChoiceField(choices=list(PRESETS), required=False, default="")
    title = serializers.CharField(max_length=200, required=False, default="")
    description = serializers.CharField(max_length=5000, required=False, default="")
    unit = serializers.UUIDField()
    organisations = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list
    )
    capacity = serializers.IntegerField(min_value=1, default=DEFAULT_CAPACITY)
    interpreter_languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), required=False, default=list
    )
    info_meeting_at = EventTimeField(required=False, allow_null=True, default=None)
    info_meeting_place = serializers.CharField(max_length=200, required=False, default="")
    sessions = serializers.IntegerField(
        min_value=1, max_value=MAX_SESSIONS, required=False, allow_null=True, default=None
    )
    first_date = serializers.DateField()
    place = serializers.CharField(max_length=200)

    def to_input(self) -> services.SeriesInput:
        data = self.validated_data
        preset = PRESETS.get(data["preset"])
        return services.SeriesInput(
            title=data["title"] or (str(preset.title) if preset else ""),
            description=data["description"] or (str(preset.description) if preset else ""),
            unit_id=data["unit"],
            first_date=data["first_date"],
            place=data["place"],
            organisation_ids=data["organisations"],
            capacity=data["capacity"],
            interpreter_languages=data["interpreter_languages"],
            info_meeting_at=data["info_meeting_at"],
            info_meeting_place=data["info_meeting_place"],
            preset=data["preset"],
            sessions=data["sessions"],
        )


def _detail(request: Request, series_id: UUID) -> dict[str, Any]:
    series = selectors.get_series(api_user(request), series_id)
    return dict(GroupSeriesDetailOutputSerializer(series).data)


class SeriesListCreateApi(APIView):
    """List the group series, or create one (from a preset or with a number of sessions)."""

    @extend_schema(responses=GroupSeriesOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        user = api_user(request)
        if not access.can_see_series_list(user):
            raise NotFoundOrForbidden
        return Response(GroupSeriesOutputSerializer(selectors.list_series(user), many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        request=GroupSeriesInputSerializer, responses={201: GroupSeriesDetailOutputSerializer}
    )
    def post(self, request: Request) -> Response:
        serializer = GroupSeriesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        series = services.create_series(
            actor=api_user(request), data=serializer.to_input(), channel=Channel.API
        )
        return Response(_detail(request, series.pk), status=201)


class SeriesDetailApi(APIView):
    """Read a series with its sessions."""

    @extend_schema(responses=GroupSeriesDetailOutputSerializer)
    def get(self, request: Request, series_id: UUID) -> Response:
        return Response(_detail(request, series_id))


class GroupSessionInputSerializer(serializers.Serializer[Any]):
    topic = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200)
    morning_starts = serializers.TimeField(allow_null=True)
    morning_ends = serializers.TimeField(allow_null=True)
    afternoon_starts = serializers.TimeField(allow_null=True)
    afternoon_ends = serializers.TimeField(allow_null=True)
    facilitators = serializers.ListField(child=serializers.UUIDField())
    external_facilitators = serializers.CharField(max_length=300, allow_blank=True)


class SessionApi(APIView):
    """Plan a session: change any of date, place, topic, run times and facilitators."""

    @extend_schema(request=GroupSessionInputSerializer, responses=GroupSessionOutputSerializer)
    def patch(self, request: Request, series_id: UUID, session_id: UUID) -> Response:
        user = api_user(request)
        series = access.access_series(user, series_id, manage=True)
        session = selectors.get_session(user, series, session_id)
        serializer = GroupSessionInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        current = {
            "topic": session.topic,
            "held_on": session.held_on,
            "place": session.place,
            "morning_starts": session.morning_starts,
            "morning_ends": session.morning_ends,
            "afternoon_starts": session.afternoon_starts,
            "afternoon_ends": session.afternoon_ends,
            "facilitators": [u.pk for u in session.facilitators.all()],
            "external_facilitators": session.external_facilitators,
        }
        merged = {**current, **data}
        facilitators = merged.pop("facilitators")
        services.update_session(
            actor=user,
            series_id=series.pk,
            session_id=session.pk,
            data=services.SessionInput(**merged, facilitator_ids=facilitators),
            channel=Channel.API,
        )
        return Response(
            GroupSessionOutputSerializer(selectors.get_session(user, series, session_id)).data
        )


class GroupEnrolmentOutputSerializer(serializers.Serializer[GroupEnrolment]):
    id = serializers.UUIDField()
    case = serializers.UUIDField(source="case_id")
    given_name = serializers.CharField(source="case.person.given_name")
    family_name = serializers.CharField(source="case.person.family_name")
    status = serializers.ChoiceField(choices=Status.choices)
    preferred_run = serializers.CharField()
    interpreter_language = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)


class GroupParticipantsOutputSerializer(serializers.Serializer[Any]):
    participants = GroupEnrolmentOutputSerializer(many=True, source="shown")
    hidden_count = serializers.IntegerField(
        help_text="Participants not shown: no consent covers your organisation."
    )


class GroupInviteInputSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField()
    preferred_run = serializers.ChoiceField(choices=Run.choices, required=False, default="")
    interpreter_language = serializers.ChoiceField(
        choices=Language.choices, required=False, default=""
    )


class GroupInviteOutputSerializer(serializers.Serializer[GroupEnrolment]):
    id = serializers.UUIDField()
    case = serializers.UUIDField(source="case_id")
    status = serializers.ChoiceField(choices=Status.choices)


class EnrolmentListApi(APIView):
    """List the participants you may see by name, or invite a case you work on."""

    @extend_schema(responses=GroupParticipantsOutputSerializer)
    def get(self, request: Request, series_id: UUID) -> Response:
        user = api_user(request)
        series = access.access_series(user, series_id, manage=True)
        participants = selectors.read_participants(user, series, channel=Channel.API)
        return Response(GroupParticipantsOutputSerializer(participants).data)

    @extend_schema(request=GroupInviteInputSerializer, responses={201: GroupInviteOutputSerializer})
    def post(self, request: Request, series_id: UUID) -> Response:
        serializer = GroupInviteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        enrolment = services.invite(
            actor=api_user(request),
            series_id=series_id,
            case_id=data["case"],
            preferred_run=data["preferred_run"],
            interpreter_language=data["interpreter_language"],
            channel=Channel.API,
        )
        return Response(GroupInviteOutputSerializer(enrolment).data, status=201)


class GroupEnrolmentStatusInputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=[Status.INFORMED, Status.ACCEPTED, Status.DECLINED, Status.LEFT]
    )


class EnrolmentApi(APIView):
    """Move a participant: informed, accepted (409 before the information meeting or when
    full), declined or left."""

    @extend_schema(
        request=GroupEnrolmentStatusInputSerializer, responses=GroupInviteOutputSerializer
    )
    def patch(self, request: Request, series_id: UUID, enrolment_id: UUID) -> Response:
        serializer = GroupEnrolmentStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrolment = services.change_enrolment(
            actor=api_user(request),
            series_id=series_id,
            enrolment_id=enrolment_id,
            status=serializer.validated_data["status"],
            channel=Channel.API,
        )
        return Response(GroupInviteOutputSerializer(enrolment).data)


class GroupAttendanceSerializer(serializers.Serializer[Attendance]):
    enrolment = serializers.UUIDField(source="enrolment_id")
    present = serializers.BooleanField()
    run = serializers.ChoiceField(choices=Run.choices, required=False, allow_blank=True, default="")
    wants_follow_up = serializers.BooleanField(required=False, default=False)
    follow_up_task = serializers.UUIDField(
        source="follow_up_task_id", read_only=True, allow_null=True
    )


class GroupAttendanceInputSerializer(serializers.Serializer[Any]):
    rows = GroupAttendanceSerializer(many=True)


class AttendanceApi(APIView):
    """Read or record the attendance of a held session (participants you may see)."""

    def _session(self, request: Request, series_id: UUID, session_id: UUID) -> GroupSession:
        user = api_user(request)
        series = access.access_series(user, series_id, manage=True)
        return selectors.get_session(user, series, session_id)

    @extend_schema(responses=GroupAttendanceSerializer(many=True))
    def get(self, request: Request, series_id: UUID, session_id: UUID) -> Response:
        session = self._session(request, series_id, session_id)
        user = api_user(request)
        participants = selectors.read_participants(user, session.series, channel=Channel.API)
        shown = {e.pk for e in participants.shown}
        rows = [a for a in selectors.list_attendance(session).values() if a.enrolment_id in shown]
        return Response(GroupAttendanceSerializer(rows, many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        request=GroupAttendanceInputSerializer, responses=GroupAttendanceSerializer(many=True)
    )
    def post(self, request: Request, series_id: UUID, session_id: UUID) -> Response:
        serializer = GroupAttendanceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = services.record_attendance(
            actor=api_user(request),
            series_id=series_id,
            session_id=session_id,
            rows=[
                services.AttendanceRow(
                    enrolment_id=row["enrolment_id"],
                    present=row["present"],
                    run=row["run"],
                    wants_follow_up=row["wants_follow_up"],
                )
                for row in serializer.validated_data["rows"]
            ],
            channel=Channel.API,
        )
        return Response(GroupAttendanceSerializer(rows, many=True).data)  # type: ignore[arg-type]


class GroupEvaluationInputSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=5000)


class EvaluationApi(APIView):
    """Write the short evaluation note of a held session."""

    @extend_schema(request=GroupEvaluationInputSerializer, responses=GroupSessionOutputSerializer)
    def post(self, request: Request, series_id: UUID, session_id: UUID) -> Response:
        serializer = GroupEvaluationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.record_evaluation(
            actor=api_user(request),
            series_id=series_id,
            session_id=session_id,
            note=serializer.validated_data["note"],
            channel=Channel.API,
        )
        return Response(GroupSessionOutputSerializer(session).data)
