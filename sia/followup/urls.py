"""Pages of follow-up and evaluation."""

from django.urls import path

from sia.followup import views

urlpatterns = [
    path("uppfoljning/", views.index, name="followup-index"),
    path("uppfoljning/rapport.pdf", views.committee_report, name="followup-committee-report"),
    path("uppfoljning/<slug:slug>/", views.dashboard_page, name="followup-dashboard"),
    path(
        "uppfoljning/<slug:slug>/export.csv",
        views.dashboard_export,
        {"file_format": "csv"},
        name="followup-export-csv",
    ),
    path(
        "uppfoljning/<slug:slug>/export.xlsx",
        views.dashboard_export,
        {"file_format": "xlsx"},
        name="followup-export-xlsx",
    ),
]
