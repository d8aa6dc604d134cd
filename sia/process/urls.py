"""Pages for running the process: allocation, transfer, my work, unit overview, calendar."""

from django.urls import path

from sia.process import views

urlpatterns = [
    path("arenden/<uuid:case_id>/fordelning/", views.allocate, name="case-allocate"),
    path("arenden/<uuid:case_id>/overforing/", views.transfer, name="case-transfer"),
    path(
        "arenden/<uuid:case_id>/aktualiseringsdatum/",
        views.first_contact,
        name="case-first-contact",
    ),
    path("mitt-arbete/", views.my_work, name="my-work"),
    path("enhetsoversikt/", views.unit_overview, name="unit-overview"),
    path("kalender/", views.calendar, name="calendar"),
]
