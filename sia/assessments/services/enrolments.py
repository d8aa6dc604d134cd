"""Enrol in programmes and discharge with a reason."""

import datetime as dt
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.accounts.models import User
from sia.assessments.kinds import enrolment_end
from sia.assessments.models import Enrolment
from sia.assessments.services.common import (
    MAX_MONTHS,
    audit_case,
    check_past_day,
    clean_text,
    locked_case,
)
from sia.audit.models import AuditAction, Channel
from sia.core.exceptions import (
    DuplicateRecord,
    InvalidTransition,
    NotFoundOrForbidden,
    ValidationFailed,
)


@transaction.atomic
def enrol(
    *,
    case_id: UUID,
    programme: str,
    started_on: dt.date,
    enrolled_by: User,
    channel: Channel,
    max_months: int = 6,
) -> Enrolment:
    """Enrol the person in a programme; one open enrolment per programme."""
    case = locked_case(enrolled_by, case_id)
    if programme not in Enrolment.Programme.values:
        raise ValidationFailed(_("Okänd insats."), field="programme")
    if not 1 <= max_months <= MAX_MONTHS:
        raise ValidationFailed(_("Längsta tid ska vara 1–36 månader."), field="max_months")
    check_past_day(case, started_on, "started_on")
    if Enrolment.objects.filter(case=case, programme=programme, discharged_on=None).exists():
        raise DuplicateRecord(_("Personen är redan inskriven i insatsen."), field="programme")
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                case=case,
                programme=programme,
                started_on=started_on,
                max_months=max_months,
                enrolled_by=enrolled_by,
            )
    except IntegrityError as error:
        raise DuplicateRecord(
            _("Personen är redan inskriven i insatsen."), field="programme"
        ) from error
    audit_case(
        enrolled_by,
        case,
        AuditAction.ENROLMENT_CHANGED,
        channel,
        enrolment=str(enrolment.pk),
        programme=programme,
        started_on=started_on.isoformat(),
        max_months=max_months,
    )
    return enrolment


@transaction.atomic
def discharge(
    *,
    case_id: UUID,
    enrolment_id: UUID,
    discharged_on: dt.date,
    reason: str,
    discharged_by: User,
    channel: Channel,
    note: str = "",
) -> Enrolment:
    """Discharge the person from the programme with a reason; the time limit only once reached."""
    case = locked_case(discharged_by, case_id)
    enrolment = Enrolment.objects.select_for_update().filter(case=case, pk=enrolment_id).first()
    if enrolment is None:
        raise NotFoundOrForbidden
    if enrolment.discharged_on is not None:
        raise InvalidTransition(_("Personen är redan utskriven ur insatsen."))
    if reason not in Enrolment.DischargeReason.values:
        raise ValidationFailed(_("Välj orsak till utskrivningen."), field="reason")
    if discharged_on > timezone.localdate():
        raise ValidationFailed(_("Datumet kan inte ligga i framtiden."), field="discharged_on")
    if discharged_on < enrolment.started_on:
        raise ValidationFailed(
            _("Utskrivningen kan inte ligga före inskrivningen."), field="discharged_on"
        )
    if reason == Enrolment.DischargeReason.TIME_LIMIT and discharged_on < enrolment_end(enrolment):
        raise ValidationFailed(_("Tidsgränsen är inte nådd än."), field="reason")
    enrolment.discharged_on = discharged_on
    enrolment.discharge_reason = reason
    enrolment.discharge_note = clean_text(note, "note")
    enrolment.save(
        update_fields=["discharged_on", "discharge_reason", "discharge_note", "updated_at"]
    )
    audit_case(
        discharged_by,
        case,
        AuditAction.ENROLMENT_CHANGED,
        channel,
        enrolment=str(enrolment.pk),
        discharged_on=discharged_on.isoformat(),
        reason=reason,
    )
    return enrolment
