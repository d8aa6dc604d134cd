"""Pages of the establishment programme."""

from django.urls import path

from sia.establishment import views

urlpatterns = [
    path("arenden/<uuid:case_id>/etablering/", views.case_programme, name="case-programme"),
    path(
        "arenden/<uuid:case_id>/etablering/ingangsvarden/",
        views.case_baseline,
        name="case-programme-baseline",
    ),
    path(
        "arenden/<uuid:case_id>/etablering/utfall/",
        views.case_outcome,
        name="case-programme-outcome",
    ),
    path(
        "arenden/<uuid:case_id>/etablering/orosanmalningar/",
        views.case_concern_report,
        name="case-programme-concern-report",
    ),
    path("etablering/rapport/", views.programme_report_page, name="programme-report"),
]
