"""REST endpoints of the establishment programme, over the same access rules and services
as the pages: the programme status, the outcomes, the reports of concern and the
group-level report (aggregates only, small counts suppressed as null)."""

from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.accounts.models import User
from sia.audit.models import Channel
from sia.cases.access import access_case
from sia.cases.selectors import get_case
from sia.consent.models import DataKind
from sia.core.exceptions import NotFoundOrForbidden
from sia.core.http import api_user
from sia.establishment import access, services
from sia.establishment.models import CaseOutcome, ConcernReport
from sia.establishment.selectors import (
    case_programme_alerts,
    get_outcome,
    get_programme,
    list_concern_reports,
    programme_report,
)
from sia.establishment.services import MAX_LINE
from sia.process.access import access_case_for


class AlertSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()
    due_on = serializers.DateField()


class ProgrammeSerializer(serializers.Serializer[Any]):
    af_registered_on = serializers.DateField(required=False, allow_null=True, default=None)
    programme_started_on = serializers.DateField(required=False, allow_null=True, default=None)
    programme_ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    action_plan_on = serializers.DateField(required=False, allow_null=True, default=None)
    sfi_started_on = serializers.DateField(required=False, allow_null=True, default=None)
    civic_orientation_started_on = serializers.DateField(
        required=False, allow_null=True, default=None
    )
    education_duty = serializers.BooleanField(required=False, allow_null=True, default=None)
    intensive_year_started_on = serializers.DateField(required=False, allow_null=True, default=None)
    reduced_work_capacity = serializers.BooleanField(required=False, default=False)
    adaptation_needs = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )
    af_contact = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_LINE
    )
    other_contacts = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )


class ProgrammeOutputSerializer(ProgrammeSerializer):
    updated_at = serializers.DateTimeField()
    alerts = AlertSerializer(many=True)


def _programme_answer(case_id: UUID, request: Request) -> dict[str, Any]:
    case = get_case(api_user(request), case_id, channel=Channel.API, kind=DataKind.PLANS)
    status = get_programme(case)
    if status is None:
        raise NotFoundOrForbidden
    data = dict(ProgrammeSerializer(status).data)
    data["updated_at"] = status.updated_at
    data["alerts"] = case_programme_alerts(case, timezone.localdate())
    return dict(ProgrammeOutputSerializer(data).data)


class ProgrammeApi(APIView):
    """Read the person's programme status with its alerts (404 before anything is recorded),
    or record it (PUT replaces every field; omitted ones are cleared)."""

    @extend_schema(responses=ProgrammeOutputSerializer)
    def get(self, request: Request, case_id: UUID) -> Response:
        return Response(_programme_answer(case_id, request))

    @extend_schema(request=ProgrammeSerializer, responses=ProgrammeOutputSerializer)
    def put(self, request: Request, case_id: UUID) -> Response:
        serializer = ProgrammeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.save_programme(
            actor=api_user(request),
            case_id=case_id,
            data=services.ProgrammeInput(**serializer.validated_data),
            channel=Channel.API,
        )
        return Response(_programme_answer(case_id, request))


class OutcomeSerializer(serializers.Serializer[CaseOutcome]):
    baseline_on = serializers.DateField()
    baseline_self_sufficient = serializers.BooleanField()
    baseline_own_lease = serializers.BooleanField()
    baseline_concern_reports = serializers.IntegerField(min_value=0, max_value=100)
    self_sufficient_on = serializers.DateField(required=False, allow_null=True, default=None)
    own_lease_on = serializers.DateField(required=False, allow_null=True, default=None)


class OutcomeInputSerializer(serializers.Serializer[Any]):
    baseline_on = serializers.DateField(required=False)
    baseline_self_sufficient = serializers.BooleanField(required=False)
    baseline_own_lease = serializers.BooleanField(required=False)
    baseline_concern_reports = serializers.IntegerField(required=False, min_value=0, max_value=100)
    self_sufficient_on = serializers.DateField(required=False, allow_null=True, default=None)
    own_lease_on = serializers.DateField(required=False, allow_null=True, default=None)


BASELINE = (
    "baseline_on",
    "baseline_self_sufficient",
    "baseline_own_lease",
    "baseline_concern_reports",
)


class OutcomeApi(APIView):
    """Read the case's outcome measures (404 before the baseline), or record them: the
    baseline once (all four baseline fields; sending them again is refused with 409 unless
    unchanged), then the dates of self-sufficiency and own lease."""

    def _case_outcome(self, request: Request, case_id: UUID) -> CaseOutcome:
        case = get_case(api_user(request), case_id, channel=Channel.API, kind=DataKind.CASE)
        outcome = get_outcome(case)
        if outcome is None:
            raise NotFoundOrForbidden
        return outcome

    @extend_schema(responses=OutcomeSerializer)
    def get(self, request: Request, case_id: UUID) -> Response:
        return Response(OutcomeSerializer(self._case_outcome(request, case_id)).data)

    @extend_schema(request=OutcomeInputSerializer, responses=OutcomeSerializer)
    def put(self, request: Request, case_id: UUID) -> Response:
        serializer = OutcomeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = api_user(request)
        with transaction.atomic():
            if any(field in data for field in BASELINE):
                self._baseline(user, case_id, data)
            services.record_outcome(
                actor=user,
                case_id=case_id,
                self_sufficient_on=data.get("self_sufficient_on"),
                own_lease_on=data.get("own_lease_on"),
                channel=Channel.API,
            )
        return Response(OutcomeSerializer(self._case_outcome(request, case_id)).data)

    def _baseline(self, user: User, case_id: UUID, data: dict[str, Any]) -> None:
        missing = [field for field in BASELINE if field not in data]
        if missing:
            raise serializers.ValidationError(
                {field: [_("Fältet måste fyllas i.")] for field in missing}
            )
        case = access_case_for(user, case_id, access.can_change_outcome)
        existing = get_outcome(case)
        if existing is not None and all(getattr(existing, f) == data[f] for f in BASELINE):
            return  # the same baseline again: PUT is idempotent
        services.record_baseline(
            actor=user,
            case_id=case_id,
            baseline_on=data["baseline_on"],
            self_sufficient=data["baseline_self_sufficient"],
            own_lease=data["baseline_own_lease"],
            concern_reports_last_year=data["baseline_concern_reports"],
            channel=Channel.API,
        )


class ConcernReportSerializer(serializers.Serializer[ConcernReport]):
    id = serializers.UUIDField(read_only=True)
    received_on = serializers.DateField()


class ConcernReportApi(APIView):
    """List the case's reports of concern (dates only), or record one. The municipality's
    staff only: a partner's user gets 404."""

    @extend_schema(responses=ConcernReportSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        user = api_user(request)
        # Refused before the read is recorded: a refused partner was shown nothing.
        if not access.can_see_concern_reports(user, access_case(user, case_id)):
            raise NotFoundOrForbidden
        case = get_case(user, case_id, channel=Channel.API)
        return Response(ConcernReportSerializer(list_concern_reports(case), many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=ConcernReportSerializer, responses={201: ConcernReportSerializer})
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = ConcernReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.record_concern_report(
            actor=api_user(request),
            case_id=case_id,
            received_on=serializer.validated_data["received_on"],
            channel=Channel.API,
        )
        return Response(ConcernReportSerializer(report).data, status=201)


class ReportRowSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField(source="label")
    count = serializers.IntegerField(allow_null=True, help_text="null: fewer than the limit")


class ProgrammeReportSerializer(serializers.Serializer[Any]):
    today = serializers.DateField()
    suppress_below = serializers.IntegerField()
    rows = ReportRowSerializer(many=True)


class ProgrammeReportApi(APIView):
    """The group-level programme report for managers and analysts: counts only, no
    personal data; a count below `suppress_below` (or one that would reveal one) is null."""

    @extend_schema(responses=ProgrammeReportSerializer)
    def get(self, request: Request) -> Response:
        user = api_user(request)
        if not access.can_view_programme_report(user):
            raise NotFoundOrForbidden
        report = programme_report(user, timezone.localdate())
        response = Response(ProgrammeReportSerializer(report).data)
        response["Cache-Control"] = "no-store"
        return response
