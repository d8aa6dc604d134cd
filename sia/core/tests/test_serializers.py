"""The API's shared date-and-time input refuses what it cannot store or write back."""

import pytest
from rest_framework import serializers

from sia.core.serializers import EventTimeField


class _Input(serializers.Serializer[dict[str, object]]):
    at = EventTimeField()


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00",  # DRF's own field raises OverflowError converting it
        "0097-10-11T03:40:07-13:27",  # Stockholm mean time, an offset RFC 3339 cannot write
        "1899-12-31T23:59:00+01:00",
        "2100-01-01T00:00:00+01:00",
    ],
)
def test_a_time_outside_the_years_the_system_takes_is_refused(value: str) -> None:
    serializer = _Input(data={"at": value})

    assert not serializer.is_valid()
    assert serializer.errors["at"] == ["Tidpunkten ligger utanför det som kan anges."]


def test_a_time_inside_them_is_taken() -> None:
    serializer = _Input(data={"at": "2026-03-01T09:30:00+01:00"})

    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["at"].isoformat() == "2026-03-01T09:30:00+01:00"
