"""API of the first visit and the call-in of the standby guide."""

from django.urls import path

from sia.meetings import api_first_visit as api

urlpatterns = [
    path(
        "cases/<uuid:case_id>/first-visits/",
        api.FirstVisitListCreateApi.as_view(),
        name="api-first-visit-list",
    ),
    path(
        "cases/<uuid:case_id>/guide-calls/",
        api.GuideCallCreateApi.as_view(),
        name="api-guide-call-create",
    ),
    path("guide-calls/", api.GuideCallListApi.as_view(), name="api-guide-call-list"),
    path(
        "guide-calls/<uuid:call_id>/answer/",
        api.GuideCallAnswerApi.as_view(),
        name="api-guide-call-answer",
    ),
]
