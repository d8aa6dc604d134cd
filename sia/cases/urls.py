from django.urls import path

from sia.cases import views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("ny/<uuid:person_id>/", views.open_case, name="case-open"),
    path("<uuid:case_id>/", views.detail, name="case-detail"),
]
