from django.urls import path

from sia.cases import views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("ny/<uuid:person_id>/", views.open_case, name="case-open"),
    path("<uuid:case_id>/", views.detail, name="case-detail"),
    path("<uuid:case_id>/nodatkomst/", views.emergency_access, name="case-emergency-access"),
    path(
        "nodatkomst/<uuid:access_id>/granska/",
        views.emergency_review,
        name="emergency-access-review",
    ),
]
