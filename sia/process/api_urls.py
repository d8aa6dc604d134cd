"""API of the process: steps, allocation, transfer."""

from django.urls import path

from sia.process import api

urlpatterns = [
    path(
        "cases/<uuid:case_id>/allocate/",
        api.CaseAllocateApi.as_view(),
        name="api-case-allocate",
    ),
    path(
        "cases/<uuid:case_id>/transfer/",
        api.CaseTransferApi.as_view(),
        name="api-case-transfer",
    ),
    path(
        "cases/<uuid:case_id>/first-contact-date/",
        api.CaseFirstContactDateApi.as_view(),
        name="api-case-first-contact-date",
    ),
    path(
        "cases/<uuid:case_id>/timeline/",
        api.CaseTimelineApi.as_view(),
        name="api-case-timeline",
    ),
    path("my-work/", api.MyWorkApi.as_view(), name="api-my-work"),
    path("catalogues/<slug:key>/", api.CatalogueDetailApi.as_view(), name="api-catalogue"),
]
