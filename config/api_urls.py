"""REST API, version 1."""

from django.urls import include, path

from sia.audit import api as audit_api
from sia.cases import api as cases_api
from sia.people import api as people_api

urlpatterns = [
    path("persons/", people_api.PersonListCreateApi.as_view(), name="api-person-list"),
    path(
        "persons/<uuid:person_id>/", people_api.PersonDetailApi.as_view(), name="api-person-detail"
    ),
    path(
        "persons/<uuid:person_id>/extract/",
        people_api.PersonExtractApi.as_view(),
        name="api-person-extract",
    ),
    path("cases/", cases_api.CaseListCreateApi.as_view(), name="api-case-list"),
    path("cases/<uuid:case_id>/", cases_api.CaseDetailApi.as_view(), name="api-case-detail"),
    path(
        "cases/<uuid:case_id>/emergency-access/",
        cases_api.CaseEmergencyAccessApi.as_view(),
        name="api-case-emergency-access",
    ),
    path(
        "emergency-access/",
        cases_api.EmergencyAccessListApi.as_view(),
        name="api-emergency-access-list",
    ),
    path(
        "emergency-access/<uuid:access_id>/review/",
        cases_api.EmergencyAccessReviewApi.as_view(),
        name="api-emergency-access-review",
    ),
    path("audit-events/", audit_api.AuditEventListApi.as_view(), name="api-audit-list"),
    path("", include("sia.audit.api_urls")),
    path("", include("sia.process.api_urls")),
    path("", include("sia.meetings.api_urls")),
    path("", include("sia.plans.api_urls")),
    path("", include("sia.consent.api_urls")),
    path("", include("sia.teamwork.api_urls")),
    path("", include("sia.collaboration.api_urls")),
    path("", include("sia.assessments.api_urls")),
    path("", include("sia.groups.api_urls")),
    path("", include("sia.decisions.api_urls")),
    path("", include("sia.settlement.api_urls")),
    path("", include("sia.establishment.api_urls")),
    path("", include("sia.journal.api_urls")),
    path("", include("sia.followup.api_urls")),
]
