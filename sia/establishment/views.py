"""Pages of the establishment programme: a case's programme, alerts and outcomes, and the
group-level report for Arbetsförmedlingen (aggregates only, also as CSV)."""

import csv
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sia.audit.models import Channel
from sia.cases.selectors import get_case
from sia.consent.models import DataKind
from sia.core.exceptions import DomainError, NotFoundOrForbidden
from sia.core.forms import add_domain_error
from sia.core.http import AuthenticatedHttpRequest
from sia.core.views import submit_form
from sia.establishment import access, services
from sia.establishment.alerts import order_warnings
from sia.establishment.forms import (
    BaselineForm,
    ConcernReportForm,
    OutcomeForm,
    ProgrammeForm,
    outcome_initial,
    programme_initial,
)
from sia.establishment.selectors import (
    ProgrammeReport,
    case_programme_alerts,
    get_outcome,
    get_programme,
    list_concern_reports,
    programme_report,
)


def _errors(form: forms.Form) -> list[str]:
    return [
        f"{form.fields[name].label if name in form.fields else ''}: {error}".lstrip(": ")
        for name, errors in form.errors.items()
        for error in errors
    ]


@never_cache
def case_programme(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Show and record the person's programme status, its alerts and the case's outcomes."""
    case = get_case(request.user, case_id, channel=Channel.WEB, kind=DataKind.PLANS)
    status = get_programme(case)
    may_change = access.can_change_programme(request.user, case)
    form = ProgrammeForm(request.POST or None, initial=programme_initial(status))
    if request.method == "POST":
        if not may_change:
            raise NotFoundOrForbidden
        if form.is_valid():
            try:
                services.save_programme(
                    actor=request.user, case_id=case.pk, data=form.to_input(), channel=Channel.WEB
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Uppgifterna om etableringsprogrammet är sparade."))
                return redirect("case-programme", case_id=case.pk)
    see_outcome = access.can_see_outcome(request.user, case)
    see_concerns = access.can_see_concern_reports(request.user, case)
    outcome = get_outcome(case) if see_outcome else None
    context: dict[str, Any] = {
        "case": case,
        "status": status,
        "form": form,
        "may_change": may_change,
        "alerts": case_programme_alerts(case, timezone.localdate()),
        "warnings": order_warnings(status) if status else [],
        "see_outcome": see_outcome,
        "outcome": outcome,
        "may_change_outcome": access.can_change_outcome(request.user, case),
        "baseline_form": BaselineForm(initial={"concern_reports_last_year": 0}),
        "outcome_form": OutcomeForm(initial=outcome_initial(outcome)),
        "see_concerns": see_concerns,
        "concern_reports": list(list_concern_reports(case)) if see_concerns else [],
        "concern_form": ConcernReportForm(),
    }
    return render(request, "establishment/case_programme.html", context)


@require_POST
def case_baseline(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Record the case's baseline values (once)."""
    submit_form(
        request,
        BaselineForm(request.POST),
        lambda data: services.record_baseline(
            actor=request.user, case_id=case_id, channel=Channel.WEB, **data
        ),
        _("Ingångsvärdena är sparade."),
        error_messages=_errors,
    )
    return redirect("case-programme", case_id=case_id)


@require_POST
def case_outcome(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Record the dates of self-sufficiency and own lease."""
    submit_form(
        request,
        OutcomeForm(request.POST),
        lambda data: services.record_outcome(
            actor=request.user, case_id=case_id, channel=Channel.WEB, **data
        ),
        _("Utfallen är sparade."),
        error_messages=_errors,
    )
    return redirect("case-programme", case_id=case_id)


@require_POST
def case_concern_report(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    """Record that a report of concern about the household's children came in."""
    submit_form(
        request,
        ConcernReportForm(request.POST),
        lambda data: services.record_concern_report(
            actor=request.user, case_id=case_id, channel=Channel.WEB, **data
        ),
        _("Orosanmälan är registrerad."),
        error_messages=_errors,
    )
    return redirect("case-programme", case_id=case_id)


def report_csv(report: ProgrammeReport) -> HttpResponse:
    """Return the report as CSV: label and count (or "färre än N"), nothing personal."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="etableringsprogrammet-{report.today:%Y-%m-%d}.csv"'
    )
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Uppgift"), _("Antal")])
    hidden = _("färre än %(n)s") % {"n": report.suppress_below}
    for row in report.rows:
        writer.writerow([row.label, hidden if row.count is None else row.count])
    return response


@never_cache
@require_GET
def programme_report_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the group-level programme report to managers and analysts, or download it."""
    if not access.can_view_programme_report(request.user):
        raise NotFoundOrForbidden
    report = programme_report(request.user, timezone.localdate())
    if request.GET.get("format") == "csv":
        return report_csv(report)
    return render(request, "establishment/report.html", {"report": report})
