"""REST endpoints of meetings across organisations, over the same access functions and
services as the pages. Every action answers with the whole meeting, checklist included."""

from typing import Any
from uuid import UUID

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.audit.models import Channel
from sia.collaboration import services
from sia.collaboration.models import (
    AgendaItem,
    InterpreterBooking,
    LifeArea,
    Meeting,
    MeetingParty,
)
from sia.collaboration.selectors import MeetingRecord, get_meeting, list_visible_meetings
from sia.core.concurrency import (
    EditConflict,
    VersionedInputSerializer,
    conflict_response,
    conflict_schema,
)
from sia.core.http import api_user
from sia.core.serializers import EventTimeField
from sia.people.models import Language

API = Channel.API


class ChecklistItemSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    done = serializers.BooleanField()
    required = serializers.BooleanField()  # type: ignore[assignment]


class PartyOutputSerializer(serializers.Serializer[MeetingParty]):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=MeetingParty.Kind.choices)
    name = serializers.CharField()
    user = serializers.UUIDField(source="user_id", allow_null=True)
    organisation = serializers.UUIDField(source="organisation_id", allow_null=True)
    function = serializers.CharField()
    invitation_language = serializers.CharField()
    invited_at = serializers.DateTimeField(allow_null=True)
    attended = serializers.BooleanField(allow_null=True)
    statement = serializers.CharField()
    responsibility = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)
    signature_method = serializers.CharField()
    copy_sent_on = serializers.DateField(allow_null=True)
    copy_method = serializers.CharField()


class InterpreterOutputSerializer(serializers.Serializer[InterpreterBooking]):
    language = serializers.CharField()
    mode = serializers.ChoiceField(choices=InterpreterBooking.Mode.choices)
    same_interpreter_preferred = serializers.BooleanField()
    interpreter_reference = serializers.CharField()
    briefing_notes = serializers.CharField()
    status = serializers.ChoiceField(choices=InterpreterBooking.Status.choices)


class AgendaItemOutputSerializer(serializers.Serializer[AgendaItem]):
    id = serializers.UUIDField()
    order = serializers.IntegerField()
    topic = serializers.CharField()
    case = serializers.UUIDField(source="case_id", allow_null=True)
    decision = serializers.CharField()
    lock_version = serializers.IntegerField()
    tasks = serializers.SerializerMethodField()

    def get_tasks(self, item: AgendaItem) -> list[str]:
        return [str(task.pk) for task in item.tasks.all()]


class MeetingSummarySerializer(serializers.Serializer[Meeting]):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    status = serializers.ChoiceField(choices=Meeting.Status.choices)
    case = serializers.UUIDField(source="case_id", allow_null=True)
    unit = serializers.UUIDField(source="unit_id")
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    minutes = serializers.IntegerField()
    place = serializers.CharField()
    mode = serializers.ChoiceField(choices=Meeting.Mode.choices)


class MeetingOutputSerializer(MeetingSummarySerializer):
    purpose = serializers.CharField()
    person_wants_sip = serializers.BooleanField(allow_null=True)
    life_areas = serializers.ListField(child=serializers.CharField())
    consent = serializers.UUIDField(source="consent_id", allow_null=True)
    agenda = serializers.CharField()
    preparations = serializers.CharField()
    invitations_sent_at = serializers.DateTimeField(allow_null=True)
    held_on = serializers.DateField(allow_null=True)
    note_taker = serializers.UUIDField(source="note_taker_id", allow_null=True)
    notes = serializers.CharField()
    overall_responsible = serializers.UUIDField(source="overall_responsible_id", allow_null=True)
    follow_up_of = serializers.UUIDField(source="follow_up_of_id", allow_null=True)
    follow_up_convened_by = serializers.UUIDField(
        source="follow_up_convened_by_id", allow_null=True
    )
    cancelled_reason = serializers.CharField()
    parties = PartyOutputSerializer(many=True)
    agenda_items = serializers.SerializerMethodField()

    @extend_schema_field(AgendaItemOutputSerializer(many=True))
    def get_agenda_items(self, meeting: Meeting) -> list[dict[str, Any]]:
        # The points the reader may see, from the MeetingRecord (see RecordOutputSerializer).
        items: list[AgendaItem] = self.context["agenda_items"]
        rows = AgendaItemOutputSerializer(items, many=True).data  # type: ignore[arg-type]
        return [dict(row) for row in rows]


class RecordOutputSerializer(serializers.Serializer[MeetingRecord]):
    meeting = serializers.SerializerMethodField()
    checklist = ChecklistItemSerializer(many=True)
    interpreter = serializers.SerializerMethodField()
    follow_up_not_needed = serializers.BooleanField()

    @extend_schema_field(MeetingOutputSerializer)
    def get_meeting(self, record: MeetingRecord) -> dict[str, Any]:
        context = {**self.context, "agenda_items": record.agenda_items}
        return dict(MeetingOutputSerializer(record.meeting, context=context).data)

    @extend_schema(responses=InterpreterOutputSerializer(allow_null=True))
    def get_interpreter(self, record: MeetingRecord) -> dict[str, Any] | None:
        booking = getattr(record.meeting, "interpreter_booking", None)
        return None if booking is None else dict(InterpreterOutputSerializer(booking).data)


def _answer(request: Request, meeting_id: UUID, status: int = 200) -> Response:
    record = get_meeting(api_user(request), meeting_id, channel=API)
    return Response(RecordOutputSerializer(record).data, status=status)


def _valid(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class MeetingInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    case = serializers.UUIDField(required=False, allow_null=True, default=None)
    title = serializers.CharField(max_length=200)
    purpose = serializers.CharField(required=False, allow_blank=True, default="")
    starts_at = EventTimeField()
    minutes = serializers.IntegerField(required=False, default=90)
    place = serializers.CharField(required=False, allow_blank=True, default="")
    mode = serializers.ChoiceField(choices=Meeting.Mode.choices, default=Meeting.Mode.ON_SITE)
    agenda = serializers.CharField(required=False, allow_blank=True, default="")
    preparations = serializers.CharField(required=False, allow_blank=True, default="")
    life_areas = serializers.ListField(
        child=serializers.ChoiceField(choices=LifeArea.choices), required=False, default=list
    )
    person_wants_sip = serializers.BooleanField(required=False, allow_null=True, default=None)


class MeetingListCreateApi(APIView):
    """List the meetings the user may see (newest first), or plan a meeting."""

    @extend_schema(responses=MeetingSummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        meetings = list_visible_meetings(api_user(request), channel=API)
        return Response(MeetingSummarySerializer(meetings, many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=MeetingInputSerializer, responses={201: RecordOutputSerializer})
    def post(self, request: Request) -> Response:
        data = _valid(MeetingInputSerializer, request)
        kind, case_id = data.pop("kind"), data.pop("case")
        meeting = services.create_meeting(
            actor=api_user(request),
            kind=kind,
            case_id=case_id,
            data=services.MeetingInput(**data),
            channel=API,
        )
        return _answer(request, meeting.pk, status=201)


class MeetingDetailApi(APIView):
    """Read a meeting with its parties, checklist, interpreter and agenda."""

    @extend_schema(responses=RecordOutputSerializer)
    def get(self, request: Request, meeting_id: UUID) -> Response:
        return _answer(request, meeting_id)


class PartyInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=MeetingParty.Kind.choices)
    user = serializers.UUIDField(required=False, allow_null=True, default=None)
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    organisation = serializers.UUIDField(required=False, allow_null=True, default=None)
    function = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    invitation_language = serializers.ChoiceField(
        choices=Language.choices, required=False, allow_blank=True, default=""
    )


class MeetingPartyApi(APIView):
    """Add the person, a member of staff (a partner also joins the case team) or an
    outside party."""

    @extend_schema(request=PartyInputSerializer, responses={201: RecordOutputSerializer})
    def post(self, request: Request, meeting_id: UUID) -> Response:
        data = _valid(PartyInputSerializer, request)
        services.add_party(
            actor=api_user(request),
            meeting_id=meeting_id,
            kind=data["kind"],
            user_id=data["user"],
            name=data["name"],
            organisation_id=data["organisation"],
            function=data["function"],
            invitation_language=data["invitation_language"],
            channel=API,
        )
        return _answer(request, meeting_id, status=201)


class ConsentInputSerializer(serializers.Serializer[Any]):
    consent = serializers.UUIDField()


class MeetingConsentApi(APIView):
    """Link the person's consent (for a SIP: a SIP consent) to the meeting."""

    @extend_schema(request=ConsentInputSerializer, responses=RecordOutputSerializer)
    def post(self, request: Request, meeting_id: UUID) -> Response:
        data = _valid(ConsentInputSerializer, request)
        services.link_consent(
            actor=api_user(request), meeting_id=meeting_id, consent_id=data["consent"], channel=API
        )
        return _answer(request, meeting_id)


class MeetingInvitationsApi(APIView):
    """Mark the invitations as sent (400 with the reasons while the rules refuse)."""

    @extend_schema(request=None, responses=RecordOutputSerializer)
    def post(self, request: Request, meeting_id: UUID) -> Response:
        services.send_invitations(actor=api_user(request), meeting_id=meeting_id, channel=API)
        return _answer(request, meeting_id)


class InterpreterInputSerializer(serializers.Serializer[Any]):
    language = serializers.ChoiceField(choices=Language.choices, required=False, default="")
    mode = serializers.ChoiceField(choices=InterpreterBooking.Mode.choices)
    same_interpreter_preferred = serializers.BooleanField(required=False, default=True)
    interpreter_reference = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    briefing_notes = serializers.CharField(required=False, allow_blank=True, default="")


class MeetingInterpreterApi(APIView):
    """Book the interpreter; the language defaults to the person's interpreter language."""

    @extend_schema(request=InterpreterInputSerializer, responses=RecordOutputSerializer)
    def post(self, request: Request, meeting_id: UUID) -> Response:
        data = _valid(InterpreterInputSerializer, request)
        services.book_interpreter(
            actor=api_user(request), meeting_id=meeting_id, channel=API, **data
        )
        return _answer(request, meeting_id)


class InterpreterConfirmInputSerializer(serializers.Serializer[Any]):
    interpreter_reference = serializers.CharField(max_length=200)


class MeetingInterpreterConfirmApi(APIView):
    """Record that the interpreting agency confirmed the interpreter (name or number)."""

    @extend_schema(request=InterpreterConfirmInputSerializer, responses=RecordOutputSerializer)
    def post(self, request: Request, meeting_id: UUID) -> Response:
        data = _valid(InterpreterConfirmInputSerializer, request)
        services.confirm_interpreter(
            actor=api_user(request),
            meeting_id=meeting_id,
            interpreter_reference=data["interpreter_reference"],
            channel=API,
        )
        return _answer(request, meeting_id)


class MeetingInterpreterCancelApi(APIView):
    """Record that the interpreter booking is cancelled (409 once cancelled or held)."""

    @extend_schema(request=None, responses=RecordOutputSerializer)
    def post(self, request: Request, meeting_id: UUID) -> Response:
        services.cancel_interpreter(actor=api_user(request), meeting_id=meeting_id, channel=API)
        return _answer(request, meeting_id)


class PartyMinutesSerializer(serializers.Serializer[Any]):
    party = serializers.UUIDField()
    attended = serializers.BooleanField(required=False, allow_null=True, default=None)
    statement = serializers.CharField(required=False, allow_blank=True, default="")
    responsibility = serializers.CharField(required=False, allow_blank=True, default="")


class MinutesInputSerializer(serializers.Serializer[Any]):
    held_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    note_taker = serializers.UUIDField(required=False, allow_null=True, default=None)
    overall_responsible = serializers.UUIDField(required=False, allow_null=True, default=None)
    parties = PartyMinutesSerializer(many=True, required=False, default=list)


class MeetingMinutesApi(APIView):
    """Document the meeting (409 once every party has signed)."""

    @extend_schema(request=MinutesInputSerializer, responses=RecordOutputSerializer)
    def post(self, request: Request, meeting_id: UUID) -> Response:
        data = _valid(MinutesInputSerializer, request)
        services.record_minutes(
            actor=api_user(request),
            meeting_id=meeting_id,
            held_on=data["held_on"],
            notes=data["notes"],
            note_taker_id=data["note_taker"],
            overall_responsible_id=data["overall_responsible"],
            parties=[
                services.PartyMinutes(
                    party_id=row["party"],
                    attended=row["attended"],
                    statement=row["statement"],
                    responsibility=row["responsibility"],
                )
                for row in data["parties"]
            ],
            channel=API,
        )
        return _answer(request, meeting_id)


class FollowUpInputSerializer(serializers.Serializer[Any]):
    not_needed = serializers.BooleanField(required=False, default=False)
    starts_at = EventTimeField(required=False, allow_null=True, default=None)
    convened_by = serializers.UUIDField(required=False, allow_null=True, default=None)


class MeetingFollowUpApi(APIView):
    """Book the follow-up (answers with the new meeting) or record that none is needed."""

    @extend_schema(request=FollowUpInputSerializer, responses=RecordOutputSerializer)
    def post(self, request: Request, meeting_id: UUID) -> Response:
        data = _valid(FollowUpInputSerializer, request)
        follow_up = services.book_follow_up(
            actor=api_user(request),
            meeting_id=meeting_id,
            starts_at=data["starts_at"],
            convened_by_id=data["convened_by"],
            not_needed=data["not_needed"],
            channel=API,
        )
        if follow_up is None:
            return _answer(request, meeting_id)
        return _answer(request, follow_up.pk, status=201)


class MeetingSignatureApi(APIView):
    """Sign for oneself, or (organiser) record the paper signature of the person or an
    outside party."""

    @extend_schema(request=None, responses=RecordOutputSerializer)
    def post(self, request: Request, meeting_id: UUID, party_id: UUID) -> Response:
        services.sign(
            actor=api_user(request), meeting_id=meeting_id, party_id=party_id, channel=API
        )
        return _answer(request, meeting_id)


class CopyInputSerializer(serializers.Serializer[Any]):
    sent_on = serializers.DateField()
    method = serializers.ChoiceField(choices=MeetingParty.CopyMethod.choices)


class MeetingCopyApi(APIView):
    """Log that a party got a copy of the documentation."""

    @extend_schema(request=CopyInputSerializer, responses=RecordOutputSerializer)
    def post(self, request: Request, meeting_id: UUID, party_id: UUID) -> Response:
        data = _valid(CopyInputSerializer, request)
        services.record_copy(
            actor=api_user(request),
            meeting_id=meeting_id,
            party_id=party_id,
            sent_on=data["sent_on"],
            method=data["method"],
            channel=API,
        )
        return _answer(request, meeting_id)


class CancelInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


class MeetingCancelApi(APIView):
    """Cancel a meeting that has not been held."""

    @extend_schema(request=CancelInputSerializer, responses=RecordOutputSerializer)
    def post(self, request: Request, meeting_id: UUID) -> Response:
        data = _valid(CancelInputSerializer, request)
        services.cancel_meeting(
            actor=api_user(request), meeting_id=meeting_id, reason=data["reason"], channel=API
        )
        return _answer(request, meeting_id)


class AgendaItemInputSerializer(serializers.Serializer[Any]):
    topic = serializers.CharField(max_length=300)
    case = serializers.UUIDField(required=False, allow_null=True, default=None)


class MeetingAgendaItemApi(APIView):
    """Add a point to the agenda (in a case review: about one case)."""

    @extend_schema(request=AgendaItemInputSerializer, responses={201: RecordOutputSerializer})
    def post(self, request: Request, meeting_id: UUID) -> Response:
        data = _valid(AgendaItemInputSerializer, request)
        services.add_agenda_item(
            actor=api_user(request),
            meeting_id=meeting_id,
            topic=data["topic"],
            case_id=data["case"],
            channel=API,
        )
        return _answer(request, meeting_id, status=201)


class TaskInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=300)
    owner_organisation = serializers.UUIDField()
    owner = serializers.UUIDField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class DecisionInputSerializer(VersionedInputSerializer):
    decision = serializers.CharField()
    task = TaskInputSerializer(required=False, allow_null=True, default=None)


AgendaItemConflictSerializer = conflict_schema("AgendaItemConflict", AgendaItemOutputSerializer())


class MeetingDecisionApi(APIView):
    """Write down the decision on an agenda point; with `task`, it becomes a task of the
    case's shared action plan."""

    @extend_schema(
        request=DecisionInputSerializer,
        responses={200: RecordOutputSerializer, 409: AgendaItemConflictSerializer},
    )
    def post(self, request: Request, meeting_id: UUID, item_id: UUID) -> Response:
        data = _valid(DecisionInputSerializer, request)
        user = api_user(request)
        task = data["task"]
        # The decision and its task are written together or not at all.
        try:
            with transaction.atomic():
                services.record_decision(
                    actor=user,
                    meeting_id=meeting_id,
                    item_id=item_id,
                    decision=data["decision"],
                    channel=API,
                    expected_version=data["lock_version"],
                )
                if task:
                    services.decide_task(
                        actor=user,
                        meeting_id=meeting_id,
                        item_id=item_id,
                        title=task["title"],
                        owner_organisation_id=task["owner_organisation"],
                        owner_id=task["owner"],
                        due_on=task["due_on"],
                        channel=API,
                    )
        except EditConflict as conflict:
            item = conflict.record
            assert isinstance(item, AgendaItem)  # noqa: S101
            return conflict_response(conflict, AgendaItemOutputSerializer(item).data)
        return _answer(request, meeting_id)
