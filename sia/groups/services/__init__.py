"""Run group series: create them from a preset, plan sessions, enrol cases, record
attendance and evaluations.

Changes to a series or a session (no personal data) are audited on the series' unit;
every change to an enrolment or to attendance is about a case and is audited on it.
Only the municipality invites and decides places; facilitators, partner ones included,
record attendance and evaluations for the participants they may see. Capacity is checked
with the series row locked, so two accepts cannot both take the last place.
"""

from sia.groups.services.attendance import AttendanceRow, record_attendance, record_evaluation
from sia.groups.services.common import MAX_AHEAD, MAX_BACK, MAX_CAPACITY, MAX_TEXT
from sia.groups.services.enrolment import (
    accept,
    change_enrolment,
    decline,
    invite,
    leave,
    mark_informed,
    places_left,
)
from sia.groups.services.series import SeriesInput, SessionInput, create_series, update_session

__all__ = [
    "MAX_AHEAD",
    "MAX_BACK",
    "MAX_CAPACITY",
    "MAX_TEXT",
    "AttendanceRow",
    "SeriesInput",
    "SessionInput",
    "accept",
    "change_enrolment",
    "create_series",
    "decline",
    "invite",
    "leave",
    "mark_informed",
    "places_left",
    "record_attendance",
    "record_evaluation",
    "update_session",
]
