"""REST endpoints for running the process, over the same access functions and services
as the pages: allocate, transfer, correct the first-contact date, the timeline, my work
and the configuration catalogues."""

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.accounts.models import User
from sia.audit.models import Channel
from sia.cases.access import access_case
from sia.cases.api import CaseOutputSerializer, StepSerializer
from sia.cases.models import Case
from sia.cases.selectors import get_case, reload_case_after_write
from sia.core.exceptions import NotFoundOrForbidden
from sia.core.http import api_user
from sia.meetings.models import Alignment, GuidanceMeeting, GuideCall
from sia.process import services
from sia.process.access import (
    access_case_for,
    can_allocate_case,
    can_change_first_contact_date,
    can_see_timeline,
    can_transfer_case,
)
from sia.process.models import Catalogue, CatalogueItem
from sia.process.selectors import (
    TimelineEntry,
    get_catalogue,
    get_staff_members,
    list_allocation_candidates,
    list_assessment_candidates,
    list_case_timeline,
    load_steps,
    read_my_work,
)


def _case_response(user: User, case_id: UUID) -> Response:
    case = reload_case_after_write(user, case_id)
    load_steps(case)
    return Response(CaseOutputSerializer(case).data)


class CaseAllocateApi(APIView):
    """Allocate a new case to the SIA group: guides and the reception social worker."""

    class AllocateInputSerializer(serializers.Serializer[Any]):
        guides = serializers.ListField(child=serializers.UUIDField(), allow_empty=False)
        social_worker = serializers.UUIDField()

    @extend_schema(request=AllocateInputSerializer, responses=CaseOutputSerializer)
    def post(self, request: Request, case_id: UUID) -> Response:
        user = api_user(request)
        case = access_case_for(user, case_id, can_allocate_case)
        serializer = self.AllocateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        guides, social_workers = list_allocation_candidates(case)
        services.allocate_case(
            case_id=case.pk,
            guides=get_staff_members(guides, serializer.validated_data["guides"], field="guides"),
            social_worker=get_staff_members(
                social_workers, [serializer.validated_data["social_worker"]], field="social_worker"
            )[0],
            allocated_by=user,
            channel=Channel.API,
        )
        return _case_response(user, case.pk)


class CaseTransferApi(APIView):
    """Hand the case to the assessment team's social worker."""

    class TransferInputSerializer(serializers.Serializer[Any]):
        assessment_worker = serializers.UUIDField()

    @extend_schema(
        request=TransferInputSerializer,
        responses={200: CaseOutputSerializer, 204: None},
        description="Answers 204 when the caller left the case team with the transfer.",
    )
    def post(self, request: Request, case_id: UUID) -> Response:
        user = api_user(request)
        case = access_case_for(user, case_id, can_transfer_case)
        serializer = self.TransferInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        [worker] = get_staff_members(
            list_assessment_candidates(case),
            [serializer.validated_data["assessment_worker"]],
            field="assessment_worker",
        )
        services.transfer_case(
            case_id=case.pk, assessment_worker=worker, transferred_by=user, channel=Channel.API
        )
        try:
            return _case_response(user, case.pk)
        except NotFoundOrForbidden:
            # The reception social worker leaves the team on transfer and no longer sees it.
            return Response(status=204)


class CaseFirstContactDateApi(APIView):
    """Correct the first-contact date; the open steps' due dates are recomputed."""

    class FirstContactDateInputSerializer(serializers.Serializer[Any]):
        first_contact_date = serializers.DateField()

    @extend_schema(request=FirstContactDateInputSerializer, responses=CaseOutputSerializer)
    def patch(self, request: Request, case_id: UUID) -> Response:
        user = api_user(request)
        case = access_case_for(user, case_id, can_change_first_contact_date)
        serializer = self.FirstContactDateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.change_first_contact_date(
            case_id=case.pk,
            first_contact_date=serializer.validated_data["first_contact_date"],
            changed_by=user,
            channel=Channel.API,
        )
        return _case_response(user, case.pk)


class TimelineEntrySerializer(serializers.Serializer[TimelineEntry]):
    occurred_at = serializers.DateTimeField()
    actor = serializers.CharField()
    action = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    details = serializers.ListField(child=serializers.CharField())


class CaseTimelineApi(APIView):
    """List what was done to a case, newest first."""

    @extend_schema(responses=TimelineEntrySerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        user = api_user(request)
        # Refuse before the read is recorded: a refused partner was shown nothing.
        if not can_see_timeline(user, access_case(user, case_id)):
            raise NotFoundOrForbidden
        case = get_case(user, case_id, channel=Channel.API)
        timeline = list_case_timeline(case, load_steps(case))
        data = TimelineEntrySerializer(timeline, many=True).data  # type: ignore[arg-type]
        return Response(data)


class CaseRefSerializer(serializers.Serializer[Case]):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    person_name = serializers.CharField(source="person.full_name")
    first_contact_date = serializers.DateField()


class MyStepSerializer(StepSerializer):
    case = CaseRefSerializer()


class MeetingSerializer(serializers.Serializer[GuidanceMeeting]):
    id = serializers.UUIDField()
    case = CaseRefSerializer()
    starts_at = serializers.DateTimeField()
    place = serializers.CharField()
    mode = serializers.CharField()
    status = serializers.CharField()


class StandbySerializer(serializers.Serializer[Alignment]):
    id = serializers.UUIDField()
    case = CaseRefSerializer()
    first_visit_at = serializers.DateTimeField()


class CallSerializer(serializers.Serializer[GuideCall]):
    id = serializers.UUIDField()
    case = CaseRefSerializer()
    called_by = serializers.CharField()
    message = serializers.CharField()
    created_at = serializers.DateTimeField()


class CollaborationMeetingRefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    case = CaseRefSerializer(allow_null=True)


class TaskRefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    title = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    case = CaseRefSerializer()


class ConsultationRefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    specialist_function = serializers.CharField()
    created_at = serializers.DateTimeField()
    case_id = serializers.UUIDField(allow_null=True)


class PostponedTopicRefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    topic = serializers.CharField()
    remind_on = serializers.DateField()
    case = CaseRefSerializer()


class SupportFollowUpRefSerializer(serializers.Serializer[Any]):
    decision_id = serializers.UUIDField()
    case_id = serializers.UUIDField(source="decision.case_id")
    next_follow_up_on = serializers.DateField()


class ProgrammeAlertSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()
    due_on = serializers.DateField()


class CaseAlertsSerializer(serializers.Serializer[Any]):
    case = CaseRefSerializer()
    alerts = ProgrammeAlertSerializer(many=True)


class MyWorkSerializer(serializers.Serializer[Any]):
    today = serializers.DateField()
    due_steps = MyStepSerializer(many=True)
    late_steps = MyStepSerializer(many=True)
    meetings = MeetingSerializer(many=True)
    standby = StandbySerializer(many=True)
    calls = CallSerializer(many=True)
    waiting = CaseRefSerializer(many=True)
    collaboration_meetings = CollaborationMeetingRefSerializer(many=True)
    tasks = TaskRefSerializer(many=True)
    consultations = ConsultationRefSerializer(many=True)
    postponed_topics = PostponedTopicRefSerializer(many=True)
    support_follow_ups = SupportFollowUpRefSerializer(many=True)
    programme_alerts = CaseAlertsSerializer(many=True)


class MyWorkApi(APIView):
    """Your due steps, meetings, standby slots, call-ins, tasks, consultations to answer,
    postponed topics that are due and (managers) the queue."""

    @extend_schema(responses=MyWorkSerializer)
    def get(self, request: Request) -> Response:
        work = read_my_work(api_user(request), channel=Channel.API)
        return Response(MyWorkSerializer(work).data)


class CatalogueItemSerializer(serializers.Serializer[CatalogueItem]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    help_text = serializers.CharField()  # type: ignore[assignment]
    order = serializers.IntegerField()


class CatalogueSerializer(serializers.Serializer[Catalogue]):
    key = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    items = CatalogueItemSerializer(source="active_items", many=True)


class CatalogueDetailApi(APIView):
    """Read a configuration catalogue and its active items."""

    @extend_schema(responses=CatalogueSerializer)
    def get(self, request: Request, key: str) -> Response:
        api_user(request)
        catalogue = get_catalogue(key)
        if catalogue is None:
            raise NotFoundOrForbidden
        return Response(CatalogueSerializer(catalogue).data)
