"""REST endpoints of decisions on support, over the same access rules and services as
the pages. A decision is immutable: PUT and PATCH answer 405."""

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.audit.models import Channel
from sia.cases.models import Case
from sia.cases.selectors import get_case
from sia.consent.models import DataKind
from sia.core.concurrency import (
    EditConflict,
    VersionedInputSerializer,
    conflict_response,
    conflict_schema,
)
from sia.core.exceptions import NotFoundOrForbidden
from sia.core.http import api_user
from sia.decisions import services
from sia.decisions.models import (
    FollowUpMeeting,
    PlanItem,
    ProviderLogEntry,
    SupportDecision,
    SupportEnding,
    SupportPlan,
)
from sia.decisions.selectors import get_decision, list_decisions

T = TypeVar("T")


class SupportDecisionOutputSerializer(serializers.Serializer[SupportDecision]):
    id = serializers.UUIDField()
    applied_for = serializers.CharField()
    applied_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=SupportDecision.Outcome.choices)
    decided_support = serializers.CharField()
    legal_basis = serializers.ChoiceField(choices=SupportDecision.LegalBasis.choices)
    reasons = serializers.CharField()
    provider = serializers.UUIDField(source="provider_id", allow_null=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    appeal_notice = serializers.CharField()
    informed_on = serializers.DateField(allow_null=True)
    informed_how = serializers.CharField()
    decided_by = serializers.CharField(source="decided_by.username")
    decided_on = serializers.DateField()
    signed_at = serializers.DateTimeField()
    supersedes = serializers.UUIDField(source="supersedes_id", allow_null=True)
    superseded_by = serializers.SerializerMethodField()
    ended_on = serializers.SerializerMethodField()

    def get_superseded_by(self, decision: SupportDecision) -> str | None:
        replacement = getattr(decision, "superseded_by", None)
        return str(replacement.pk) if replacement else None

    def get_ended_on(self, decision: SupportDecision) -> str | None:
        ending = getattr(decision, "ending", None)
        return f"{ending.ended_on:%Y-%m-%d}" if ending else None


class SupportDecisionInputSerializer(serializers.Serializer[Any]):
    applied_for = serializers.CharField(max_length=10_000)
    applied_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=SupportDecision.Outcome.choices)
    decided_support = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )
    legal_basis = serializers.ChoiceField(choices=SupportDecision.LegalBasis.choices)
    reasons = serializers.CharField(max_length=10_000)
    provider = serializers.UUIDField(required=False, allow_null=True, default=None)
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    appeal_notice = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )
    supersedes = serializers.UUIDField(required=False, allow_null=True, default=None)


class SupportInformedInputSerializer(serializers.Serializer[Any]):
    informed_on = serializers.DateField()
    informed_how = serializers.ChoiceField(choices=SupportDecision.InformedHow.choices)


class SupportPlanItemOutputSerializer(serializers.Serializer[PlanItem]):
    id = serializers.UUIDField()
    label = serializers.CharField()  # type: ignore[assignment]
    met_on = serializers.DateField(allow_null=True)
    lock_version = serializers.IntegerField()


class SupportPlanOutputSerializer(serializers.Serializer[SupportPlan]):
    id = serializers.UUIDField()
    time_plan = serializers.CharField()
    expected_end_on = serializers.DateField(allow_null=True)
    created_by = serializers.CharField(source="created_by.username")
    items = SupportPlanItemOutputSerializer(many=True)


class SupportPlanInputSerializer(serializers.Serializer[Any]):
    time_plan = serializers.CharField(max_length=10_000)
    expected_end_on = serializers.DateField(required=False, allow_null=True, default=None)
    items = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=services.MAX_ITEMS
    )


class SupportPlanItemInputSerializer(VersionedInputSerializer):
    met_on = serializers.DateField(allow_null=True)


SupportPlanItemConflictSerializer = conflict_schema(
    "SupportPlanItemConflict", SupportPlanItemOutputSerializer()
)


class ProviderLogSerializer(serializers.Serializer[ProviderLogEntry]):
    id = serializers.UUIDField(read_only=True)
    performed_on = serializers.DateField()
    minutes = serializers.IntegerField(min_value=1, max_value=1440)
    category = serializers.ChoiceField(choices=ProviderLogEntry.Category.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    logged_by = serializers.CharField(source="logged_by.username", read_only=True)


class SupportFollowUpSerializer(serializers.Serializer[FollowUpMeeting]):
    id = serializers.UUIDField(read_only=True)
    held_on = serializers.DateField()
    participants = serializers.CharField(max_length=10_000)
    notes = serializers.CharField(max_length=10_000)
    next_follow_up_on = serializers.DateField(required=False, allow_null=True, default=None)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)


class SupportEndingSerializer(serializers.Serializer[SupportEnding]):
    id = serializers.UUIDField(read_only=True)
    ended_on = serializers.DateField()
    reason = serializers.ChoiceField(choices=SupportEnding.Reason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


def _case(request: Request, case_id: UUID) -> Case:
    return get_case(
        api_user(request), case_id, channel=Channel.API, kind=DataKind.CASE, provider_ok=True
    )


def _decision(request: Request, case_id: UUID, decision_id: UUID) -> SupportDecision:
    return get_decision(api_user(request), _case(request, case_id), decision_id)


def _call(
    request: Request,
    case_id: UUID,
    decision_id: UUID,
    serializer_class: type[serializers.Serializer[Any]],
    service: Callable[..., T],
) -> T:
    """Validate the request with `serializer_class`, then call `service` on the decision
    as the request's user, through the API."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return service(
        actor=api_user(request),
        decision_id=decision_id,
        case_id=case_id,
        channel=Channel.API,
        **serializer.validated_data,
    )


class DecisionListCreateApi(APIView):
    """List a case's decisions (the replaced ones too), or make and sign a new one."""

    @extend_schema(responses=SupportDecisionOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        decisions = list_decisions(api_user(request), _case(request, case_id))
        return Response(SupportDecisionOutputSerializer(decisions, many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        request=SupportDecisionInputSerializer, responses={201: SupportDecisionOutputSerializer}
    )
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = SupportDecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        decision = services.make_decision(
            actor=api_user(request),
            case_id=case_id,
            provider_id=data.pop("provider"),
            supersedes_id=data.pop("supersedes"),
            channel=Channel.API,
            **data,
        )
        return Response(
            SupportDecisionOutputSerializer(_decision(request, case_id, decision.pk)).data,
            status=201,
        )


class DecisionDetailApi(APIView):
    """Read one decision. It is signed and never changed: PUT and PATCH answer 405."""

    @extend_schema(responses=SupportDecisionOutputSerializer)
    def get(self, request: Request, case_id: UUID, decision_id: UUID) -> Response:
        return Response(
            SupportDecisionOutputSerializer(_decision(request, case_id, decision_id)).data
        )


class DecisionInformedApi(APIView):
    """Record once when and how the person was told of the decision."""

    @extend_schema(
        request=SupportInformedInputSerializer, responses=SupportDecisionOutputSerializer
    )
    def post(self, request: Request, case_id: UUID, decision_id: UUID) -> Response:
        _call(
            request, case_id, decision_id, SupportInformedInputSerializer, services.record_informed
        )
        return Response(
            SupportDecisionOutputSerializer(_decision(request, case_id, decision_id)).data
        )


class PlanApi(APIView):
    """Read the decision's support plan, or make it (once)."""

    @extend_schema(responses=SupportPlanOutputSerializer)
    def get(self, request: Request, case_id: UUID, decision_id: UUID) -> Response:
        decision = _decision(request, case_id, decision_id)
        plan = SupportPlan.objects.filter(decision=decision).first()
        if plan is None:
            raise NotFoundOrForbidden
        return Response(SupportPlanOutputSerializer(plan).data)

    @extend_schema(request=SupportPlanInputSerializer, responses={201: SupportPlanOutputSerializer})
    def post(self, request: Request, case_id: UUID, decision_id: UUID) -> Response:
        plan = _call(request, case_id, decision_id, SupportPlanInputSerializer, services.make_plan)
        return Response(SupportPlanOutputSerializer(plan).data, status=201)


class PlanItemApi(APIView):
    """Mark a checklist point met on a day, or not yet (met_on null)."""

    @extend_schema(
        request=SupportPlanItemInputSerializer,
        responses={200: SupportPlanItemOutputSerializer, 409: SupportPlanItemConflictSerializer},
    )
    def patch(self, request: Request, case_id: UUID, decision_id: UUID, item_id: UUID) -> Response:
        serializer = SupportPlanItemInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            item = services.mark_item(
                actor=api_user(request),
                item_id=item_id,
                decision_id=decision_id,
                case_id=case_id,
                met_on=serializer.validated_data["met_on"],
                channel=Channel.API,
                expected_version=serializer.validated_data["lock_version"],
            )
        except EditConflict as conflict:
            record = conflict.record
            assert isinstance(record, PlanItem)  # noqa: S101
            current = SupportPlanItemOutputSerializer(record).data
            return conflict_response(conflict, current)
        return Response(SupportPlanItemOutputSerializer(item).data)


class LogApi(APIView):
    """List the provider's log of the decision, or log work."""

    @extend_schema(responses=ProviderLogSerializer(many=True))
    def get(self, request: Request, case_id: UUID, decision_id: UUID) -> Response:
        decision = _decision(request, case_id, decision_id)
        entries = decision.log_entries.select_related("logged_by")
        return Response(ProviderLogSerializer(entries, many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=ProviderLogSerializer, responses={201: ProviderLogSerializer})
    def post(self, request: Request, case_id: UUID, decision_id: UUID) -> Response:
        entry = _call(request, case_id, decision_id, ProviderLogSerializer, services.log_work)
        return Response(ProviderLogSerializer(entry).data, status=201)


class FollowUpApi(APIView):
    """List the decision's follow-ups, or record one."""

    @extend_schema(responses=SupportFollowUpSerializer(many=True))
    def get(self, request: Request, case_id: UUID, decision_id: UUID) -> Response:
        decision = _decision(request, case_id, decision_id)
        meetings = decision.follow_ups.select_related("recorded_by")
        return Response(SupportFollowUpSerializer(meetings, many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=SupportFollowUpSerializer, responses={201: SupportFollowUpSerializer})
    def post(self, request: Request, case_id: UUID, decision_id: UUID) -> Response:
        meeting = _call(
            request, case_id, decision_id, SupportFollowUpSerializer, services.record_follow_up
        )
        return Response(SupportFollowUpSerializer(meeting).data, status=201)


class EndApi(APIView):
    """End the support once, with a reason."""

    @extend_schema(request=SupportEndingSerializer, responses={201: SupportEndingSerializer})
    def post(self, request: Request, case_id: UUID, decision_id: UUID) -> Response:
        ending = _call(request, case_id, decision_id, SupportEndingSerializer, services.end_support)
        return Response(SupportEndingSerializer(ending).data, status=201)
