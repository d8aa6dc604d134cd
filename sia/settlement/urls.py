"""Pages of settlement."""

from django.urls import URLPattern, path

from sia.settlement import views

urlpatterns: list[URLPattern] = [
    path("arenden/<uuid:case_id>/bostad/", views.case_housing, name="case-housing"),
    path("arenden/<uuid:case_id>/bostad/starta/", views.housing_start, name="housing-start"),
    path(
        "arenden/<uuid:case_id>/bostad/<uuid:task_id>/status/",
        views.housing_task_status,
        name="housing-task-status",
    ),
    path("bosattning/", views.settlement_worklist, name="settlement-worklist"),
]
