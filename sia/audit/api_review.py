"""REST endpoints of the log review (loggkontroll): samples, unusual access, recorded checks."""

from typing import Any, TypeVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.audit.access import can_review_audit
from sia.audit.forms import ReviewPeriodForm, SampleForm, with_review_defaults
from sia.audit.models import AuditEvent, Channel, LogReview
from sia.audit.review import LogReviewInput, record_log_review
from sia.audit.selectors_review import (
    SAMPLE_MAX,
    SEED_MAX,
    Period,
    count_reviewable_events,
    list_log_reviews,
    list_sample,
    record_check_viewed,
    unusual_access,
)
from sia.core.exceptions import NotFoundOrForbidden, ValidationFailed
from sia.core.http import api_user
from sia.core.text import MAX_TEXT

PERIOD_PARAMETERS = [
    OpenApiParameter("fran", OpenApiTypes.DATE, description="Default: first day of last month"),
    OpenApiParameter("till", OpenApiTypes.DATE, description="Default: last day of last month"),
]


class ReviewEventSerializer(serializers.Serializer[AuditEvent]):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_username")
    role = serializers.CharField()
    unit = serializers.UUIDField(source="unit_id", allow_null=True)
    unit_name = serializers.CharField(source="unit.name", allow_null=True, default=None)
    action = serializers.CharField()
    person = serializers.UUIDField(source="person_id", allow_null=True)
    case = serializers.UUIDField(source="case_id", allow_null=True)
    case_reference = serializers.CharField(allow_null=True, read_only=True)


class OtherUnitEventSerializer(ReviewEventSerializer):
    on_team = serializers.BooleanField()


class SampleOutputSerializer(serializers.Serializer[Any]):
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    size = serializers.IntegerField()
    seed = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Events in the period the sample is drawn from.")
    events = ReviewEventSerializer(many=True)


class EventTableSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    events = ReviewEventSerializer(many=True)


class OtherUnitTableSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    events = OtherUnitEventSerializer(many=True)


class BusyHourSerializer(serializers.Serializer[Any]):
    actor = serializers.CharField(source="actor_username")
    hour = serializers.DateTimeField()
    persons = serializers.IntegerField()
    events = serializers.IntegerField()


class BusyHourTableSerializer(serializers.Serializer[Any]):
    threshold = serializers.IntegerField()
    total = serializers.IntegerField()
    rows = BusyHourSerializer(many=True)


class UnusualOutputSerializer(serializers.Serializer[Any]):
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    other_unit = OtherUnitTableSerializer()
    protected = EventTableSerializer()
    emergency = EventTableSerializer()
    many_persons = BusyHourTableSerializer()


class LogReviewOutputSerializer(serializers.Serializer[LogReview]):
    id = serializers.UUIDField()
    reviewed_at = serializers.DateTimeField()
    reviewed_by = serializers.CharField(source="reviewed_by.username")
    units = serializers.SerializerMethodField()
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    kind = serializers.ChoiceField(choices=LogReview.Kind.choices)
    sample_seed = serializers.IntegerField(allow_null=True)
    sample_size = serializers.IntegerField(allow_null=True)
    events_examined = serializers.IntegerField()
    result = serializers.ChoiceField(choices=LogReview.Result.choices)
    findings = serializers.CharField()
    follow_up = serializers.CharField()

    def get_units(self, review: LogReview) -> list[str]:
        return sorted(str(unit.pk) for unit in review.units.all())


class LogReviewPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = LogReviewOutputSerializer(many=True)


class LogReviewInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=LogReview.Kind.choices)
    fran = serializers.DateField()
    till = serializers.DateField()
    antal = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=SAMPLE_MAX
    )
    seed = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=SEED_MAX
    )
    result = serializers.ChoiceField(choices=LogReview.Result.choices)
    findings = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_TEXT
    )
    follow_up = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_TEXT
    )


PeriodForm = TypeVar("PeriodForm", bound=ReviewPeriodForm)


def _valid(request: Request, form_class: type[PeriodForm], *, sample: bool) -> PeriodForm:
    """Check that the caller reviews the log, then validate the query like the page does."""
    if not can_review_audit(api_user(request)):
        raise NotFoundOrForbidden
    form = form_class(with_review_defaults(request.query_params, sample=sample))
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise ValidationFailed(str(errors[0]), field=None if field == "__all__" else field)
    return form


class SampleApi(APIView):
    """Draw a random sample of the period's events in your units; the seed redraws it."""

    @extend_schema(
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("antal", int, description=f"1–{SAMPLE_MAX}, default 20"),
            OpenApiParameter("seed", int, description="Omit for a new sample"),
        ],
        responses=SampleOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        user = api_user(request)
        form = _valid(request, SampleForm, sample=True)
        period = form.period
        size, seed = form.cleaned_data["antal"], form.cleaned_data["seed"]
        events = list_sample(user, period, size=size, seed=seed)
        total = count_reviewable_events(user, period)
        record_check_viewed(
            user, period, kind=LogReview.Kind.SAMPLE, channel=Channel.API, seed=seed, size=size
        )
        data = {"period_from": period.start, "period_to": period.end, "size": size}
        data |= {"seed": seed, "total": total, "events": events}
        return Response(SampleOutputSerializer(data).data)


class UnusualAccessApi(APIView):
    """Report unusual access in your units: other units' cases, protected persons,
    emergency access, and many persons within one hour."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=UnusualOutputSerializer)
    def get(self, request: Request) -> Response:
        user = api_user(request)
        period = _valid(request, ReviewPeriodForm, sample=False).period
        report = unusual_access(user, period)
        record_check_viewed(user, period, kind=LogReview.Kind.UNUSUAL, channel=Channel.API)
        data = {
            "period_from": period.start,
            "period_to": period.end,
            "other_unit": report.other_unit,
            "protected": report.protected,
            "emergency": report.emergency,
            "many_persons": report.many_persons,
        }
        return Response(UnusualOutputSerializer(data).data)


class LogReviewListCreateApi(APIView):
    """List the recorded log reviews of your units, or record a finished check."""

    @extend_schema(
        parameters=[OpenApiParameter("page", int, required=False)],
        responses=LogReviewPageSerializer,
    )
    def get(self, request: Request) -> Response:
        user = api_user(request)
        if not can_review_audit(user):
            raise NotFoundOrForbidden
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(list_log_reviews(user), request, view=self)
        return paginator.get_paginated_response(
            LogReviewOutputSerializer(page, many=True).data  # type: ignore[arg-type]
        )

    @extend_schema(request=LogReviewInputSerializer, responses={201: LogReviewOutputSerializer})
    def post(self, request: Request) -> Response:
        user = api_user(request)
        if not can_review_audit(user):
            raise NotFoundOrForbidden
        serializer = LogReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        review = record_log_review(
            reviewed_by=user,
            data=LogReviewInput(
                kind=data["kind"],
                period=Period(data["fran"], data["till"]),
                result=data["result"],
                findings=data["findings"],
                follow_up=data["follow_up"],
                sample_seed=data.get("seed"),
                sample_size=data.get("antal"),
            ),
            channel=Channel.API,
        )
        return Response(LogReviewOutputSerializer(review).data, status=201)
