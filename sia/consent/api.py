"""REST endpoints of consent, over the same access functions and services as the pages."""

from typing import Any
from uuid import UUID

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.audit.models import Channel
from sia.consent import services
from sia.consent.models import Consent, DataKind, Disclosure
from sia.consent.selectors import (
    consent_status,
    get_consent,
    get_person_with_consents,
    list_consents,
    list_disclosures,
)
from sia.core.http import api_user


class ConsentOutputSerializer(serializers.Serializer[Consent]):
    id = serializers.UUIDField()
    person = serializers.UUIDField(source="person_id")
    case = serializers.UUIDField(source="case_id", allow_null=True)
    kind = serializers.ChoiceField(choices=Consent.Kind.choices)
    given_by = serializers.ChoiceField(choices=Consent.GivenBy.choices)
    given_by_name = serializers.CharField()
    recipient_organisations = serializers.SerializerMethodField()
    recipient_units = serializers.SerializerMethodField()
    data_kinds = serializers.ListField(child=serializers.ChoiceField(choices=DataKind.choices))
    purpose = serializers.CharField()
    form = serializers.ChoiceField(choices=Consent.Form.choices)
    recorded_by = serializers.CharField(source="recorded_by.username")
    given_on = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    withdrawn_on = serializers.DateField(allow_null=True)
    withdrawal_form = serializers.CharField()
    withdrawal_note = serializers.CharField()
    valid_today = serializers.SerializerMethodField(help_text="Whether the consent holds today.")
    status = serializers.SerializerMethodField(help_text="The status today, in words.")

    def get_recipient_organisations(self, consent: Consent) -> list[str]:
        return [str(organisation.pk) for organisation in consent.recipient_organisations.all()]

    def get_recipient_units(self, consent: Consent) -> list[str]:
        return [str(unit.pk) for unit in consent.recipient_units.all()]

    def get_valid_today(self, consent: Consent) -> bool:
        return consent.is_valid_on(timezone.localdate())

    def get_status(self, consent: Consent) -> str:
        return consent_status(consent, timezone.localdate())[0]


class RecordConsentInputSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=Consent.Kind.choices, default=Consent.Kind.GENERAL)
    given_by = serializers.ChoiceField(
        choices=Consent.GivenBy.choices, default=Consent.GivenBy.PERSON
    )
    given_by_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    recipient_organisations = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list
    )
    recipient_units = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list
    )
    data_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=DataKind.choices), required=False, default=list
    )
    purpose = serializers.CharField(required=False, allow_blank=True, default="", max_length=5_000)
    form = serializers.ChoiceField(choices=Consent.Form.choices)
    given_on = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)


class ConsentWithdrawalInputSerializer(serializers.Serializer[Any]):
    withdrawn_on = serializers.DateField()
    withdrawal_form = serializers.ChoiceField(choices=Consent.WithdrawalForm.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5_000)


class DisclosureOutputSerializer(serializers.Serializer[Disclosure]):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    person = serializers.UUIDField(source="person_id")
    case = serializers.UUIDField(source="case_id", allow_null=True)
    organisation = serializers.UUIDField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    recipient = serializers.CharField(source="recipient.username", allow_null=True, default=None)
    what = serializers.CharField()
    legal_basis = serializers.ChoiceField(choices=Disclosure.LegalBasis.choices)
    consent = serializers.UUIDField(source="consent_id", allow_null=True)
    channel = serializers.CharField()


def _reload(request: Request, person_id: UUID, consent_id: UUID) -> Consent:
    person = get_person_with_consents(api_user(request), person_id, channel=Channel.API)
    return get_consent(person, consent_id)


class ConsentListCreateApi(APIView):
    """List a person's consents (latest first), or record a new one."""

    @extend_schema(responses=ConsentOutputSerializer(many=True))
    def get(self, request: Request, person_id: UUID) -> Response:
        person = get_person_with_consents(api_user(request), person_id, channel=Channel.API)
        consents = list_consents(person)
        return Response(ConsentOutputSerializer(consents, many=True).data)  # type: ignore[arg-type]

    @extend_schema(request=RecordConsentInputSerializer, responses={201: ConsentOutputSerializer})
    def post(self, request: Request, person_id: UUID) -> Response:
        serializer = RecordConsentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        consent = services.record_consent(
            actor=api_user(request),
            person_id=person_id,
            case_id=data["case"],
            kind=data["kind"],
            given_by=data["given_by"],
            given_by_name=data["given_by_name"],
            recipient_organisation_ids=data["recipient_organisations"],
            recipient_unit_ids=data["recipient_units"],
            data_kinds=data["data_kinds"],
            purpose=data["purpose"],
            form=data["form"],
            given_on=data["given_on"],
            valid_until=data["valid_until"],
            channel=Channel.API,
        )
        return Response(
            ConsentOutputSerializer(_reload(request, person_id, consent.pk)).data, status=201
        )


class ConsentDetailApi(APIView):
    """Read one consent of a person."""

    @extend_schema(responses=ConsentOutputSerializer)
    def get(self, request: Request, person_id: UUID, consent_id: UUID) -> Response:
        return Response(ConsentOutputSerializer(_reload(request, person_id, consent_id)).data)


class ConsentWithdrawApi(APIView):
    """Record that the person withdrew the consent; partners lose access from that day."""

    @extend_schema(request=ConsentWithdrawalInputSerializer, responses=ConsentOutputSerializer)
    def post(self, request: Request, person_id: UUID, consent_id: UUID) -> Response:
        consent = _reload(request, person_id, consent_id)
        serializer = ConsentWithdrawalInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.withdraw_consent(
            actor=api_user(request),
            consent_id=consent.pk,
            channel=Channel.API,
            **serializer.validated_data,
        )
        return Response(ConsentOutputSerializer(_reload(request, person_id, consent_id)).data)


class DisclosureListApi(APIView):
    """List what was disclosed about a person to other organisations, newest first."""

    pagination_class = PageNumberPagination  # declares the list as pages in the schema

    @extend_schema(responses=DisclosureOutputSerializer(many=True))
    def get(self, request: Request, person_id: UUID) -> Response:
        person = get_person_with_consents(api_user(request), person_id, channel=Channel.API)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(list_disclosures(person), request, view=self) or []
        return paginator.get_paginated_response(
            DisclosureOutputSerializer(page, many=True).data  # type: ignore[arg-type]
        )
