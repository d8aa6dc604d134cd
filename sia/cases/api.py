"""REST endpoints for cases and emergency access to them, over the same access functions
and services as the pages."""

from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.audit.models import Channel
from sia.cases import services
from sia.cases.emergency import (
    MIN_REASON_LENGTH,
    access_case_for_emergency,
    can_review_emergency_access,
    default_hours,
    grant_emergency_access,
    list_emergency_accesses,
    read_emergency_accesses,
    review_emergency_access,
)
from sia.cases.models import Case, CaseTeamMember, EmergencyAccess
from sia.cases.selectors import get_case, list_cases, read_cases, reload_case_after_write
from sia.core.exceptions import NotFoundOrForbidden
from sia.core.http import api_user
from sia.core.text import MAX_TEXT
from sia.people import services as people_services
from sia.people.api import PersonInputSerializer
from sia.people.models import ArrivalCategory
from sia.process.access import can_see_steps
from sia.process.models import CaseStep
from sia.process.selectors import load_steps, with_steps


class TeamMemberSerializer(serializers.Serializer[CaseTeamMember]):
    user = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.get_full_name")
    role = serializers.CharField()
    unit = serializers.UUIDField(source="unit_id")


class StepSerializer(serializers.Serializer[CaseStep]):
    key = serializers.CharField()
    title = serializers.CharField()
    responsible_role = serializers.CharField(source="definition.responsible_role")
    due_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=CaseStep.Status.choices)
    completed_at = serializers.DateTimeField(allow_null=True)


class CaseOutputSerializer(serializers.Serializer[Case]):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    person = serializers.UUIDField(source="person_id")
    person_name = serializers.CharField(source="person.full_name")
    protected_identity = serializers.BooleanField(source="person.protected_identity")
    owning_unit = serializers.UUIDField(source="owning_unit_id")
    stage = serializers.ChoiceField(choices=Case.Stage.choices)
    first_contact_date = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    closing_reason = serializers.CharField()
    team = TeamMemberSerializer(source="active_team", many=True)
    steps = serializers.SerializerMethodField(
        help_text="The case's process steps, in order (empty for a partner whose consent "
        "does not share the case's steps)."
    )

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, case: Case) -> list[dict[str, Any]]:
        user = self.context.get("user")
        if user is not None and not can_see_steps(user, case):
            return []
        return list(StepSerializer(case.steps.all(), many=True).data)  # type: ignore[arg-type]


class NewPersonSerializer(PersonInputSerializer):
    unit = serializers.UUIDField(required=False)


class CaseInputSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField(required=False, help_text="An already registered person.")
    new_person = NewPersonSerializer(required=False, help_text="Register the person first.")
    unit = serializers.UUIDField()
    first_contact_date = serializers.DateField()
    arrival_category = serializers.ChoiceField(
        choices=ArrivalCategory.choices, required=False, allow_blank=True
    )
    outside_target_group_confirmed = serializers.BooleanField(
        default=False,
        help_text="Open the case although the person is outside the SIA target group.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("person" in attrs) == ("new_person" in attrs):
            raise serializers.ValidationError(_("Ange antingen person eller new_person."))
        return attrs


class CaseListCreateApi(APIView):
    """List the cases you may see, or open a case (aktualisering)."""

    pagination_class = PageNumberPagination  # declares the list as pages in the schema

    @extend_schema(responses=CaseOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        cases = with_steps(list_cases(api_user(request)))
        page = paginator.paginate_queryset(cases, request, view=self) or []
        read_cases(api_user(request), list(page), channel=Channel.API)
        return paginator.get_paginated_response(
            CaseOutputSerializer(page, many=True, context={"user": api_user(request)}).data  # type: ignore[arg-type]
        )

    @extend_schema(request=CaseInputSerializer, responses={201: CaseOutputSerializer})
    def post(self, request: Request) -> Response:
        serializer = CaseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = _open_case(request, dict(serializer.validated_data))
        return Response(CaseOutputSerializer(case).data, status=201)


@transaction.atomic
def _open_case(request: Request, data: dict[str, Any]) -> Case:
    person_id = data.get("person")
    if person_id is None:
        new = dict(data["new_person"])
        new.pop("unit", None)
        identifiers = [
            people_services.IdentifierInput(**item) for item in new.pop("identifiers", [])
        ]
        confirmed = new.pop("confirmed_not_duplicate")
        person_id = people_services.register_person(
            registered_by=api_user(request),
            unit_id=data["unit"],
            data=people_services.PersonInput(**new),
            identifiers=identifiers,
            confirmed_not_duplicate=confirmed,
            channel=Channel.API,
        ).pk
    if data.get("arrival_category"):
        people_services.update_person(
            changed_by=api_user(request),
            person_id=person_id,
            changes={"arrival_category": data["arrival_category"]},
            channel=Channel.API,
        )
    case = services.open_case(
        opened_by=api_user(request),
        person_id=person_id,
        unit_id=data["unit"],
        first_contact_date=data["first_contact_date"],
        channel=Channel.API,
        outside_target_group_confirmed=data["outside_target_group_confirmed"],
    )
    case = reload_case_after_write(api_user(request), case.pk)
    load_steps(case)
    return case


class CaseDetailApi(APIView):
    """Read one case."""

    @extend_schema(responses=CaseOutputSerializer)
    def get(self, request: Request, case_id: UUID) -> Response:
        case = get_case(api_user(request), case_id, channel=Channel.API)
        load_steps(case)
        return Response(CaseOutputSerializer(case, context={"user": api_user(request)}).data)


class EmergencyAccessOutputSerializer(serializers.Serializer[EmergencyAccess]):
    id = serializers.UUIDField()
    case = serializers.UUIDField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    user = serializers.CharField(source="user.username")
    reason = serializers.CharField()
    granted_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    reviewed_by = serializers.CharField(source="reviewed_by.username", allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    review_note = serializers.CharField()


class EmergencyAccessInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=MAX_TEXT,
        help_text=f"Why the emergency needs the case; at least {MIN_REASON_LENGTH} characters.",
    )
    hours = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="How long the access lasts: SIA_EMERGENCY_ACCESS_HOURS unless given, at most "
        "SIA_EMERGENCY_ACCESS_MAX_HOURS.",
    )


class CaseEmergencyAccessApi(APIView):
    """Take emergency access (nödåtkomst) to a case of your municipality outside your scope."""

    @extend_schema(
        request=EmergencyAccessInputSerializer, responses={201: EmergencyAccessOutputSerializer}
    )
    def post(self, request: Request, case_id: UUID) -> Response:
        user = api_user(request)
        access_case_for_emergency(user, case_id)  # 404 before the input is even looked at
        serializer = EmergencyAccessInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access = grant_emergency_access(
            user=user,
            case_id=case_id,
            reason=serializer.validated_data["reason"],
            hours=serializer.validated_data.get("hours", default_hours()),
            channel=Channel.API,
        )
        return Response(EmergencyAccessOutputSerializer(access).data, status=201)


class EmergencyAccessListApi(APIView):
    """List the emergency accesses to cases of the units you manage, newest first."""

    pagination_class = PageNumberPagination  # declares the list as pages in the schema

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "to_review", bool, required=False, description="Only those not reviewed yet."
            )
        ],
        responses=EmergencyAccessOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        user = api_user(request)
        if not can_review_emergency_access(user):
            raise NotFoundOrForbidden
        to_review = request.query_params.get("to_review", "").lower() in {"1", "true"}
        paginator = self.pagination_class()
        accesses = list_emergency_accesses(user, to_review_only=to_review)
        page = paginator.paginate_queryset(accesses, request, view=self) or []
        read_emergency_accesses(user, list(page), channel=Channel.API)
        return paginator.get_paginated_response(
            EmergencyAccessOutputSerializer(page, many=True).data  # type: ignore[arg-type]
        )


class EmergencyReviewInputSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)


class EmergencyAccessReviewApi(APIView):
    """Record your review, as a deputy manager of the case's unit, of an emergency access."""

    @extend_schema(
        request=EmergencyReviewInputSerializer, responses={200: EmergencyAccessOutputSerializer}
    )
    def post(self, request: Request, access_id: UUID) -> Response:
        serializer = EmergencyReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access = review_emergency_access(
            reviewer=api_user(request),
            access_id=access_id,
            note=serializer.validated_data.get("note", ""),
            channel=Channel.API,
        )
        return Response(EmergencyAccessOutputSerializer(access).data)
