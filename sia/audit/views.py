"""The log review page for managers (loggkontroll)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from sia.audit.access import can_review_audit
from sia.audit.forms import AuditFilterForm
from sia.audit.models import Channel
from sia.audit.selectors import AuditFilter, list_audit_events, record_review
from sia.core.exceptions import NotFoundOrForbidden
from sia.core.http import AuthenticatedHttpRequest

PAGE_SIZE = 100


def audit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Let a manager filter the audit trail of their units; the review itself is logged."""
    if not can_review_audit(request.user):
        raise NotFoundOrForbidden
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilter(**form.cleaned_data) if form.is_valid() else AuditFilter()
    page = Paginator(list_audit_events(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    record_review(request.user, filters, channel=Channel.WEB)
    query = request.GET.copy()
    query.pop("sida", None)
    extra_query = f"{query.urlencode()}&" if query else ""
    context = {"form": form, "page": page, "extra_query": extra_query}
    return render(request, "audit/list.html", context)
