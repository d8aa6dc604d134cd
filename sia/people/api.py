"""REST endpoints for people, over the same access functions and services as the pages."""

from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.audit.models import Channel
from sia.core.exceptions import ValidationFailed
from sia.core.http import api_user
from sia.people import services
from sia.people.extract import ExtractFormat, extract_data, make_extract
from sia.people.models import ArrivalCategory, Gender, Language, Person, PersonIdentifier
from sia.people.selectors import get_person, list_people, read_people, reload_after_write


class IdentifierSerializer(serializers.Serializer[PersonIdentifier]):
    kind = serializers.ChoiceField(choices=PersonIdentifier.Kind.choices)
    value = serializers.CharField(source="formatted", read_only=True)
    valid_from = serializers.DateField(allow_null=True, read_only=True)
    valid_to = serializers.DateField(allow_null=True, read_only=True)


class PersonOutputSerializer(serializers.Serializer[Person]):
    id = serializers.UUIDField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    date_of_birth = serializers.DateField()
    gender = serializers.CharField()
    arrival_category = serializers.CharField()
    residence_permit_date = serializers.DateField(allow_null=True)
    reception_date = serializers.DateField(allow_null=True)
    preferred_languages = serializers.ListField(child=serializers.CharField())
    interpreter_needed = serializers.BooleanField()
    interpreter_language = serializers.CharField()
    protected_identity = serializers.BooleanField()
    details_hidden = serializers.BooleanField(
        help_text="True when address and contact are withheld from this user."
    )
    street_address = serializers.CharField()
    postal_code = serializers.CharField()
    city = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    identifiers = IdentifierSerializer(many=True)


class PersonFieldsSerializer(serializers.Serializer[Person]):
    """The person's own fields, as the pages' form has them."""

    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    arrival_category = serializers.ChoiceField(
        choices=ArrivalCategory.choices, required=False, allow_blank=True
    )
    residence_permit_date = serializers.DateField(required=False, allow_null=True)
    reception_date = serializers.DateField(required=False, allow_null=True)
    preferred_languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), required=False
    )
    interpreter_needed = serializers.BooleanField(required=False)
    interpreter_language = serializers.ChoiceField(
        choices=Language.choices, required=False, allow_blank=True
    )
    protected_identity = serializers.BooleanField(required=False)
    street_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)


class IdentifierInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=PersonIdentifier.Kind.choices)
    value = serializers.CharField(max_length=20)
    valid_from = serializers.DateField(required=False, allow_null=True)


class PersonInputSerializer(PersonFieldsSerializer):
    unit = serializers.UUIDField()
    identifiers = IdentifierInputSerializer(many=True, required=False)
    confirmed_not_duplicate = serializers.BooleanField(default=False)


class PersonListCreateApi(APIView):
    """List the people you may see, or register a newcomer."""

    pagination_class = PageNumberPagination  # declares the list as pages in the schema

    @extend_schema(responses=PersonOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(list_people(api_user(request)), request, view=self) or []
        read_people(api_user(request), list(page), channel=Channel.API)
        return paginator.get_paginated_response(
            PersonOutputSerializer(page, many=True).data  # type: ignore[arg-type]
        )

    @extend_schema(request=PersonInputSerializer, responses={201: PersonOutputSerializer})
    def post(self, request: Request) -> Response:
        serializer = PersonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit_id = data.pop("unit")
        identifiers = [services.IdentifierInput(**item) for item in data.pop("identifiers", [])]
        confirmed = data.pop("confirmed_not_duplicate")
        person = services.register_person(
            registered_by=api_user(request),
            unit_id=unit_id,
            data=services.PersonInput(**data),
            identifiers=identifiers,
            confirmed_not_duplicate=confirmed,
            channel=Channel.API,
        )
        person = reload_after_write(api_user(request), person.pk)
        return Response(PersonOutputSerializer(person).data, status=201)


class PersonDetailApi(APIView):
    """Read or change one person."""

    @extend_schema(responses=PersonOutputSerializer)
    def get(self, request: Request, person_id: UUID) -> Response:
        person = get_person(api_user(request), person_id, channel=Channel.API)
        return Response(PersonOutputSerializer(person).data)

    @extend_schema(request=PersonFieldsSerializer, responses=PersonOutputSerializer)
    def patch(self, request: Request, person_id: UUID) -> Response:
        serializer = PersonFieldsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if not serializer.validated_data:
            raise ValidationFailed(_("Inga fält att ändra."))
        services.update_person(
            changed_by=api_user(request),
            person_id=person_id,
            changes=dict(serializer.validated_data),
            channel=Channel.API,
        )
        person = reload_after_write(api_user(request), person_id)
        return Response(PersonOutputSerializer(person).data)


# "label" and "fields" name attributes of DRF's own classes, so these two are built inline.
ExtractFieldSerializer = inline_serializer(
    name="ExtractField",
    fields={
        "key": serializers.CharField(),
        "label": serializers.CharField(),
        "value": serializers.JSONField(
            allow_null=True,
            help_text="Text, number, true/false, ISO date or time, or a list of text.",
        ),
    },
)
ExtractRecordSerializer = inline_serializer(
    name="ExtractRecord",
    fields={
        "title": serializers.CharField(),
        "fields": serializers.ListField(child=ExtractFieldSerializer),
    },
)


class ExtractSectionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    records = serializers.ListField(child=ExtractRecordSerializer)


class ExtractOutputSerializer(serializers.Serializer[Any]):
    document = serializers.CharField()
    legal_basis = serializers.CharField()
    format_version = serializers.IntegerField()
    person = serializers.CharField()
    produced_at = serializers.DateTimeField()
    controller = serializers.CharField()
    sections = ExtractSectionSerializer(many=True)


class PersonExtractApi(APIView):
    """Produce a person's register extract (article 15 GDPR) as JSON; each one is audited.

    Deputy managers of a unit answering for the person only; anyone else gets 404.
    """

    @extend_schema(responses=ExtractOutputSerializer)
    def get(self, request: Request, person_id: UUID) -> Response:
        made = make_extract(
            api_user(request), person_id, output=ExtractFormat.JSON, channel=Channel.API
        )
        response = Response(extract_data(made))
        response["Cache-Control"] = "no-store"
        return response
