"""Compose a case team across organisations, keep its shared action plan and consult
specialists.

Rules decided here (see also `sia.teamwork.access`):

- A member keeps their own casework role and unit (from their Membership); the team
  function only says what they do on this team. Responsibility stays with that role.
- The team always keeps at least one active member of the municipality that owns the
  case: the last one cannot be removed (the manager reallocates the case instead).
- Any active member may leave the team; only the manager or a municipal member removes
  others.
- A task created from the team's own page (source TEAM or ASSESSMENT) needs a user who
  may work on the case and see its plans. A task decided at a meeting (MEETING) or wished
  in a group activity (GROUP) is created by the meeting's or group's own service, which
  has already checked the actor's rights there: the actor need not be on the case team,
  but the case must be open.
- An anonymous consultation (no case) must carry no personal data: text holding a valid
  personnummer or samordningsnummer is refused. Its audit event names no person or case.
"""

from sia.teamwork.services.common import MAX_AHEAD, MAX_TEXT, MAX_TITLE, contains_personal_number
from sia.teamwork.services.consultations import (
    answer_consultation,
    ask_consultation,
    withdraw_consultation,
)
from sia.teamwork.services.tasks import create_task, update_task
from sia.teamwork.services.team import add_team_member, remove_team_member

__all__ = [
    "MAX_AHEAD",
    "MAX_TEXT",
    "MAX_TITLE",
    "add_team_member",
    "answer_consultation",
    "ask_consultation",
    "contains_personal_number",
    "create_task",
    "remove_team_member",
    "update_task",
    "withdraw_consultation",
]
