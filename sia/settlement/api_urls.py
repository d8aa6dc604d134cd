"""API of settlement."""

from django.urls import URLPattern, path

from sia.settlement import api

urlpatterns: list[URLPattern] = [
    path(
        "cases/<uuid:case_id>/housing-tasks/",
        api.HousingTaskListApi.as_view(),
        name="api-housing-task-list",
    ),
    path(
        "cases/<uuid:case_id>/housing-tasks/<uuid:task_id>/",
        api.HousingTaskDetailApi.as_view(),
        name="api-housing-task-detail",
    ),
]
