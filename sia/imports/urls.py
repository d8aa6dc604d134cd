from django.urls import path

from sia.imports import views

urlpatterns = [
    path("", views.upload, name="import-upload"),
    path("mall.<str:kind>", views.template_file, name="import-template"),
    path("<uuid:pending_id>/", views.confirm, name="import-confirm"),
]
