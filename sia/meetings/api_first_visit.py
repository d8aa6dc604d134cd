"""REST endpoints of the first visit and the call-in, over the same services as the pages."""

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.audit.models import Channel
from sia.cases.selectors import get_case
from sia.consent.models import DataKind
from sia.core.http import api_user
from sia.core.serializers import EventTimeField
from sia.meetings import first_visit as services
from sia.meetings.models import FirstVisit, GuideCall
from sia.meetings.selectors_first_visit import list_first_visits, list_open_calls_to


class FirstVisitOutputSerializer(serializers.Serializer[FirstVisit]):
    id = serializers.UUIDField()
    held_at = serializers.DateTimeField()
    answers = serializers.DictField(child=serializers.CharField())
    continuing_support_need = serializers.BooleanField()
    notes = serializers.CharField()
    author = serializers.CharField(source="author.username")
    signed_at = serializers.DateTimeField()
    supersedes = serializers.UUIDField(source="supersedes_id", allow_null=True)


class FirstVisitInputSerializer(serializers.Serializer[Any]):
    held_at = EventTimeField()
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=10_000),
        required=False,
        help_text="Answers keyed by the assessment template's item keys.",
    )
    continuing_support_need = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    received_documents = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        help_text="Catalogue item ids of requested documents handed in today.",
    )


class FirstVisitListCreateApi(APIView):
    """List a case's first-visit records (corrections included), or sign a new one."""

    @extend_schema(responses=FirstVisitOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = get_case(api_user(request), case_id, channel=Channel.API, kind=DataKind.ASSESSMENTS)
        return Response(FirstVisitOutputSerializer(list_first_visits(case), many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=FirstVisitInputSerializer, responses={201: FirstVisitOutputSerializer})
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = FirstVisitInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = services.record_first_visit(
            case_id=case_id,
            held_at=data["held_at"],
            answers=data.get("answers", {}),
            continuing_support_need=data["continuing_support_need"],
            notes=data["notes"],
            received_document_ids=data["received_documents"],
            recorded_by=api_user(request),
            channel=Channel.API,
        )
        return Response(FirstVisitOutputSerializer(record).data, status=201)


class GuideCallOutputSerializer(serializers.Serializer[GuideCall]):
    id = serializers.UUIDField()
    case = serializers.UUIDField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    guide = serializers.CharField(source="guide.username")
    called_by = serializers.CharField(source="called_by.username")
    caller_name = serializers.CharField(source="called_by.get_full_name")
    message = serializers.CharField()
    called_at = serializers.DateTimeField(source="created_at")
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


class GuideCallInputSerializer(serializers.Serializer[Any]):
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    guide = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="Default: the standby guide."
    )


class GuideCallCreateApi(APIView):
    """Call the standby guide (or a chosen guide on the team) into the first visit."""

    @extend_schema(request=GuideCallInputSerializer, responses={201: GuideCallOutputSerializer})
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = GuideCallInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call = services.call_guide(
            case_id=case_id,
            called_by=api_user(request),
            channel=Channel.API,
            message=serializer.validated_data["message"],
            guide_id=serializer.validated_data["guide"],
        )
        return Response(GuideCallOutputSerializer(call).data, status=201)


class GuideCallListApi(APIView):
    """List the open call-ins to you (no personal data of the newcomer)."""

    @extend_schema(responses=GuideCallOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        calls = list_open_calls_to(api_user(request)).select_related("guide")
        return Response(GuideCallOutputSerializer(calls, many=True).data)  # type: ignore[arg-type]


class GuideCallAnswerInputSerializer(serializers.Serializer[Any]):
    answer = serializers.ChoiceField(choices=GuideCall.Answer.choices)


class GuideCallAnswerApi(APIView):
    """Answer a call-in to you, once: on_my_way or cannot. A second answer is 409."""

    @extend_schema(request=GuideCallAnswerInputSerializer, responses=GuideCallOutputSerializer)
    def post(self, request: Request, call_id: UUID) -> Response:
        serializer = GuideCallAnswerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call = services.answer_guide_call(
            call_id=call_id,
            answer=serializer.validated_data["answer"],
            answered_by=api_user(request),
            channel=Channel.API,
        )
        return Response(GuideCallOutputSerializer(call).data)
