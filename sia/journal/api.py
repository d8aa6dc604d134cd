"""REST endpoints of a case's journal, over the same access functions and services as the
pages. Notes and objections are append-only: there is no PUT, PATCH or DELETE (405). A
partner without a consent sharing the case gets 404 and never writes."""

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.accounts.models import Role
from sia.audit.models import Channel
from sia.core.http import api_user
from sia.core.serializers import EventTimeField
from sia.core.text import MAX_TEXT
from sia.journal import services
from sia.journal.models import JournalEntry, Objection
from sia.journal.selectors import get_case_for_journal, get_entry, list_entries


class ObjectionOutputSerializer(serializers.Serializer[Objection]):
    id = serializers.UUIDField()
    text = serializers.CharField()
    received_as = serializers.ChoiceField(choices=Objection.ReceivedAs.choices)
    received_on = serializers.DateField()
    recorded_by = serializers.CharField(source="recorded_by.username")
    recorded_at = serializers.DateTimeField()


class EntryOutputSerializer(serializers.Serializer[JournalEntry]):
    id = serializers.UUIDField()
    number = serializers.IntegerField()
    occurred_at = serializers.DateTimeField(help_text="When what is noted happened.")
    written_at = serializers.DateTimeField(help_text="When the note was written (server time).")
    kind = serializers.ChoiceField(choices=JournalEntry.Kind.choices)
    text = serializers.CharField()
    author = serializers.CharField(source="author.username")
    author_role = serializers.ChoiceField(choices=[("", ""), *Role.choices])
    author_unit = serializers.CharField(source="author_unit.name", allow_null=True)
    corrects = serializers.UUIDField(source="corrects_id", allow_null=True)
    corrected_by = serializers.UUIDField(source="correction_id", allow_null=True)
    correction_reason = serializers.CharField()
    objections = ObjectionOutputSerializer(many=True, source="objections.all")


class EntryInputSerializer(serializers.Serializer[Any]):
    occurred_at = EventTimeField()
    kind = serializers.ChoiceField(choices=JournalEntry.Kind.choices)
    text = serializers.CharField(max_length=MAX_TEXT)


class CorrectionInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=MAX_TEXT)
    reason = serializers.CharField(max_length=MAX_TEXT)
    occurred_at = EventTimeField(
        required=False, help_text="Omit to keep the corrected note's event time."
    )
    kind = serializers.ChoiceField(
        choices=JournalEntry.Kind.choices,
        required=False,
        help_text="Omit to keep the corrected note's kind.",
    )


class ObjectionInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=MAX_TEXT, help_text="The person's own words.")
    received_as = serializers.ChoiceField(choices=Objection.ReceivedAs.choices)
    received_on = serializers.DateField()


def _entry_data(request: Request, case_id: UUID, entry_id: UUID) -> dict[str, Any]:
    case = get_case_for_journal(api_user(request), case_id, channel=Channel.API)
    return dict(EntryOutputSerializer(get_entry(case, entry_id)).data)


class JournalListCreateApi(APIView):
    """List the case's journal notes (newest event first), or write one."""

    @extend_schema(responses=EntryOutputSerializer(many=True))
    def get(self, request: Request, case_id: UUID) -> Response:
        case = get_case_for_journal(api_user(request), case_id, channel=Channel.API)
        return Response(EntryOutputSerializer(list_entries(case), many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=EntryInputSerializer, responses={201: EntryOutputSerializer})
    def post(self, request: Request, case_id: UUID) -> Response:
        serializer = EntryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.write_entry(
            case_id=case_id,
            written_by=api_user(request),
            channel=Channel.API,
            **serializer.validated_data,
        )
        return Response(_entry_data(request, case_id, entry.pk), status=201)


class JournalEntryApi(APIView):
    """Show one journal note with the notes it corrects or is corrected by and its objections."""

    @extend_schema(responses=EntryOutputSerializer)
    def get(self, request: Request, case_id: UUID, entry_id: UUID) -> Response:
        return Response(_entry_data(request, case_id, entry_id))


class JournalCorrectionApi(APIView):
    """Correct a note with a new one that points at it; only the newest version (else 409)."""

    @extend_schema(request=CorrectionInputSerializer, responses={201: EntryOutputSerializer})
    def post(self, request: Request, case_id: UUID, entry_id: UUID) -> Response:
        serializer = CorrectionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.correct_entry(
            case_id=case_id,
            entry_id=entry_id,
            written_by=api_user(request),
            channel=Channel.API,
            **serializer.validated_data,
        )
        return Response(_entry_data(request, case_id, entry.pk), status=201)


class JournalObjectionApi(APIView):
    """Attach the person's objection (avvikande mening) to a note; answers with the note."""

    @extend_schema(request=ObjectionInputSerializer, responses={201: EntryOutputSerializer})
    def post(self, request: Request, case_id: UUID, entry_id: UUID) -> Response:
        serializer = ObjectionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_objection(
            case_id=case_id,
            entry_id=entry_id,
            recorded_by=api_user(request),
            channel=Channel.API,
            **serializer.validated_data,
        )
        return Response(_entry_data(request, case_id, entry_id), status=201)
