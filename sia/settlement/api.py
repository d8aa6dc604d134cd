"""REST endpoints of the housing tasks, over the same access functions and services as
the pages."""

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
from sia.settlement import services
from sia.settlement.models import HousingTask
from sia.settlement.selectors import get_task, list_tasks


class HousingTaskOutputSerializer(serializers.Serializer[HousingTask]):
    id = serializers.UUIDField()
    item = serializers.CharField(source="item.key")
    item_label = serializers.CharField(source="item.label")
    status = serializers.ChoiceField(choices=HousingTask.Status.choices)
    status_date = serializers.DateField()
    note = serializers.CharField()
    changed_by = serializers.CharField(source="changed_by.username")
    updated_at = serializers.DateTimeField()
    lock_version = serializers.IntegerField()


def _many(tasks: list[HousingTask]) -> Any:
    return HousingTaskOutputSerializer(tasks, many=True).data  # type: ignore[arg-type]


class HousingTaskInputSerializer(VersionedInputSerializer):
    status = serializers.ChoiceField(choices=HousingTask.Status.choices, required=False)
    status_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_NOTE)


HousingTaskConflictSerializer = conflict_schema(
    "HousingTaskConflict", HousingTaskOutputSerializer()
)


class HousingTaskListApi(APIView):
    """The household's housing tasks; POST starts the checklist (adds missing items)."""

    @extend_schema(responses=HousingTaskOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = get_case(
            api_user(request), case_id, channel=Channel.API, kind=DataKind.CASE, provider_ok=True
        )
        return Response(_many(list(list_tasks(case.person_id))))

    @extend_schema(request=None, responses={201: HousingTaskOutputSerializer(many=True)})
    def post(self, request: Request, case_id: UUID) -> Response:
        user = api_user(request)
        services.start_checklist(actor=user, case_id=case_id, channel=Channel.API)
        # The answer shows the whole checklist: read it like a GET, audited.
        case = get_case(user, case_id, channel=Channel.API, kind=DataKind.CASE, provider_ok=True)
        return Response(_many(list(list_tasks(case.person_id))), status=201)


class HousingTaskDetailApi(APIView):
    """Change a task's status, date and note; fields left out keep their values."""

    @extend_schema(
        request=HousingTaskInputSerializer,
        responses={200: HousingTaskOutputSerializer, 409: HousingTaskConflictSerializer},
    )
    def patch(self, request: Request, case_id: UUID, task_id: UUID) -> Response:
        user = api_user(request)
        serializer = HousingTaskInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = get_case(user, case_id, channel=Channel.API, kind=DataKind.CASE, provider_ok=True)
        current = get_task(case, task_id)
        try:
            task = services.set_task_status(
                actor=user,
                case_id=case_id,
                task_id=task_id,
                status=data.get("status", current.status),
                # A new status without a date gets today's (or is refused when done).
                status_date=data.get(
                    "status_date", None if "status" in data else current.status_date
                ),
                note=data.get("note", current.note),
                channel=Channel.API,
                expected_version=data["lock_version"],
            )
        except EditConflict as conflict:
            return conflict_response(
                conflict, HousingTaskOutputSerializer(get_task(case, task_id)).data
            )
        task = get_task(case, task.pk)
        return Response(HousingTaskOutputSerializer(task).data)
