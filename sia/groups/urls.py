"""Pages of group activities."""

from django.urls import path

from sia.groups import views

urlpatterns = [
    path("grupper/", views.groups, name="groups"),
    path("grupper/<uuid:series_id>/", views.group_series, name="group-series"),
    path(
        "grupper/<uuid:series_id>/deltagare/<uuid:enrolment_id>/status/",
        views.group_enrolment_status,
        name="group-enrolment-status",
    ),
    path(
        "grupper/<uuid:series_id>/tillfallen/<uuid:session_id>/",
        views.group_session,
        name="group-session",
    ),
    path(
        "grupper/<uuid:series_id>/tillfallen/<uuid:session_id>/narvaro/",
        views.group_attendance,
        name="group-attendance",
    ),
    path(
        "grupper/<uuid:series_id>/tillfallen/<uuid:session_id>/utvardering/",
        views.group_evaluation,
        name="group-evaluation",
    ),
    path("arenden/<uuid:case_id>/grupper/", views.case_groups, name="case-groups"),
]
