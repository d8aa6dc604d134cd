"""Plan, hold, document and sign meetings across organisations.

Every write checks the meeting's kind rules (`rules.py`) first, so a refused request
writes nothing, and records an audit event in the same transaction. Once every party
has signed, the record is frozen: minutes, parties and signatures no longer change.
"""

from sia.collaboration.services.agenda import add_agenda_item, decide_task, record_decision
from sia.collaboration.services.common import (
    FOLLOW_UP_NOT_NEEDED,
    OPEN_STATUSES,
    RECORD_STATUSES,
    MeetingInput,
    PartyMinutes,
)
from sia.collaboration.services.minutes import (
    book_follow_up,
    cancel_meeting,
    record_copy,
    record_minutes,
    recordable_statuses,
    sign,
)
from sia.collaboration.services.planning import (
    add_party,
    book_interpreter,
    cancel_interpreter,
    confirm_interpreter,
    create_meeting,
    link_consent,
    send_invitations,
    update_meeting,
)

__all__ = [
    "FOLLOW_UP_NOT_NEEDED",
    "OPEN_STATUSES",
    "RECORD_STATUSES",
    "MeetingInput",
    "PartyMinutes",
    "add_agenda_item",
    "add_party",
    "book_follow_up",
    "book_interpreter",
    "cancel_interpreter",
    "cancel_meeting",
    "confirm_interpreter",
    "create_meeting",
    "decide_task",
    "link_consent",
    "record_copy",
    "record_decision",
    "record_minutes",
    "recordable_statuses",
    "send_invitations",
    "sign",
    "update_meeting",
]
