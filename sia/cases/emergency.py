"""Emergency access (nödåtkomst) to a case outside one's scope, and its review.

A municipal caseworker who cannot see a case of their own municipality may, in an
emergency, take time-limited access to it by stating why. The access is audited with
the reason and flagged for the deputy managers of the case's owning unit until one of
them has reviewed it. What the access lets the user do is decided in ADR 0014: it is
read by `sia.cases.access.visible_cases` and `emergency_access_until`.
"""

import datetime as dt
from collections.abc import Iterable
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.accounts.selectors import managed_unit_ids
from sia.audit import services as audit
from sia.audit.models import AuditAction, Channel
from sia.cases.access import emergency_organisation_ids, visible_cases
from sia.cases.models import Case, EmergencyAccess
from sia.cases.selectors import read_cases
from sia.core.exceptions import InvalidTransition, NotFoundOrForbidden, ValidationFailed
from sia.core.text import MAX_TEXT, clean_text
from sia.people.models import Person
from sia.people.selectors import identifier_lookup

# A reason short enough to say nothing ("akut") is no reason a manager can review.
MIN_REASON_LENGTH = 15


def default_hours() -> int:
    """Return the hours of emergency access offered unless the user asks for fewer or more."""
    return min(settings.SIA_EMERGENCY_ACCESS_HOURS, max_hours())


def max_hours() -> int:
    """Return the most hours of emergency access a user may ask for at once."""
    return int(settings.SIA_EMERGENCY_ACCESS_MAX_HOURS)


# Access ----------------------------------------------------------------------------------


def access_case_for_emergency(user: User, case_id: UUID) -> Case:
    """Return a case of the user's municipality that the user cannot see, to take emergency
    access to; a case they already see, or any other, is missing (404) as usual."""
    organisations = emergency_organisation_ids(user)
    if not organisations:
        raise NotFoundOrForbidden
    case = (
        Case.objects.filter(pk=case_id, owning_unit__organisation_id__in=organisations)
        .exclude(pk__in=visible_cases(user).values("pk"))
        .select_related("owning_unit")
        .first()
    )
    if case is None:
        raise NotFoundOrForbidden
    return case


def can_review_emergency_access(user: User) -> bool:
    """Tell whether the user reviews emergency accesses: a deputy manager of some unit."""
    return bool(managed_unit_ids(user))


def _reviewable(user: User) -> QuerySet[EmergencyAccess]:
    # The deputy managers of the owning unit review; never their own access.
    return EmergencyAccess.objects.filter(case__owning_unit_id__in=managed_unit_ids(user)).exclude(
        user_id=user.pk
    )


def access_emergency_access(user: User, access_id: UUID) -> EmergencyAccess:
    """Return an emergency access the user reviews, else 404."""
    access = (
        _reviewable(user)
        .select_related("user", "case__person", "case__owning_unit", "reviewed_by")
        .filter(pk=access_id)
        .first()
    )
    if access is None:
        raise NotFoundOrForbidden
    return access


# Selectors -------------------------------------------------------------------------------


def list_emergency_accesses(
    user: User, *, to_review_only: bool = False
) -> QuerySet[EmergencyAccess]:
    """List the emergency accesses to cases of the units the user manages, newest first."""
    accesses = _reviewable(user).select_related(
        "user", "case__person", "case__owning_unit", "reviewed_by"
    )
    if to_review_only:
        accesses = accesses.filter(reviewed_at__isnull=True)
    return accesses.order_by("-granted_at")


def read_emergency_accesses(
    user: User, accesses: list[EmergencyAccess], *, channel: Channel
) -> list[EmergencyAccess]:
    """Record that the cases of a list of emergency accesses were shown (the reasons may
    speak of the person), and hide protected details."""
    read_cases(user, [access.case for access in accesses], channel=channel)
    return accesses


def list_emergency_offers(user: User, *, people: Iterable[Person], identifier: str) -> list[Case]:
    """List the cases that the user may take emergency access to of the people a search
    found and of whoever holds the (valid) identifier searched for, ids only.

    The person search already says that a hidden person holds the identifier; this adds
    only which cases of the user's own municipality there are to ask for. A search by name
    and birth date offers nothing beyond the people it shows (ADR 0004).
    """
    organisations = emergency_organisation_ids(user)
    if not organisations:
        return []
    holders = Q(pk__in=[person.pk for person in people])
    if identifier:
        # Read the identifier exactly as the person search does, so the offers match its hits.
        kind, value = identifier_lookup(identifier)
        holders |= Q(identifiers__kind=kind, identifiers__value=value)
    return list(
        Case.objects.filter(
            person_id__in=Person.objects.filter(holders).values("pk"),
            owning_unit__organisation_id__in=organisations,
        )
        .exclude(pk__in=visible_cases(user).values("pk"))
        .only("pk")
        .order_by("-first_contact_date", "-created_at")
    )


# Services --------------------------------------------------------------------------------


def _clean_reason(reason: str) -> str:
    text = clean_text(reason, "reason", required=True, limit=MAX_TEXT)
    if len(text) < MIN_REASON_LENGTH:
        raise ValidationFailed(
            _("Beskriv skälet med minst %(count)d tecken.") % {"count": MIN_REASON_LENGTH},
            field="reason",
        )
    return text


def _check_hours(hours: int) -> None:
    if not 1 <= hours <= max_hours():
        raise ValidationFailed(
            _("Välj mellan 1 och %(max)d timmar.") % {"max": max_hours()}, field="hours"
        )


@transaction.atomic
def grant_emergency_access(
    *, user: User, case_id: UUID, reason: str, hours: int, channel: Channel
) -> EmergencyAccess:
    """Give the user time-limited access to a case outside their scope, for the stated
    reason, audited and flagged for the owning unit's deputy managers."""
    case = access_case_for_emergency(user, case_id)
    reason = _clean_reason(reason)
    _check_hours(hours)
    now = timezone.now()
    access = EmergencyAccess.objects.create(
        user=user,
        case=case,
        reason=reason,
        granted_at=now,
        expires_at=now + dt.timedelta(hours=hours),
    )
    audit.record_case(
        actor=user,
        action=AuditAction.EMERGENCY_ACCESS,
        channel=channel,
        case=case,
        changes={
            "emergency_access": str(access.pk),
            "reason": reason,
            "hours": hours,
            "expires_at": access.expires_at.isoformat(),
        },
    )
    return access


@transaction.atomic
def review_emergency_access(
    *, reviewer: User, access_id: UUID, note: str, channel: Channel
) -> EmergencyAccess:
    """Record that a deputy manager of the case's owning unit has reviewed the access."""
    access_emergency_access(reviewer, access_id)
    access = (
        EmergencyAccess.objects.select_for_update(of=("self",))
        .select_related("case", "user")
        .get(pk=access_id)
    )
    if access.reviewed_at is not None:
        raise InvalidTransition(_("Nödåtkomsten är redan granskad."))
    access.review_note = clean_text(note, "note")
    access.reviewed_by = reviewer
    access.reviewed_at = timezone.now()
    access.save(update_fields=["review_note", "reviewed_by", "reviewed_at", "updated_at"])
    audit.record_case(
        actor=reviewer,
        action=AuditAction.EMERGENCY_ACCESS_REVIEWED,
        channel=channel,
        case=access.case,
        changes={
            "emergency_access": str(access.pk),
            "user": access.user.get_username(),
            "note": access.review_note,
        },
    )
    return access


def read_emergency_accesses_to_review(
    user: User, *, limit: int, channel: Channel
) -> list[EmergencyAccess]:
    """Return, and record as read, the manager's emergency accesses still to review (oldest
    first, so that none waits unseen behind newer ones); empty for everyone else."""
    if not can_review_emergency_access(user):
        return []
    accesses = list(list_emergency_accesses(user, to_review_only=True).reverse()[:limit])
    return read_emergency_accesses(user, accesses, channel=channel)
