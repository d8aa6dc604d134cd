"""Create group series from a preset and plan their sessions.

Series and sessions hold no personal data; their changes are audited on the series'
unit (GROUP_SERIES_CHANGED) with the fields changed, never a participant.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import CASEWORK_ROLES, Membership, Organisation, User
from sia.audit.models import AuditAction, Channel
from sia.core.exceptions import ValidationFailed
from sia.groups import access
from sia.groups.models import DEFAULT_CAPACITY, GroupSeries, GroupSession
from sia.groups.presets import AFTERNOON, MAX_SESSIONS, MORNING, PRESETS, session_dates
from sia.groups.services.common import (
    MAX_CAPACITY,
    audit_series,
    check_day,
    clean_text,
    session_for,
)
from sia.people.models import Language
from sia.process.workdays import is_working_day


@dataclass(frozen=True)
class SeriesInput:
    """What a new series needs; `preset` or `sessions` decides how many sessions it gets."""

    title: str
    unit_id: UUID
    first_date: dt.date
    place: str
    description: str = ""
    organisation_ids: Sequence[UUID] = ()
    capacity: int = DEFAULT_CAPACITY
    interpreter_languages: Sequence[str] = ()
    info_meeting_at: dt.datetime | None = None
    info_meeting_place: str = ""
    preset: str = ""
    sessions: int | None = None


@dataclass(frozen=True)
class SessionInput:
    """The plannable fields of one session; times may be left empty."""

    held_on: dt.date
    place: str
    topic: str
    morning_starts: dt.time | None = None
    morning_ends: dt.time | None = None
    afternoon_starts: dt.time | None = None
    afternoon_ends: dt.time | None = None
    facilitator_ids: Sequence[UUID] = ()
    external_facilitators: str = ""


def _session_count(data: SeriesInput) -> int:
    preset = PRESETS.get(data.preset) if data.preset else None
    if data.preset and preset is None:
        raise ValidationFailed(_("Okänd typ av gruppaktivitet."), field="preset")
    count = data.sessions if data.sessions is not None else (preset.sessions if preset else None)
    if count is None:
        raise ValidationFailed(
            _("Ange antal tillfällen eller välj en färdig serie."), field="sessions"
        )
    low, high = (preset.min_sessions, preset.max_sessions) if preset else (1, MAX_SESSIONS)
    if not low <= count <= high:
        raise ValidationFailed(
            _("Antalet tillfällen ska vara mellan %(low)s och %(high)s.")
            % {"low": low, "high": high},
            field="sessions",
        )
    return count


def _check_series(actor: User, data: SeriesInput) -> None:
    check_day(data.first_date, "first_date")
    if data.info_meeting_at:
        check_day(timezone.localdate(data.info_meeting_at), "info_meeting_at")
    if data.unit_id not in access.casework_unit_ids(actor):
        raise ValidationFailed(_("Välj en av dina egna enheter."), field="unit")
    if not 1 <= data.capacity <= MAX_CAPACITY:
        raise ValidationFailed(
            _("Antalet platser ska vara mellan 1 och %(max)s.") % {"max": MAX_CAPACITY},
            field="capacity",
        )
    unknown = set(data.interpreter_languages) - set(Language.values)
    if unknown:
        raise ValidationFailed(_("Okänt tolkspråk."), field="interpreter_languages")
    if data.info_meeting_at and timezone.localdate(data.info_meeting_at) > data.first_date:
        raise ValidationFailed(
            _("Informationsmötet ska hållas före första tillfället."), field="info_meeting_at"
        )


@transaction.atomic
def create_series(*, actor: User, data: SeriesInput, channel: Channel) -> GroupSeries:
    """Create a series in one of the actor's units, with its sessions on weekly working days."""
    _check_series(actor, data)
    count = _session_count(data)
    organisations = list(Organisation.objects.filter(pk__in=set(data.organisation_ids)))
    if len(organisations) != len(set(data.organisation_ids)):
        raise ValidationFailed(_("Okänd organisation."), field="organisations")
    preset = PRESETS.get(data.preset)
    series = GroupSeries.objects.create(
        title=clean_text(data.title, "title", limit=200, required=True),
        description=clean_text(data.description, "description", limit=5000),
        unit_id=data.unit_id,
        capacity=data.capacity,
        interpreter_languages=sorted(set(data.interpreter_languages)),
        info_meeting_at=data.info_meeting_at,
        info_meeting_place=clean_text(data.info_meeting_place, "info_meeting_place", limit=200),
        created_by=actor,
    )
    series.organisations.set(organisations)
    place = clean_text(data.place, "place", limit=200, required=True)
    sessions = GroupSession.objects.bulk_create(
        GroupSession(
            series=series,
            number=number,
            topic=preset.topic(number) if preset else str(_("Tillfälle %(n)s") % {"n": number}),
            held_on=day,
            place=place,
            morning_starts=MORNING[0],
            morning_ends=MORNING[1],
            afternoon_starts=AFTERNOON[0],
            afternoon_ends=AFTERNOON[1],
        )
        for number, day in enumerate(session_dates(data.first_date, count), start=1)
    )
    audit_series(
        actor,
        series,
        AuditAction.GROUP_SERIES_CHANGED,
        channel,
        change="created",
        preset=data.preset,
        sessions=len(sessions),
        capacity=series.capacity,
        organisations=sorted(str(o.pk) for o in organisations),
    )
    return series


def _check_times(data: SessionInput) -> None:
    runs = (
        (data.morning_starts, data.morning_ends, "morning_ends"),
        (data.afternoon_starts, data.afternoon_ends, "afternoon_ends"),
    )
    for starts, ends, field in runs:
        if (starts is None) != (ends is None):
            raise ValidationFailed(_("Ange både start- och sluttid för passet."), field=field)
        if starts is not None and ends is not None and ends <= starts:
            raise ValidationFailed(_("Passet måste sluta efter att det börjar."), field=field)
    if data.morning_ends and data.afternoon_starts and data.afternoon_starts < data.morning_ends:
        raise ValidationFailed(
            _("Eftermiddagspasset får inte börja innan förmiddagspasset har slutat."),
            field="afternoon_starts",
        )


def _facilitators(series: GroupSeries, ids: Sequence[UUID]) -> list[User]:
    """Return the facilitators: active staff of the unit's or a taking-part organisation."""
    allowed = {series.unit.organisation_id, *series.organisations.values_list("pk", flat=True)}
    memberships = Membership.objects.filter(
        user_id__in=set(ids),
        user__is_active=True,
        role__in=CASEWORK_ROLES,
        unit__organisation_id__in=allowed,
    ).select_related("user")
    users = {m.user_id: m.user for m in memberships}
    if len(users) != len(set(ids)):
        raise ValidationFailed(
            _("En ledare måste arbeta i en av de medverkande organisationerna."),
            field="facilitators",
        )
    return list(users.values())


# The plannable fields of a session. The audit names the changed fields, never their text.
_PLANNED = (
    "held_on",
    "place",
    "topic",
    "morning_starts",
    "morning_ends",
    "afternoon_starts",
    "afternoon_ends",
    "external_facilitators",
)


@transaction.atomic
def update_session(
    *, actor: User, series_id: UUID, session_id: UUID, data: SessionInput, channel: Channel
) -> GroupSession:
    """Plan a session: date (a working day), place, topic, both runs and the facilitators."""
    session = session_for(actor, series_id, session_id)
    if data.held_on != session.held_on:
        check_day(data.held_on, "held_on")
    if not is_working_day(data.held_on):
        raise ValidationFailed(_("Datumet är inte en arbetsdag."), field="held_on")
    _check_times(data)
    facilitators = _facilitators(session.series, data.facilitator_ids)
    before = {name: getattr(session, name) for name in _PLANNED}
    before_facilitators = set(session.facilitators.values_list("pk", flat=True))
    session.held_on = data.held_on
    session.place = clean_text(data.place, "place", limit=200, required=True)
    session.topic = clean_text(data.topic, "topic", limit=200, required=True)
    session.morning_starts, session.morning_ends = data.morning_starts, data.morning_ends
    session.afternoon_starts, session.afternoon_ends = data.afternoon_starts, data.afternoon_ends
    session.external_facilitators = clean_text(
        data.external_facilitators, "external_facilitators", limit=300
    )
    changed = [name for name in _PLANNED if getattr(session, name) != before[name]]
    after_facilitators = {user.pk for user in facilitators}
    if not changed and after_facilitators == before_facilitators:
        return session
    session.save(update_fields=[*_PLANNED, "updated_at"])
    session.facilitators.set(facilitators)
    audit_series(
        actor,
        session.series,
        AuditAction.GROUP_SERIES_CHANGED,
        channel,
        change="session",
        session=session.number,
        fields=changed,
        facilitators_added=sorted(str(pk) for pk in after_facilitators - before_facilitators),
        facilitators_removed=sorted(str(pk) for pk in before_facilitators - after_facilitators),
    )
    return session
