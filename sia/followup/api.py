"""REST API of follow-up: each dashboard's tables as JSON, for the same filters as the
pages (query parameters `fran`, `till`, `enhet`, `insats`, `kategori`, `kon`, `per_kon`).
Aggregates only; a suppressed figure is null with `suppressed` true."""

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.audit.models import Channel
from sia.core.exceptions import NotFoundOrForbidden
from sia.core.http import api_user
from sia.followup.access import can_view_followup, scope_of
from sia.followup.dashboards import get_dashboard
from sia.followup.figures import SUPPRESSED, Dashboard, Table, Value
from sia.followup.filters import FilterForm
from sia.followup.services import record_report_use


class CellSerializer(serializers.Serializer[Any]):
    value = serializers.JSONField(allow_null=True, help_text="number or text; null if none")
    suppressed = serializers.BooleanField(help_text="true: hidden, too few people")


class ColumnSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    heading = serializers.CharField()
    kind = serializers.ChoiceField(choices=["text", "count", "share", "days", "number"])


class TableSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(child=CellSerializer(many=True))
    note = serializers.CharField()


class DashboardSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    suppress_below = serializers.IntegerField(allow_null=True)
    tables = TableSerializer(many=True)


def _cell(value: Value) -> dict[str, object]:
    if value is SUPPRESSED:
        return {"value": None, "suppressed": True}
    return {"value": value, "suppressed": False}


def _table(table: Table) -> dict[str, object]:
    return {
        "key": table.key,
        "title": table.title,
        "columns": [{"key": c.key, "heading": c.label, "kind": c.kind} for c in table.columns],
        "rows": [[_cell(value) for value in row] for row in table.rows],
        "note": table.note,
    }


def dashboard_data(dashboard: Dashboard) -> dict[str, object]:
    """A dashboard as the API returns it."""
    return {
        "key": dashboard.key,
        "title": dashboard.title,
        "suppress_below": dashboard.suppress_below,
        "tables": [_table(table) for table in dashboard.tables()],
    }


FILTER_PARAMETERS = [
    OpenApiParameter(
        "fran", OpenApiTypes.DATE, description="Period start (default: 12 months back)"
    ),
    OpenApiParameter("till", OpenApiTypes.DATE, description="Period end (default: today)"),
    OpenApiParameter("enhet", OpenApiTypes.UUID, description="One unit in the user's scope"),
    OpenApiParameter("insats", OpenApiTypes.STR, description="Programme key"),
    OpenApiParameter("kategori", OpenApiTypes.STR, description="Arrival category"),
    OpenApiParameter("kon", OpenApiTypes.STR, description="Gender"),
    OpenApiParameter("per_kon", OpenApiTypes.BOOL, description="Split every table by gender"),
]


class DashboardApi(APIView):
    """One dashboard's tables (`ledtider`, `flode`, `utfall`, `stegforflyttningar`,
    `utvardering`) for deputy managers and analysts."""

    @extend_schema(parameters=FILTER_PARAMETERS, responses=DashboardSerializer)
    def get(self, request: Request, slug: str) -> Response:
        user = api_user(request)
        kind = get_dashboard(slug)
        if kind is None or not can_view_followup(user):
            raise NotFoundOrForbidden
        today = timezone.localdate()
        form = FilterForm(request.query_params, scope=scope_of(user), today=today)
        if not form.is_valid():
            raise ValidationError(
                {field: [str(error) for error in errors] for field, errors in form.errors.items()}
            )
        filters = form.filters()
        dashboard = kind.build(scope_of(user), filters, today)
        record_report_use(actor=user, dashboard=slug, filters=filters, channel=Channel.API)
        response = Response(DashboardSerializer(dashboard_data(dashboard)).data)
        response["Cache-Control"] = "no-store"
        return response
