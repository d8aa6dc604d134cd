"""Reads of the first visit (nybesök, IB:3) and of the call-in of the standby guide.

The case itself is read through `sia.cases.selectors.get_case` (audited) or
`sia.cases.access.access_case`; the functions here take that already accessed case.
The call-in lists for the live banner hold only the case reference and staff names,
no personal data of the newcomer, so reading them is not audited.
"""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from sia.accounts.models import User
from sia.cases.access import visible_cases
from sia.cases.models import Case
from sia.meetings.models import Alignment, FirstVisit, GuideCall
from sia.meetings.selectors_alignment import current_alignment, step_catalogue_items
from sia.process.models import Catalogue, CatalogueItem

ASSESSMENT_CATALOGUE = "ib3-assessment"
# A call that nobody answered is no longer shown after this long: the visit is over.
CALL_SHOWN_FOR = dt.timedelta(hours=2)


def assessment_items(case: Case) -> QuerySet[CatalogueItem]:
    """List the active questions of the case's first-visit assessment template."""
    return step_catalogue_items(
        case,
        step_key="first_visit",
        kind=Catalogue.Kind.ASSESSMENT,
        fallback_key=ASSESSMENT_CATALOGUE,
    )


def list_first_visits(case: Case) -> QuerySet[FirstVisit]:
    """List the case's first-visit records, newest first, with who signed them."""
    return (
        FirstVisit.objects.filter(case=case)
        .select_related("author", "supersedes", "superseded_by")
        .order_by("-signed_at")
    )


def current_first_visit(case: Case) -> FirstVisit | None:
    """Return the first-visit record that no correction has replaced, if any."""
    return (
        FirstVisit.objects.filter(case=case, superseded_by__isnull=True)
        .select_related("author")
        .order_by("-signed_at")
        .first()
    )


def standby_guide(case: Case) -> User | None:
    """Return the guide on standby for the first visit, from the current initial alignment."""
    alignment = current_alignment(case, Alignment.Kind.INITIAL)
    return alignment.standby_guide if alignment is not None else None


def _recent() -> dt.datetime:
    return timezone.now() - CALL_SHOWN_FOR


def list_case_guide_calls(case: Case) -> QuerySet[GuideCall]:
    """List the recent call-ins of the case, newest first, with guide and caller."""
    return (
        GuideCall.objects.filter(case=case, created_at__gte=_recent())
        .select_related("guide", "called_by", "case")
        .order_by("-created_at")
    )


def list_open_calls_to(user: User) -> QuerySet[GuideCall]:
    """List the unanswered recent calls to the user on open cases they may see, oldest first."""
    if not user.is_authenticated:
        return GuideCall.objects.none()
    return (
        GuideCall.objects.filter(guide_id=user.pk, answered_at__isnull=True)
        .filter(created_at__gte=_recent())
        .filter(case__in=visible_cases(user), case__closed_on__isnull=True)
        .select_related("called_by", "case")
        .order_by("created_at")
    )


def list_recent_calls_by(user: User) -> QuerySet[GuideCall]:
    """List the user's own recent call-ins, newest first, with the guide and the answer."""
    if not user.is_authenticated:
        return GuideCall.objects.none()
    return (
        GuideCall.objects.filter(called_by_id=user.pk, created_at__gte=_recent())
        .select_related("guide", "case")
        .order_by("-created_at")
    )


def with_answer_labels(
    records: QuerySet[FirstVisit],
) -> list[tuple[FirstVisit, list[tuple[str, str]]]]:
    """Pair each record with its answers under the questions' labels, in template order."""
    # Only the first-visit templates: other assessment catalogues (the talks of
    # sia.assessments) may reuse an item key with another meaning.
    first_visit_catalogues = Catalogue.objects.filter(
        Q(steps__key="first_visit") | Q(key=ASSESSMENT_CATALOGUE),
        kind=Catalogue.Kind.ASSESSMENT,
    )
    items = CatalogueItem.objects.filter(catalogue__in=first_visit_catalogues).order_by(
        "order", "label"
    )
    labels = {item.key: item.label for item in items}
    order = list(labels)
    rows = []
    for record in records:
        keys = sorted(record.answers, key=lambda k: order.index(k) if k in order else len(order))
        rows.append((record, [(labels.get(key, key), record.answers[key]) for key in keys]))
    return rows
