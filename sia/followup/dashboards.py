"""The dashboards, by the slug of their page, each with the function that builds it."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sia.followup.access import Scope
from sia.followup.figures import Dashboard
from sia.followup.filters import Filters
from sia.followup.selectors import evaluation, flow, leadtimes, outcomes, progress

Builder = Callable[[Scope, Filters, dt.date], Dashboard]


@dataclass(frozen=True)
class DashboardKind:
    """One dashboard: its slug, title, one-line description and builder."""

    slug: str
    title: Promise
    description: Promise
    build: Builder


DASHBOARDS: list[DashboardKind] = [
    DashboardKind(
        "ledtider",
        _("Ledtider"),
        _(
            "Hur lång tid varje steg tar mot sitt mål, hur många som väntar och vilka steg "
            "som är sena."
        ),
        leadtimes.build,
    ),
    DashboardKind(
        "flode",
        _("Inflöde och utflöde"),
        _("Nya och avslutade ärenden per månad, öppna ärenden och ärenden per handläggare."),
        flow.build,
    ),
    DashboardKind(
        "utfall",
        _("Utfall över tid"),
        _(
            "Tid till egen försörjning och eget kontrakt per kohort, ankomstkategori och kön, "
            "och orosanmälningar."
        ),
        outcomes.build,
    ),
    DashboardKind(
        "stegforflyttningar",
        _("Stegförflyttningar och deltagande"),
        _("Stegförflyttningar, hinder, insatsernas utfall och deltagande i gruppverksamhet."),
        progress.build,
    ),
    DashboardKind(
        "utvardering",
        _("Utvärdering"),
        _("En kohort och dess ingångsvärden jämförda med samma mått efter år ett och år två."),
        evaluation.build,
    ),
]


def get_dashboard(slug: str) -> DashboardKind | None:
    """The dashboard with this slug, if there is one."""
    return next((kind for kind in DASHBOARDS if kind.slug == slug), None)
