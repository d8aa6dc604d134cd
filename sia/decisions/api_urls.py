"""API of decisions on support."""

from django.urls import path

from sia.decisions import api

BASE = "cases/<uuid:case_id>/decisions/"
ONE = BASE + "<uuid:decision_id>/"

urlpatterns = [
    path(BASE, api.DecisionListCreateApi.as_view(), name="api-decision-list"),
    path(ONE, api.DecisionDetailApi.as_view(), name="api-decision-detail"),
    path(ONE + "informed/", api.DecisionInformedApi.as_view(), name="api-decision-informed"),
    path(ONE + "plan/", api.PlanApi.as_view(), name="api-decision-plan"),
    path(
        ONE + "plan/items/<uuid:item_id>/",
        api.PlanItemApi.as_view(),
        name="api-decision-plan-item",
    ),
    path(ONE + "log/", api.LogApi.as_view(), name="api-decision-log"),
    path(ONE + "follow-ups/", api.FollowUpApi.as_view(), name="api-decision-follow-ups"),
    path(ONE + "end/", api.EndApi.as_view(), name="api-decision-end"),
]
