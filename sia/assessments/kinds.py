"""How the assessment records group: talk templates, progress versus outcome, health kinds.

Kept in one place so the services, forms, selectors and API agree on the split.
"""

import calendar
import datetime as dt

from sia.assessments.models import AssessmentTalk, Barrier, Enrolment, ProgressStep

# The process catalogue (kind assessment) that holds the questions of each talk.
TALK_CATALOGUES: dict[str, str] = {
    AssessmentTalk.Kind.TALK_1: "talk_1",
    AssessmentTalk.Kind.TALK_2: "talk_2",
    AssessmentTalk.Kind.TALK_3: "talk_3",
    AssessmentTalk.Kind.JOINT: "joint_assessment",
}

_K = ProgressStep.Kind
KINDS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    ProgressStep.Category.PROGRESS: (
        _K.HEALTH_CONTACT,
        _K.HEALTH_IMPROVED,
        _K.SFI_STARTED,
        _K.LANGUAGE_PROGRESS,
        _K.SOCIAL_NETWORK,
        _K.ACTIVITY_STARTED,
        _K.HOUSING_SOLVED,
        _K.DEBT_PLAN,
        _K.SELF_RELIANCE,
        _K.OTHER_PROGRESS,
    ),
    ProgressStep.Category.OUTCOME: (
        _K.WORK,
        _K.SUBSIDISED_WORK,
        _K.STUDIES,
        _K.SELF_SUFFICIENT,
        _K.OWN_LEASE,
        _K.OTHER_OUTCOME,
    ),
}

# Records that are health data: a partner needs consent to the health kind to see them.
HEALTH_BARRIER_KINDS = frozenset(
    {Barrier.Kind.MENTAL_HEALTH, Barrier.Kind.PHYSICAL_HEALTH, Barrier.Kind.DENTAL}
)
HEALTH_PROGRESS_KINDS = frozenset({_K.HEALTH_CONTACT, _K.HEALTH_IMPROVED})


def category_of(kind: str) -> str | None:
    """Return the category (progress or outcome) a progress kind belongs to."""
    for category, kinds in KINDS_BY_CATEGORY.items():
        if kind in kinds:
            return category
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def enrolment_end(enrolment: Enrolment) -> dt.date:
    """Return the day the programme's time limit (started_on + max_months) is reached."""
    return add_months(enrolment.started_on, enrolment.max_months)
