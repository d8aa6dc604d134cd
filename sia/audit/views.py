"""The log review page for managers (loggkontroll)."""

from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import render

from sia.audit.access import can_review_audit
from sia.audit.forms import AuditFilterForm
from sia.audit.models import AuditEvent, Channel
from sia.audit.selectors import AuditFilter, list_audit_events, record_review
from sia.core.exceptions import NotFoundOrForbidden
from sia.core.http import AuthenticatedHttpRequest
from sia.people.selectors import list_people, read_people

PAGE_SIZE = 100


def audit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Let a manager filter the audit trail of their units; the review itself is logged."""
    if not can_review_audit(request.user):
        raise NotFoundOrForbidden
    form = AuditFilterForm(request.GET or None)
    refused = form.is_bound and not form.is_valid()
    filters = AuditFilter(**form.cleaned_data) if form.is_bound and not refused else AuditFilter()
    events = list_audit_events(request.user, filters)
    page = Paginator(events.none() if refused else events, PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    record_review(request.user, filters, channel=Channel.WEB)
    return render(request, "audit/list.html", _context(request, form, page))


def _context(
    request: AuthenticatedHttpRequest, form: AuditFilterForm, page: Page[AuditEvent]
) -> dict[str, object]:
    """Name only the people the manager may see; the names shown are audited as reads."""
    person_ids = {event.person_id for event in page.object_list if event.person_id}
    people = list(list_people(request.user).filter(pk__in=person_ids))
    read_people(request.user, people, channel=Channel.WEB)
    query = request.GET.copy()
    query.pop("sida", None)
    return {
        "form": form,
        "page": page,
        "people": {person.pk: person for person in people},
        "extra_query": f"{query.urlencode()}&" if query else "",
    }
