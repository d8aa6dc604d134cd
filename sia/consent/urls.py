"""Pages of consent."""

from django.urls import path

from sia.consent import views

urlpatterns = [
    path("personer/<uuid:person_id>/samtycken/", views.consent_list, name="consent-list"),
    path(
        "personer/<uuid:person_id>/samtycken/<uuid:consent_id>/",
        views.consent_detail,
        name="consent-detail",
    ),
    path(
        "personer/<uuid:person_id>/samtycken/<uuid:consent_id>/utskrift/",
        views.consent_print,
        name="consent-print",
    ),
]
