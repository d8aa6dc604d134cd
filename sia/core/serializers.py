"""Serializer fields shared by every app's REST API."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# The years a date and time given to the API may fall in. Outside them a value is a typing
# error, and before 1900 Swedish local time is Stockholm's mean solar time, an offset in
# seconds (+01:12:12) that RFC 3339 cannot write back.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2099


class EventTimeField(serializers.DateTimeField):
    """A date and time given by the caller that answers 400, not 500 or nonsense, to one
    outside the years the system takes (DRF's own field raises OverflowError for e.g. year 1).

    Use it for every date-and-time input of the API."""

    default_error_messages = {"out_of_range": _("Tidpunkten ligger utanför det som kan anges.")}

    def to_internal_value(self, value: Any) -> dt.datetime:
        try:
            moment = super().to_internal_value(value)
        except OverflowError:
            self.fail("out_of_range")
        if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
            self.fail("out_of_range")
        return moment
