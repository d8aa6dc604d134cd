"""The retention pages: what the job would dispose of now, and the disposal log."""

from django.http import HttpResponse
from django.shortcuts import render

from sia.core.exceptions import NotFoundOrForbidden
from sia.core.http import AuthenticatedHttpRequest
from sia.people.access import visible_people
from sia.retention.access import can_view_retention
from sia.retention.rules import RetentionRule, make_plan
from sia.retention.selectors import (
    RUNS_SHOWN,
    list_runs,
    plan_totals,
    read_due_people,
    run_counts,
)


def dry_run(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show who and what the job would dispose of today of the people the user may see."""
    if not can_view_retention(request.user):
        raise NotFoundOrForbidden
    # Only the people the reviewer may see are planned: the whole run is the job's.
    plan = make_plan(RetentionRule.configured(), among=visible_people(request.user))
    people = read_due_people(request.user, plan)
    context = {"plan": plan, "rule": plan.rule, "totals": plan_totals(plan), "people": people}
    return render(request, "retention/dry_run.html", context)


def runs(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List past runs of the job with their counts per record type (no personal data)."""
    if not can_view_retention(request.user):
        raise NotFoundOrForbidden
    shown = list(list_runs()[:RUNS_SHOWN])
    context = {"runs": [(run, run_counts(run)) for run in shown]}
    return render(request, "retention/runs.html", context)
