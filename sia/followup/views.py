"""Pages of follow-up and evaluation: the dashboards, their exports and the committee
report. Aggregates only (see `access.py`); every view of them is audited."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sia.audit.models import Channel
from sia.core.exceptions import NotFoundOrForbidden
from sia.core.http import AuthenticatedHttpRequest
from sia.followup import exports
from sia.followup.access import can_view_followup, scope_of
from sia.followup.dashboards import DASHBOARDS, DashboardKind, get_dashboard
from sia.followup.filters import FilterForm
from sia.followup.services import record_report_use


def _dashboard_kind(request: AuthenticatedHttpRequest, slug: str) -> DashboardKind:
    kind = get_dashboard(slug)
    if kind is None or not can_view_followup(request.user):
        raise NotFoundOrForbidden
    return kind


def _form(request: AuthenticatedHttpRequest) -> FilterForm:
    return FilterForm(request.GET, scope=scope_of(request.user), today=timezone.localdate())


@never_cache
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the dashboards, with the filter form that each of them starts from."""
    if not can_view_followup(request.user):
        raise NotFoundOrForbidden
    form = _form(request)
    form.is_valid()
    return render(request, "followup/index.html", {"kinds": DASHBOARDS, "form": form})


@never_cache
@require_GET
def dashboard_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Show one dashboard for the filters in the query string (400 with the errors shown
    when a filter is wrong)."""
    kind = _dashboard_kind(request, slug)
    form = _form(request)
    context: dict[str, object] = {"kind": kind, "kinds": DASHBOARDS, "form": form}
    if not form.is_valid():
        return render(request, "followup/dashboard.html", context, status=400)
    filters = form.filters()
    context["dashboard"] = kind.build(scope_of(request.user), filters, timezone.localdate())
    context["query"] = filters.as_query()
    context["round_to"] = settings.SIA_ROUND_COUNTS_TO
    record_report_use(actor=request.user, dashboard=slug, filters=filters, channel=Channel.WEB)
    return render(request, "followup/dashboard.html", context)


@never_cache
@require_GET
def dashboard_export(
    request: AuthenticatedHttpRequest, slug: str, file_format: str
) -> HttpResponse:
    """Download one table as CSV (`?tabell=`) or every table of a dashboard as Excel."""
    kind = _dashboard_kind(request, slug)
    form = _form(request)
    if not form.is_valid():
        return render(
            request,
            "followup/dashboard.html",
            {"kind": kind, "kinds": DASHBOARDS, "form": form},
            status=400,
        )
    filters = form.filters()
    today = timezone.localdate()
    dashboard = kind.build(scope_of(request.user), filters, today)
    if file_format == "csv":
        table = dashboard.table(request.GET.get("tabell", ""))
        if table is None:
            raise NotFoundOrForbidden
        response = exports.csv_response(dashboard, table, filters, today)
    else:
        response = exports.xlsx_response(dashboard, filters, today)
    record_report_use(
        actor=request.user,
        dashboard=slug,
        filters=filters,
        channel=Channel.WEB,
        file_format=file_format,
    )
    return response


@never_cache
@require_GET
def committee_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Download the report for the committee (nämnd) as PDF: every dashboard, its charts
    and tables and a method note, always with small counts suppressed."""
    if not can_view_followup(request.user):
        raise NotFoundOrForbidden
    form = _form(request)
    if not form.is_valid():
        return render(
            request, "followup/index.html", {"kinds": DASHBOARDS, "form": form}, status=400
        )
    filters = form.filters()
    today = timezone.localdate()
    scope = scope_of(request.user).suppressed()
    dashboards = [kind.build(scope, filters, today) for kind in DASHBOARDS]
    response = exports.pdf_response(dashboards, filters, today)
    record_report_use(
        actor=request.user,
        dashboard="committee",
        filters=filters,
        channel=Channel.WEB,
        file_format="pdf",
    )
    return response
