"""The log review pages for managers (loggkontroll): the log, samples, unusual access."""

from collections.abc import Iterable
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sia.audit.access import can_review_audit
from sia.audit.forms import (
    AuditFilterForm,
    LogReviewForm,
    ReviewPeriodForm,
    SampleForm,
    with_review_defaults,
)
from sia.audit.models import AuditEvent, Channel, LogReview
from sia.audit.review import LogReviewInput, record_log_review
from sia.audit.selectors import AuditFilter, list_audit_events, record_review
from sia.audit.selectors_review import (
    count_reviewable_events,
    list_log_reviews,
    list_sample,
    record_check_viewed,
    unusual_access,
)
from sia.core.exceptions import DomainError, NotFoundOrForbidden
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest
from sia.people.models import Person
from sia.people.selectors import list_people, read_people

PAGE_SIZE = 100
REVIEWS_SHOWN = 50


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
    query = request.GET.copy()
    query.pop("sida", None)
    return {
        "form": form,
        "page": page,
        "people": _named_people(request, page.object_list),
        "extra_query": f"{query.urlencode()}&" if query else "",
    }


def _named_people(
    request: AuthenticatedHttpRequest, events: Iterable[AuditEvent]
) -> dict[UUID, Person]:
    """Name only the people the manager may see, as the log does; the names are audited reads."""
    person_ids = {event.person_id for event in events if event.person_id}
    people = list(list_people(request.user).filter(pk__in=person_ids))
    read_people(request.user, people, channel=Channel.WEB)
    return {person.pk: person for person in people}


def _submitted(request: AuthenticatedHttpRequest) -> QueryDict:
    return request.POST if request.method == "POST" else request.GET


def _record(
    request: AuthenticatedHttpRequest, form: ReviewPeriodForm, kind: LogReview.Kind
) -> tuple[LogReviewForm, bool]:
    """Record the check from the POSTed form; tell whether it was recorded."""
    review_form = LogReviewForm(request.POST)
    if not (form.is_valid() and review_form.is_valid()):
        return review_form, False
    sample = kind == LogReview.Kind.SAMPLE
    data = LogReviewInput(
        kind=kind,
        period=form.period,
        sample_seed=form.cleaned_data["seed"] if sample else None,
        sample_size=form.cleaned_data["antal"] if sample else None,
        **review_form.cleaned_data,
    )
    try:
        record_log_review(reviewed_by=request.user, data=data, channel=Channel.WEB)
    except DomainError as error:
        add_domain_error(review_form, error)
        return review_form, False
    messages.success(request, _("Loggkontrollen är dokumenterad."))
    return review_form, True


def _after_recording(
    request: AuthenticatedHttpRequest, name: str, form: ReviewPeriodForm
) -> HttpResponse:
    query = QueryDict(mutable=True)
    query.update({key: str(form.data[key]) for key in form.fields if form.data.get(key)})
    return redirect(f"{reverse(name)}?{query.urlencode()}")


def sample(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show a random sample of the period's events to check, and record the check."""
    if not can_review_audit(request.user):
        raise NotFoundOrForbidden
    form = SampleForm(with_review_defaults(_submitted(request), sample=True))
    review_form = LogReviewForm()
    if request.method == "POST":
        review_form, recorded = _record(request, form, LogReview.Kind.SAMPLE)
        if recorded:
            return _after_recording(request, "audit-sample", form)
    events: list[AuditEvent] = []
    total = 0
    if form.is_valid():
        period, size, seed = form.period, form.cleaned_data["antal"], form.cleaned_data["seed"]
        events = list_sample(request.user, period, size=size, seed=seed)
        total = count_reviewable_events(request.user, period)
        record_check_viewed(
            request.user,
            period,
            kind=LogReview.Kind.SAMPLE,
            channel=Channel.WEB,
            seed=seed,
            size=size,
        )
    context = {"form": form, "review_form": review_form, "events": events, "total": total}
    return render(request, "audit/sample.html", context | _reviews_context(request, events))


def unusual(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Report the period's unusual access, one table per kind, and record the check."""
    if not can_review_audit(request.user):
        raise NotFoundOrForbidden
    form = ReviewPeriodForm(with_review_defaults(_submitted(request), sample=False))
    review_form = LogReviewForm()
    if request.method == "POST":
        review_form, recorded = _record(request, form, LogReview.Kind.UNUSUAL)
        if recorded:
            return _after_recording(request, "audit-unusual", form)
    report = None
    if form.is_valid():
        report = unusual_access(request.user, form.period)
        record_check_viewed(
            request.user, form.period, kind=LogReview.Kind.UNUSUAL, channel=Channel.WEB
        )
    events = (
        [*report.other_unit.events, *report.protected.events, *report.emergency.events]
        if report
        else []
    )
    context = {"form": form, "review_form": review_form, "report": report}
    return render(request, "audit/unusual.html", context | _reviews_context(request, events))


def _reviews_context(
    request: AuthenticatedHttpRequest, events: list[AuditEvent]
) -> dict[str, object]:
    reviews = list_log_reviews(request.user)
    return {
        "people": _named_people(request, events),
        "reviews": reviews[:REVIEWS_SHOWN],
        "reviews_total": reviews.count(),
    }
