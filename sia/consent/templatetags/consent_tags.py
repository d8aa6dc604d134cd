"""Template filters of consent pages."""

from django import template

from sia.consent.models import Consent, DataKind

register = template.Library()


@register.filter
def data_kind_labels(consent: Consent) -> list[str]:
    """Return the labels of the kinds of data the consent covers, in catalogue order."""
    labels = dict(DataKind.choices)
    return [str(labels[kind]) for kind in DataKind.values if kind in consent.data_kinds]


@register.filter
def recipient_names(consent: Consent) -> list[str]:
    """Return the names of the organisations and units the consent names."""
    names = [organisation.name for organisation in consent.recipient_organisations.all()]
    names += [f"{unit.name} ({unit.organisation.name})" for unit in consent.recipient_units.all()]
    return names
