"""API of the establishment programme."""

from django.urls import path

from sia.establishment import api

urlpatterns = [
    path(
        "cases/<uuid:case_id>/programme/",
        api.ProgrammeApi.as_view(),
        name="api-case-programme",
    ),
    path("cases/<uuid:case_id>/outcome/", api.OutcomeApi.as_view(), name="api-case-outcome"),
    path(
        "cases/<uuid:case_id>/concern-reports/",
        api.ConcernReportApi.as_view(),
        name="api-case-concern-reports",
    ),
    path("reports/programme/", api.ProgrammeReportApi.as_view(), name="api-programme-report"),
]
