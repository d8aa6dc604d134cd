"""REST endpoints of the SIA plan, over the same access functions and services as the pages."""

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
from sia.core.concurrency import (
    EditConflict,
    VersionedInputSerializer,
    conflict_response,
    conflict_schema,
)
from sia.core.http import api_user
from sia.plans import services
from sia.plans.models import PlanActivity, SiaPlan
from sia.plans.selectors import get_plan, list_plans


class ActivityOutputSerializer(serializers.Serializer[PlanActivity]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    catalogue_item = serializers.UUIDField(source="catalogue_item_id", allow_null=True)
    title = serializers.CharField()
    responsible = serializers.CharField()
    responsible_user = serializers.UUIDField(source="responsible_user_id", allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    target_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=PlanActivity.Status.choices)
    lock_version = serializers.IntegerField()


class PlanOutputSerializer(serializers.Serializer[SiaPlan]):
    id = serializers.UUIDField()
    version = serializers.IntegerField()
    lock_version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=SiaPlan.Status.choices)
    assessment = serializers.CharField()
    guidance_needs = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()
    agreed_at = serializers.DateTimeField(allow_null=True)
    agreed_by = serializers.CharField(source="agreed_by.username", allow_null=True, default=None)
    activities = ActivityOutputSerializer(many=True)


class ActivityInputSerializer(serializers.Serializer[Any]):
    catalogue_item = serializers.UUIDField(required=False, allow_null=True, default=None)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    responsible = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    responsible_user = serializers.UUIDField(required=False, allow_null=True, default=None)
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    target_date = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(
        choices=PlanActivity.Status.choices, required=False, default=PlanActivity.Status.PLANNED
    )


class PlanInputSerializer(serializers.Serializer[Any]):
    assessment = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    guidance_needs = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    activities = ActivityInputSerializer(
        many=True, required=False, help_text="Omit to copy the latest version's activities."
    )


class PlanChangeInputSerializer(VersionedInputSerializer, PlanInputSerializer):
    pass


PlanConflictSerializer = conflict_schema("PlanConflict", PlanOutputSerializer())


def _plan_fields(data: dict[str, Any]) -> dict[str, Any]:
    activities = data.get("activities")
    return {
        "assessment": data.get("assessment"),
        "guidance_needs": data.get("guidance_needs"),
        "activities": None
        if activities is None
        else [
            services.ActivityInput(
                catalogue_item_id=row.get("catalogue_item"),
                title=row.get("title", ""),
                responsible=row.get("responsible", ""),
                responsible_user_id=row.get("responsible_user"),
                start_date=row.get("start_date"),
                target_date=row.get("target_date"),
                status=row.get("status", PlanActivity.Status.PLANNED),
            )
            for row in activities
        ],
    }


def _reload(request: Request, case_id: UUID, plan_id: UUID) -> SiaPlan:
    case = get_case(api_user(request), case_id, channel=Channel.API, kind=DataKind.PLANS)
    return get_plan(case, plan_id)


class PlanListCreateApi(APIView):
    """List a case's plan versions (newest first), or propose a new version."""

    @extend_schema(responses=PlanOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = get_case(api_user(request), case_id, channel=Channel.API, kind=DataKind.PLANS)
        return Response(PlanOutputSerializer(list_plans(case), many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=PlanInputSerializer, responses={201: PlanOutputSerializer})
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = PlanInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.propose_plan(
            case_id=case_id,
            proposed_by=api_user(request),
            channel=Channel.API,
            **_plan_fields(dict(serializer.validated_data)),
        )
        return Response(PlanOutputSerializer(_reload(request, case_id, plan.pk)).data, status=201)


class PlanDetailApi(APIView):
    """Read one plan version, or change it while it is a proposal (409 once agreed)."""

    @extend_schema(responses=PlanOutputSerializer)
    def get(self, request: Request, case_id: UUID, plan_id: UUID) -> Response:
        return Response(PlanOutputSerializer(_reload(request, case_id, plan_id)).data)

    @extend_schema(
        request=PlanChangeInputSerializer,
        responses={200: PlanOutputSerializer, 409: PlanConflictSerializer},
    )
    def patch(self, request: Request, case_id: UUID, plan_id: UUID) -> Response:
        serializer = PlanChangeInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            services.update_proposal(
                case_id=case_id,
                plan_id=plan_id,
                changed_by=api_user(request),
                channel=Channel.API,
                expected_version=data["lock_version"],
                **_plan_fields(data),
            )
        except EditConflict as conflict:
            now = PlanOutputSerializer(_reload(request, case_id, plan_id)).data
            return conflict_response(conflict, now)
        return Response(PlanOutputSerializer(_reload(request, case_id, plan_id)).data)


class PlanAgreeInputSerializer(VersionedInputSerializer):
    """The lock_version of the proposal as it was shown to the newcomer."""


class PlanAgreeApi(APIView):
    """Agree a proposal as the newcomer was shown it (409 if changed since, or agreed)."""

    @extend_schema(
        request=PlanAgreeInputSerializer,
        responses={200: PlanOutputSerializer, 409: PlanConflictSerializer},
    )
    def post(self, request: Request, case_id: UUID, plan_id: UUID) -> Response:
        serializer = PlanAgreeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.agree_plan(
                case_id=case_id,
                plan_id=plan_id,
                agreed_by=api_user(request),
                channel=Channel.API,
                expected_version=serializer.validated_data["lock_version"],
            )
        except EditConflict as conflict:
            now = PlanOutputSerializer(_reload(request, case_id, plan_id)).data
            return conflict_response(conflict, now)
        return Response(PlanOutputSerializer(_reload(request, case_id, plan_id)).data)


class ActivityStatusInputSerializer(VersionedInputSerializer):
    status = serializers.ChoiceField(choices=PlanActivity.Status.choices)


ActivityConflictSerializer = conflict_schema("PlanActivityConflict", ActivityOutputSerializer())


class PlanActivityApi(APIView):
    """Move an activity's status on the latest agreed version (409 on a replaced version)."""

    @extend_schema(
        request=ActivityStatusInputSerializer,
        responses={200: ActivityOutputSerializer, 409: ActivityConflictSerializer},
    )
    def patch(self, request: Request, case_id: UUID, plan_id: UUID, activity_id: UUID) -> Response:
        serializer = ActivityStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            activity = services.update_activity_status(
                case_id=case_id,
                plan_id=plan_id,
                activity_id=activity_id,
                status=serializer.validated_data["status"],
                changed_by=api_user(request),
                channel=Channel.API,
                expected_version=serializer.validated_data["lock_version"],
            )
        except EditConflict as conflict:
            record = conflict.record
            assert isinstance(record, PlanActivity)  # noqa: S101
            return conflict_response(conflict, ActivityOutputSerializer(record).data)
        return Response(ActivityOutputSerializer(activity).data)
