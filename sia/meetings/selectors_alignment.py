"""Reads of the alignment, the requested documents, referrals and guidance meetings of a case.

The case itself is read through `sia.cases.selectors.get_case` (audited) or
`sia.cases.access.access_case`; the functions here take that already accessed case.
"""

from uuid import UUID

from django.db.models import QuerySet

from sia.accounts.models import Role, Unit, User
from sia.cases.models import Case, CaseTeamMember
from sia.core.exceptions import NotFoundOrForbidden
from sia.meetings.models import Alignment, DocumentRequest, GuidanceMeeting, Referral
from sia.process.models import CaseStep, Catalogue, CatalogueItem

DOCUMENTS_CATALOGUE = "sia-documents"
GUIDANCE_INFO_CATALOGUE = "sia-guidance-info"


def step_catalogue_items(
    case: Case, *, step_key: str, kind: str, fallback_key: str
) -> QuerySet[CatalogueItem]:
    """List the active items of the catalogues of one kind that the case's step uses."""
    step = CaseStep.objects.filter(case=case, key=step_key).first()
    catalogue_ids: list[UUID] = []
    if step is not None:
        catalogue_ids = list(
            Catalogue.objects.filter(steps__pk=step.definition_id, kind=kind).values_list(
                "pk", flat=True
            )
        )
    items = CatalogueItem.objects.filter(is_active=True).select_related("catalogue")
    if catalogue_ids:
        return items.filter(catalogue_id__in=catalogue_ids).order_by("catalogue", "order", "label")
    return items.filter(catalogue__key=fallback_key).order_by("order", "label")


def requestable_documents(case: Case) -> QuerySet[CatalogueItem]:
    """List the catalogue items that may be put on the case's requested-documents list."""
    return step_catalogue_items(
        case,
        step_key="alignment",
        kind=Catalogue.Kind.DOCUMENTS,
        fallback_key=DOCUMENTS_CATALOGUE,
    )


def guidance_topics(case: Case) -> QuerySet[CatalogueItem]:
    """List the fixed information checklist of the case's guidance meeting."""
    return step_catalogue_items(
        case,
        step_key="guidance_meeting",
        kind=Catalogue.Kind.INFORMATION,
        fallback_key=GUIDANCE_INFO_CATALOGUE,
    )


def list_guides_on_team(case: Case) -> QuerySet[User]:
    """List the active community guides on the case's team."""
    guide_ids = CaseTeamMember.objects.filter(
        case=case, role=Role.COMMUNITY_GUIDE, left_at__isnull=True, user__is_active=True
    ).values("user_id")
    return User.objects.filter(pk__in=guide_ids).order_by("first_name", "last_name")


def list_referral_units(case: Case) -> QuerySet[Unit]:
    """List the units of the case's municipality a need for help can be referred to."""
    return (
        Unit.objects.filter(organisation_id=case.owning_unit.organisation_id)
        .select_related("organisation")
        .order_by("name")
    )


def list_alignments(case: Case) -> QuerySet[Alignment]:
    """List the case's alignment records, newest first, with who signed and who stands by."""
    return (
        Alignment.objects.filter(case=case)
        .select_related("author", "standby_guide", "supersedes", "superseded_by")
        .prefetch_related("referrals")
        .order_by("-signed_at")
    )


def next_alignment_kind(case: Case) -> str:
    """Tell which alignment the case's next record is: after a transfer, the transfer kind."""
    transfer_open = CaseStep.objects.filter(
        case=case, key="transfer", status=CaseStep.Status.OPEN
    ).exists()
    return Alignment.Kind.TRANSFER if transfer_open else Alignment.Kind.INITIAL


def current_alignment(case: Case, kind: str) -> Alignment | None:
    """Return the alignment of the kind that no correction has replaced, if any."""
    return (
        Alignment.objects.filter(case=case, kind=kind, superseded_by__isnull=True)
        .order_by("-signed_at")
        .first()
    )


def list_document_requests(case: Case) -> QuerySet[DocumentRequest]:
    """List the case's requested documents in catalogue order, with their items."""
    return (
        DocumentRequest.objects.filter(case=case)
        .select_related("item__catalogue", "changed_by")
        .order_by("item__order", "item__label")
    )


def list_referrals(case: Case) -> QuerySet[Referral]:
    """List the case's referrals to other units, oldest first."""
    return (
        Referral.objects.filter(case=case)
        .select_related("to_unit", "created_by", "alignment")
        .order_by("created_at")
    )


def get_referral(case: Case, referral_id: UUID) -> Referral:
    """Return one referral of the case, or raise NotFoundOrForbidden."""
    referral = list_referrals(case).filter(pk=referral_id).first()
    if referral is None:
        raise NotFoundOrForbidden
    return referral


def list_guidance_meetings(case: Case) -> QuerySet[GuidanceMeeting]:
    """List the case's guidance meetings, latest first, with guide and signer."""
    return (
        GuidanceMeeting.objects.filter(case=case)
        .select_related("guide", "booked_by", "recorded_by")
        .order_by("-starts_at")
    )


def get_guidance_meeting(case: Case, meeting_id: UUID) -> GuidanceMeeting:
    """Return one guidance meeting of the case, or raise NotFoundOrForbidden."""
    meeting = list_guidance_meetings(case).filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFoundOrForbidden
    return meeting
