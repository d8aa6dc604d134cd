"""REST endpoints of the alignment, requested documents, referrals and guidance meetings.

One APIView per operation, over the same access functions and services as the pages.
"""

from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.audit.models import Channel
from sia.cases.access import access_case
from sia.cases.models import Case
from sia.cases.selectors import get_case
from sia.consent.models import DataKind
from sia.core.concurrency import (
    EditConflict,
    conflict_response,
    conflict_schema,
    version_field,
)
from sia.core.exceptions import ValidationFailed
from sia.core.http import api_user
from sia.core.serializers import EventTimeField
from sia.meetings import alignment as alignment_services
from sia.meetings import guidance as guidance_services
from sia.meetings.alignment import (
    MAX_VISIT_MINUTES,
    MIN_VISIT_MINUTES,
    AlignmentInput,
    ReferralInput,
)
from sia.meetings.guidance import GuidanceBooking
from sia.meetings.models import (
    Alignment,
    DocumentRequest,
    GuidanceMeeting,
    MeetingMode,
    Referral,
)
from sia.meetings.selectors_alignment import (
    get_guidance_meeting,
    get_referral,
    list_alignments,
    list_document_requests,
    list_guidance_meetings,
    list_referrals,
)
from sia.people.models import Language


def _case_after_write(request: Request, case_id: UUID) -> Case:
    """Return the case just written, for the answer; the write itself was audited."""
    return access_case(api_user(request), case_id)


class ReferralOutputSerializer(serializers.Serializer[Referral]):
    id = serializers.UUIDField()
    alignment = serializers.UUIDField(source="alignment_id", allow_null=True)
    to_unit = serializers.UUIDField(source="to_unit_id", allow_null=True)
    to_unit_name = serializers.SerializerMethodField()
    need = serializers.CharField()
    status = serializers.ChoiceField(choices=Referral.Status.choices)
    status_date = serializers.DateField()
    created_by = serializers.CharField(source="created_by.username")

    def get_to_unit_name(self, referral: Referral) -> str:
        return referral.to_unit.name if referral.to_unit else referral.to_unit_name


class AlignmentOutputSerializer(serializers.Serializer[Alignment]):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Alignment.Kind.choices)
    held_on = serializers.DateField()
    info_for_guide = serializers.CharField()
    first_visit_at = serializers.DateTimeField(allow_null=True)
    first_visit_minutes = serializers.IntegerField()
    standby_guide = serializers.CharField(source="standby_guide.username", allow_null=True)
    notes = serializers.CharField()
    author = serializers.CharField(source="author.username")
    signed_at = serializers.DateTimeField()
    supersedes = serializers.UUIDField(source="supersedes_id", allow_null=True)
    superseded_by = serializers.SerializerMethodField()

    def get_superseded_by(self, alignment: Alignment) -> UUID | None:
        newer = getattr(alignment, "superseded_by", None)
        return newer.pk if newer else None


class ReferralInputSerializer(serializers.Serializer[Any]):
    to_unit = serializers.UUIDField(required=False, allow_null=True)
    to_unit_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    need = serializers.CharField()

    def to_referral(self, data: dict[str, Any]) -> ReferralInput:
        return ReferralInput(
            need=data["need"],
            to_unit_id=data.get("to_unit"),
            to_unit_name=data.get("to_unit_name", ""),
        )


class AlignmentListCreateApi(APIView):
    """List the case's alignment records, or sign a new one (a correction supersedes)."""

    class AlignmentRecordInputSerializer(serializers.Serializer[Any]):
        held_on = serializers.DateField()
        documents = serializers.ListField(
            child=serializers.UUIDField(), required=False, help_text="Catalogue item ids."
        )
        info_for_guide = serializers.CharField(required=False, allow_blank=True)
        first_visit_at = EventTimeField(required=False, allow_null=True)
        first_visit_minutes = serializers.IntegerField(
            required=False, default=60, min_value=MIN_VISIT_MINUTES, max_value=MAX_VISIT_MINUTES
        )
        standby_guide = serializers.UUIDField(required=False, allow_null=True)
        notes = serializers.CharField(required=False, allow_blank=True)
        referrals = ReferralInputSerializer(many=True, required=False)

    @extend_schema(responses=AlignmentOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = get_case(api_user(request), case_id, channel=Channel.API, kind=DataKind.CASE)
        data = AlignmentOutputSerializer(list_alignments(case), many=True).data  # type: ignore[arg-type]
        return Response(data)

    @extend_schema(
        request=AlignmentRecordInputSerializer, responses={201: AlignmentOutputSerializer}
    )
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = self.AlignmentRecordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        referral = ReferralInputSerializer()
        record = alignment_services.record_alignment(
            case_id=case_id,
            data=AlignmentInput(
                held_on=data["held_on"],
                document_item_ids=data.get("documents", []),
                info_for_guide=data.get("info_for_guide", ""),
                first_visit_at=data.get("first_visit_at"),
                first_visit_minutes=data["first_visit_minutes"],
                standby_guide_id=data.get("standby_guide"),
                notes=data.get("notes", ""),
                referrals=[referral.to_referral(item) for item in data.get("referrals", [])],
            ),
            recorded_by=api_user(request),
            channel=Channel.API,
        )
        record = list_alignments(_case_after_write(request, case_id)).get(pk=record.pk)
        return Response(AlignmentOutputSerializer(record).data, status=201)


class DocumentOutputSerializer(serializers.Serializer[DocumentRequest]):
    item = serializers.UUIDField(source="item_id")
    key = serializers.CharField(source="item.key")
    title = serializers.CharField(source="item.label")
    explanation = serializers.CharField(source="item.help_text")
    status = serializers.ChoiceField(choices=DocumentRequest.Status.choices)
    status_date = serializers.DateField()
    changed_by = serializers.CharField(source="changed_by.username")
    lock_version = serializers.IntegerField()


class DocumentStatusSerializer(serializers.Serializer[Any]):
    item = serializers.UUIDField(help_text="The catalogue item id.")
    status = serializers.ChoiceField(choices=DocumentRequest.Status.choices)
    lock_version = version_field()


DocumentsConflictSerializer = conflict_schema(
    "DocumentsConflict", DocumentOutputSerializer(many=True)
)


class DocumentListApi(APIView):
    """Read the case's requested-documents list, or set item statuses."""

    class DocumentStatusesInputSerializer(serializers.Serializer[Any]):
        on = serializers.DateField()
        statuses = DocumentStatusSerializer(many=True, allow_empty=False)

    @extend_schema(responses=DocumentOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = get_case(api_user(request), case_id, channel=Channel.API, kind=DataKind.CASE)
        data = DocumentOutputSerializer(list_document_requests(case), many=True).data  # type: ignore[arg-type]
        return Response(data)

    @extend_schema(
        request=DocumentStatusesInputSerializer,
        responses={200: DocumentOutputSerializer(many=True), 409: DocumentsConflictSerializer},
    )
    def patch(self, request: Request, case_id: UUID) -> Response:
        serializer = self.DocumentStatusesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        changes = {row["item"]: row["status"] for row in data["statuses"]}
        if len(changes) != len(data["statuses"]):
            raise ValidationFailed(_("Samma handling finns två gånger."), field="statuses")
        try:
            alignment_services.set_document_statuses(
                case_id=case_id,
                changes=changes,
                on=data["on"],
                changed_by=api_user(request),
                channel=Channel.API,
                expected_versions={row["item"]: row["lock_version"] for row in data["statuses"]},
            )
        except EditConflict as conflict:
            rows = list_document_requests(_case_after_write(request, case_id))
            now = DocumentOutputSerializer(rows, many=True).data  # type: ignore[arg-type]
            return conflict_response(conflict, now)
        rows = list_document_requests(_case_after_write(request, case_id))
        data = DocumentOutputSerializer(rows, many=True).data  # type: ignore[arg-type]
        return Response(data)


class ReferralListCreateApi(APIView):
    """List the case's referrals to other units, or note a new need."""

    class ReferralCreateInputSerializer(ReferralInputSerializer):
        on = serializers.DateField()

    @extend_schema(responses=ReferralOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = get_case(api_user(request), case_id, channel=Channel.API, kind=DataKind.CASE)
        data = ReferralOutputSerializer(list_referrals(case), many=True).data  # type: ignore[arg-type]
        return Response(data)

    @extend_schema(request=ReferralCreateInputSerializer, responses={201: ReferralOutputSerializer})
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = self.ReferralCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        referral = alignment_services.create_referral(
            case_id=case_id,
            referral=serializer.to_referral(data),
            on=data["on"],
            created_by=api_user(request),
            channel=Channel.API,
        )
        referral = get_referral(_case_after_write(request, case_id), referral.pk)
        return Response(ReferralOutputSerializer(referral).data, status=201)


class ReferralDetailApi(APIView):
    """Move a referral on: sent, accepted, declined or closed."""

    class ReferralStatusInputSerializer(serializers.Serializer[Any]):
        status = serializers.ChoiceField(choices=Referral.Status.choices)
        on = serializers.DateField()

    @extend_schema(request=ReferralStatusInputSerializer, responses=ReferralOutputSerializer)
    def patch(self, request: Request, case_id: UUID, referral_id: UUID) -> Response:
        serializer = self.ReferralStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alignment_services.update_referral_status(
            case_id=case_id,
            referral_id=referral_id,
            status=serializer.validated_data["status"],
            on=serializer.validated_data["on"],
            changed_by=api_user(request),
            channel=Channel.API,
        )
        referral = get_referral(_case_after_write(request, case_id), referral_id)
        return Response(ReferralOutputSerializer(referral).data)


class GuidanceMeetingOutputSerializer(serializers.Serializer[GuidanceMeeting]):
    id = serializers.UUIDField()
    guide = serializers.UUIDField(source="guide_id")
    guide_name = serializers.CharField(source="guide.get_full_name")
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    place = serializers.CharField()
    mode = serializers.ChoiceField(choices=MeetingMode.choices)
    interpreter_needed = serializers.BooleanField()
    interpreter_language = serializers.CharField()
    status = serializers.ChoiceField(choices=GuidanceMeeting.Status.choices)
    booked_by = serializers.CharField(source="booked_by.username")
    covered_topics = serializers.ListField(child=serializers.CharField())
    notes = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.username", allow_null=True)
    recorded_at = serializers.DateTimeField(allow_null=True)


class GuidanceBookingSerializer(serializers.Serializer[Any]):
    guide = serializers.UUIDField()
    starts_at = EventTimeField()
    duration_minutes = serializers.IntegerField(
        default=60, min_value=MIN_VISIT_MINUTES, max_value=MAX_VISIT_MINUTES
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    mode = serializers.ChoiceField(choices=MeetingMode.choices)
    interpreter_needed = serializers.BooleanField(default=False)
    interpreter_language = serializers.ChoiceField(
        choices=Language.choices, required=False, allow_blank=True, default=""
    )


class GuidanceMeetingListCreateApi(APIView):
    """List the case's guidance meetings, or book one."""

    @extend_schema(responses=GuidanceMeetingOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = get_case(api_user(request), case_id, channel=Channel.API, kind=DataKind.CASE)
        meetings = list_guidance_meetings(case)
        data = GuidanceMeetingOutputSerializer(meetings, many=True).data  # type: ignore[arg-type]
        return Response(data)

    @extend_schema(
        request=GuidanceBookingSerializer, responses={201: GuidanceMeetingOutputSerializer}
    )
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = GuidanceBookingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        meeting = guidance_services.book_guidance_meeting(
            case_id=case_id,
            booking=GuidanceBooking(guide_id=data.pop("guide"), **data),
            booked_by=api_user(request),
            channel=Channel.API,
        )
        meeting = get_guidance_meeting(_case_after_write(request, case_id), meeting.pk)
        return Response(GuidanceMeetingOutputSerializer(meeting).data, status=201)


class GuidanceMeetingDetailApi(APIView):
    """Rebook a booked meeting (any booking field), or cancel it with status "cancelled"."""

    class GuidanceChangeInputSerializer(GuidanceBookingSerializer):
        status = serializers.ChoiceField(choices=[GuidanceMeeting.Status.CANCELLED], required=False)

    @extend_schema(request=GuidanceChangeInputSerializer, responses=GuidanceMeetingOutputSerializer)
    def patch(self, request: Request, case_id: UUID, meeting_id: UUID) -> Response:
        serializer = self.GuidanceChangeInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        user = api_user(request)
        if changes.pop("status", None):
            if changes:
                raise ValidationFailed(
                    _("Ställ in mötet utan att ändra bokningen."), field="status"
                )
            guidance_services.cancel_guidance_meeting(
                case_id=case_id, meeting_id=meeting_id, cancelled_by=user, channel=Channel.API
            )
        else:
            if "guide" in changes:
                changes["guide_id"] = changes.pop("guide")
            guidance_services.change_guidance_booking(
                case_id=case_id,
                meeting_id=meeting_id,
                changes=changes,
                changed_by=user,
                channel=Channel.API,
            )
        meeting = get_guidance_meeting(_case_after_write(request, case_id), meeting_id)
        return Response(GuidanceMeetingOutputSerializer(meeting).data)


class GuidanceMeetingRecordApi(APIView):
    """Write the record of a held guidance meeting, once."""

    class GuidanceRecordInputSerializer(serializers.Serializer[Any]):
        covered_topics = serializers.ListField(
            child=serializers.CharField(max_length=50),
            required=False,
            help_text="Keys of the information checklist items covered.",
        )
        notes = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=GuidanceRecordInputSerializer, responses=GuidanceMeetingOutputSerializer)
    def post(self, request: Request, case_id: UUID, meeting_id: UUID) -> Response:
        serializer = self.GuidanceRecordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        guidance_services.record_guidance_meeting(
            case_id=case_id,
            meeting_id=meeting_id,
            covered_topics=serializer.validated_data.get("covered_topics", []),
            notes=serializer.validated_data["notes"],
            recorded_by=api_user(request),
            channel=Channel.API,
        )
        meeting = get_guidance_meeting(_case_after_write(request, case_id), meeting_id)
        return Response(GuidanceMeetingOutputSerializer(meeting).data)
