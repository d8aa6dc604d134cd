"""The iCalendar file of a meeting. It leaves the system, so it names the kind of meeting
and the case reference only: never a person's name or personnummer."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from sia.collaboration.models import Meeting


def summary(meeting: Meeting) -> str:
    """Name the meeting by its kind and, when it has one, the case reference."""
    kind = str(meeting.get_kind_display())
    if meeting.case is None:
        return kind
    return f"{kind} – {_('ärende')} {meeting.case.reference}"


def meeting_ics(meeting: Meeting, link: str) -> bytes:
    """Return the meeting as one VEVENT in a calendar file, cancelled when cancelled."""
    calendar = Calendar()
    calendar.add("prodid", "-//SIA//Samverkansmoten//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    starts_at = timezone.localtime(meeting.starts_at)
    event = Event()
    event.add("uid", f"{meeting.pk}@sia")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + dt.timedelta(minutes=meeting.minutes))
    event.add("summary", summary(meeting))
    event.add("location", meeting.place or str(meeting.get_mode_display()))
    event.add("description", f"{_('Mötet i SIA')}: {link}")
    event.add("url", link)
    # Later changes must carry a higher sequence; the last change time always grows.
    event.add("sequence", int(meeting.updated_at.timestamp()))
    cancelled = meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
