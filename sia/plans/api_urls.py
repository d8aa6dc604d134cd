"""API of the SIA plan."""

from django.urls import path

from sia.plans import api

urlpatterns = [
    path("cases/<uuid:case_id>/plans/", api.PlanListCreateApi.as_view(), name="api-plan-list"),
    path(
        "cases/<uuid:case_id>/plans/<uuid:plan_id>/",
        api.PlanDetailApi.as_view(),
        name="api-plan-detail",
    ),
    path(
        "cases/<uuid:case_id>/plans/<uuid:plan_id>/agree/",
        api.PlanAgreeApi.as_view(),
        name="api-plan-agree",
    ),
    path(
        "cases/<uuid:case_id>/plans/<uuid:plan_id>/activities/<uuid:activity_id>/",
        api.PlanActivityApi.as_view(),
        name="api-plan-activity",
    ),
]
