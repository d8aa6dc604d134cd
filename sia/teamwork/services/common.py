"""Helpers the teamwork services share: text limits, locks, casework memberships and the
personnummer check of anonymous consultations.

The text and planned-date limits come from `sia.core.text`, re-exported here."""

import re
from uuid import UUID

from django.utils.translation import gettext_lazy as _

from sia.accounts.models import CASEWORK_ROLES, Membership
from sia.cases.models import Case
from sia.core.exceptions import ValidationFailed
from sia.core.text import MAX_AHEAD as MAX_AHEAD
from sia.core.text import MAX_TEXT as MAX_TEXT
from sia.core.text import check_not_too_far_ahead as check_not_too_far_ahead
from sia.core.text import clean_text as clean_text
from sia.people.identifiers import parse_personal_number

MAX_TITLE = 300
# Ten or twelve digits, optionally split by '-', '+' or a space before the last four.
_NUMBER_CANDIDATE = re.compile(r"(?<![0-9])(?:[0-9]{2})?[0-9]{6}[-+ ]?[0-9]{4}(?![0-9])")


def contains_personal_number(text: str) -> bool:
    """Tell whether the text holds something that is a valid personnummer or samordningsnummer."""
    for candidate in _NUMBER_CANDIDATE.findall(text):
        try:
            parse_personal_number(candidate.replace(" ", ""))
        except ValidationFailed:
            continue
        return True
    return False


def lock_case(case_id: UUID) -> Case:
    """Return the case locked against concurrent changes."""
    return Case.objects.select_for_update(of=("self",)).get(pk=case_id)


def casework_membership(user_id: UUID) -> Membership:
    """Return the active user's first casework membership, else refuse the field `user`."""
    membership = (
        Membership.objects.filter(
            user_id=user_id, user__is_active=True, role__in=list(CASEWORK_ROLES)
        )
        .select_related("user", "unit__organisation")
        .order_by("created_at")
        .first()
    )
    if membership is None:
        raise ValidationFailed(
            _("Medarbetaren finns inte eller har ingen handläggarroll."), field="user"
        )
    return membership
