"""Alerts of the establishment programme: a pure function of the status, the thresholds,
the person's birth date and the day, so it is tested without a database or a clock.

No alert is raised once the programme has ended (today on or after `programme_ends_on`).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sia.establishment.models import ProgrammeRules, ProgrammeStatus


@dataclass(frozen=True)
class Alert:
    """One alert: a stable code, a Swedish message and the day it became due."""

    code: str
    message: str
    due_on: dt.date


SFI_NOT_STARTED = "sfi_not_started"
CIVIC_NOT_STARTED = "civic_orientation_not_started"
PROGRAMME_ENDING = "programme_ending"
AGE_LIMIT = "age_limit"


def birthday(born: dt.date, age: int) -> dt.date:
    """Return the day a person born on `born` turns `age` (1 March for 29 February)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return dt.date(born.year + age, 3, 1)


def programme_alerts(
    status: ProgrammeStatus, rules: ProgrammeRules, born: dt.date | None, today: dt.date
) -> list[Alert]:
    """Return the alerts due today for one person's programme, the earliest first."""
    ends = status.programme_ends_on
    if ends is not None and today >= ends:
        return []
    found: list[Alert] = []
    plan = status.action_plan_on
    if plan is not None:
        due = plan + dt.timedelta(weeks=rules.sfi_alert_weeks)
        if status.sfi_started_on is None and due <= today:
            found.append(Alert(SFI_NOT_STARTED, _("SFI har inte börjat"), due))
        due = plan + dt.timedelta(weeks=rules.civic_orientation_alert_weeks)
        if status.civic_orientation_started_on is None and due <= today:
            found.append(Alert(CIVIC_NOT_STARTED, _("Samhällsorienteringen har inte börjat"), due))
    if ends is not None:
        due = ends - dt.timedelta(weeks=rules.programme_end_alert_weeks)
        if due <= today:
            found.append(Alert(PROGRAMME_ENDING, _("Etableringsprogrammet slutar snart"), due))
    if born is not None:
        limit = birthday(born, rules.age_limit)
        due = limit - dt.timedelta(weeks=rules.age_alert_weeks)
        if due <= today < limit:
            found.append(Alert(AGE_LIMIT, _("Åldersgränsen närmar sig"), due))
    return sorted(found, key=lambda alert: alert.due_on)


def order_warnings(status: ProgrammeStatus) -> list[str]:
    """Return warnings (not errors) about the order of the recorded dates: SFI and civic
    orientation should start once the individual action plan exists."""
    plan = status.action_plan_on
    if plan is None:
        return []
    warnings = []
    if status.sfi_started_on is not None and status.sfi_started_on < plan:
        warnings.append(_("SFI började före den individuella handlingsplanen."))
    started = status.civic_orientation_started_on
    if started is not None and started < plan:
        warnings.append(_("Samhällsorienteringen började före den individuella handlingsplanen."))
    return warnings
