"""Small template helpers."""

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Mapping[object, object], key: object) -> object:
    """Look a key up in a dict, for templates."""
    return mapping.get(key)
