"""API of group activities."""

from django.urls import path

from sia.groups import api

_SERIES = "group-series/<uuid:series_id>/"
_SESSION = _SERIES + "sessions/<uuid:session_id>/"

urlpatterns = [
    path("group-series/", api.SeriesListCreateApi.as_view(), name="api-group-series-list"),
    path(_SERIES, api.SeriesDetailApi.as_view(), name="api-group-series-detail"),
    path(_SESSION, api.SessionApi.as_view(), name="api-group-session-detail"),
    path(_SESSION + "attendance/", api.AttendanceApi.as_view(), name="api-group-attendance"),
    path(_SESSION + "evaluation/", api.EvaluationApi.as_view(), name="api-group-evaluation"),
    path(_SERIES + "enrolments/", api.EnrolmentListApi.as_view(), name="api-group-enrolment-list"),
    path(
        _SERIES + "enrolments/<uuid:enrolment_id>/",
        api.EnrolmentApi.as_view(),
        name="api-group-enrolment-detail",
    ),
]
