from django.urls import path

from sia.retention import views

urlpatterns = [
    path("", views.dry_run, name="retention-dry-run"),
    path("logg/", views.runs, name="retention-runs"),
]
