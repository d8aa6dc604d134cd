"""REST endpoints of a case's assessments, over the same access functions and services as
the pages. A partner without consent to the data kind gets 404."""

from typing import Any
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.assessments import services
from sia.assessments.access import can_see_health
from sia.assessments.kinds import enrolment_end
from sia.assessments.models import (
    AssessmentTalk,
    Barrier,
    Enrolment,
    FuturePlan,
    PostponedTopic,
    ProgressStep,
)
from sia.assessments.selectors import (
    get_case_for_assessments,
    get_future_plan,
    list_barriers,
    list_enrolments,
    list_future_plans,
    list_progress,
    list_talks,
    list_topics,
    talk_order_warning,
)
from sia.audit.models import Channel
from sia.cases.models import Case
from sia.core.concurrency import (
    EditConflict,
    VersionedInputSerializer,
    conflict_response,
    conflict_schema,
)
from sia.core.http import api_user


def _case(request: Request, case_id: UUID, *, health: bool = False) -> Case:
    return get_case_for_assessments(api_user(request), case_id, channel=Channel.API, health=health)


# Talks


class TalkOutputSerializer(serializers.Serializer[AssessmentTalk]):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=AssessmentTalk.Kind.choices)
    held_on = serializers.DateField()
    answers = serializers.DictField(child=serializers.CharField())
    summary = serializers.CharField()
    participants = serializers.CharField()
    author = serializers.CharField(source="author.username")
    signed_at = serializers.DateTimeField()
    supersedes = serializers.UUIDField(source="supersedes_id", allow_null=True)


class TalkInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=AssessmentTalk.Kind.choices)
    held_on = serializers.DateField()
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=10_000),
        required=False,
        default=dict,
        help_text="Answers keyed by the active item keys of the talk's template.",
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    participants = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000
    )


class TalkListCreateApi(APIView):
    """List a case's signed talk records (newest first), or sign one; a second record of the
    same kind is a correction that supersedes the current one."""

    @extend_schema(responses=TalkOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = _case(request, case_id)
        return Response(TalkOutputSerializer(list_talks(case), many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=TalkInputSerializer, responses={201: TalkOutputSerializer})
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = TalkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        talk = services.record_talk(
            case_id=case_id,
            recorded_by=api_user(request),
            channel=Channel.API,
            **serializer.validated_data,
        )
        data = dict(TalkOutputSerializer(talk).data)
        warning = talk_order_warning(talk.case, talk.kind)
        data["warnings"] = (
            [_("%(talk)s är inte dokumenterat än.") % {"talk": warning}] if warning else []
        )
        return Response(data, status=201)


# Future and health plan


class FuturePlanStepSerializer(serializers.Serializer[Any]):
    step = serializers.CharField(max_length=300)
    why = serializers.CharField(max_length=10_000)
    by_when = serializers.DateField(required=False, allow_null=True, default=None)


class FuturePlanOutputSerializer(serializers.Serializer[FuturePlan]):
    id = serializers.UUIDField()
    version = serializers.IntegerField()
    lock_version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=FuturePlan.Status.choices)
    goal = serializers.CharField()
    health = serializers.CharField()
    agreed_on = serializers.DateField(allow_null=True)
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()
    steps = FuturePlanStepSerializer(many=True, source="steps.all")


class FuturePlanInputSerializer(VersionedInputSerializer):
    based_on = serializers.UUIDField(
        allow_null=True,
        help_text="id of the latest version as the client read it (null when there was none); "
        "if another version is the latest now, the save answers 409.",
    )
    goal = serializers.CharField(required=False, max_length=10_000)
    health = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    steps = FuturePlanStepSerializer(
        many=True, required=False, help_text="Omit to copy the latest version's steps."
    )


FuturePlanConflictSerializer = conflict_schema("FuturePlanConflict", FuturePlanOutputSerializer())


class FuturePlanListCreateApi(APIView):
    """List the versions of the future and health plan, or save the draft (a new version
    once the latest is agreed; what is omitted is copied from the latest)."""

    @extend_schema(responses=FuturePlanOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = _case(request, case_id, health=True)
        plans = list_future_plans(case)
        return Response(FuturePlanOutputSerializer(plans, many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        request=FuturePlanInputSerializer,
        responses={201: FuturePlanOutputSerializer, 409: FuturePlanConflictSerializer},
    )
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = FuturePlanInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        steps = data.get("steps")
        try:
            plan = services.save_future_plan(
                case_id=case_id,
                saved_by=api_user(request),
                channel=Channel.API,
                goal=data.get("goal"),
                health=data.get("health"),
                steps=None if steps is None else [services.StepInput(**row) for row in steps],
                based_on=data["based_on"],
                expected_version=data["lock_version"],
            )
        except EditConflict as conflict:
            now = get_future_plan(_case(request, case_id, health=True), conflict.record.pk)
            return conflict_response(conflict, FuturePlanOutputSerializer(now).data)
        plan = get_future_plan(_case(request, case_id, health=True), plan.pk)
        return Response(FuturePlanOutputSerializer(plan).data, status=201)


class AgreeInputSerializer(VersionedInputSerializer):
    """The lock_version of the draft as the person was shown it, and the day they decided."""

    agreed_on = serializers.DateField(required=False, allow_null=True, default=None)


class FuturePlanAgreeApi(APIView):
    """Record that the person decided the draft they were shown; it is frozen from then on
    (409 if someone changed it since, or it is agreed already)."""

    @extend_schema(
        request=AgreeInputSerializer,
        responses={200: FuturePlanOutputSerializer, 409: FuturePlanConflictSerializer},
    )
    def post(self, request: Request, case_id: UUID, plan_id: UUID) -> Response:
        serializer = AgreeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.agree_future_plan(
                case_id=case_id,
                plan_id=plan_id,
                agreed_by=api_user(request),
                channel=Channel.API,
                agreed_on=serializer.validated_data["agreed_on"],
                expected_version=serializer.validated_data["lock_version"],
            )
        except EditConflict as conflict:
            now = get_future_plan(_case(request, case_id, health=True), plan_id)
            return conflict_response(conflict, FuturePlanOutputSerializer(now).data)
        plan = get_future_plan(_case(request, case_id, health=True), plan_id)
        return Response(FuturePlanOutputSerializer(plan).data)


# Progress steps and outcomes


class ProgressOutputSerializer(serializers.Serializer[ProgressStep]):
    id = serializers.UUIDField()
    category = serializers.ChoiceField(choices=ProgressStep.Category.choices)
    kind = serializers.ChoiceField(choices=ProgressStep.Kind.choices)
    occurred_on = serializers.DateField()
    note = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.username")


class ProgressInputSerializer(serializers.Serializer[Any]):
    category = serializers.ChoiceField(choices=ProgressStep.Category.choices)
    kind = serializers.ChoiceField(choices=ProgressStep.Kind.choices)
    occurred_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class ProgressListCreateApi(APIView):
    """List a case's progress steps and outcomes (newest first), or record one."""

    @extend_schema(responses=ProgressOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = _case(request, case_id)
        steps = list_progress(case, health=can_see_health(api_user(request), case))
        return Response(ProgressOutputSerializer(steps, many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=ProgressInputSerializer, responses={201: ProgressOutputSerializer})
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = ProgressInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        step = services.record_progress(
            case_id=case_id,
            recorded_by=api_user(request),
            channel=Channel.API,
            **serializer.validated_data,
        )
        return Response(ProgressOutputSerializer(step).data, status=201)


# Barriers


class BarrierOutputSerializer(serializers.Serializer[Barrier]):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Barrier.Kind.choices)
    description = serializers.CharField()
    noted_on = serializers.DateField()
    resolved_on = serializers.DateField(allow_null=True)
    recorded_by = serializers.CharField(source="recorded_by.username")


class BarrierInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Barrier.Kind.choices)
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )
    noted_on = serializers.DateField()


class ResolveInputSerializer(serializers.Serializer[Any]):
    resolved_on = serializers.DateField(required=False, default=timezone.localdate)


class BarrierListCreateApi(APIView):
    """List a case's barriers (open first), or record one."""

    @extend_schema(responses=BarrierOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = _case(request, case_id)
        barriers = list_barriers(case, health=can_see_health(api_user(request), case))
        return Response(BarrierOutputSerializer(barriers, many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=BarrierInputSerializer, responses={201: BarrierOutputSerializer})
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = BarrierInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        barrier = services.record_barrier(
            case_id=case_id,
            recorded_by=api_user(request),
            channel=Channel.API,
            **serializer.validated_data,
        )
        return Response(BarrierOutputSerializer(barrier).data, status=201)


class BarrierResolveApi(APIView):
    """Record the day a barrier was resolved (409 if it already is)."""

    @extend_schema(request=ResolveInputSerializer, responses=BarrierOutputSerializer)
    def post(self, request: Request, case_id: UUID, barrier_id: UUID) -> Response:
        serializer = ResolveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        barrier = services.resolve_barrier(
            case_id=case_id,
            barrier_id=barrier_id,
            recorded_by=api_user(request),
            channel=Channel.API,
            **serializer.validated_data,
        )
        return Response(BarrierOutputSerializer(barrier).data)


# Postponed topics


class TopicOutputSerializer(serializers.Serializer[PostponedTopic]):
    id = serializers.UUIDField()
    topic = serializers.CharField()
    note = serializers.CharField()
    postponed_on = serializers.DateField()
    remind_on = serializers.DateField()
    returned_on = serializers.DateField(allow_null=True)
    return_note = serializers.CharField()
    is_due = serializers.SerializerMethodField()
    lock_version = serializers.IntegerField()

    def get_is_due(self, topic: PostponedTopic) -> bool:
        return topic.returned_on is None and topic.remind_on <= timezone.localdate()


class TopicInputSerializer(serializers.Serializer[Any]):
    topic = serializers.CharField(max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    remind_on = serializers.DateField()


class TopicReturnInputSerializer(VersionedInputSerializer):
    returned_on = serializers.DateField(required=False, default=timezone.localdate)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


TopicConflictSerializer = conflict_schema("PostponedTopicConflict", TopicOutputSerializer())


class TopicListCreateApi(APIView):
    """List a case's postponed topics, or postpone one with a reminder day."""

    @extend_schema(responses=TopicOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = _case(request, case_id)
        return Response(TopicOutputSerializer(list_topics(case), many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=TopicInputSerializer, responses={201: TopicOutputSerializer})
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = TopicInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        topic = services.postpone_topic(
            case_id=case_id,
            recorded_by=api_user(request),
            channel=Channel.API,
            **serializer.validated_data,
        )
        return Response(TopicOutputSerializer(topic).data, status=201)


class TopicReturnApi(APIView):
    """Record that a postponed topic was taken up again (409 if it already was)."""

    @extend_schema(
        request=TopicReturnInputSerializer,
        responses={200: TopicOutputSerializer, 409: TopicConflictSerializer},
    )
    def post(self, request: Request, case_id: UUID, topic_id: UUID) -> Response:
        serializer = TopicReturnInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            topic = services.return_to_topic(
                case_id=case_id,
                topic_id=topic_id,
                recorded_by=api_user(request),
                channel=Channel.API,
                returned_on=data["returned_on"],
                note=data["note"],
                expected_version=data["lock_version"],
            )
        except EditConflict as conflict:
            record = conflict.record
            assert isinstance(record, PostponedTopic)  # noqa: S101
            return conflict_response(conflict, TopicOutputSerializer(record).data)
        return Response(TopicOutputSerializer(topic).data)


# Enrolments


class EnrolmentOutputSerializer(serializers.Serializer[Enrolment]):
    id = serializers.UUIDField()
    programme = serializers.ChoiceField(choices=Enrolment.Programme.choices)
    started_on = serializers.DateField()
    max_months = serializers.IntegerField()
    ends_on = serializers.SerializerMethodField()
    past_time_limit = serializers.SerializerMethodField()
    discharged_on = serializers.DateField(allow_null=True)
    discharge_reason = serializers.CharField()
    discharge_note = serializers.CharField()

    def get_ends_on(self, enrolment: Enrolment) -> str:
        return enrolment_end(enrolment).isoformat()

    def get_past_time_limit(self, enrolment: Enrolment) -> bool:
        return enrolment.discharged_on is None and enrolment_end(enrolment) <= timezone.localdate()


class EnrolInputSerializer(serializers.Serializer[Any]):
    programme = serializers.ChoiceField(choices=Enrolment.Programme.choices)
    started_on = serializers.DateField()
    max_months = serializers.IntegerField(required=False, default=6, min_value=1, max_value=36)


class DischargeInputSerializer(serializers.Serializer[Any]):
    discharged_on = serializers.DateField(required=False, default=timezone.localdate)
    reason = serializers.ChoiceField(choices=Enrolment.DischargeReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class EnrolmentListCreateApi(APIView):
    """List a case's enrolments with their end dates, or enrol in a programme."""

    @extend_schema(responses=EnrolmentOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = _case(request, case_id)
        rows = list_enrolments(case)
        return Response(EnrolmentOutputSerializer(rows, many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=EnrolInputSerializer, responses={201: EnrolmentOutputSerializer})
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = EnrolInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrolment = services.enrol(
            case_id=case_id,
            enrolled_by=api_user(request),
            channel=Channel.API,
            **serializer.validated_data,
        )
        return Response(EnrolmentOutputSerializer(enrolment).data, status=201)


class EnrolmentDischargeApi(APIView):
    """Discharge from a programme with a reason (409 if already discharged)."""

    @extend_schema(request=DischargeInputSerializer, responses=EnrolmentOutputSerializer)
    def post(self, request: Request, case_id: UUID, enrolment_id: UUID) -> Response:
        serializer = DischargeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrolment = services.discharge(
            case_id=case_id,
            enrolment_id=enrolment_id,
            discharged_by=api_user(request),
            channel=Channel.API,
            **serializer.validated_data,
        )
        return Response(EnrolmentOutputSerializer(enrolment).data)
