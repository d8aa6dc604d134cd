"""Record that a manager checked the log (loggkontroll), by whom and with what result."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Unit, User
from sia.accounts.selectors import managed_unit_ids
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel, LogReview
from sia.audit.selectors_review import (
    SAMPLE_MAX,
    SEED_MAX,
    Period,
    list_sample,
    unusual_access,
)
from sia.core.exceptions import NotFoundOrForbidden, ValidationFailed
from sia.core.text import clean_text

# A review covers at most a year, so that one check stays a bounded query.
MAX_PERIOD = dt.timedelta(days=366)
# Twelve or ten digits, with or without a separator: what a personnummer looks like.
_PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+ ]?\d{4}(?!\d)")


@dataclass(frozen=True)
class LogReviewInput:
    kind: str
    period: Period
    result: str
    findings: str = ""
    follow_up: str = ""
    sample_seed: int | None = None
    sample_size: int | None = None


def check_period(period: Period) -> None:
    """Refuse a period that ends before it starts, lies ahead, or is longer than a year."""
    if period.start > period.end:
        raise ValidationFailed(
            _("Perioden måste sluta samma dag eller efter den börjar."), field="till"
        )
    if period.end > timezone.localdate():
        raise ValidationFailed(_("Perioden kan inte sluta i framtiden."), field="till")
    if period.end - period.start >= MAX_PERIOD:
        raise ValidationFailed(_("Perioden får vara högst ett år."), field="till")


def check_sample(seed: int | None, size: int | None) -> tuple[int, int]:
    """Refuse a sample without a seed, or with a size outside 1–200."""
    if seed is None or not 1 <= seed <= SEED_MAX:
        raise ValidationFailed(_("Ange ett giltigt slumpfrö."), field="seed")
    if size is None or not 1 <= size <= SAMPLE_MAX:
        raise ValidationFailed(
            _("Stickprovet ska vara mellan 1 och %(max)s händelser.") % {"max": SAMPLE_MAX},
            field="antal",
        )
    return seed, size


def _clean_free_text(value: str, field: str, *, required: bool) -> str:
    text = clean_text(value, field)
    if required and not text:
        raise ValidationFailed(
            _("Beskriv anmärkningarna när resultatet är ”Anmärkningar”."), field=field
        )
    if _PERSONAL_NUMBER.search(text):
        raise ValidationFailed(
            _("Skriv inte personnummer i loggkontrollen. Hänvisa till ärendets referens."),
            field=field,
        )
    return text


def _checked(user: User, data: LogReviewInput) -> tuple[int | None, int | None, int]:
    """Return the sample's seed and size, and how many events the check put before the user."""
    if data.kind == LogReview.Kind.SAMPLE:
        seed, size = check_sample(data.sample_seed, data.sample_size)
        return seed, size, len(list_sample(user, data.period, size=size, seed=seed))
    return None, None, unusual_access(user, data.period).events_listed


@transaction.atomic
def record_log_review(*, reviewed_by: User, data: LogReviewInput, channel: Channel) -> LogReview:
    """Record a finished check of the log of the reviewer's units; it is never changed."""
    units = managed_unit_ids(reviewed_by)
    if not units:
        raise NotFoundOrForbidden
    if data.kind not in LogReview.Kind.values:
        raise ValidationFailed(_("Välj typ av kontroll."), field="kind")
    if data.result not in LogReview.Result.values:
        raise ValidationFailed(_("Välj resultat."), field="result")
    check_period(data.period)
    seed, size, examined = _checked(reviewed_by, data)
    remarks = data.result == LogReview.Result.REMARKS
    review = LogReview.objects.create(
        reviewed_by=reviewed_by,
        period_from=data.period.start,
        period_to=data.period.end,
        kind=data.kind,
        sample_seed=seed,
        sample_size=size,
        events_examined=examined,
        result=data.result,
        findings=_clean_free_text(data.findings, "findings", required=remarks),
        follow_up=_clean_free_text(data.follow_up, "follow_up", required=False),
    )
    review.units.set(Unit.objects.filter(pk__in=units))
    audit.record(
        actor=reviewed_by,
        action=AuditAction.LOG_REVIEW_RECORDED,
        channel=channel,
        changes={
            "review": str(review.pk),
            "kind": review.kind,
            "result": review.result,
            "period_from": review.period_from.isoformat(),
            "period_to": review.period_to.isoformat(),
            "events_examined": review.events_examined,
        },
    )
    return review
