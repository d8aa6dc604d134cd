"""API of the log review (loggkontroll); the log itself is /api/v1/audit-events/."""

from django.urls import path

from sia.audit import api_review

urlpatterns = [
    path("audit/sample/", api_review.SampleApi.as_view(), name="api-audit-sample"),
    path("audit/unusual/", api_review.UnusualAccessApi.as_view(), name="api-audit-unusual"),
    path("audit/reviews/", api_review.LogReviewListCreateApi.as_view(), name="api-audit-reviews"),
]
