"""Check a person against a programme's eligibility rules (målgrupp), saying why not."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sia.people.models import ArrivalCategory, Person
from sia.process.models import ProcessTemplate

_DAY = dt.timedelta(days=1)


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _years_between(start: dt.date, day: dt.date) -> int:
    return _age_on(start, day)


def eligibility_problems(person: Person, template: ProcessTemplate, on: dt.date) -> list[str]:
    """Return the reasons the person falls outside the template's target group (empty if none)."""
    problems: list[str] = []
    permit = person.residence_permit_date
    if template.require_residence_permit and permit is None:
        problems.append(_("Inget beviljat uppehållstillstånd är registrerat."))
    age = _age_on(person.date_of_birth, on)
    if template.min_age is not None and age < template.min_age:
        problems.append(
            _("Personen är %(age)s år; målgruppen är från %(min)s år.")
            % {"age": age, "min": template.min_age}
        )
    if template.max_age is not None and age > template.max_age:
        problems.append(
            _("Personen är %(age)s år; målgruppen är till och med %(max)s år.")
            % {"age": age, "max": template.max_age}
        )
    limit = template.max_years_since_permit
    # The anniversary itself is still within the limit; the day after is not.
    if limit is not None and permit is not None and _years_between(permit, on - _DAY) >= limit:
        problems.append(
            ngettext(
                "Uppehållstillståndet beviljades för mer än %(years)s år sedan.",
                "Uppehållstillståndet beviljades för mer än %(years)s år sedan.",
                limit,
            )
            % {"years": limit}
        )
    categories = template.arrival_categories
    if categories and person.arrival_category not in categories:
        labels = dict(ArrivalCategory.choices)
        shown = labels.get(person.arrival_category) if person.arrival_category else None
        problems.append(
            _("Mottagningskategorin (%(category)s) ingår inte i målgruppen.")
            % {"category": shown or _("ej angiven")}
        )
    return problems
