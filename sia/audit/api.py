"""REST endpoint for reviewing the audit trail (managers only, read-only)."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.audit.access import can_review_audit
from sia.audit.forms import AuditFilterForm
from sia.audit.models import AuditEvent, Channel
from sia.audit.selectors import AuditFilter, list_audit_events, record_review
from sia.core.exceptions import NotFoundOrForbidden, ValidationFailed
from sia.core.http import api_user


class AuditEventSerializer(serializers.Serializer[AuditEvent]):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_username")
    role = serializers.CharField()
    unit = serializers.UUIDField(source="unit_id", allow_null=True)
    action = serializers.CharField()
    channel = serializers.CharField()
    person = serializers.UUIDField(source="person_id", allow_null=True)
    case = serializers.UUIDField(source="case_id", allow_null=True)
    changes = serializers.JSONField()


class AuditEventPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AuditEventSerializer(many=True)


class AuditEventListApi(APIView):
    """List audit events of the units you manage; filter by user, person, case, action, period."""

    @extend_schema(
        parameters=[
            OpenApiParameter("username", str),
            OpenApiParameter("person_id", str),
            OpenApiParameter("case_id", str),
            OpenApiParameter("action", str),
            OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
            OpenApiParameter("date_to", str, description="YYYY-MM-DD"),
            OpenApiParameter("page", int, required=False),
        ],
        responses=AuditEventPageSerializer,
    )
    def get(self, request: Request) -> Response:
        if not can_review_audit(api_user(request)):
            raise NotFoundOrForbidden
        form = AuditFilterForm(request.query_params)
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise ValidationFailed(str(errors[0]), field=field)
        filters = AuditFilter(**form.cleaned_data)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(
            list_audit_events(api_user(request), filters), request, view=self
        )
        record_review(api_user(request), filters, channel=Channel.API)
        return paginator.get_paginated_response(
            AuditEventSerializer(page, many=True).data  # type: ignore[arg-type]
        )
