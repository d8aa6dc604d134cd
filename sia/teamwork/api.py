"""REST endpoints of the case team, its shared action plan and consultations.

They call the same access functions and services as the pages. Team members are
addressed by their user's UUID.
"""

from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.accounts.models import Organisation, User
from sia.audit.models import Channel
from sia.cases.access import access_case
from sia.cases.models import CaseTeamMember, TeamFunction
from sia.cases.selectors import get_case
from sia.consent.models import DataKind
from sia.core.concurrency import (
    EditConflict,
    VersionedInputSerializer,
    conflict_response,
    conflict_schema,
)
from sia.core.exceptions import ValidationFailed
from sia.core.http import api_user
from sia.teamwork import selectors, services
from sia.teamwork.models import Consultation, TeamTask


class TeamMemberOutputSerializer(serializers.Serializer[CaseTeamMember]):
    user = serializers.UUIDField(source="user_id")
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.get_full_name")
    organisation = serializers.UUIDField(source="unit.organisation_id")
    organisation_name = serializers.CharField(source="unit.organisation.name")
    unit = serializers.UUIDField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    role = serializers.CharField()
    function = serializers.CharField()
    since = serializers.DateTimeField(source="created_at")


class TeamMemberInputSerializer(serializers.Serializer[Any]):
    user = serializers.UUIDField()
    function = serializers.ChoiceField(choices=TeamFunction.choices)


class TeamMemberListApi(APIView):
    """List the case's active team, or add a member of staff of any organisation."""

    @extend_schema(responses=TeamMemberOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = get_case(api_user(request), case_id, channel=Channel.API, kind=DataKind.CASE)
        return Response(TeamMemberOutputSerializer(selectors.list_team(case), many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=TeamMemberInputSerializer, responses={201: TeamMemberOutputSerializer})
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = TeamMemberInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = services.add_team_member(
            actor=api_user(request),
            case_id=case_id,
            user_id=serializer.validated_data["user"],
            function=serializer.validated_data["function"],
            channel=Channel.API,
        )
        member = selectors.list_team(member.case).get(pk=member.pk)
        return Response(TeamMemberOutputSerializer(member).data, status=201)


class TeamMemberDetailApi(APIView):
    """Take a member (by user UUID) off the case team; a member may remove themselves."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, case_id: UUID, user_id: UUID) -> Response:
        services.remove_team_member(
            actor=api_user(request), case_id=case_id, user_id=user_id, channel=Channel.API
        )
        return Response(status=204)


class TeamTaskOutputSerializer(serializers.Serializer[TeamTask]):
    id = serializers.UUIDField()
    title = serializers.CharField()
    description = serializers.CharField()
    owner_organisation = serializers.UUIDField(source="owner_organisation_id")
    owner_organisation_name = serializers.CharField(source="owner_organisation.name")
    owner = serializers.UUIDField(source="owner_id", allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=TeamTask.Status.choices)
    done_on = serializers.DateField(allow_null=True)
    origin = serializers.ChoiceField(source="source", choices=TeamTask.Source.choices)
    created_at = serializers.DateTimeField()
    lock_version = serializers.IntegerField()


class TeamTaskInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=services.MAX_TITLE)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    owner_organisation = serializers.UUIDField()
    owner = serializers.UUIDField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class TeamTaskStatusInputSerializer(VersionedInputSerializer):
    status = serializers.ChoiceField(choices=TeamTask.Status.choices)
    done_on = serializers.DateField(required=False, allow_null=True, default=None)


TeamTaskConflictSerializer = conflict_schema("TeamTaskConflict", TeamTaskOutputSerializer())


def _organisation(organisation_id: UUID) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise ValidationFailed(_("Organisationen finns inte."), field="owner_organisation")
    return organisation


def _owner(owner_id: UUID | None) -> User | None:
    if owner_id is None:
        return None
    owner = User.objects.filter(pk=owner_id, is_active=True).first()
    if owner is None:
        raise ValidationFailed(_("Medarbetaren finns inte."), field="owner")
    return owner


class TaskListApi(APIView):
    """List the case's shared action plan, or add a task owned by an organisation."""

    @extend_schema(responses=TeamTaskOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        user = api_user(request)
        case = get_case(user, case_id, channel=Channel.API, kind=DataKind.PLANS)
        return Response(TeamTaskOutputSerializer(selectors.list_tasks(user, case), many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=TeamTaskInputSerializer, responses={201: TeamTaskOutputSerializer})
    def post(self, request: Request, case_id: UUID) -> Response:
        user = api_user(request)
        serializer = TeamTaskInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        task = services.create_task(
            actor=user,
            case=access_case(user, case_id, for_write=True),
            title=data["title"],
            description=data["description"],
            owner_organisation=_organisation(data["owner_organisation"]),
            owner=_owner(data["owner"]),
            due_on=data["due_on"],
            source=TeamTask.Source.TEAM,
            channel=Channel.API,
        )
        return Response(TeamTaskOutputSerializer(task).data, status=201)


class TaskDetailApi(APIView):
    """Move a task's status; done needs done_on."""

    @extend_schema(
        request=TeamTaskStatusInputSerializer,
        responses={200: TeamTaskOutputSerializer, 409: TeamTaskConflictSerializer},
    )
    def patch(self, request: Request, case_id: UUID, task_id: UUID) -> Response:
        serializer = TeamTaskStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            task = services.update_task(
                actor=api_user(request),
                task_id=task_id,
                case_id=case_id,
                status=serializer.validated_data["status"],
                done_on=serializer.validated_data["done_on"],
                channel=Channel.API,
                expected_version=serializer.validated_data["lock_version"],
            )
        except EditConflict as conflict:
            record = conflict.record
            assert isinstance(record, TeamTask)  # noqa: S101
            return conflict_response(conflict, TeamTaskOutputSerializer(record).data)
        return Response(TeamTaskOutputSerializer(task).data)


class ConsultationOutputSerializer(serializers.Serializer[Consultation]):
    id = serializers.UUIDField()
    case = serializers.UUIDField(source="case_id", allow_null=True)
    asked_by = serializers.CharField(source="asked_by.username")
    specialist_function = serializers.ChoiceField(choices=TeamFunction.choices)
    specialist = serializers.UUIDField(source="specialist_id", allow_null=True)
    question = serializers.CharField()
    status = serializers.ChoiceField(choices=Consultation.Status.choices)
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class ConsultationInputSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="Omit for an anonymous question."
    )
    specialist_function = serializers.ChoiceField(choices=TeamFunction.choices)
    specialist = serializers.UUIDField(required=False, allow_null=True, default=None)
    question = serializers.CharField(max_length=services.MAX_TEXT)


class ConsultationAnswerInputSerializer(serializers.Serializer[Any]):
    answer = serializers.CharField(max_length=services.MAX_TEXT)


class ConsultationListApi(APIView):
    """List the consultations I asked (or, with box=to_answer, those waiting for my answer);
    ask one about a case or anonymously."""

    @extend_schema(
        parameters=[OpenApiParameter("box", str, enum=["asked", "to_answer"], required=False)],
        responses=ConsultationOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        user = api_user(request)
        if request.query_params.get("box") == "to_answer":
            rows = selectors.list_consultations_to_answer(user)
        else:
            rows = selectors.list_my_consultations(user)
        shown = selectors.read_consultations(user, rows, channel=Channel.API)
        return Response(ConsultationOutputSerializer(shown, many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        request=ConsultationInputSerializer, responses={201: ConsultationOutputSerializer}
    )
    def post(self, request: Request) -> Response:
        serializer = ConsultationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        consultation = services.ask_consultation(
            actor=api_user(request),
            case_id=data["case"],
            specialist_function=data["specialist_function"],
            specialist_id=data["specialist"],
            question=data["question"],
            channel=Channel.API,
        )
        return Response(ConsultationOutputSerializer(consultation).data, status=201)


class ConsultationAnswerApi(APIView):
    """Answer a consultation waiting for me."""

    @extend_schema(
        request=ConsultationAnswerInputSerializer, responses=ConsultationOutputSerializer
    )
    def post(self, request: Request, consultation_id: UUID) -> Response:
        serializer = ConsultationAnswerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consultation = services.answer_consultation(
            actor=api_user(request),
            consultation_id=consultation_id,
            answer=serializer.validated_data["answer"],
            channel=Channel.API,
        )
        return Response(ConsultationOutputSerializer(consultation).data)


class ConsultationWithdrawApi(APIView):
    """Withdraw a consultation I asked that has no answer yet."""

    @extend_schema(request=None, responses=ConsultationOutputSerializer)
    def post(self, request: Request, consultation_id: UUID) -> Response:
        consultation = services.withdraw_consultation(
            actor=api_user(request), consultation_id=consultation_id, channel=Channel.API
        )
        return Response(ConsultationOutputSerializer(consultation).data)
