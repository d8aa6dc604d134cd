"""The filters every dashboard takes from the query string: period, unit, programme,
arrival category, gender, and whether to split the figures by gender."""

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import Unit
from sia.assessments.models import Enrolment
from sia.cases.models import Case
from sia.core.text import MAX_AHEAD
from sia.decisions.models import SupportDecision
from sia.establishment.models import ProgrammeStatus
from sia.followup.access import Scope
from sia.people.models import ArrivalCategory, Gender

# The longest period a dashboard counts over, so one request cannot ask for centuries.
MAX_PERIOD_YEARS = 15
# No case in any register the unit keeps is older than this.
EARLIEST = dt.date(1990, 1, 1)

PROGRAMME_SUPPORT = "support"
PROGRAMME_ESTABLISHMENT = "establishment"
ENROLMENT_PREFIX = "enrolment-"


def programme_choices() -> list[tuple[str, Any]]:
    """The programmes a cohort can be limited to."""
    return [
        ("", _("Alla ärenden")),
        (PROGRAMME_SUPPORT, _("Socialt och praktiskt stöd (beviljat beslut)")),
        (PROGRAMME_ESTABLISHMENT, _("Etableringsprogrammet")),
        *[(f"{ENROLMENT_PREFIX}{value}", label) for value, label in Enrolment.Programme.choices],
    ]


@dataclass(frozen=True)
class Filters:
    """What the figures are limited to; `date_from`..`date_to` is the period."""

    date_from: dt.date
    date_to: dt.date
    unit_id: UUID | None = None
    programme: str = ""
    category: str = ""
    gender: str = ""
    split_gender: bool = False

    def as_query(self) -> dict[str, str]:
        """The filters as query-string values (for export links)."""
        query = {"fran": self.date_from.isoformat(), "till": self.date_to.isoformat()}
        if self.unit_id:
            query["enhet"] = str(self.unit_id)
        if self.programme:
            query["insats"] = self.programme
        if self.category:
            query["kategori"] = self.category
        if self.gender:
            query["kon"] = self.gender
        if self.split_gender:
            query["per_kon"] = "1"
        return query


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve whole months and this month so far."""
    first = today.replace(day=1)
    return first.replace(year=first.year - 1), today


class FilterForm(forms.Form):
    """The dashboard filters, read from the query string (all optional)."""

    fran = forms.DateField(label=_("Från och med"), required=False)
    till = forms.DateField(label=_("Till och med"), required=False)
    enhet = forms.ModelChoiceField(
        label=_("Enhet"), queryset=Unit.objects.none(), required=False, empty_label=_("Alla")
    )
    insats = forms.ChoiceField(label=_("Insats"), required=False, choices=())
    kategori = forms.ChoiceField(
        label=_("Ankomstkategori"),
        required=False,
        choices=[("", _("Alla")), *ArrivalCategory.choices],
    )
    kon = forms.ChoiceField(
        label=_("Kön"), required=False, choices=[("", _("Alla")), *Gender.choices]
    )
    per_kon = forms.BooleanField(label=_("Dela upp efter kön"), required=False)

    def __init__(self, *args: Any, scope: Scope, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.whole_months = scope.suppress
        units = cast(forms.ModelChoiceField[Unit], self.fields["enhet"])
        units.queryset = Unit.objects.filter(pk__in=scope.unit_ids).select_related("organisation")
        programme = cast(forms.ChoiceField, self.fields["insats"])
        programme.choices = programme_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default_from, default_to = default_period(self.today)
        date_from = data.get("fran") or default_from
        date_to = data.get("till") or default_to
        if self.whole_months:
            # Suppressed figures count whole months: periods a day apart would otherwise
            # tell, by their difference, what happened on that one day.
            date_from = date_from.replace(day=1)
            date_to = date_to.replace(day=calendar.monthrange(date_to.year, date_to.month)[1])
        if date_from > date_to:
            self.add_error("till", _("Slutdatumet kan inte vara före startdatumet."))
        elif date_to > self.today + MAX_AHEAD:
            self.add_error("till", _("Slutdatumet ligger för långt fram i tiden."))
        elif date_from < EARLIEST:
            self.add_error(
                "fran",
                _("Perioden kan inte börja före %(day)s.") % {"day": EARLIEST.isoformat()},
            )
        elif (date_to - date_from).days > round(365.25 * MAX_PERIOD_YEARS):
            self.add_error(
                "fran",
                _("Perioden kan vara högst %(years)s år.") % {"years": MAX_PERIOD_YEARS},
            )
        data["fran"], data["till"] = date_from, date_to
        return data

    def filters(self) -> Filters:
        """The validated filters (call after is_valid())."""
        data = self.cleaned_data
        unit = data.get("enhet")
        return Filters(
            date_from=data["fran"],
            date_to=data["till"],
            unit_id=unit.pk if unit else None,
            programme=data.get("insats") or "",
            category=data.get("kategori") or "",
            gender=data.get("kon") or "",
            split_gender=bool(data.get("per_kon")),
        )


def programme_condition(programme: str, case_field: str = "pk") -> Q:
    """The condition that a case (reached through `case_field`) is in a programme."""
    case = OuterRef(case_field)
    if programme == PROGRAMME_SUPPORT:
        granted = SupportDecision.objects.filter(
            case=case,
            outcome__in=[SupportDecision.Outcome.GRANTED, SupportDecision.Outcome.PARTLY],
        )
        return Q(Exists(granted))
    if programme == PROGRAMME_ESTABLISHMENT:
        started = ProgrammeStatus.objects.filter(case=case, programme_started_on__isnull=False)
        return Q(Exists(started))
    if programme.startswith(ENROLMENT_PREFIX):
        enrolled = Enrolment.objects.filter(
            case=case, programme=programme.removeprefix(ENROLMENT_PREFIX)
        )
        return Q(Exists(enrolled))
    return Q()


def case_condition(scope: Scope, filters: Filters, prefix: str = "") -> Q:
    """The condition on a case (reached through `prefix`, such as "case__") that it is in
    the scope and passes the unit, programme, category and gender filters. The period is
    each measure's own: what it counts from differs."""
    condition = Q(**{f"{prefix}owning_unit_id__in": scope.unit_ids})
    if filters.unit_id:
        condition &= Q(**{f"{prefix}owning_unit_id": filters.unit_id})
    if filters.category:
        condition &= Q(**{f"{prefix}person__arrival_category": filters.category})
    if filters.gender:
        condition &= Q(**{f"{prefix}person__gender": filters.gender})
    if filters.programme:
        condition &= programme_condition(filters.programme, prefix[:-2] if prefix else "pk")
    return condition


def cases_in_scope(scope: Scope, filters: Filters) -> QuerySet[Case]:
    """The cases the figures count over (any period)."""
    return Case.objects.filter(case_condition(scope, filters))
